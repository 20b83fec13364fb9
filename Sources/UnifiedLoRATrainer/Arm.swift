import Foundation

/// One learning-rate policy compared by the experiment. Every arm of a seed starts from the same
/// state at the branch step and sees the same batches and shocks; only the policy differs.
public enum Arm: Sendable, Hashable, Codable, CustomStringConvertible {
  /// Unified-LoRA, report variant with the core ``UnifiedLoRA/Controller``, fed the training loss
  /// of each batch and the external stress from `env`.
  case unified(env: EnvironmentKind)
  /// A constant learning rate (`fixed:5e-4` is the report's baseline).
  case fixed(Double)
  /// ``PlateauScheduler`` on the clean validation loss at each evaluation.
  case plateau
  /// A constant rate with the gradient's global norm clipped to 1.
  case clip(Double)
  /// A constant rate; a batch whose loss exceeds 4× the running mean of the accepted batches'
  /// losses (exponential, λ = 0.98) is skipped (no update).
  case skip(Double)
  /// Cosine decay from the rate at the branch step to 1 % of it at the last step (the shared
  /// phase before the branch is its warm-up).
  case cosine(Double)

  /// The report's baseline.
  public static let baseline = Arm.fixed(5e-4)

  public var description: String {
    switch self {
    case .unified(.none): "unified"
    case .unified(.signal): "unified+signal"
    case .fixed(let lr): "fixed:\(Arm.format(lr))"
    case .plateau: "plateau"
    case .clip(let lr): "clip:\(Arm.format(lr))"
    case .skip(let lr): "skip:\(Arm.format(lr))"
    case .cosine(let lr): "cosine:\(Arm.format(lr))"
    }
  }

  public var isUnified: Bool { if case .unified = self { true } else { false } }

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

  /// Parses one arm: `unified` (its stress source comes from `env`), `unified+signal`, `plateau`,
  /// or `fixed:LR`, `clip:LR`, `skip:LR`, `cosine:LR` with a finite LR in (0, 1].
  public static func parse(_ text: String, env: EnvironmentKind = .none) throws(DataError) -> Arm {
    switch text {
    case "unified": return .unified(env: env)
    case "unified+signal": return .unified(env: .signal)
    case "plateau": return .plateau
    default:
      let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
      if parts.count == 2, let lr = Double(parts[1]), lr.isFinite, lr > 0, lr <= 1 {
        switch parts[0] {
        case "fixed": return .fixed(lr)
        case "clip": return .clip(lr)
        case "skip": return .skip(lr)
        case "cosine": return .cosine(lr)
        default: break
        }
      }
      throw DataError(
        "invalid arm '\(text)': expected unified, unified+signal, plateau, or fixed:LR, clip:LR, skip:LR, cosine:LR with 0 < LR ≤ 1 (e.g. fixed:2e-3)"
      )
    }
  }
}

/// The arms named on a command line, `unified,fixed:5e-4,plateau`: `unified` stands for the
/// unified arms of the chosen stress sources (``arms(unified:)``), every other name for one arm.
public struct ArmSelection: Sendable, Hashable, CustomStringConvertible {
  public enum Item: Sendable, Hashable {
    case unified
    case arm(Arm)
  }
  public var items: [Item]

  /// The default experiment's arms.
  public static let standard = try! ArmSelection.parse(
    "unified,fixed:5e-4,fixed:2e-3,fixed:1e-4,plateau,clip:5e-4,skip:5e-4,cosine:2e-3")

  /// Parses comma-separated arm names (``Arm/parse(_:env:)``; `unified` is kept open).
  ///
  /// - Throws: ``DataError`` naming the first invalid arm, or for an empty list.
  public static func parse(_ text: String) throws(DataError) -> ArmSelection {
    var items: [Item] = []
    for part in text.split(separator: ",") {
      let name = part.trimmingCharacters(in: .whitespaces)
      let item: Item = name == "unified" ? .unified : .arm(try Arm.parse(name))
      if !items.contains(item) { items.append(item) }
    }
    guard !items.isEmpty else { throw DataError("invalid value arms = '\(text)': give at least one arm") }
    return ArmSelection(items: items)
  }

  /// The arms in order, `unified` expanded to one unified arm per stress source, duplicates
  /// dropped.
  public func arms(unified sources: [EnvironmentKind]) -> [Arm] {
    var out: [Arm] = []
    for item in items {
      let arms: [Arm] =
        switch item {
        case .unified: sources.map { .unified(env: $0) }
        case .arm(let a): [a]
        }
      for a in arms where !out.contains(a) { out.append(a) }
    }
    return out
  }

  public var description: String {
    items.map {
      switch $0 {
      case .unified: "unified"
      case .arm(let a): a.description
      }
    }.joined(separator: ",")
  }
}
