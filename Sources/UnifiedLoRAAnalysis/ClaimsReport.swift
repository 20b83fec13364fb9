import UnifiedLoRA

/// The verdict on one of the report's claims (SPEC §5).
public enum Verdict: String, Sendable, Hashable, Codable {
  case holds
  case holdsUnderConditions = "holds only under stated conditions"
  case refuted
}

/// One claim, evaluated for a parameter set and input ranges.
public struct ClaimResult: Sendable, Hashable, Codable, EncodesEveryKey {
  public var id: ClaimID
  /// The claim as the report states it.
  public var claim: String
  public var verdict: Verdict
  /// The exact conditions under which it holds (empty when it holds unconditionally).
  public var conditions: [String]
  /// The numbers behind the verdict, in words.
  public var findings: [String]
  /// The theorems that prove the verdict.
  public var theorems: [TheoremID]
  /// Concrete traces that refute the claim or show where its conditions end; each was replayed
  /// through the core and checked before being reported.
  public var witnesses: [Witness]
  /// The state the verdict is about: the configured initial state (C1–C4, C7), the low-stress
  /// resting state the shock starts from (C5); `nil` for a verdict about every state (C6).
  public var initialState: ControllerState? = nil
}

/// An answer to one of the standard questions about the configuration.
public struct Answer: Sendable, Hashable, Codable {
  public var question: String
  public var answer: String
  public var theorems: [TheoremID]
}

/// The kinds of ``LintWarning``, each a stable identifier in the JSON output.
public enum LintKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
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

  public var description: String { rawValue }
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
