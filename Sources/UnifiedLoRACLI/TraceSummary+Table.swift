import Foundation
import UnifiedLoRA

extension TraceSummary {
  /// The readable account `simulate --format summary` prints.
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
    for m in modesNeverReached {
      let why =
        m == .mirror
        ? " (peak phi \(f(peakPhi)), theta1 \(p.theta1))"
        : m == .multi ? " (theta0 \(p.theta0))" : ""
      out += "\(m) never reached\(why).\n"
    }
    return out
  }
}
