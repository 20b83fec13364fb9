import UnifiedLoRA

/// A constant input `(L, E)` held for every step of a regime (SPEC §6).
///
/// Valid values are finite and ≥ 0 (SPEC §4); ``validate()`` throws the core's ``InputError``
/// otherwise. The repo variant ignores `env`.
public struct ConstantInput: Sendable, Hashable, Codable, CustomStringConvertible {
  /// `L`, the training loss.
  public var loss: Double
  /// `E`, the external stress.
  public var env: Double

  public init(loss: Double, env: Double = 0) {
    self.loss = loss
    self.env = env
  }

  /// The input record of step `t`.
  @inlinable
  public func at(_ t: Int) -> Input { Input(step: t, loss: loss, env: env) }

  /// Throws the core's ``InputError`` (step 0) when `loss` or `env` is not finite and ≥ 0.
  public func validate() throws(InputError) {
    let record = at(0)
    if let field = record.invalidField {
      throw InputError(step: 0, field: field, value: field == .loss ? loss : env)
    }
  }

  public var description: String { "L = \(loss), E = \(env)" }
}

/// Why an analysis could not produce its number.
public enum AnalysisError: Error, Sendable, Hashable, CustomStringConvertible {
  /// GSL reported an error code or did not converge.
  case gsl(GSLError)
  /// An input of a regime is outside the domain of SPEC §4.
  case input(InputError)
  /// An iteration reached its step limit before a certificate decided the answer (a fixed point
  /// within rounding distance of a threshold, or an extremely slow contraction).
  case undecided(quantity: String, steps: Int)
  /// A regime's fixed point `φ*` lies within rounding distance of a threshold, so which mode the
  /// controller settles in is not decided by binary64 arithmetic (nor, at equality, by the
  /// report's strict/non-strict comparisons alone): the regime is named with its input.
  case onThreshold(regime: String, input: ConstantInput, phiStar: Double, threshold: String, value: Double)

  public var description: String {
    switch self {
    case .gsl(let e): e.description
    case .input(let e): e.description
    case .onThreshold(let regime, let u, let phi, let name, let value):
      "the \(regime) input \(u) puts the fixed point φ* = \(phi) on the threshold \(name) = \(value) (within rounding): the mode it settles in is not decided in binary64; move the input off the threshold (T08 gives the exact boundary)"
    case .undecided(let q, let n):
      "could not decide \(q) within \(n) updates (the iteration limit): the fixed point lies within rounding distance of a threshold, or the contraction is too slow (β or 1 − α within about 1e-6 of 1); move the input or the threshold away from the boundary, or choose α and β farther from the ends of their ranges"
    }
  }
}

/// `x/(1 + x)`: the core's squashing term (``ContinuousUpdate/squash(_:)``, its one home).
@inlinable
func squash(_ x: Double) -> Double { ContinuousUpdate.squash(x) }

/// `d/dx x/(1 + x) = 1/(1 + x)²`.
@inlinable
func squashDerivative(_ x: Double) -> Double { 1 / ((1 + x) * (1 + x)) }

extension Parameters {
  /// The stress level `X` that `Ê` converges to under a constant input (T03).
  ///
  /// ```
  /// report: X = α_E·E + (1 − α_E)·L/(1 + L)
  /// repo:   X = L            (Ê smooths the raw loss; E is ignored)
  /// ```
  ///
  /// The core's ``Parameters/stress(loss:env:)`` (the formula's one home) for `u`.
  @inlinable
  public func stressTarget(_ u: ConstantInput) -> Double { stress(loss: u.loss, env: u.env) }

  /// The state after one unchecked step of the core (`Parameters.advance`) with input `u` at step `t`.
  @inlinable
  func next(_ s: ControllerState, _ u: ConstantInput, at t: Int) -> ControllerState {
    advance(s, u.at(t))
  }

  /// The candidate modes `classify(φ)` for `φ` anywhere in `[lo, hi]`.
  func classes(_ lo: Double, _ hi: Double) -> Set<Mode> {
    var out: Set<Mode> = []
    if lo < theta0 { out.insert(.single) }
    if lo < theta1 && hi >= theta0 { out.insert(.multi) }
    if hi >= theta1 { out.insert(.mirror) }
    return out
  }
}
