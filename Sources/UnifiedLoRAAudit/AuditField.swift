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

  /// A half-width `d` such that every φ or Ê reference that ``agrees(_:logged:reference:)`` with
  /// `logged` lies in `logged ± d` (a sparse audit keeps these states).
  ///
  /// ```
  /// |logged − r| ≤ τ·max(1, |r|)  and  |r| ≤ |logged| + |logged − r|
  ///   ⇒  max(1, |r|) ≤ max(1, |logged|/(1 − τ))      (τ < 1)
  /// d = τ·max(1, |logged|/(1 − τ))                   (τ < 1; +∞ for τ ≥ 1)
  /// ```
  ///
  /// The bound is tight above a logged value ≥ 1 (`r = logged/(1 − τ)` agrees); a band of
  /// `τ·max(1, |logged|)` would leave out the references in `(logged·(1 + τ), logged/(1 − τ)]`.
  /// For τ > 0 it is widened by 4 ulps of `max(1, |logged|/(1 − τ))`, more than the rounding of
  /// the rule and of `logged ± d`; τ = 0 (equal bits) gives 0.
  public func halfWidth(around logged: Double) -> Double {
    guard tau > 0 else { return 0 }
    guard tau < 1 else { return .infinity }
    let scale = max(1, abs(logged) / (1 - tau))
    return tau * scale + 4 * scale.ulp
  }
}
