import Testing
import UnifiedLoRA

@testable import UnifiedLoRAProperties

/// The exact binary64/binary32 bounds of T02, found by bisection over bit patterns.
@Suite struct IEEESearchTests {
  @Test func squashReachesOneAtTwoToThePrecision() throws {
    let d = try #require(
      IEEESearch.leastTrue(1.0, Double.greatestFiniteMagnitude) { ContinuousUpdate.squash($0) == 1 })
    #expect(d.value == 0x1p53)
    #expect(ContinuousUpdate.squash((0x1p53 as Double).nextDown) < 1)
    // odd significands in [2^53, 2^54) round 1 + x up to x + 2: the quotient is below 1 again
    #expect(ContinuousUpdate.squash((0x1p53 as Double).nextUp) < 1)
    #expect(
      ContinuousUpdate.squash(0x1p54 as Double) == 1
        && ContinuousUpdate.squash((0x1p54 as Double).nextUp) == 1)
    let f = try #require(
      IEEESearch.leastTrue(Float(1), Float.greatestFiniteMagnitude) { ContinuousUpdate.squash($0) == 1 })
    #expect(f.value == 0x1p24)
  }

  @Test func defaultAlphaNeverReachesOne() {
    // α = 0.1: φ ← 0.9φ + 0.1 stalls one ulp below 1 in binary64
    var f = 0.0
    for _ in 0..<2000 { f = ContinuousUpdate.repoPhi(phi: f, d: 1, alpha: 0.1) }
    #expect(f < 1 && f == ContinuousUpdate.repoPhi(phi: f, d: 1, alpha: 0.1))
    var h = 0.0
    for _ in 0..<2000 { h = ContinuousUpdate.repoPhi(phi: h, d: 1, alpha: 0.5) }
    #expect(h == 1)
  }

  @Test func findingsAreComplete() {
    let ids = IEEESearch.findings(Double.self).map(\.id)
    for id in [
      "T02.g1", "T02.g1.all", "T02.phi1.defaults", "T02.phi1.alpha", "T02.phi1.fast", "T02.overflow.worst",
      "T02.overflow.repo",
    ] {
      #expect(ids.contains(id), "missing \(id)")
    }
  }
}
