import UnifiedLoRA

/// A fixed point `(Ê*, φ*)` of the `(Ê, φ)` map for a constant input, and its mode.
public struct FixedPoint: Sendable, Hashable, Codable {
  /// `Ê*`.
  public var ehat: Double
  /// `φ*`.
  public var phi: Double
  /// `classify(φ*)`: the mode the controller keeps once it has settled (T08).
  public var mode: Mode
}

extension Parameters {
  /// The fixed point for the constant input `u`, in closed form (T03).
  ///
  /// ```
  /// report: Ê* = X = α_E·E + (1 − α_E)·L/(1 + L),   φ* = X/(1 + X)
  /// repo:   Ê* = L,                                 φ* = L/(1 + L)
  /// ```
  ///
  /// It is unique and globally exponentially stable with rate `max(β, 1 − α)` (T03, T04): the map
  /// is lower-triangular, `Ê` converges on its own (`Ê_t = X + βᵗ(Ê_0 − X)`) and `φ` follows.
  /// The mode is `classify(φ*)`; once `φ` has settled the mode follows after at most the cooldown.
  ///
  /// - Precondition: `u` is valid (finite, ≥ 0); not checked here.
  /// - Complexity: O(1).
  public func fixedPoint(_ u: ConstantInput) -> FixedPoint {
    let (x, phi) = restingPoint(loss: u.loss, env: u.env)
    return FixedPoint(ehat: x, phi: phi, mode: Mode.classify(phi, theta0: theta0, theta1: theta1))
  }

  /// The fixed point found numerically, independently of the closed form: GSL's hybrid Powell
  /// solver (``MultiRoot``) on `F(x) = step(x) − x`, where `step` is the core's one step
  /// (`Parameters.advance`) on `(Ê, φ)` (T03).
  ///
  /// The solver starts from the state reached after `min(10 000, ⌈8/(1 − ρ)⌉)` core steps from
  /// `start` (ρ = max(β, 1 − α)): close to the root, so that the finite-difference Jacobian is
  /// well scaled and a trial step cannot leave the domain `Ê > −1`.
  ///
  /// The unknown `Ê` is written `Ê = expm1(y)`, a smooth bijection of ℝ onto `(−1, ∞)`, the
  /// domain of the step (`x/(1 + x)` has a pole at −1): no trial step of the solver can leave
  /// it, and the root is unchanged.
  ///
  /// - Parameter start: where the iteration starts (default: the parameters' initial state).
  /// - Throws: ``AnalysisError/gsl(_:)`` when GSL fails or does not converge, for example when
  ///   the solver wanders to `Ê ≤ −1` where the step divides by zero.
  public func fixedPointNumerically(_ u: ConstantInput, start: ControllerState? = nil)
    throws(AnalysisError) -> FixedPoint
  {
    let rho = max(beta, 1 - alpha)
    let warmUp = rho < 1 - 8.0 / 10_000 ? Int((8 / (1 - rho)).rounded(.up)) : 10_000
    let s0 = run(start ?? initial, u, count: warmUp)
    let x: [Double]
    do {
      x = try MultiRoot.solve(from: [logOnePlus(s0.ehat), s0.phi]) { v in
        let ehat = expMinusOne(v[0])
        let s = ControllerState(ehat: ehat, phi: v[1], mode: .single, lastSwitch: nil)
        let t = self.next(s, u, at: 0)
        return [t.ehat - ehat, t.phi - v[1]]
      }
    } catch { throw .gsl(error) }
    return FixedPoint(
      ehat: expMinusOne(x[0]), phi: x[1], mode: Mode.classify(x[1], theta0: theta0, theta1: theta1))
  }
}
