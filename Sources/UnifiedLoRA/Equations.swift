/// The report variant's equations (SPEC §2), one step, in binary64.
///
/// ```
/// D_t     = L_t / (1 + L_t)
/// X_t     = α_E·E_t + (1 − α_E)·D_t
/// Ê_{t+1} = β·Ê_t + (1 − β)·X_t
/// φ_{t+1} = (1 − α)·φ_t + α·(Ê_t / (1 + Ê_t))      -- the OLD Ê_t
/// c_t     = classify(φ_t)                            -- the OLD φ_t
/// M_{t+1} = c_t if t − s_t ≥ N_s and c_t ≠ M_t, else M_t;  s_{t+1} = t on a switch
/// ```
///
/// Each line is evaluated as written: one rounding per operation, no fused multiply-add, the
/// complements `1 − α`, `1 − β`, `1 − α_E` and `1 + x` formed at run time.
public enum ReportEquations {
  /// One step with no input check. The caller guarantees `loss` and `env` finite and ≥ 0 (or,
  /// for ``InputPolicy/saturate``, passes `squashedLoss = 1`).
  ///
  /// - Parameters:
  ///   - squashedLoss: `D_t`, when the caller has it already (`nil`: computed from `loss`).
  /// - Complexity: O(1), a handful of floating-point operations.
  @inlinable @inline(__always)
  public static func step(
    _ s: ControllerState, loss: Double, env: Double, at t: Int, _ p: Parameters,
    squashedLoss: Double? = nil
  ) -> ControllerState {
    let d = squashedLoss ?? ContinuousUpdate.squash(loss)
    let (ehat, phi) = ContinuousUpdate.report(
      ehat: s.ehat, phi: s.phi, d: d, env: env, alpha: p.alpha, beta: p.beta, alphaE: p.alphaE)
    let candidate = Mode.classify(s.phi, theta0: p.theta0, theta1: p.theta1)
    var next = ControllerState(ehat: ehat, phi: phi, mode: s.mode, lastSwitch: s.lastSwitch)
    if candidate != s.mode && cooldownElapsed(at: t, since: s.lastSwitch, cooldown: p.cooldown) {
      next.mode = candidate
      next.lastSwitch = t
    }
    return next
  }

  /// `t − s ≥ N_s`, with `s = nil` standing for `−∞` and no integer overflow.
  @inlinable
  public static func cooldownElapsed(at t: Int, since s: Int?, cooldown: Int) -> Bool {
    guard let s else { return true }
    let (gap, overflow) = t.subtractingReportingOverflow(s)
    if overflow { return t > s }
    return gap >= cooldown
  }
}

/// The published `controller.py`'s equations (SPEC §3), one step, in binary64.
///
/// ```
/// Ê ← β·Ê + (1 − β)·L        -- the raw loss is smoothed first
/// D ← Ê / (1 + Ê)
/// φ ← (1 − α)·φ + α·D        -- the NEW Ê
/// M ← classify(φ)            -- the NEW φ, no cooldown
/// ```
public enum RepoEquations {
  /// One step with no input check. The caller guarantees `loss` finite and ≥ 0.
  ///
  /// `s` records the step of the last mode change (the published file does not keep it; it is
  /// kept here so that the cooldown claim C2 can be checked on both variants).
  @inlinable @inline(__always)
  public static func step(_ s: ControllerState, loss: Double, at t: Int, _ p: Parameters)
    -> ControllerState
  {
    let (ehat, phi) = ContinuousUpdate.repo(
      ehat: s.ehat, phi: s.phi, loss: loss, alpha: p.alpha, beta: p.beta)
    return finish(s, ehat: ehat, phi: phi, at: t, p)
  }

  /// The step with `D = 1` and `Ê` untouched: ``InputPolicy/saturate`` for an invalid loss.
  @inlinable
  public static func saturatedStep(_ s: ControllerState, at t: Int, _ p: Parameters)
    -> ControllerState
  {
    finish(s, ehat: s.ehat, phi: ContinuousUpdate.repoPhi(phi: s.phi, d: 1, alpha: p.alpha), at: t, p)
  }

  @inlinable
  static func finish(_ s: ControllerState, ehat: Double, phi: Double, at t: Int, _ p: Parameters)
    -> ControllerState
  {
    let mode = Mode.classify(phi, theta0: p.theta0, theta1: p.theta1)
    return ControllerState(
      ehat: ehat, phi: phi, mode: mode, lastSwitch: mode == s.mode ? s.lastSwitch : t)
  }
}

extension Parameters {
  /// One unchecked step of this parameter set's variant (the one implementation every part of
  /// the toolkit calls). The caller guarantees the input is valid (``Input/invalidField`` is nil).
  @inlinable @inline(__always)
  public func advance(_ s: ControllerState, _ input: Input) -> ControllerState {
    switch variant {
    case .report: ReportEquations.step(s, loss: input.loss, env: input.env, at: input.step, self)
    case .repo: RepoEquations.step(s, loss: input.loss, at: input.step, self)
    }
  }

  /// One checked step: validates the input, then applies ``advance(_:_:)`` or the policy.
  ///
  /// - Returns: the next state, or `nil` when the policy is ``InputPolicy/skip`` and the input
  ///   was invalid (the caller keeps its state).
  /// - Throws: ``InputError`` naming the step, the field and the value (policy `reject`, or an
  ///   invalid env under `saturate`). The state is never modified: it is a value.
  @inlinable
  public func step(_ s: ControllerState, _ input: Input, policy: InputPolicy = .reject)
    throws(InputError) -> ControllerState?
  {
    guard let field = input.invalidField else { return advance(s, input) }
    let value = field == .loss ? input.loss : input.env
    switch policy {
    case .reject:
      throw InputError(step: input.step, field: field, value: value)
    case .skip:
      return nil
    case .saturate:
      guard field == .loss else { throw InputError(step: input.step, field: field, value: value) }
      if variant == .report {
        // The loss is invalid; the env may still be invalid too.
        guard input.env >= 0, input.env.isFinite else {
          throw InputError(step: input.step, field: .env, value: input.env)
        }
        return ReportEquations.step(
          s, loss: input.loss, env: input.env, at: input.step, self, squashedLoss: 1)
      }
      return RepoEquations.saturatedStep(s, at: input.step, self)
    }
  }
}
