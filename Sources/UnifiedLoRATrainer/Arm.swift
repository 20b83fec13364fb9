/// One learning-rate policy compared by the experiment. Every arm of a seed sees the same data
/// order, corruption, base and adapter initialisation; only the learning rate differs.
public enum Arm: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Unified-LoRA, report variant with the core ``UnifiedLoRA/Controller``, fed the training loss
  /// of each batch and the external stress from `env`.
  case unified(env: EnvironmentKind)
  /// A constant learning rate.
  case fixed(Double)
  /// ``PlateauScheduler`` on the clean validation loss at each evaluation.
  case plateau

  /// `unified`, `unified+signal`, `fixed:0.002`, `plateau`.
  public var description: String {
    switch self {
    case .unified(.none): "unified"
    case .unified(.signal): "unified+signal"
    case .fixed(let lr): "fixed:\(Arm.format(lr))"
    case .plateau: "plateau"
    }
  }

  static func format(_ lr: Double) -> String {
    for e in 1...9 {
      let m = lr * pow10(e)
      if m >= 1, m < 10, abs(m - m.rounded()) < 1e-9 { return "\(Int(m.rounded()))e-\(e)" }
    }
    return "\(lr)"
  }

  static func pow10(_ e: Int) -> Double {
    var x = 1.0
    for _ in 0..<e { x *= 10 }
    return x
  }

  /// Parses one arm: `unified` (its stress source comes from `env`), `unified+signal`,
  /// `fixed:LR` with a finite LR > 0, or `plateau`.
  public static func parse(_ text: String, env: EnvironmentKind = .none) throws(DataError) -> Arm {
    switch text {
    case "unified": return .unified(env: env)
    case "unified+signal": return .unified(env: .signal)
    case "plateau": return .plateau
    default:
      if text.hasPrefix("fixed:"), let lr = Double(text.dropFirst(6)), lr.isFinite, lr > 0 {
        return .fixed(lr)
      }
      throw DataError("invalid arm '\(text)': expected unified, unified+signal, fixed:LR (e.g. fixed:2e-3) or plateau")
    }
  }
}
