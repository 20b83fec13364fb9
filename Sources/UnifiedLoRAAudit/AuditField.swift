/// A decision the run's controller logged, compared field by field with the reference.
public enum AuditField: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case mode
  case lr
  case phi
  case ehat

  public static func < (a: AuditField, b: AuditField) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }
}

extension LoggedStep {
  /// The logged value of a field as a number (the mode as 0/1/2), or `nil` when not logged.
  public func value(_ field: AuditField) -> Double? {
    switch field {
    case .mode: mode.map { Double($0.rawValue) }
    case .lr: lr
    case .phi: phi
    case .ehat: ehat
    }
  }
}

/// When a logged float counts as equal to the reference.
///
/// ```
/// φ, Ê:  |logged − reference| ≤ τ · max(1, |reference|)     (absolute near 0, relative above 1)
/// lr:    |logged − reference| ≤ τ · |reference|             (relative: rates are small)
/// mode:  equal
/// ```
///
/// The default `τ = 1e-6` accepts logs that print floats with 6 decimals or in single precision;
/// `τ = 0` asks for bit-for-bit agreement. NaN never equals anything.
public struct Tolerance: Sendable, Hashable, Codable {
  public var tau: Double

  public init(_ tau: Double = 1e-6) {
    precondition(tau >= 0 && tau.isFinite, "tolerance must be finite and ≥ 0")
    self.tau = tau
  }

  /// The rule as text, for reports.
  public static let rule =
    "phi, ehat: |logged - reference| <= tau * max(1, |reference|); lr: |logged - reference| <= tau * |reference|; mode: equal"

  public func agrees(_ field: AuditField, logged: Double, reference: Double) -> Bool {
    switch field {
    case .mode: return logged == reference
    case .lr: return abs(logged - reference) <= tau * abs(reference)
    case .phi, .ehat: return abs(logged - reference) <= tau * max(1, abs(reference))
    }
  }
}
