extension Parameters {
  /// The stress `X` that `Ê` converges to under a constant input (T03): the one home of this
  /// formula, evaluated with the core's own operations (``ContinuousUpdate``).
  ///
  /// ```
  /// report: X = α_E·E + (1 − α_E)·L/(1 + L)
  /// repo:   X = L            (Ê smooths the raw loss; E is ignored)
  /// ```
  ///
  /// - Precondition: `loss` and `env` finite and ≥ 0 (not checked).
  @inlinable
  public func stress(loss: Double, env: Double) -> Double {
    switch variant {
    case .report: ContinuousUpdate.stress(d: ContinuousUpdate.squash(loss), env: env, alphaE: alphaE)
    case .repo: loss
    }
  }

  /// The fixed point `(Ê*, φ*) = (X, X/(1 + X))` of a constant input (T03), both variants: the
  /// one home of this formula.
  @inlinable
  public func restingPoint(loss: Double, env: Double) -> (ehat: Double, phi: Double) {
    let x = stress(loss: loss, env: env)
    return (x, ContinuousUpdate.squash(x))
  }
}
