/// One trace record: the state after consuming step `t`, and the learning rate for the next
/// optimizer step (SPEC §2): `(t, L_t, E_t, Ê_{t+1}, φ_{t+1}, M_{t+1}, η[M_{t+1}])`.
public struct Record: Sendable, Hashable, Codable {
  public var step: Int
  public var loss: Double
  public var env: Double
  public var ehat: Double
  public var phi: Double
  public var mode: Mode
  public var lr: Double

  public init(
    step: Int, loss: Double, env: Double, ehat: Double, phi: Double, mode: Mode, lr: Double
  ) {
    self.step = step
    self.loss = loss
    self.env = env
    self.ehat = ehat
    self.phi = phi
    self.mode = mode
    self.lr = lr
  }

  /// The record of `input` consumed into `state`.
  @inlinable
  public init(_ input: Input, _ state: ControllerState, _ rates: LearningRates) {
    self.init(
      step: input.step, loss: input.loss, env: input.env, ehat: state.ehat, phi: state.phi,
      mode: state.mode, lr: rates[state.mode])
  }

  /// The column names, in order, as every trace format prints them.
  public static let columns = ["step", "loss", "env", "ehat", "phi", "mode", "lr"]
}
