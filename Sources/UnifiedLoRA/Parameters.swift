/// A validated parameter set for one variant of the controller (SPEC §2, §3, §4).
///
/// Every field is checked when the value is built, so a `Parameters` value in hand is always
/// inside the domain on which the equations are defined:
///
/// | field | domain | report default | repo default |
/// |---|---|---|---|
/// | `alpha` (α) | (0, 1] | 0.1 | 0.1 |
/// | `beta` (β) | [0, 1) | 0.9 | 0.9 |
/// | `alphaE` (α_E) | [0, 1] | 0.5 | — (no external stress) |
/// | `theta0`, `theta1` | 0 < θ0 < θ1 < 1 | 0.3, 0.7 | 0.3, 0.7 |
/// | `cooldown` (N_s) | ≥ 0 | 30 | — (no cooldown) |
/// | `learningRates` | finite, > 0 | 2e-3, 5e-4, 1e-4 | 5e-5, 3e-5, 1e-5 |
/// | `initial` | Ê finite ≥ 0, φ ∈ [0, 1] | (0, 0, Single, −∞) | (1, 0.5, Multi, −∞) |
public struct Parameters: Sendable, Hashable, Codable {
  public let variant: Variant
  /// α, the responsiveness of φ.
  public let alpha: Double
  /// β, the smoothing factor of Ê.
  public let beta: Double
  /// α_E, the weight of the external stress (report variant; 0 in the repo variant).
  public let alphaE: Double
  /// θ0, the threshold to leave Single.
  public let theta0: Double
  /// θ1, the threshold to enter Mirror.
  public let theta1: Double
  /// N_s, the cooldown in steps (report variant; 0 in the repo variant).
  public let cooldown: Int
  public let learningRates: LearningRates
  /// The state before the first step.
  public let initial: ControllerState

  /// Builds and validates a parameter set. Omitted values take the variant's defaults.
  ///
  /// - Throws: ``ParameterError`` naming the first invalid field and its value. The repo variant
  ///   rejects a non-zero `alphaE` or `cooldown`, which the published implementation does not have.
  public init(
    variant: Variant = .report,
    alpha: Double? = nil, beta: Double? = nil, alphaE: Double? = nil,
    theta0: Double? = nil, theta1: Double? = nil, cooldown: Int? = nil,
    learningRates: LearningRates? = nil, initial: ControllerState? = nil
  ) throws(ParameterError) {
    let d = variant == .report ? Parameters.report : Parameters.repo
    let alpha = alpha ?? d.alpha
    let beta = beta ?? d.beta
    let alphaE = alphaE ?? d.alphaE
    let theta0 = theta0 ?? d.theta0
    let theta1 = theta1 ?? d.theta1
    let cooldown = cooldown ?? d.cooldown
    guard alpha > 0, alpha <= 1 else {
      throw ParameterError(field: .alpha, value: alpha, requirement: "a number in (0, 1]")
    }
    guard beta >= 0, beta < 1 else {
      throw ParameterError(field: .beta, value: beta, requirement: "a number in [0, 1)")
    }
    guard alphaE >= 0, alphaE <= 1 else {
      throw ParameterError(field: .alphaE, value: alphaE, requirement: "a number in [0, 1]")
    }
    guard theta0 > 0, theta0 < 1 else {
      throw ParameterError(field: .theta0, value: theta0, requirement: "a number in (0, 1)")
    }
    guard theta1 > 0, theta1 < 1 else {
      throw ParameterError(field: .theta1, value: theta1, requirement: "a number in (0, 1)")
    }
    guard theta0 < theta1 else {
      throw ParameterError(
        field: .theta0, value: theta0, requirement: "a number below theta1 = \(theta1)")
    }
    guard cooldown >= 0 else {
      throw ParameterError(field: .cooldown, value: String(cooldown), requirement: "an integer ≥ 0")
    }
    if variant == .repo {
      guard alphaE == 0 else {
        throw ParameterError(
          field: .alphaE, value: alphaE,
          requirement: "0: the repo variant has no external stress")
      }
      guard cooldown == 0 else {
        throw ParameterError(
          field: .cooldown, value: String(cooldown), requirement: "0: the repo variant has no cooldown")
      }
    }
    let initial = initial ?? d.initial
    try initial.validate()
    self.init(
      unchecked: variant, alpha, beta, alphaE, theta0, theta1, cooldown,
      learningRates ?? d.learningRates, initial)
  }

  init(
    unchecked variant: Variant, _ alpha: Double, _ beta: Double, _ alphaE: Double,
    _ theta0: Double, _ theta1: Double, _ cooldown: Int, _ rates: LearningRates,
    _ initial: ControllerState
  ) {
    self.variant = variant
    self.alpha = alpha
    self.beta = beta
    self.alphaE = alphaE
    self.theta0 = theta0
    self.theta1 = theta1
    self.cooldown = cooldown
    self.learningRates = rates
    self.initial = initial
  }

  /// The report variant's defaults (SPEC §2).
  public static let report = Parameters(
    unchecked: .report, 0.1, 0.9, 0.5, 0.3, 0.7, 30, .report, .reportInitial)
  /// The published implementation's defaults (SPEC §3).
  public static let repo = Parameters(
    unchecked: .repo, 0.1, 0.9, 0, 0.3, 0.7, 0, .repo, .repoInitial)

  /// The defaults of a variant.
  public static func defaults(_ variant: Variant) -> Parameters {
    variant == .report ? .report : .repo
  }

  /// A copy with some fields replaced, validated again.
  public func with(
    alpha: Double? = nil, beta: Double? = nil, alphaE: Double? = nil,
    theta0: Double? = nil, theta1: Double? = nil, cooldown: Int? = nil,
    learningRates: LearningRates? = nil, initial: ControllerState? = nil
  ) throws(ParameterError) -> Parameters {
    try Parameters(
      variant: variant, alpha: alpha ?? self.alpha, beta: beta ?? self.beta,
      alphaE: alphaE ?? self.alphaE, theta0: theta0 ?? self.theta0, theta1: theta1 ?? self.theta1,
      cooldown: cooldown ?? self.cooldown, learningRates: learningRates ?? self.learningRates,
      initial: initial ?? self.initial)
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    let variant = try c.decodeIfPresent(Variant.self, forKey: .variant) ?? .report
    do {
      try self.init(
        variant: variant,
        alpha: c.decodeIfPresent(Double.self, forKey: .alpha),
        beta: c.decodeIfPresent(Double.self, forKey: .beta),
        alphaE: c.decodeIfPresent(Double.self, forKey: .alphaE),
        theta0: c.decodeIfPresent(Double.self, forKey: .theta0),
        theta1: c.decodeIfPresent(Double.self, forKey: .theta1),
        cooldown: c.decodeIfPresent(Int.self, forKey: .cooldown),
        learningRates: c.decodeIfPresent(LearningRates.self, forKey: .learningRates),
        initial: c.decodeIfPresent(ControllerState.self, forKey: .initial))
    } catch let error as ParameterError {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }
}
