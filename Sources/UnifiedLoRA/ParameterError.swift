/// A parameter or initial value outside the domain of SPEC §4.
///
/// The description names the field, the value and what was expected, for example
/// `invalid parameter alpha = 1.5: expected a number in (0, 1]`.
public struct ParameterError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The parameter (`alpha`, `theta0`, `lr.multi`, `initial.phi`, …); the command line names it
  /// by its flag.
  public let field: ParameterID
  /// The offending value, printed as Swift prints it (shortest round-trip decimal).
  public let value: String
  /// What the field must be.
  public let requirement: String

  public init(field: ParameterID, value: Double, requirement: String) {
    self.init(field: field, value: value.description, requirement: requirement)
  }

  public init(field: ParameterID, value: String, requirement: String) {
    self.field = field
    self.value = value
    self.requirement = requirement
  }

  public var description: String { description(naming: field.rawValue) }

  /// The message with the parameter called `name` (the command line's flag for it).
  public func description(naming name: String) -> String {
    "invalid parameter \(name) = \(value): expected \(requirement)"
  }
}

/// A parameter that a ``ParameterError`` names: the controller's (``alpha``, ``lrMulti``,
/// ``initialPhi``, …) and its stress sources'. Its text is the parameter's name in messages
/// (`alpha-e`, `lr.multi`, `initial.phi`); a module with parameters of its own names them with
/// ``init(rawValue:)``.
public struct ParameterID: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
  public let rawValue: String
  public init(rawValue: String) { self.rawValue = rawValue }
  public var description: String { rawValue }

  public static let variant = ParameterID(rawValue: "variant")
  public static let alpha = ParameterID(rawValue: "alpha")
  public static let beta = ParameterID(rawValue: "beta")
  public static let alphaE = ParameterID(rawValue: "alpha-e")
  public static let theta0 = ParameterID(rawValue: "theta0")
  public static let theta1 = ParameterID(rawValue: "theta1")
  public static let cooldown = ParameterID(rawValue: "cooldown")
  public static let lrSingle = ParameterID(rawValue: "lr.single")
  public static let lrMulti = ParameterID(rawValue: "lr.multi")
  public static let lrMirror = ParameterID(rawValue: "lr.mirror")
  public static let initialEhat = ParameterID(rawValue: "initial.ehat")
  public static let initialPhi = ParameterID(rawValue: "initial.phi")
  public static let initialMode = ParameterID(rawValue: "initial-mode")
  /// The source of the external stress, and the options of the loss-jump source.
  public static let env = ParameterID(rawValue: "env")
  public static let lossJump = ParameterID(rawValue: "loss-jump")
  public static let lossJumpLambda = ParameterID(rawValue: "loss-jump.lambda")
  public static let lossJumpBaseline = ParameterID(rawValue: "loss-jump.baseline")
}
