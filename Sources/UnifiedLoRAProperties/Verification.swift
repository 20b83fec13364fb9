import Foundation
import UnifiedLoRA

/// The whole verification the `verify` command runs: the lanes engine for volume, the scalar
/// catalogue, the bounded-exhaustive enumeration and the directed IEEE-754 search.
public enum Verification {
  /// Runs the lanes engine and turns its result into one outcome per lane property selected.
  /// A failing lane is regenerated and checked by the scalar catalogue, which reduces it; a lane
  /// failure the scalar check does not confirm is reported as a violation too (the engine and the
  /// core disagree).
  public static func lanes(
    _ selected: [Invariant], traces: Int, steps: Int, seed: UInt64, shard: Shard,
    progress: (@Sendable (Double) -> Void)? = nil
  ) -> [Outcome] {
    let wanted = selected.filter { LaneEngine.ids.contains($0.id) }
    guard !wanted.isEmpty else { return [] }
    let r = LaneEngine.run(traces: traces, steps: steps, seed: seed, shard: shard, progress: progress)
    let rate = r.seconds > 0 ? Double(r.steps) / r.seconds : 0
    return wanted.map { inv in
      let (n, s) = r.counts[inv.id] ?? (0, 0)
      var witness: Witness?
      if let (block, lane) = r.failures[inv.id] {
        let b = LaneEngine.Block(seed: seed, index: block, steps: steps)
        let ts = b.traces(steps: steps)
        let k = lane % 4
        var c = Case(parameters: b.laneParameters(lane), trace: ts[lane])
        if inv.id.hasPrefix("T06") {
          c = Case(parameters: b.laneParameters(k), trace: ts[k], otherTrace: ts[k + 4])
        }
        if inv.counterexample(c) != nil {
          witness = Witness(
            invariant: inv, case: Shrinker.shrink(c, inv), seed: seed, index: block * 8 + lane)
        } else {
          var w = Witness(invariant: inv, case: c, seed: seed, index: block * 8 + lane)
          w.message =
            "the lanes engine flags block \(block) lane \(lane) but the scalar check does not: the engine and the core disagree"
          witness = w
        }
      }
      var o = Outcome(
        inv, engine: "lanes", traces: n, skipped: 0, steps: s, witness: witness, seconds: r.seconds)
      o.stepsPerSecond = rate
      return o
    }
  }
}
