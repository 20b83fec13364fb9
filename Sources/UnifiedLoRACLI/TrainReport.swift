import Foundation
import UnifiedLoRA
import UnifiedLoRATrainer

/// The `train` command's output for people: tables rendered from a ``TrainSummary`` (which
/// holds every number; `--format json` prints it as it is).
struct TrainReport {
  let summary: TrainSummary

  var configuration: TrainSummary.Configuration { summary.configuration }
  var arms: [String] { configuration.arms }
  var seeds: [UInt64] { configuration.seeds }
  var baseline: String { Arm.baseline.description }

  func table() -> String {
    let c = configuration
    var s = ""
    s += "\(summary.command)\n"
    s +=
      "seeds \(c.seeds.map(String.init).joined(separator: ","))  steps \(c.steps)  batch \(c.batchSize)  rank \(c.rank)  lora-alpha \(fmt(c.loraAlpha, 1))  targets \(c.targets.map(\.rawValue).joined(separator: ","))  optimizer \(c.optimizer.rawValue)\n"
    s +=
      "model: decoder-only transformer, \(c.model.layers) layers, d_model \(c.model.dModel), \(c.model.heads) heads, ffn \(c.model.ffn), vocabulary \(c.model.vocabulary)\n"
    s += "shocks \(c.shocks), kind \(c.shockKind.rawValue), fraction \(fmt(c.shockFraction, 2))\n"
    s +=
      "BLAS \(summary.blas.configuration) (1 thread per run, \(summary.blas.jobs) runs at a time)  elapsed \(fmt(summary.seconds, 1)) s\n"
    let pre = summary.pretraining
    let tasks = summary.pretrainingExactMatch.map { "\($0.task) \(fmt($0.mean, 3))" }
    let cached = pre.filter(\.fromCache).count
    s +=
      "base pretrained (exact match, mean over seeds): \(tasks.joined(separator: ", "))\(cached > 0 ? "; \(cached) of \(pre.count) bases from the cache" : "")\n"
    s +=
      "Pig Latin exact match of the frozen base before adaptation: \(fmt(summary.pigLatinBeforeAdaptation, 3))\n"
    let warm = summary.cleanAdaptationEstimates
    let schedule =
      c.warmFloor < 1
      ? "Adam from \(fmtLR(c.warmRate)) cosine-decayed to \(fmtLR(c.warmRate * c.warmFloor))"
      : "Adam at \(fmtLR(c.warmRate))"
    s +=
      "\nClean adaptation, shared by every arm (rank \(c.rank), \(c.warmSteps) steps of \(schedule), batch \(c.batchSize); mean [95% CI] over seeds):\n"
    s +=
      "  test exact match \(ci(warm.testExactMatch, 3)), clean val loss \(ci(warm.valLoss, 4)), batch loss (last 50) \(ci(warm.trainLossLast50, 4)), \(fmt(warm.seconds.mean, 1)) s per seed\n"
    s +=
      "  every run below starts at step 0 from this converged model; its policy and controller start fresh; common recovery level: max(2 × this val loss, 0.01) per seed\n"
    s += reportTables()
    s += perArm()
    s += shockTables()
    s += pairedTable()
    s += verdicts()
    s += predictionsTable()
    s += sharpnessTable()
    let k = summary.consistencyChecks
    s +=
      "\nConsistency checks of the logged controller states (not predictions — they hold for any loss sequence by construction):\n"
    s +=
      "  (a) \(k.switchesInside)/\(k.switches) switches inside the latency bracket of their window's own loss bounds\n"
    s += "  (b) \(k.steadyInside)/\(k.steady) clean stretches' φ inside the band of their own loss bounds\n"
    return s
  }
}

func fmt(_ x: Double, _ digits: Int = 4) -> String {
  guard x.isFinite else { return x.isNaN ? "–" : (x > 0 ? "∞" : "-∞") }
  return String(format: "%.\(digits)f", x)
}

func fmtLR(_ x: Double) -> String { String(format: "%.0e", x) }

func ci(_ m: Estimate, _ digits: Int) -> String {
  guard m.n > 0 else { return "–" }
  return "\(fmt(m.mean, digits)) [\(fmt(m.low, digits)), \(fmt(m.high, digits))]"
}

func ciOnly(_ m: Estimate, _ digits: Int) -> String {
  guard m.n > 0 else { return "–" }
  return "[\(fmt(m.low, digits)), \(fmt(m.high, digits))]"
}

/// A spread as `median [min, max]`, with 4 decimals below 0.1 and 2 above; `–` for none.
func medianRange(_ s: Spread?) -> String {
  guard let s else { return "–" }
  let d = s.median < 0.1 ? 4 : 2
  return "\(fmt(s.median, d)) [\(fmt(s.min, d)), \(fmt(s.max, d))]"
}

func row(_ cells: [String], widths: [Int]) -> String {
  var s = " "
  for (k, c) in cells.enumerated() {
    let w = k < widths.count ? widths[k] : 12
    s += " " + (c.count >= w ? c : c + String(repeating: " ", count: w - c.count))
  }
  while s.hasSuffix(" ") { s.removeLast() }
  return s + "\n"
}
