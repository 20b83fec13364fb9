import Foundation
import UnifiedLoRA

/// What an experiment found, as data: the configuration, every run's metrics, the per-arm
/// statistics with bootstrap confidence intervals, the paired differences against the report's
/// baseline, the verdicts on the report's claims and the pre-registered predictions.
///
/// `Codable` with camelCase keys; the `train` command writes it as `summary.json` (non-finite
/// numbers as the strings `"Infinity"`, `"-Infinity"`, `"NaN"`, ``TrainSummary/encoder``) and
/// renders its tables from it.
public struct TrainSummary: Sendable, Codable {
  public var command: String
  public var version: String
  /// Wall time of the whole experiment.
  public var seconds: Double
  public var blas: BLASInfo
  public var configuration: Configuration
  public var pretraining: [PretrainingSummary]
  public var cleanAdaptation: [CleanAdaptation]
  public var arms: [ArmSummary]
  public var runs: [RunSummary]
  public var claims: [Claim]
  public var predictionScore: PredictionScore
  public var consistencyChecks: ConsistencyChecks

  public struct BLASInfo: Sendable, Codable {
    public var configuration: String
    public var sgemmProvider: String
    public var threadsPerRun: Int
    public var jobs: Int
  }

  /// The experiment's settings, flattened for readers of the JSON.
  public struct Configuration: Sendable, Codable {
    public var arms: [String]
    public var seeds: [UInt64]
    public var steps: Int
    public var batchSize: Int
    public var rank: Int
    public var loraAlpha: Double
    public var targets: [AdapterTarget]
    public var optimizer: OptimizerKind
    public var model: Model
    /// `200:300,500:600` or `none`.
    public var shocks: String
    public var shockKind: Shock.Kind
    public var shockFraction: Double
    public var warmSteps: Int
    public var warmRate: Double
    public var warmFloor: Double
    public var evalEvery: Int
    public var validationSize: Int
    public var testSize: Int
    public var pretrainSteps: Int
    public var pretrainRate: Double
    public var sharpnessAt: [Int]
    public var lanczosSteps: Int
    public var controller: Parameters
    public var plateau: PlateauScheduler.Configuration

    public struct Model: Sendable, Codable {
      public var dModel: Int
      public var heads: Int
      public var layers: Int
      public var ffn: Int
      public var vocabulary: Int
    }
  }

  public struct PretrainingSummary: Sendable, Codable {
    public var seed: UInt64
    public var finalLoss: Double
    public var pigLatinBefore: Double
    /// Whether the base was read from the base cache (the same bits as pretraining it again).
    public var fromCache: Bool
    /// Exact match per pretraining task (its name).
    public var exactMatch: [String: Double]
  }

  public struct CleanAdaptation: Sendable, Codable {
    public var seed: UInt64
    public var steps: Int
    public var testExactMatch: Double
    public var testLoss: Double
    public var valLoss: Double
    public var trainLossLast50: Double
    /// The seed's common recovery level: `max(2 × valLoss, 0.01)`.
    public var referenceLevel: Double
    public var seconds: Double
  }

  /// One arm's statistics over seeds (mean and bootstrap 95 % CI).
  public struct ArmSummary: Sendable, Codable {
    public var arm: String
    public var testExactMatch: Estimate
    public var finalValLoss: Estimate
    public var switches: Estimate
    public var mirrorSeeds: Int
    /// Per table step (its decimal text), the batch loss of each seed in seed order (`nil`: the
    /// run is shorter).
    public var trainLossAt: [String: [Double?]]
    public var shocks: [ShockStatistics]
    /// Per quantity (``TrainSummary/Quantity``), `arm − fixed:5e-4` on the same seed; empty for
    /// the baseline itself or when it is not among the arms.
    public var pairedVsBaseline: [PairedDifference]
  }

  public struct ShockStatistics: Sendable, Codable {
    public var start: Int
    public var end: Int
    public var spike: Estimate
    public var lateShockLoss: Estimate
    public var overshoot: Estimate
    /// Censored at the stretch length when the level is never reached.
    public var recoverySteps: Estimate
    public var recovered: Int
  }

  public struct PairedDifference: Sendable, Codable {
    public var quantity: Quantity
    public var difference: Estimate
  }

  /// A quantity compared with the baseline seed by seed.
  public struct Quantity: Sendable, Codable, Hashable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, Hashable {
      case overshoot, recoverySteps, testExactMatch, finalValLoss
    }
    public var kind: Kind
    /// The shock (0-based) for the per-shock kinds.
    public var shock: Int?

    public var description: String {
      switch kind {
      case .overshoot: "overshoot #\((shock ?? 0) + 1)"
      case .recoverySteps: "recovery steps #\((shock ?? 0) + 1)"
      case .testExactMatch: "final test exact match"
      case .finalValLoss: "final val loss"
      }
    }

    /// Digits shown in tables.
    public var digits: Int {
      switch kind {
      case .overshoot, .testExactMatch: 3
      case .recoverySteps: 1
      case .finalValLoss: 4
      }
    }

    /// The quantity's value in one run (recovery censored at the stretch length).
    public func value(_ m: RunMetrics) -> Double? {
      switch kind {
      case .overshoot: return shock.flatMap { m.shocks[$0].overshoot }
      case .recoverySteps:
        guard let k = shock else { return nil }
        return m.shocks[k].recoverySteps.map(Double.init) ?? Double(m.shocks[k].stretch)
      case .testExactMatch: return m.testExactMatch
      case .finalValLoss: return m.finalValidationLoss
      }
    }
  }

  /// One (arm, seed) run.
  public struct RunSummary: Sendable, Codable {
    public var arm: String
    public var seed: UInt64
    /// The name of the run's CSV file in the output directory.
    public var csv: String
    public var metrics: RunMetrics
    public var referenceLevel: Double
    public var initialValLoss: Double
    public var plateauReductions: Int
    public var skipped: Int
    public var seconds: Double
    public var predictions: [SwitchPrediction]
    public var sharpness: [SharpnessPoint]
  }

  /// How the pre-registered predictions fared.
  public struct PredictionScore: Sendable, Codable {
    public var total: Int
    /// Predictions whose sequence of modes equals the observed one.
    public var modesMatched: Int
    /// Predictions that got "Mirror reached or not" right.
    public var mirrorMatched: Int
    /// |predicted − observed| switch step, over the switches of the matched sequences.
    public var switchStepError: Estimate
  }

  /// The log compared with itself (``Checks``): they hold for any loss sequence by construction.
  public struct ConsistencyChecks: Sendable, Codable {
    public var note: String
    public var switchesInside: Int
    public var switches: Int
    public var steadyInside: Int
    public var steady: Int
  }

  /// The name of a run's CSV file: `fixed_5e-4-seed1.csv`, `unified-signal-seed1.csv`.
  public static func csvName(arm: Arm, seed: UInt64) -> String {
    let name = arm.description.replacingOccurrences(of: ":", with: "_").replacingOccurrences(
      of: "+", with: "-")
    return "\(name)-seed\(seed).csv"
  }
}
