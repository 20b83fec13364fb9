import UnifiedLoRA

/// The verdict on one of the report's claims (SPEC §5).
public enum Verdict: String, Sendable, Hashable, Codable {
  case holds
  case holdsUnderConditions = "holds only under stated conditions"
  case refuted
}

/// One claim, evaluated for a parameter set and input ranges. Every key is always present in its
/// JSON, a missing value as `null`, with the Coq statements of `theorems` under `coqTheorems`
/// (``CitesTheorems``).
public struct ClaimResult: Sendable, Hashable, Codable, CitesTheorems {
  public var id: ClaimID
  /// The claim as the report states it.
  public var claim: String
  public var verdict: Verdict
  /// The exact conditions under which it holds (empty when it holds unconditionally).
  public var conditions: [String]
  /// The numbers behind the verdict, in words (the text output); ``figures`` has them as numbers.
  public var findings: [String]
  /// The theorems that prove the verdict.
  public var theorems: [TheoremID]
  /// Concrete traces that refute the claim or show where its conditions end; each was replayed
  /// through the core and checked before being reported.
  public var witnesses: [Witness]
  /// The state the verdict is about: the configured initial state (C1–C4, C7), the low-stress
  /// resting state the shock starts from (C5); `nil` for a verdict about every state (C6).
  public var initialState: ControllerState? = nil
  /// The numbers the findings and conditions quote (thresholds, sup φ, witness sizes…), by name,
  /// for JSON consumers: a figure that does not apply to this claim and configuration is absent.
  public var figures: [ClaimFigure: Double] = [:]
}

/// The name of a number behind a claim's verdict (``ClaimResult/figures``). Record and update
/// counts are whole numbers; a latency that is never reached is absent.
public enum ClaimFigure: String, Sendable, Hashable, Codable, CodingKeyRepresentable, CaseIterable {
  /// C1: the first record with φ = 0 exactly, in exact arithmetic and in binary64, under the
  /// box's least input.
  case exactZeroRecord, binary64ZeroRecord
  /// C1: the first record with φ = 1.0 in binary64 under the box's largest input, or the highest
  /// φ it reaches when it never does.
  case phiOneRecord, phiCeiling
  /// C2, C7: the cooldown `N_s` the verdict is about (for the repo variant, the published one).
  case cooldown
  /// C2, C7: the square-wave witness: its mode switches, its length in steps, and the least gap
  /// between two switches.
  case witnessSwitches, witnessSteps, witnessMinGap
  /// C7: the same witness with the cooldown set to 0.
  case noCooldownSwitches, noCooldownSteps, noCooldownMinGap
  /// C3: the low-stress regime's fixed point `φ*` and its settling time (ε = 0.02 relative to the
  /// step), in updates.
  case phiStar, settlingSteps
  /// C3: the Single limit `θ0/(1 − θ0)` on the sustained stress, and the largest sustained loss
  /// and env that settle in Single at the low-stress input.
  case singleLimit, maxLossForSingle, maxEnvForSingle
  /// C4, C7: the thresholds.
  case theta0, theta1
  /// C4: sup φ over the box, the Mirror limit `θ1/(1 − θ1)`, the fixed point `φ*` of the box's
  /// largest input, and the least sustained env for Mirror at the shock's loss.
  case phiSup, mirrorLimit, supPhiStar, minEnvForMirror
  /// C5: the time constant −1/ln β of Ê, in updates.
  case timeConstant
  /// C5: the peak φ during the shock and the update it occurs after.
  case peakPhi, peakUpdate
  /// C5: the recovery update at which the pre-shock mode returns for good; the recovery updates
  /// until Single is regained, and until it is kept for good.
  case recoveryUpdate, toSingle, settledInSingle
}

extension Dictionary where Key == ClaimFigure, Value == Double {
  /// Sets `figure` to `value` as a number; a `nil` value leaves it absent.
  mutating func set(_ figure: ClaimFigure, _ value: (some BinaryInteger)?) {
    self[figure] = value.map { Double($0) }
  }
}

/// An answer to one of the standard questions about the configuration: in JSON its fields, and
/// the Coq statements of `theorems` under `coqTheorems` (``CitesTheorems``).
public struct Answer: Sendable, Hashable, Codable, CitesTheorems {
  public var question: String
  public var answer: String
  public var theorems: [TheoremID]
}

/// The kinds of ``LintWarning``, each a stable identifier in the JSON output.
public enum LintKind: String, StableID {
  /// A threshold no input in the box can cross.
  case thresholdNeverCrossed = "threshold-never-crossed"
  /// A mode the controller never leaves.
  case modeNeverLeft = "mode-never-left"
  /// Learning rates that are not ordered as the modes are.
  case learningRates = "learning-rates"
  /// α_E = 0: the external stress has no effect.
  case envIgnored = "env-ignored"
  /// N_s = 0: no cooldown.
  case noCooldown = "no-cooldown"
  /// The Jacobian at the fixed point is defective.
  case defectiveJacobian = "defective-jacobian"
}

/// A configuration warning for practitioners.
public struct LintWarning: Sendable, Hashable, Codable {
  public var kind: LintKind
  public var message: String
}

/// The report of `unified-lora claims`.
public struct ClaimsReport: Sendable, Hashable, Codable {
  public var parameters: Parameters
  /// The sustained input ranges the answers are for.
  public var box: InputBox
  /// The low-stress and shock regimes used for C3 and C5.
  public var clean: ConstantInput
  public var shock: ConstantInput
  public var shockLength: Int
  public var claims: [ClaimResult]
  public var answers: [Answer]
  public var lint: [LintWarning]
  /// The thresholds the answers quote, each exactly and in binary64 (`…Value` keys): at the
  /// shock's input (Mirror) and at the low-stress input (Single).
  public var thresholds: InputThresholds? = nil
  public var thresholdsAtLowStress: InputThresholds? = nil
}

/// What `claims` is asked.
public struct ClaimsRequest: Sendable, Hashable {
  public var box: InputBox
  public var clean: ConstantInput
  public var shock: ConstantInput
  public var shockLength: Int

  public init(
    box: InputBox = InputBox(loss: 0...Double.infinity), clean: ConstantInput = ConstantInput(loss: 0.5),
    shock: ConstantInput = ConstantInput(loss: 20), shockLength: Int = 100
  ) {
    self.box = box
    self.clean = clean
    self.shock = shock
    self.shockLength = shockLength
  }
}
