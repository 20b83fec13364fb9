import Testing
import UnifiedLoRATune

@Suite struct TuneStatisticsTests {
  /// Wilson 95 % for 0/10 and 10/10 (reference values from the closed form, computed by hand).
  @Test func wilsonAtTheEdges() {
    let none = Statistics.wilson(0, 10)
    #expect(none.lo == 0)
    #expect(abs(none.hi - 0.2775) < 1e-4)
    let all = Statistics.wilson(10, 10)
    #expect(all.hi == 1)
    #expect(abs(all.lo - 0.7225) < 1e-4)
  }

  @Test func batchMeansUsesStudentT() {
    let i = Statistics.batchMeans([1, 2, 3, 4])
    // mean 2.5, s = 1.29099, t(3) = 3.182: half-width 2.054
    #expect(abs(i.estimate - 2.5) < 1e-12)
    #expect(abs(i.hi - (2.5 + 3.182 * 1.2909944487358056 / 2)) < 1e-9)
    #expect(i.method == "batch-means")
    let zero = Statistics.batchMeans([0, 0, 0], zeroCountScale: 0.5)
    #expect(zero.method == "rule-of-three" && zero.hi == 1.5)
  }
}
