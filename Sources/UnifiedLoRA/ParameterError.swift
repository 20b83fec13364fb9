/// A parameter or initial value outside the domain of SPEC §4.
///
/// The description names the field, the value and what was expected, for example
/// `invalid parameter alpha = 1.5: expected a number in (0, 1]`.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The parameter's name as the command line spells it (`alpha`, `theta0`, `lr.multi`, `initial.phi`, …).
  public let field: String
  /// The offending value, printed as Swift prints it (shortest round-trip decimal).
  public let value: String
  /// What the field must be.
  public let requirement: String

  public init(field: String, value: Double, requirement: String) {
    self.init(field: field, value: value.description, requirement: requirement)
  }

  public init(field: String, value: String, requirement: String) {
    self.field = field
    self.value = value
    self.requirement = requirement
  }

  public var description: String {
    "invalid parameter \(field) = \(value): expected \(requirement)"
  }
}
