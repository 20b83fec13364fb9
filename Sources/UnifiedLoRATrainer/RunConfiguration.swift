import UnifiedLoRA

/// Everything that defines one training run apart from the arm and the seed.
public struct RunConfiguration: Sendable, Hashable, Codable {
  /// Training steps (one batch each), counted from the start of the adapter training.
  public var steps = 800
  public var batchSize = 32
  /// Adapter rank `r`, scale numerator `α` (the adapters are multiplied by `α/r`) and targets.
  public var rank = 8
  public var loraAlpha = 16.0
  public var targets: [AdapterTarget] = [.q, .v]
  public var shape = ModelShape()
  public var optimizer = OptimizerKind.adam
  public var shocks = ShockSchedule.report
  public var shock = Shock()
  /// Clean adaptation before step 0, trained once per seed at ``warmRate`` and shared by every
  /// arm: the runs start from a converged model, as the report's shocks hit one. Every policy (and
  /// controller) starts fresh at step 0. 0: the runs start from the initial adapters.
  public var warmSteps = 1500
  public var warmRate = 2e-3
  /// The clean validation loss is measured after every step `t` with `t % evalEvery == 0`.
  public var evalEvery = 5
  /// Validation words used for the clean validation loss (the first of the seed's split).
  public var validationSize = 128
  /// Test words for the final exact match (the first of the seed's split; 0: all).
  public var testSize = 0
  /// The controller of the unified arm (and the observer of the other arms).
  public var controller = Parameters.report
  public var plateau = PlateauScheduler.Configuration.trainerDefault
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
