/// An input record outside the domain of the equations (SPEC §4): a NaN, an infinity, a
/// negative loss or a negative external stress. The controller's state is left untouched.
///
/// The description names the step, the field and the value, for example
/// `step 17: loss = nan is not a finite number ≥ 0; the controller state is unchanged`.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
  /// Which input field was invalid.
  public enum Field: String, Sendable, Hashable, Codable {
    case loss
    case env
  }

  /// The step number of the offending record (the log's own step value).
  public let step: Int
  public let field: Field
  public let value: Double

  public init(step: Int, field: Field, value: Double) {
    self.step = step
    self.field = field
    self.value = value
  }

  public var description: String {
    "step \(step): \(field.rawValue) = \(value) is not a finite number ≥ 0; the controller state is unchanged"
  }

  // Hashable by bit pattern so that a NaN value compares equal to itself in tests.
  public static func == (a: InputError, b: InputError) -> Bool {
    a.step == b.step && a.field == b.field && a.value.bitPattern == b.value.bitPattern
  }
  public func hash(into h: inout Hasher) {
    h.combine(step)
    h.combine(field)
    h.combine(value.bitPattern)
  }
}
