import UnifiedLoRA

/// Which values φ and the mode read in one step: the update order.
///
/// The report variant (SPEC §2) updates φ from the OLD Ê and takes the mode from the OLD φ; the
/// published `controller.py` (SPEC §3) reads the NEW values in both places. An implementation that
/// mixes the two is off by one step in φ, in the mode, or in both — a frequent slip, and one an
/// audit must be able to name.
public struct UpdateOrder: Sendable, Hashable, Codable, CustomStringConvertible {
  /// `φ_{t+1} = (1 − α)·φ_t + α·g(Ê_{t+1})` instead of `g(Ê_t)`.
  public var phiReadsNewEhat: Bool
  /// `c = classify(φ_{t+1})` instead of `classify(φ_t)`.
  public var modeReadsNewPhi: Bool

  public init(phiReadsNewEhat: Bool, modeReadsNewPhi: Bool) {
    self.phiReadsNewEhat = phiReadsNewEhat
    self.modeReadsNewPhi = modeReadsNewPhi
  }

  /// The order each variant's equations are written in.
  public static func reference(_ variant: Variant) -> UpdateOrder {
    variant == .report
      ? UpdateOrder(phiReadsNewEhat: false, modeReadsNewPhi: false)
      : UpdateOrder(phiReadsNewEhat: true, modeReadsNewPhi: true)
  }

  public static let all: [UpdateOrder] = [false, true].flatMap { a in
    [false, true].map { b in UpdateOrder(phiReadsNewEhat: a, modeReadsNewPhi: b) }
  }

  public var description: String {
    "phi from \(phiReadsNewEhat ? "new" : "old") ehat, mode from \(modeReadsNewPhi ? "new" : "old") phi"
  }
}

/// A controller to replay a log with: a parameter set, plus the deviations from its variant's
/// equations that an audit tries (update order, swapped thresholds).
///
/// With the reference order and unswapped thresholds, ``step(_:_:)`` is exactly
/// ``Parameters/advance(_:_:)``. Otherwise the step is composed from the core's own pure functions,
/// never restated:
///
/// ```
/// Ê'  = advance(s, input).ehat                           -- the variant's own Ê line
/// φ'  = φ-line(φ_t, reads new ? Ê' : Ê_t)                -- the core's φ line, fed the chosen Ê
/// c   = Mode.classify(reads new ? φ' : φ_t, θ0, θ1)      -- θ1, θ0 when swapped
/// M'  = c if c ≠ M_t and ReportEquations.cooldownElapsed(t, s_t, N_s), else M_t
/// ```
///
/// The φ line is evaluated by ``ReportEquations/step(_:loss:env:at:_:squashedLoss:)`` on a state
/// whose `Ê` is the chosen value: its φ output is `(1 − α)·φ_t + α·(Ê/(1 + Ê))`, the same
/// operations in the same order as the repo variant's `D = Ê/(1+Ê); φ = (1−α)·φ + α·D`.
public struct UpdateRule: Sendable, Hashable, Codable {
  public var parameters: Parameters
  public var order: UpdateOrder
  /// The mode reads `classify(φ, θ0: θ1, θ1: θ0)`: below θ1 Single, at or above it Mirror, Multi
  /// never (a `Parameters` value cannot hold θ0 > θ1, so the swap is a rule, not a parameter).
  public var swappedThresholds: Bool

  public init(_ parameters: Parameters, order: UpdateOrder? = nil, swappedThresholds: Bool = false) {
    self.parameters = parameters
    self.order = order ?? .reference(parameters.variant)
    self.swappedThresholds = swappedThresholds
  }

  /// Whether this is the variant's own step.
  public var isReference: Bool {
    order == .reference(parameters.variant) && !swappedThresholds
  }

  /// `(1 − α)·φ + α·(Ê/(1 + Ê))`, by the core's φ line.
  @inlinable
  public static func phiLine(phi: Double, ehat: Double, _ p: Parameters) -> Double {
    ReportEquations.step(
      ControllerState(ehat: ehat, phi: phi, mode: .single), loss: 0, env: 0, at: 0, p
    ).phi
  }

  /// One unchecked step (the input must be valid).
  public func step(_ s: ControllerState, _ input: Input) -> ControllerState {
    isReference ? parameters.advance(s, input) : composedStep(s, input)
  }

  /// The composed form of the step, used for every deviation; for the reference order it agrees
  /// with ``Parameters/advance(_:_:)`` bit for bit (a test checks this for both variants).
  public func composedStep(_ s: ControllerState, _ input: Input) -> ControllerState {
    let p = parameters
    let reference = p.advance(s, input)
    let phi = UpdateRule.phiLine(phi: s.phi, ehat: order.phiReadsNewEhat ? reference.ehat : s.ehat, p)
    let read = order.modeReadsNewPhi ? phi : s.phi
    let candidate =
      swappedThresholds
      ? Mode.classify(read, theta0: p.theta1, theta1: p.theta0)
      : Mode.classify(read, theta0: p.theta0, theta1: p.theta1)
    var next = ControllerState(ehat: reference.ehat, phi: phi, mode: s.mode, lastSwitch: s.lastSwitch)
    if candidate != s.mode
      && ReportEquations.cooldownElapsed(at: input.step, since: s.lastSwitch, cooldown: p.cooldown)
    {
      next.mode = candidate
      next.lastSwitch = input.step
    }
    return next
  }
}
