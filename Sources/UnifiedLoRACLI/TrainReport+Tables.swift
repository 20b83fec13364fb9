import Foundation
import UnifiedLoRA
import UnifiedLoRATrainer

extension TrainReport {
  /// The report's Tables 5.2 and 5.3 beside the same steps of our unified and baseline arms.
  func reportTables() -> String {
    var s =
      "\nThe report's Tables 5.2 and 5.3 beside ours (training batch loss at the step; ours: median over seeds [min, max];\n"
    s += "mode: the controller's mode after the step in most seeds; lr: the rate used at the step):\n"
    let rep: [Int: (String, String, String, String)] = [
      200: ("18.42", "S→Multi", "↓", "9.28"), 225: ("2.56", "Multi", "5e-4", "1.89"),
      250: ("0.0015", "Multi", "5e-4", "3.43"),
      275: ("0.0010", "Mirror", "1e-4", "–"), 300: ("–", "–", "–", "13.09"),
      350: ("0.0004", "Single", "2e-3", "3.70"),
    ]
    let w = [6, 8, 9, 6, 9, 22, 8, 8, 22]
    s += row(
      ["step", "report", "rep mode", "rep lr", "rep base", "ours unified", "mode", "lr", "ours fixed:5e-4"],
      widths: w)
    for x in summary.tableSteps {
      let r = rep[x.step]!
      s += row(
        [
          "\(x.step)", r.0, r.1, r.2, r.3, medianRange(x.unified), x.unifiedMode.map { "\($0)" } ?? "–",
          x.unifiedLR.map(fmtLR) ?? "–", medianRange(x.baseline),
        ], widths: w)
    }
    return s
  }

  func perArm() -> String {
    var s = "\nPer arm (mean over seeds, bootstrap 95% CI in brackets):\n"
    let aw = [16, 24, 24, 10, 12]
    s += row(["arm", "test exact match", "final val loss", "switches", "Mirror seeds"], widths: aw)
    for a in summary.arms {
      s += row(
        [
          a.arm, ci(a.testExactMatch, 3), ci(a.finalValLoss, 4), fmt(a.switches.mean, 1),
          "\(a.mirrorSeeds)/\(seeds.count)",
        ], widths: aw)
    }
    return s
  }

  func shockTables() -> String {
    var s = ""
    let windows = summary.arms.first?.shocks ?? []
    for (k, win) in windows.enumerated() {
      s +=
        "\nShock [\(win.start),\(win.end)): batch-loss spike (first 5 shocked steps), loss late in the shock (last 10),\n"
      s +=
        "overshoot (peak clean val loss after it), recovery steps to the common level (censored at the stretch: not recovered):\n"
      let sw = [16, 22, 22, 22, 22, 10]
      s += row(["arm", "spike", "late in shock", "overshoot", "recovery steps", "recovered"], widths: sw)
      for a in summary.arms {
        let x = a.shocks[k]
        s += row(
          [
            a.arm, ci(x.spike, 3), ci(x.lateShockLoss, 4), ci(x.overshoot, 3), ci(x.recoverySteps, 1),
            "\(x.recovered)/\(seeds.count)",
          ], widths: sw)
      }
    }
    return s
  }

  func pairedTable() -> String {
    guard arms.contains(baseline) else { return "" }
    var s =
      "\nPaired differences against the report's baseline fixed:5e-4 (arm − baseline, same seed; mean [bootstrap 95% CI]):\n"
    let qs = TrainSummary.quantities(shocks: summary.arms.first?.shocks.count ?? 0)
    let pw = [16] + Array(repeating: 26, count: qs.count)
    s += row(["arm"] + qs.map(\.description), widths: pw)
    for a in summary.arms where a.arm != baseline {
      s += row(
        [a.arm]
          + qs.map { q in
            a.pairedVsBaseline.first { $0.quantity == q }.map { ci($0.difference, q.digits) } ?? "–"
          }, widths: pw)
    }
    return s
  }

  /// How a verdict reads for each kind of claim.
  static let phrases: [TrainSummary.Claim.Kind: [TrainSummary.Claim.Verdict: String]] = [
    .reachesMirror: [.reproduced: "reproduced", .contradicted: "not reproduced", .notShown: "undecided"],
    .smallerOvershoot: [
      .reproduced: "reproduced (lower than the baseline)",
      .contradicted: "contradicted (higher than the baseline)",
      .notShown: "not shown (CI includes 0)",
    ],
    .fasterRecovery: [
      .reproduced: "reproduced (faster)", .contradicted: "contradicted (slower)",
      .notShown: "not shown (CI includes 0)",
    ],
  ]

