import UnifiedLoRA
import UnifiedLoRAAnalysis

/// The rules that remove a configuration before any simulation, in the order they are applied.
package enum PruneRule: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// The fixed point under the clean level is not in Single (T03, T08): the controller sits
  /// outside Single on clean input even without noise.
  case cleanFixedPoint = "clean-fixed-point"
  /// The target mode is never reached, whatever the shock's loss (T06, T07): even with `D = 1`
  /// during the whole shock the hull of φ stays below the target's threshold.
  case targetUnreachable = "target-unreachable"
  /// The best-case latency exceeds the goal (T06, T14): even with `D = 1` from the shock's first
  /// step the target comes after more than N updates.
  case latencyBound = "latency-bound"

  package var description: String { rawValue }

  /// The theorems that certify the rule.
  package var theorems: [TheoremID] {
    switch self {
    case .cleanFixedPoint: [.t03, .t08]
    case .targetUnreachable: [.t06, .t07]
    case .latencyBound: [.t06, .t14]
    }
  }
}

/// What the analysis says about one configuration before simulation.
package struct PruneVerdict: Sendable, Hashable, Codable {
  /// The first rule that removes the configuration, or nil (it goes to simulation).
  package var rule: PruneRule?
  /// `φ*` under the clean level.
  package var cleanPhi: Double
  /// The supremum of φ over any shock (sustained `D = 1`, the spec's shock env) from the clean
  /// resting state (T06): the target is unreachable when it is below the target's threshold.
  package var shockPhiSup: Double
  /// The best-case latency to the target (nil: certified never, or more than the goal; see
  /// ``exceedsGoal``).
  package var bestLatency: Int?
  /// True when the best case needs more than N updates (the iteration stopped at N).
  package var exceedsGoal: Bool
}

extension TuneSpec {
  /// The supremum input of a shock: `L = 1e300` (whose `D = L/(1 + L)` rounds to exactly 1, T02,
  /// the supremum over every loss and every noise draw) with the spec's shock env.
  package var bestShock: ConstantInput { ConstantInput(loss: 1e300, env: shockEnv) }

  /// Applies the pruning rules to `p` (SPEC §6's resting state as the shock's start).
  ///
  /// 1. ``PruneRule/cleanFixedPoint``: `classify(φ*(clean)) ≠ Single` (closed form, T03).
  /// 2. ``PruneRule/targetUnreachable``: `Parameters.latency(to:)` from the clean resting state
  ///    under ``bestShock`` returns the certified `never` for the target and every mode above it.
  ///    By the comparison principle (T06: the step is non-decreasing in `L` and `E`), no shock of
  ///    any height or noise from that state does better.
  /// 3. ``PruneRule/latencyBound``: the same iteration, stopped after N updates without the target.
  ///
  /// The start is the clean fixed point: noise before the shock can move the state, which the
  /// Monte Carlo stage measures; the rules are certified for the nominal start.
  package func prune(_ p: Parameters) -> PruneVerdict {
    let fp = p.fixedPoint(clean)
    let start = p.restingState(clean)
    let sup = ContinuousUpdate.squash(p.stressTarget(bestShock))
    let supPhi = max(start.phi, sup)
    var v = PruneVerdict(
      rule: nil, cleanPhi: fp.phi, shockPhiSup: supPhi, bestLatency: nil, exceedsGoal: false)
    var best: Int?
    var undecided = false
    for m in Mode.allCases where m >= target.mode {
      do {
        if case .steps(let k) = try p.latency(to: m, from: start, input: bestShock, maxSteps: reactWithin) {
          best = min(best ?? k, k)
        }
      } catch {
        undecided = true
      }
    }
    v.bestLatency = best
    v.exceedsGoal = best == nil && undecided
    if fp.mode != .single {
      v.rule = .cleanFixedPoint
    } else if best == nil && !undecided {
      v.rule = .targetUnreachable
    } else if best == nil {
      v.rule = .latencyBound
    }
    return v
  }
}
