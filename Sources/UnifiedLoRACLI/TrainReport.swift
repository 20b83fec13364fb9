import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRATrainer

/// The `train` command's output: tables for people, a stable JSON summary, per-run CSV files.
struct TrainReport {
  let result: Experiment.Result
  let command: String
  let metrics: [RunMetrics]
  /// Per seed, the common recovery level: twice the clean validation loss of the converged model
  /// every arm of the seed starts from (at least 0.01).
  let reference: [UInt64: Double]
  let switchChecks: [(RunResult, [Checks.SwitchCheck])]
  let steadyChecks: [(RunResult, [Checks.SteadyCheck])]

  init(result: Experiment.Result, command: String) {
    self.result = result
    self.command = command
    let c = result.experiment.configuration
    var ref: [UInt64: Double] = [:]
    for (s, w) in result.warm { ref[s] = max(2 * w.validationLoss, 0.01) }
    reference = ref
    metrics = result.runs.map {
      RunMetrics(
        $0, shocks: c.shocks, initialMode: c.controller.initial.mode, reference: ref[$0.seed] ?? .infinity)
    }
    switchChecks = result.runs.map { ($0, Checks.switches($0, shocks: c.shocks, parameters: c.controller)) }
    steadyChecks = result.runs.map {
      ($0, Checks.steadyStates($0, shocks: c.shocks, parameters: c.controller))
    }
  }

  var arms: [Arm] { result.experiment.arms }
  var seeds: [UInt64] { result.experiment.seeds }

  func metric(_ arm: Arm, _ seed: UInt64) -> RunMetrics? {
    zip(result.runs, metrics).first { $0.0.arm == arm && $0.0.seed == seed }?.1
  }

  /// Per-seed values of `f` for `arm`, in seed order.
  func values(_ arm: Arm, _ f: (RunMetrics) -> Double?) -> [Double?] {
    seeds.map { s in metric(arm, s).flatMap(f) }
  }

  /// Per-seed paired differences `f(arm) − f(baseline)`.
  func paired(_ arm: Arm, _ f: (RunMetrics) -> Double?) -> Estimate? {
    guard arms.contains(Arm.baseline) else { return nil }
    return Estimate(
      seeds.map { s in
        guard let a = metric(arm, s).flatMap(f), let b = metric(Arm.baseline, s).flatMap(f) else {
          return nil
        }
        return a - b
      })
  }

  /// The quantities compared against the baseline, each per shock where it applies.
  var quantities: [(name: String, digits: Int, value: (RunMetrics) -> Double?)] {
    var q: [(String, Int, (RunMetrics) -> Double?)] = []
    for k in result.experiment.configuration.shocks.windows.indices {
      q.append(("overshoot #\(k + 1)", 3, { $0.shocks[k].overshoot }))
      // Censored at the stretch length when the level is never reached.
      q.append(
        (
          "recovery steps #\(k + 1)", 1,
          { m in m.shocks[k].recoverySteps.map(Double.init) ?? Double(m.shocks[k].stretch) }
        ))
    }
    q.append(("final test exact match", 3, { $0.testExactMatch }))
    q.append(("final val loss", 4, { $0.finalValidationLoss }))
    return q
  }

  // MARK: - Table

