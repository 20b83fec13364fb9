import Foundation
import UnifiedLoRA

/// A readable account of one replay, accumulated record by record in constant memory: the mode
/// switches with their steps, the records spent in each mode, the peak φ and the modes never
/// reached.
struct TraceSummary {
  /// At most this many switches are listed; the rest are counted.
  static let switchLimit = 50

  let parameters: Parameters
  private(set) var records = 0
  private(set) var firstStep = 0
  private(set) var lastStep = 0
  private(set) var inMode = [0, 0, 0]
  private(set) var switches: [(step: Int, from: Mode, to: Mode, phi: Double, lr: Double)] = []
  private(set) var switchCount = 0
  private(set) var peakPhi = -Double.infinity
  private(set) var peakStep = 0
  private(set) var positiveEnv = 0
  private(set) var peakEnv = 0.0
  private(set) var last: Record?

  init(parameters: Parameters) { self.parameters = parameters }

  mutating func add(_ r: Record) {
    if records == 0 { firstStep = r.step }
    records += 1
    lastStep = r.step
    inMode[r.mode.rawValue] += 1
    let previous = last?.mode ?? parameters.initial.mode
    if r.mode != previous {
      switchCount += 1
      if switches.count < TraceSummary.switchLimit {
        switches.append((r.step, previous, r.mode, r.phi, r.lr))
      }
    }
    if r.phi > peakPhi {
      peakPhi = r.phi
      peakStep = r.step
    }
    if r.env > 0 { positiveEnv += 1 }
    if r.env > peakEnv { peakEnv = r.env }
    last = r
  }

  func render(source: String) -> String {
    let p = parameters
    let f = Timeline.fixed
    var out =
      "replay of \(source): \(records) records, steps \(firstStep)…\(lastStep), variant \(p.variant)\n"
    out +=
      "alpha \(p.alpha)  beta \(p.beta)  alpha_E \(p.alphaE)  theta0 \(p.theta0)  theta1 \(p.theta1)  cooldown \(p.cooldown)  lr \(p.learningRates.single),\(p.learningRates.multi),\(p.learningRates.mirror)\n"
    out += "\nmode switches: \(switchCount)\n"
    for s in switches {
      out += "  step \(s.step): \(s.from) → \(s.to)  (phi \(f(s.phi)), lr \(s.lr))\n"
    }
    if switchCount > switches.count {
      out += "  … and \(switchCount - switches.count) more\n"
    }
    if switchCount == 0 { out += "  none: the controller stayed in \(p.initial.mode)\n" }
    out += "\ntime in each mode (records whose step left the controller in it):\n"
    for m in Mode.allCases {
      let n = inMode[m.rawValue]
      let share = records == 0 ? 0 : Double(n) * 100 / Double(records)
      let label = m.description + ":"
      out +=
        "  \(label.padded(8)) \(String(n).leftPadded(10)) records  \(String(format: "%.1f", share).leftPadded(6))%\n"
    }
    out += "\npeak phi \(f(peakPhi)) at step \(peakStep)  (theta0 \(p.theta0), theta1 \(p.theta1))\n"
    if positiveEnv > 0 {
      out += "E > 0 on \(positiveEnv) records, peak E \(f(peakEnv))\n"
    }
    if let last {
      out +=
        "final: \(last.mode), phi \(f(last.phi)), ehat \(f(last.ehat)), lr \(last.lr)\n"
    }
    let never = Mode.allCases.filter { inMode[$0.rawValue] == 0 && $0 != p.initial.mode }
    for m in never {
      let why =
        m == .mirror
        ? " (peak phi \(f(peakPhi)), theta1 \(p.theta1))"
        : m == .multi ? " (theta0 \(p.theta0))" : ""
      out += "\(m) never reached\(why).\n"
    }
    return out
  }
}
