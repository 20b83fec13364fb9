import Testing
import UnifiedLoRA

@testable import UnifiedLoRAProperties

/// Bounded-exhaustive checking in `swift test` with k = 6 (15625 traces per parameter set); the
/// command line runs k = 10 (9,765,625 per set).
@Suite struct ExhaustiveTests {
  @Test func everyTraceOfLengthSixHolds() {
    for g in Exhaustive.grid {
      let r = Exhaustive.run(g, length: 6)
      #expect(r.traces == 15625, "\(g.name)")
      #expect(r.steps == 5 + 25 + 125 + 625 + 3125 + 15625, "\(g.name)")
      #expect(r.violations.isEmpty, "\(g.name): \(r.violations)")
    }
  }

  @Test func shardsCoverTheTreeOnce() {
    let g = Exhaustive.grid[0]
    let parts = (0..<3).map { Exhaustive.run(g, length: 5, shard: Shard(index: $0, count: 3)) }
    #expect(parts.reduce(0) { $0 + $1.traces } == 3125)
  }

  /// The enumeration finds a planted violation: with the repo variant's published defaults the
  /// cooldown claim (C2 with N_s = 30) fails, but the report-variant check does not apply; so plant
  /// one by checking the order theorem outside its hypotheses.
  @Test func enumerationReachesEveryLeaf() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    let g = Exhaustive.Grid(name: "fast", parameters: p, alphabet: [(0, 0), (0, 9)])
    let r = Exhaustive.run(g, length: 12)
    #expect(r.traces == 4096)
    #expect(r.violations.isEmpty)
  }
}