  func table() -> String {
    let e = result.experiment
    let c = e.configuration
    var s = ""
    s += "\(command)\n"
    s +=
      "seeds \(e.seeds.map(String.init).joined(separator: ","))  steps \(c.steps)  batch \(c.batchSize)  rank \(c.rank)  lora-alpha \(fmt(c.loraAlpha, 1))  targets \(c.targets.map(\.rawValue).joined(separator: ","))  optimizer \(c.optimizer.rawValue)\n"
    s +=
      "model: decoder-only transformer, \(c.shape.layers) layers, d_model \(c.shape.dModel), \(c.shape.heads) heads, ffn \(c.shape.ffn), vocabulary \(Encoding.vocabulary)\n"
    s += "shocks \(c.shocks.text), kind \(c.shock.kind.rawValue), fraction \(fmt(c.shock.fraction, 2))\n"
    s +=
      "BLAS \(BLAS.configuration) (1 thread per run, \(e.jobs) runs at a time)  elapsed \(fmt(result.seconds, 1)) s\n"
    let pre = e.seeds.compactMap { result.pretraining[$0] }
    let tasks = WordTask.pretraining.map { t in
      "\(t) \(fmt(pre.map { $0.exactMatch[t] ?? 0 }.reduce(0, +) / Double(max(pre.count, 1)), 3))"
    }
    s += "base pretrained (exact match, mean over seeds): \(tasks.joined(separator: ", "))\n"
    s +=
      "Pig Latin exact match of the frozen base before adaptation: \(fmt(pre.map(\.pigLatinBefore).reduce(0, +) / Double(max(pre.count, 1)), 3))\n"
    let warm = e.seeds.compactMap { result.warm[$0] }
    s +=
      "\nClean adaptation, shared by every arm (rank \(c.rank), \(c.warmSteps) steps of Adam at \(fmtLR(c.warmRate)), batch \(c.batchSize); mean [95% CI] over seeds):\n"
    s +=
      "  test exact match \(ci(Estimate(warm.map(\.testExactMatch)), 3)), clean val loss \(ci(Estimate(warm.map(\.validationLoss)), 4)), batch loss (last 50) \(ci(Estimate(warm.map(\.finalTrainLoss)), 4)), \(fmt(Estimate(warm.map(\.seconds)).mean, 1)) s per seed\n"
    s +=
      "  every run below starts at step 0 from this converged model; its policy and controller start fresh; common recovery level: max(2 × this val loss, 0.01) per seed\n"

    s +=
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
    let uni = Arm.unified(env: .none)
    for t in RunMetrics.tableSteps {
      let r = rep[t]!
      let u = values(uni, { $0.trainLossAt[t] })
      let b = values(Arm.baseline, { $0.trainLossAt[t] })
      let modes = seeds.compactMap { metric(uni, $0)?.modeAt[t] }
      let mode = Mode.allCases.max { a, b in modes.filter { $0 == a }.count < modes.filter { $0 == b }.count }
      let lrs = seeds.compactMap { metric(uni, $0)?.lrAt[t] }
      s += row(
        [
          "\(t)", r.0, r.1, r.2, r.3, medianRange(u), modes.isEmpty ? "–" : "\(mode!)",
          lrs.isEmpty ? "–" : fmtLR(median(lrs)), medianRange(b),
        ], widths: w)
    }

    s += "\nPer arm (mean over seeds, bootstrap 95% CI in brackets):\n"
    let aw = [16, 24, 24, 10, 12]
    s += row(["arm", "test exact match", "final val loss", "switches", "Mirror seeds"], widths: aw)
    for a in arms {
      let mirror = seeds.filter { metric(a, $0)?.reachedMirror == true }.count
      s += row(
        [
          a.description, ci(Estimate(values(a, { $0.testExactMatch })), 3),
          ci(Estimate(values(a, { $0.finalValidationLoss })), 4),
          fmt(Estimate(values(a, { Double($0.switches) })).mean, 1), "\(mirror)/\(seeds.count)",
        ], widths: aw)
    }
    for (k, win) in c.shocks.windows.enumerated() {
      s +=
        "\nShock [\(win.lowerBound),\(win.upperBound)): batch-loss spike (first 5 shocked steps), loss late in the shock (last 10),\n"
      s +=
        "overshoot (peak clean val loss after it), recovery steps to the common level (censored at the stretch: not recovered):\n"
      let sw = [16, 22, 22, 22, 22, 10]
      s += row(["arm", "spike", "late in shock", "overshoot", "recovery steps", "recovered"], widths: sw)
      for a in arms {
        let rec = seeds.filter { metric(a, $0)?.shocks[k].recoverySteps != nil }.count
        s += row(
          [
            a.description, ci(Estimate(values(a, { $0.shocks[k].spike })), 3),
            ci(Estimate(values(a, { $0.shocks[k].lateShockLoss })), 4),
            ci(Estimate(values(a, { $0.shocks[k].overshoot })), 3),
            ci(Estimate(values(a, quantities[2 * k + 1].value)), 1), "\(rec)/\(seeds.count)",
          ], widths: sw)
      }
    }

    if arms.contains(Arm.baseline) {
      s +=
        "\nPaired differences against the report's baseline fixed:5e-4 (arm − baseline, same seed; mean [bootstrap 95% CI]):\n"
      let qs = quantities
      let pw = [16] + Array(repeating: 26, count: qs.count)
      s += row(["arm"] + qs.map(\.name), widths: pw)
      for a in arms where a != Arm.baseline {
        s += row(
          [a.description] + qs.map { q in paired(a, q.value).map { ci($0, q.digits) } ?? "–" }, widths: pw)
      }
    }

    s += verdicts()
    s += predictionsTable()
    s += sharpnessTable()

    // Consistency checks: they compare the log with itself and cannot fail on any loss sequence.
    let sw = switchChecks.flatMap(\.1)
    let st = steadyChecks.flatMap(\.1)
    s +=
      "\nConsistency checks of the logged controller states (not predictions — they hold for any loss sequence by construction):\n"
    s +=
      "  (a) \(sw.filter(\.inside).count)/\(sw.count) switches inside the latency bracket of their window's own loss bounds\n"
    s +=
      "  (b) \(st.filter(\.inside).count)/\(st.count) clean stretches' φ inside the band of their own loss bounds\n"
    return s
  }

