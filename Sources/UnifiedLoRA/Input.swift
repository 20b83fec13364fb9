/// One input record: the step number, the training loss `L_t` and the external stress `E_t`.
public struct Input: Sendable, Hashable, Codable {
  /// `t`, the record's own step value; the cooldown counts in these units (SPEC §2).
  public var step: Int
  /// `L_t`, the training loss. Valid: finite and ≥ 0.
  public var loss: Double
  /// `E_t`, the external stress (default 0; the repo variant ignores it). Valid: finite and ≥ 0.
  public var env: Double

  public init(step: Int, loss: Double, env: Double = 0) {
    self.step = step
    self.loss = loss
    self.env = env
  }

  /// The first invalid field of this record, or `nil` when it is inside the domain of SPEC §4.
  @inlinable
  public var invalidField: InputError.Field? {
    if !(loss >= 0 && loss.isFinite) { return .loss }
    if !(env >= 0 && env.isFinite) { return .env }
    return nil
  }
}

/// What a checked step does with an input outside the domain of SPEC §4.
public enum InputPolicy: String, Sendable, Hashable, Codable, CaseIterable {
  /// Throw an ``InputError`` naming the step, the field and the value; the state is unchanged.
  /// The default.
  case reject
  /// Treat an invalid *loss* (NaN, ±∞, negative) as maximal normalised stress `D = 1` for this
  /// step. In the report variant the step is taken with `D = 1`; in the repo variant `Ê` is left
  /// as it is (the bad value never enters the average) and `φ ← (1 − α)·φ + α·1`. An invalid
  /// *env* is still rejected: the external stress has no maximum to saturate to.
  case saturate
  /// Leave the state exactly as it is and take no step (the cooldown clock still reads the next
  /// record's step number).
  case skip
}
