import Foundation
import UnifiedLoRA

/// Everything that defines one training run apart from the arm and the seed.
public struct RunConfiguration: Sendable, Hashable, Codable {
  /// Training steps (one batch each), counted from the start of the adapter training.
  public var steps = 800
  public var batchSize = 32
  /// Adapter rank `r`, scale numerator `α` (the adapters are multiplied by `α/r`) and targets.
  public var rank = 8
  public var loraAlpha = 16.0
  ///
  /// The default targets are all four attention projections: at rank 8 on q and v alone the clean
  /// adaptation stops at a validation loss of ≈ 0.02–0.03 (docs/experiment.md), not the
  /// converged model the shocks should hit; on q, k, v, o it costs about as much per step.
  public var targets: [AdapterTarget] = [.q, .k, .v, .o]
  public var shape = ModelShape()
  public var optimizer = OptimizerKind.adam
  public var shocks = ShockSchedule.report
  public var shock = Shock()
  /// Clean adaptation before step 0, trained once per seed at ``warmRate`` and shared by every
  /// arm: the runs start from a converged model, as the report's shocks hit one. Every policy (and
  /// controller) starts fresh at step 0. 0: the runs start from the initial adapters.
  public var warmSteps = 6000
  public var warmRate = 1e-2
  /// The clean adaptation's rate decays by a cosine from ``warmRate`` to `warmRate × warmFloor`
  /// over its steps (1: constant), so that the model the shocks hit has converged (6,000 steps
  /// from 1e-2 to 1e-4 on q, k, v, o: clean validation loss 0.0055 / 0.031 / 0.0067 on seeds 1–3,
  /// against 0.024 / 0.082 / 0.038 for 3,000 steps from 3e-3 to 6e-5 on q, v).
  public var warmFloor = 0.01
  /// The clean validation loss is measured after every step `t` with `t % evalEvery == 0`.
  public var evalEvery = 5
  /// Validation words used for the clean validation loss (the first of the seed's split).
  public var validationSize = 128
  /// Test words for the final exact match (the first of the seed's split; 0: all).
  public var testSize = 0
  /// The controller of the unified arm (and the observer of the other arms).
  public var controller = Parameters.report
  /// The plateau arm's scheduler: starts at the report's Single rate 2e-3 and halves after 10
  /// evaluations (50 steps at the default interval) without a 1 % relative improvement of the
  /// clean validation loss, then waits 10 evaluations (cooldown) before counting again, never
  /// below the report's Mirror rate 1e-4. (A 1e-4 threshold with patience 5 reacts to the
  /// evaluation noise of a converged model and reaches the floor long before any shock.)
  public var plateau = PlateauScheduler.Configuration(
    initialLR: 2e-3, factor: 0.5, patience: 10, threshold: 1e-2, thresholdMode: .rel, cooldown: 10,
    minLR: 1e-4)
  /// Steps after which Adam's preconditioned sharpness is measured (unified arms; empty: off).
  public var sharpnessCheckpoints = [199, 299]
  public var powerIterations = 60
  /// Clean training words used for the sharpness measurement.
  public var sharpnessBatch = 32
  /// Pretraining of the base.
  public var pretrainSteps = 2000
  public var pretrainRate = 3e-3

  public init() {}
}

extension RunConfiguration {
  /// Parses sharpness checkpoints: steps `≥ 0` separated by commas, or `none` (or empty) for none.
  ///
  /// - Throws: ``DataError`` naming the text.
  public static func parseCheckpoints(_ text: String) throws(DataError) -> [Int] {
    if text == "none" || text.isEmpty { return [] }
    var out: [Int] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: false) {
      guard let t = Int(part.trimmingCharacters(in: .whitespaces)), t >= 0 else {
        throw DataError(
          "invalid value sharpness-at = '\(text)': expected steps separated by commas, or none")
      }
      out.append(t)
    }
    return out
  }
}
