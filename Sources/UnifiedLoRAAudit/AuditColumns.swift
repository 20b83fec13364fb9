import UnifiedLoRAIO

/// Which columns of a run log hold the inputs and the run's own decisions.
///
/// A column given as `nil` takes its default name and is used when the log has it; a column named
/// explicitly must exist. In JSON Lines every name may be a key path (`metrics.loss:sum`).
public struct AuditColumns: Sendable, Hashable, Codable {
  public var format: LogSchema.Format
  /// The step column (default `step`; without one, steps are `0, 1, 2, …` by record).
  public var step: String
  public var stepRequired: Bool
  /// The loss column (always required; default `loss`).
  public var loss: String
  /// The external-stress column (default `env`; without one, `E ≡ 0`).
  public var env: String
  public var envRequired: Bool
  /// The decision columns: the mode (0/1/2 or Single/Multi/Mirror), the learning rate, φ and Ê.
  public var mode: String
  public var modeRequired: Bool
  public var lr: String
  public var lrRequired: Bool
  public var phi: String
  public var phiRequired: Bool
  public var ehat: String
  public var ehatRequired: Bool
  /// The longest line (CSV: record) in bytes; a longer one is an error naming its line.
  public var maxLineLength: Int = LogSchema.defaultMaxLineLength

  public init(
    format: LogSchema.Format = .csv, step: String? = nil, loss: String = "loss", env: String? = nil,
    mode: String? = nil, lr: String? = nil, phi: String? = nil, ehat: String? = nil
  ) {
    self.format = format
    self.step = step ?? "step"
    stepRequired = step != nil
    self.loss = loss
    self.env = env ?? "env"
    envRequired = env != nil
    self.mode = mode ?? "mode"
    modeRequired = mode != nil
    self.lr = lr ?? "lr"
    lrRequired = lr != nil
    self.phi = phi ?? "phi"
    phiRequired = phi != nil
    self.ehat = ehat ?? "ehat"
    ehatRequired = ehat != nil
  }

  /// Column names in the reader's order: step, loss, env, mode, lr, phi, ehat.
  var names: [String] { [step, loss, env, mode, lr, phi, ehat] }
  var required: [Bool] {
    [stepRequired, true, envRequired, modeRequired, lrRequired, phiRequired, ehatRequired]
  }
}
