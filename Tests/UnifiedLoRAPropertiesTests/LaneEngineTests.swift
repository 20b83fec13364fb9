import Testing
import UnifiedLoRA

@testable import UnifiedLoRAProperties

/// The lane-wise step (generic continuous update on `SIMD8<Double>`, ``LaneModes``) against the
/// scalar core, lane by lane and bit by bit. Budget: 64 blocks × 8 lanes × 4000 steps ≈ 2 million
/// steps per run.
@Suite struct LaneEngineTests {
  static func same(_ a: ControllerState, _ b: ControllerState) -> Bool {
    a.ehat.bitPattern == b.ehat.bitPattern && a.phi.bitPattern == b.phi.bitPattern && a.mode == b.mode
      && a.lastSwitch == b.lastSwitch
  }

  @Test func lanesAreBitIdenticalToTheScalarStep() {
    let seed = freshSeed()
    let steps = 4000
    var checked = 0
    for index in 0..<64 {
      let block = LaneEngine.Block(seed: seed, index: index, steps: steps)
      let lanes = LaneEngine.laneStates(block, steps: steps)
      let traces = block.traces(steps: steps)
      for k in 0..<8 {
        let p = block.laneParameters(k)
        let scalar = p.states(traces[k])
        for t in 0..<steps where !Self.same(lanes[k][t], scalar[t]) {
          Issue.record(
            "seed \(seed) block \(index) lane \(k) step \(t): lanes \(lanes[k][t]) scalar \(scalar[t])")
          return
        }
        checked += steps
      }
    }
    #expect(checked == 64 * 8 * steps)
  }

  @Test func classifyMatchesTheScalarClassify() {
    let seed = freshSeed()
    var g = SeededGenerator(seed: seed)
    for _ in 0..<10_000 {
      let phis = (0..<8).map { _ in [0, 0.3, 0.7, 1, .nan, g.nextUnit()].randomElement(using: &g)! }
      let v = LaneModes.classify(SIMD8(phis), theta0: SIMD8(repeating: 0.3), theta1: SIMD8(repeating: 0.7))
      for k in 0..<8 {
        #expect(
          Int(v[k]) == Mode.classify(phis[k], theta0: 0.3, theta1: 0.7).rawValue,
          "seed \(seed), φ = \(phis[k])")
      }
    }
  }

  @Test func engineFindsNoViolationAndCountsEveryStep() {
    let seed = freshSeed()
    let r = LaneEngine.run(traces: 2000, steps: 300, seed: seed)
    #expect(r.failures.isEmpty, "seed \(seed): \(r.failures)")
    #expect(r.steps == 2000 * 300)
    #expect(r.counts["C1"]?.traces == 2000)
    #expect((r.counts["T03"]?.traces ?? 0) > 0 && (r.counts["C5"]?.traces ?? 0) > 0, "seed \(seed)")
  }

  @Test func shardsPartitionTheBlocks() {
    let seed = freshSeed()
    let a = LaneEngine.run(traces: 160, steps: 50, seed: seed, shard: Shard(index: 0, count: 2))
    let b = LaneEngine.run(traces: 160, steps: 50, seed: seed, shard: Shard(index: 1, count: 2))
    #expect(a.traces + b.traces == 160)
  }
}

@Suite struct LanePropertyTests {
  /// Each lane property is a property of the catalogue, and the bits are distinct.
  @Test func lanePropertiesAreCatalogueProperties() {
    let ids = Set(Catalogue.all.map(\.id))
    for p in LaneEngine.Property.allCases { #expect(ids.contains(p.id), "\(p) is not in the catalogue") }
    #expect(LaneEngine.ids == LaneEngine.Property.allCases.map(\.id))
    #expect(Set(LaneEngine.Property.allCases.map(\.bit)).count == LaneEngine.Property.allCases.count)
  }
}
