import UnifiedLoRA

/// Everything that defines one training run apart from the arm and the seed.
public struct RunConfiguration: Sendable, Hashable, Codable {
  /// Training steps (one batch each).
  public var steps = 1000
  public var batchSize = 64
  /// Adapter rank `r` and scale numerator `α` (the adapters are multiplied by `α/r`).
  public var rank = 8
  public var loraAlpha = 16.0
  public var optimizer = OptimizerKind.adam
  public var shocks = ShockSchedule.report
  /// The clean validation loss is measured after every step `t` with `t % evalEvery == 0`.
  public var evalEvery = 5
  /// Validation words used for the clean validation loss (the first of the seed's split).
  public var validationSize = 256
  /// The controller of the unified arm (and the observer of the other arms).
  public var controller = Parameters.report
  public var plateau = PlateauScheduler.Configuration.trainerDefault
  /// Steps after which the sharpness of the clean loss is measured (unified arms only; empty: off).
  public var sharpnessCheckpoints = [199, 299, 599, 999]
  public var powerIterations = 100
  /// Clean training words used for the sharpness and the divergence probes.
  public var sharpnessBatch = 256
  /// Full-batch gradient-descent steps of each divergence probe (0: no probes).
  public var probeSteps = 20
  /// The probes' learning rates as multiples of `2/λ_max`.
  public var probeFactors = [0.5, 0.9, 1.1, 2.0]
  /// Copy-task pretraining steps of the base.
  public var pretrainSteps = 1000
  public var hidden = 256

  public init() {}
}
