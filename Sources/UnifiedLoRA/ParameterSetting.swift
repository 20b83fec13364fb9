/// One parameter of the controller set to a value: what a replayable command line states, as
/// data. The libraries return settings; the command line tool spells them as flags, in one place.
public enum ParameterSetting: Sendable, Hashable {
  case variant(Variant)
  case alpha(Double)
  case beta(Double)
  case alphaE(Double)
  case theta0(Double)
  case theta1(Double)
  case cooldown(Int)
  case learningRates(LearningRates)
  case initialEhat(Double)
  case initialPhi(Double)
  case initialMode(Mode)
}

extension Parameters {
  /// The settings that differ from the variant's defaults, in the order of the fields (variant,
  /// α, β, α_E, θ0, θ1, N_s, learning rates, initial Ê, φ, mode): applied to the variant's
  /// defaults they give back `self`.
  public var settingsDifferingFromDefaults: [ParameterSetting] {
    let d = Parameters.defaults(variant)
    var out: [ParameterSetting] = []
    if variant != .report { out.append(.variant(variant)) }
    if alpha != d.alpha { out.append(.alpha(alpha)) }
    if beta != d.beta { out.append(.beta(beta)) }
    if alphaE != d.alphaE { out.append(.alphaE(alphaE)) }
    if theta0 != d.theta0 { out.append(.theta0(theta0)) }
    if theta1 != d.theta1 { out.append(.theta1(theta1)) }
    if cooldown != d.cooldown { out.append(.cooldown(cooldown)) }
    if learningRates != d.learningRates { out.append(.learningRates(learningRates)) }
    if initial.ehat != d.initial.ehat { out.append(.initialEhat(initial.ehat)) }
    if initial.phi != d.initial.phi { out.append(.initialPhi(initial.phi)) }
    if initial.mode != d.initial.mode { out.append(.initialMode(initial.mode)) }
    return out
  }
}

/// A `simulate` run that replays a finding: the parameter settings on top of the report
/// variant's defaults, and the input records `(loss, env)`, steps `0, 1, 2, …`.
public struct SimulateReplay: Sendable, Hashable {
  public var settings: [ParameterSetting]
  public var losses: [Double]
  public var envs: [Double]

  /// - Precondition: `losses.count == envs.count`.
  public init(settings: [ParameterSetting], losses: [Double], envs: [Double]) {
    precondition(losses.count == envs.count, "one env per loss")
    self.settings = settings
    self.losses = losses
    self.envs = envs
  }
}

extension Double {
  /// The shortest decimal that round-trips, integers without a fraction (`7`, not `7.0`): how
  /// findings and replayed command lines write numbers.
  package var shortestDecimal: String {
    self == rounded() && Swift.abs(self) <= 0x1p53 ? String(Int64(self)) : description
  }
}