  /// The report's empirical claims, each with its verdict and confidence interval.
  func verdicts() -> String {
    var s = "\nThe report's claims, tested (95% CIs over seeds):\n"
    for claim in summary.claims {
      let e = claim.estimate
      let v = TrainReport.phrases[claim.kind]?[claim.verdict] ?? claim.verdict.rawValue
      let shock = "after shock #\((claim.shock ?? 0) + 1)"
      switch claim.kind {
      case .reachesMirror:
        s +=
          "  \(claim.arm): reaches Mirror under the shocks — in \(fmt(e.mean * 100, 0))% of seeds \(ciOnly(e, 2)): \(v)\n"
      case .smallerOvershoot:
        s += "  \(claim.arm): smaller post-shock overshoot than fixed:5e-4 \(shock) — Δ \(ci(e, 3)): \(v)\n"
      case .fasterRecovery:
        s += "  \(claim.arm): recovers faster than fixed:5e-4 \(shock) — Δ steps \(ci(e, 1)): \(v)\n"
      }
    }
    return s
  }

  func predictionsTable() -> String {
    var s =
      "\nPre-registered predictions: the controller's switches over each later shock and the stretch after it, predicted\n"
    s +=
      "from the state at its start and the losses of the first shock at the same offsets (made, and printed to standard\n"
    s += "error, before the stretch ran), against what happened:\n"
    let pw = [16, 5, 12, 30, 30, 8, 8]
    s += row(
      ["arm", "seed", "stretch", "predicted switches", "observed switches", "Mirror?", "match"], widths: pw)
    func list(_ l: [SwitchPrediction.Switch]) -> String {
      l.isEmpty ? "none" : l.map { "\($0.step)→\($0.to)" }.joined(separator: " ")
    }
    for r in summary.runs {
      for p in r.predictions {
        let sameModes = p.predicted.map(\.to) == p.observed.map(\.to)
        s += row(
          [
            r.arm, "\(r.seed)", "\(p.stretch.lowerBound)…\(p.stretch.upperBound - 1)",
            list(p.predicted), list(p.observed),
            "\(p.predictedMirror ? "y" : "n")/\(p.observedMirror ? "y" : "n")", sameModes ? "modes" : "NO",
          ], widths: pw)
      }
    }
    let score = summary.predictionScore
    if score.total == 0 {
      s += "  no prediction (needs at least two shock windows)\n"
    } else {
      let err = score.switchStepError
      s +=
        "  mode sequence predicted in \(score.modesMatched)/\(score.total); Mirror (reached or not) in \(score.mirrorMatched)/\(score.total); switch-step error where the sequence matched: \(err.n == 0 ? "–" : ci(err, 1)) steps\n"
    }
    return s
  }

  func sharpnessTable() -> String {
    let points = summary.runs.flatMap { r in r.sharpness.map { (r, $0) } }
    guard !points.isEmpty else { return "" }
    var s =
      "\nAdam's preconditioned sharpness λ(P⁻¹H) of the clean loss vs its stability threshold 38/η (Lanczos; converged = measured residual ‖My − θy‖/|θ| ≤ 0.01; unconverged: no value):\n"
    let w = [16, 5, 6, 7, 10, 12, 10, 8, 22]
    s += row(["arm", "seed", "step", "mode", "lr", "λ", "38/η", "η·λ/38", "converged"], widths: w)
    var unconverged = 0
    for (r, k) in points {
      if !k.estimate.converged { unconverged += 1 }
      s += row(
        [
          r.arm, "\(r.seed)", "\(k.step)", k.mode.description, fmtLR(k.lr),
          k.estimate.lambdaMax.map { fmt($0, 1) } ?? "–", fmt(k.threshold, 0),
          k.estimate.lambdaMax.map { fmt($0 / k.threshold, 3) } ?? "–",
          k.estimate.converged
            ? "yes (\(k.estimate.iterations))" : "NO (residual \(fmt(k.estimate.residual, 3)))",
        ],
        widths: w)
    }
    s += "  \(unconverged)/\(points.count) measurements did not converge within the limit\n"
    return s
  }
}
