/// The controller's complete state `(Ê, φ, M, s)` (SPEC §2): everything that persists from
/// one step to the next. (The report's claim C6, "stateless across steps except for φ", is
/// false: all four components carry information forward; see `Proofs/T11-state.md`.)
public struct ControllerState: Sendable, Hashable, Codable, CustomStringConvertible {
  /// `Ê`: the smoothed stress (report) or the smoothed raw loss (repo).
  public var ehat: Double
  /// `φ`: the stress scalar that the thresholds read.
  public var phi: Double
  /// `M`: the current mode, which selects the learning rate.
  public var mode: Mode
  /// `s`: the step of the last mode switch; `nil` stands for `−∞` (a switch is allowed at once).
  public var lastSwitch: Int?

  public init(ehat: Double, phi: Double, mode: Mode, lastSwitch: Int? = nil) {
    self.ehat = ehat
    self.phi = phi
    self.mode = mode
    self.lastSwitch = lastSwitch
  }

  /// The report variant's initial state (SPEC §2): `Ê = 0, φ = 0, M = Single, s = −∞`.
  public static let reportInitial = ControllerState(ehat: 0, phi: 0, mode: .single)
  /// The published implementation's initial state (SPEC §3): `Ê = 1, φ = 0.5, M = Multi`.
  public static let repoInitial = ControllerState(ehat: 1, phi: 0.5, mode: .multi)

  public var description: String {
    "(ehat: \(ehat), phi: \(phi), mode: \(mode.rawValue), lastSwitch: \(lastSwitch.map(String.init) ?? "-inf"))"
  }

  /// Checks the state against the domain of SPEC §4: `Ê` finite and ≥ 0, `φ ∈ [0, 1]`.
  ///
  /// - Parameter prefix: the field prefix used in the error (`initial` for an initial state).
  /// - Throws: ``ParameterError`` naming `prefix.ehat` or `prefix.phi` and the value.
  public func validate(prefix: String = "initial") throws(ParameterError) {
    guard ehat.isFinite, ehat >= 0 else {
      throw ParameterError(
        field: ParameterID(rawValue: "\(prefix).ehat"), value: ehat, requirement: "a finite number ≥ 0")
    }
    guard phi >= 0, phi <= 1 else {
      throw ParameterError(
        field: ParameterID(rawValue: "\(prefix).phi"), value: phi, requirement: "a number in [0, 1]")
    }
  }
}