  /// The report's empirical claims, each tested with a confidence interval.
  func verdicts() -> String {
    var s = "\nThe report's claims, tested (95% CIs over seeds):\n"
    let c = result.experiment.configuration
    for a in arms where a.isUnified {
      let mirror = Estimate(values(a, { $0.reachedMirror ? 1 : 0 }))
      let verdict = mirror.above(0.5) ? "reproduced" : (mirror.below(0.5) ? "not reproduced" : "undecided")
      s +=
        "  \(a): reaches Mirror under the shocks — in \(fmt(mirror.mean * 100, 0))% of seeds \(ciOnly(mirror, 2)): \(verdict)\n"
      guard arms.contains(Arm.baseline) else { continue }
      for k in c.shocks.windows.indices {
        let d = paired(a, { $0.shocks[k].overshoot })!
        let v =
          d.below(0)
          ? "reproduced (lower than the baseline)"
          : (d.above(0) ? "contradicted (higher than the baseline)" : "not shown (CI includes 0)")
        s +=
          "  \(a): smaller post-shock overshoot than fixed:5e-4 after shock #\(k + 1) — Δ \(ci(d, 3)): \(v)\n"
        let r = paired(a, quantities[2 * k + 1].value)!
        let rv =
          r.below(0)
          ? "reproduced (faster)" : (r.above(0) ? "contradicted (slower)" : "not shown (CI includes 0)")
        s += "  \(a): recovers faster than fixed:5e-4 after shock #\(k + 1) — Δ steps \(ci(r, 1)): \(rv)\n"
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
    var total = 0
    var modesMatch = 0
    var mirrorMatch = 0
    var errors: [Double] = []
    for r in result.runs {
      for p in r.predictions {
        total += 1
        let sameModes = p.predicted.map(\.to) == p.observed.map(\.to)
        if sameModes {
          modesMatch += 1
          for (x, y) in zip(p.predicted, p.observed) { errors.append(Double(abs(x.step - y.step))) }
        }
        if p.predictedMirror == p.observedMirror { mirrorMatch += 1 }
        func list(_ l: [SwitchPrediction.Switch]) -> String {
          l.isEmpty ? "none" : l.map { "\($0.step)→\($0.to)" }.joined(separator: " ")
        }
        s += row(
          [
            r.arm.description, "\(r.seed)", "\(p.stretch.lowerBound)…\(p.stretch.upperBound - 1)",
            list(p.predicted), list(p.observed),
            "\(p.predictedMirror ? "y" : "n")/\(p.observedMirror ? "y" : "n")", sameModes ? "modes" : "NO",
          ], widths: pw)
      }
    }
    if total == 0 {
      s += "  no prediction (needs at least two shock windows)\n"
    } else {
      let err = Estimate(errors)
      s +=
        "  mode sequence predicted in \(modesMatch)/\(total); Mirror (reached or not) in \(mirrorMatch)/\(total); switch-step error where the sequence matched: \(errors.isEmpty ? "–" : ci(err, 1)) steps\n"
    }
    return s
  }

  func sharpnessTable() -> String {
    let points = result.runs.flatMap { r in r.sharpness.map { (r, $0) } }
    guard !points.isEmpty else { return "" }
    var s =
      "\nAdam's preconditioned sharpness λ(P⁻¹H) of the clean loss vs its stability threshold 38/η (power iteration, converged = relative change < 1e-3 three times):\n"
    let w = [16, 5, 6, 7, 10, 12, 10, 8, 10]
    s += row(["arm", "seed", "step", "mode", "lr", "λ", "38/η", "η·λ/38", "converged"], widths: w)
    var unconverged = 0
    for (r, k) in points {
      if !k.estimate.converged { unconverged += 1 }
      s += row(
        [
          r.arm.description, "\(r.seed)", "\(k.step)", k.mode.description, fmtLR(k.lr),
          fmt(k.estimate.lambdaMax, 1), fmt(k.threshold, 0),
          fmt(k.estimate.lambdaMax / k.threshold, 3),
          k.estimate.converged
            ? "yes (\(k.estimate.iterations))" : "NO (\(fmt(k.estimate.relativeChange, 4)))",
        ],
        widths: w)
    }
    s += "  \(unconverged)/\(points.count) power iterations did not converge within the limit\n"
    return s
  }

  // MARK: - JSON

  func json() -> String {
    let data =
      (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.prettyPrinted, .sortedKeys]))
      ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  func jsonObject() -> [String: Any] {
    let e = result.experiment
    let c = e.configuration
    func est(_ m: Estimate) -> Any {
      func n(_ x: Double) -> Any { x.isFinite ? x : NSNull() }
      return ["mean": n(m.mean), "ci_low": n(m.low), "ci_high": n(m.high), "n": m.n] as [String: Any]
    }
    func opt(_ x: Double?) -> Any { x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
    func optInt(_ x: Int?) -> Any { x.map { $0 as Any } ?? NSNull() }
    let p = c.controller
    var out: [String: Any] = [:]
    out["command"] = command
    out["version"] = UnifiedLoRACommandVersion.value
    out["seconds"] = result.seconds
    out["blas"] = [
      "config": BLAS.configuration, "sgemm_provider": BLAS.sgemmProvider, "threads_per_run": 1,
      "jobs": e.jobs,
    ]
    out["configuration"] =
      [
        "arms": e.arms.map(\.description), "seeds": e.seeds.map { Int($0) }, "steps": c.steps,
        "batch_size": c.batchSize,
        "rank": c.rank, "lora_alpha": c.loraAlpha, "targets": c.targets.map(\.rawValue),
        "optimizer": c.optimizer.rawValue,
        "model": [
          "d_model": c.shape.dModel, "heads": c.shape.heads, "layers": c.shape.layers, "ffn": c.shape.ffn,
          "vocabulary": Encoding.vocabulary,
        ],
        "shocks": c.shocks.text, "shock_kind": c.shock.kind.rawValue, "shock_fraction": c.shock.fraction,
        "warm_steps": c.warmSteps, "warm_rate": c.warmRate,
        "eval_every": c.evalEvery, "validation_size": c.validationSize, "pretrain_steps": c.pretrainSteps,
        "sharpness_at": c.sharpnessCheckpoints, "power_iterations": c.powerIterations,
        "controller": [
          "variant": p.variant.rawValue, "alpha": p.alpha, "beta": p.beta, "alpha_e": p.alphaE,
          "theta0": p.theta0,
          "theta1": p.theta1, "cooldown": p.cooldown,
          "lr": [p.learningRates.single, p.learningRates.multi, p.learningRates.mirror],
        ] as [String: Any],
        "plateau": [
          "initial_lr": c.plateau.initialLR, "factor": c.plateau.factor, "patience": c.plateau.patience,
          "threshold": c.plateau.threshold, "threshold_mode": c.plateau.thresholdMode.rawValue,
          "cooldown": c.plateau.cooldown, "min_lr": c.plateau.minLR, "metric": "clean validation loss",
        ] as [String: Any],
      ] as [String: Any]
    out["clean_adaptation"] = e.seeds.compactMap { s in
      result.warm[s].map {
        [
          "seed": Int(s), "steps": $0.steps, "test_exact_match": $0.testExactMatch, "test_loss": $0.testLoss,
          "val_loss": $0.validationLoss, "train_loss_last50": $0.finalTrainLoss, "seconds": $0.seconds,
        ] as [String: Any]
      }
    }
    out["pretraining"] = e.seeds.compactMap { s in
      result.pretraining[s].map {
        [
          "seed": Int(s), "final_loss": $0.finalLoss, "pig_latin_before": $0.pigLatinBefore,
          "exact_match": Dictionary(
            uniqueKeysWithValues: $0.exactMatch.map { ($0.key.description, $0.value) }),
        ] as [String: Any]
      }
    }
    out["arms"] = arms.map { a -> [String: Any] in
      var o: [String: Any] = [
        "arm": a.description,
        "test_exact_match": est(Estimate(values(a, { $0.testExactMatch }))),
        "final_val_loss": est(Estimate(values(a, { $0.finalValidationLoss }))),
        "switches": est(Estimate(values(a, { Double($0.switches) }))),
        "mirror_seeds": seeds.filter { metric(a, $0)?.reachedMirror == true }.count,
        "train_loss_at": Dictionary(
          uniqueKeysWithValues: RunMetrics.tableSteps.map { t in
            ("\(t)", values(a, { $0.trainLossAt[t] }).map(opt))
          }),
      ]
      if arms.contains(Arm.baseline) && a != Arm.baseline {
        o["paired_vs_baseline"] = Dictionary(
          uniqueKeysWithValues: quantities.map { q in (q.name, paired(a, q.value).map(est) ?? NSNull()) })
      }
      return o
    }
    out["runs"] = zip(result.runs, metrics).map { r, m -> [String: Any] in
      [
        "arm": r.arm.description, "seed": Int(r.seed), "csv": TrainReport.csvName(r),
        "shocks": m.shocks.map {
          [
            "start": $0.start, "end": $0.end, "pre_shock": opt($0.preShock), "spike": opt($0.spike),
            "late_shock_loss": opt($0.lateShockLoss), "overshoot": opt($0.overshoot),
            "recovery_steps": optInt($0.recoverySteps), "stretch": $0.stretch, "mirror": $0.mirror,
          ] as [String: Any]
        },
        "reference_level": opt(reference[r.seed]),
        "initial_val_loss": r.initialValidationLoss, "final_val_loss": m.finalValidationLoss,
        "test_exact_match": m.testExactMatch,
        "test_loss": m.testLoss, "switches": m.switches, "steps_in_mode": m.stepsInMode,
        "reached_mirror": m.reachedMirror,
        "plateau_reductions": r.plateauReductions, "skipped": r.skipped, "seconds": r.seconds,
        "predictions": r.predictions.map { p in
          [
            "made_at": p.madeAt, "stretch": [p.stretch.lowerBound, p.stretch.upperBound], "source": p.source,
            "predicted": p.predicted.map { ["step": $0.step, "to": $0.to.rawValue] },
            "predicted_mirror": p.predictedMirror,
            "observed": p.observed.map { ["step": $0.step, "to": $0.to.rawValue] },
            "observed_mirror": p.observedMirror,
          ] as [String: Any]
        },
        "sharpness": r.sharpness.map { k in
          [
            "step": k.step, "mode": k.mode.rawValue, "lr": k.lr, "lambda": k.estimate.lambdaMax,
            "threshold": k.threshold,
            "iterations": k.estimate.iterations, "converged": k.estimate.converged,
            "relative_change": k.estimate.relativeChange,
          ] as [String: Any]
        },
      ]
    }
    out["consistency_checks"] =
      [
        "note": "compare the logged states with their own loss bounds; they cannot fail on any loss sequence",
        "switches_inside": switchChecks.flatMap(\.1).filter(\.inside).count,
        "switches": switchChecks.flatMap(\.1).count,
        "steady_inside": steadyChecks.flatMap(\.1).filter(\.inside).count,
        "steady": steadyChecks.flatMap(\.1).count,
      ] as [String: Any]
    return out
  }

  // MARK: - Files

  static func csvName(_ r: RunResult) -> String {
    let arm = r.arm.description.replacingOccurrences(of: ":", with: "_").replacingOccurrences(
      of: "+", with: "-")
    return "\(arm)-seed\(r.seed).csv"
  }

  /// The files of a run: one CSV per run and `summary.json`.
  func files() -> [(String, Data)] {
    var out: [(String, Data)] = []
    for r in result.runs {
      var csv = "step,loss,shocked,env,ehat,phi,mode,lr,val_loss\n"
      var val: [Int: Double] = [:]
      for e in r.validation { val[e.step] = e.loss }
      for rec in r.records {
        csv +=
          "\(rec.step),\(rec.loss),\(rec.shocked ? 1 : 0),\(rec.env),\(rec.ehat),\(rec.phi),\(rec.mode.rawValue),\(rec.lr),\(val[rec.step].map { "\($0)" } ?? "")\n"
      }
      out.append((TrainReport.csvName(r), Data(csv.utf8)))
    }
    out.append(("summary.json", Data((json() + "\n").utf8)))
    return out
  }
}

enum UnifiedLoRACommandVersion {
  static var value: String { UnifiedLoRACommand.version }
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

func median(_ v: [Double]) -> Double {
  let s = v.sorted()
  guard !s.isEmpty else { return .nan }
  return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func medianRange(_ v: [Double?]) -> String {
  let x = v.compactMap { $0 }
  guard !x.isEmpty else { return "–" }
  let d = median(x) < 0.1 ? 4 : 2
  return "\(fmt(median(x), d)) [\(fmt(x.min()!, d)), \(fmt(x.max()!, d))]"
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
