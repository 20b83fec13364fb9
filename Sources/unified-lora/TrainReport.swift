import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRATrainer

/// The `train` command's output: tables for people, a stable JSON summary, per-run CSV files.
struct TrainReport {
  let result: Experiment.Result
  let command: String
  let metrics: [RunMetrics]
  let summaries: [ArmSummary]
  let switchChecks: [(RunResult, [Checks.SwitchCheck])]
  let steadyChecks: [(RunResult, [Checks.SteadyCheck])]

  init(result: Experiment.Result, command: String) {
    self.result = result
    self.command = command
    let c = result.experiment.configuration
    let metrics = result.runs.map { RunMetrics($0, shocks: c.shocks) }
    self.metrics = metrics
    summaries = result.experiment.arms.map { arm in
      ArmSummary(arm: arm.description, metrics: zip(result.runs, metrics).filter { $0.0.arm == arm }.map(\.1))
    }
    // The checks are about the controller's dynamics on real losses, so they apply to every run:
    // in the unified arms the controller sets the rate, elsewhere it observes the same kind of losses.
    switchChecks = result.runs.map { ($0, Checks.switches($0, shocks: c.shocks, parameters: c.controller)) }
    steadyChecks = result.runs.map { ($0, Checks.steadyStates($0, shocks: c.shocks, parameters: c.controller)) }
  }

  // MARK: - Table

  func table() -> String {
    let e = result.experiment
    let c = e.configuration
    var s = ""
    s += "\(command)\n"
    s += "seeds \(e.seeds.map(String.init).joined(separator: ","))  steps \(c.steps)  batch \(c.batchSize)  rank \(c.rank)  lora-alpha \(fmt(c.loraAlpha))  optimizer \(c.optimizer.rawValue)  shocks \(c.shocks.text)\n"
    s += "BLAS \(BLAS.configuration) (cblas_sgemm from \(BLAS.sgemmProvider), 1 thread per run, \(e.jobs) runs at a time)  elapsed \(fmt(result.seconds, 1)) s\n"
    let pre = e.seeds.compactMap { result.pretraining[$0] }
    s += "base pretrained on copying: exact match \(pm(MeanSD(pre.map(\.copyAccuracy)), 3)) over seeds\n\n"

    s += "Training loss at the report's steps (batch loss; mean ± sd over seeds):\n"
    s += row(["arm"] + RunMetrics.tableSteps.map { "step \($0)" }, widths: [16] + Array(repeating: 16, count: 6))
    for a in summaries {
      s += row([a.arm] + RunMetrics.tableSteps.map { pm(a.trainLossAt[$0]!, 3) }, widths: [16] + Array(repeating: 16, count: 6))
    }
    s += "\nClean validation loss at the same steps:\n"
    s += row(["arm"] + RunMetrics.tableSteps.map { "step \($0)" }, widths: [16] + Array(repeating: 16, count: 6))
    for a in summaries {
      s += row([a.arm] + RunMetrics.tableSteps.map { pm(a.validationLossAt[$0]!, 3) }, widths: [16] + Array(repeating: 16, count: 6))
    }
    for (k, w) in c.shocks.windows.enumerated() {
      s += "\nShock [\(w.lowerBound),\(w.upperBound)): clean validation loss before, peak during, peak after; steps after the shock until within 10% of before:\n"
      s += row(["arm", "before", "peak during", "peak after", "recovery steps", "recovered"], widths: [16, 16, 16, 16, 16, 10])
      for a in summaries {
        s += row(
          [a.arm, pm(a.preShock[k], 3), pm(a.peakDuring[k], 3), pm(a.peakAfter[k], 3), pm(a.recoverySteps[k], 1),
           "\(a.recoverySteps[k].n)/\(a.seeds)"], widths: [16, 16, 16, 16, 16, 10])
      }
    }
    s += "\nEnd of training:\n"
    s += row(["arm", "final val loss", "test exact match", "mode switches"], widths: [16, 18, 18, 14])
    for a in summaries {
      s += row([a.arm, pm(a.finalValidationLoss, 3), pm(a.testExactMatch, 3), pm(a.switches, 1)], widths: [16, 18, 18, 14])
    }

    s += "\n(a) Mode switches of the controller (it sets the rate in unified arms, observes elsewhere) vs the latency interval\n"
    s += "    predicted by iterating the core from the window's starting state with the window's loss (and E) bounds (T06, T14).\n"
    s += "    Window: from the last regime boundary (step 0, shock start or end) or the previous switch; latency k = step − start + 1.\n"
    s += row(["arm", "seed", "step", "switch", "window", "loss min…max", "E min…max", "latency", "predicted", "inside"], widths: [16, 5, 6, 14, 10, 16, 12, 8, 13, 6])
    var total = 0, inside = 0
    for (r, checks) in switchChecks {
      for k in checks {
        total += 1
        if k.inside { inside += 1 }
        let lat = { (t: Int?) in t.map { String($0 - k.windowStart + 1) } }
        s += row(
          [r.arm.description, "\(r.seed)", "\(k.step)", "\(k.from)→\(k.to)", "\(k.windowStart)…\(k.step)",
           "\(fmt(k.lossMin, 3))…\(fmt(k.lossMax, 3))", "\(fmt(k.envMin, 2))…\(fmt(k.envMax, 2))", "\(k.step - k.windowStart + 1)",
           "[\(lat(k.earliest) ?? "never"), \(lat(k.latest) ?? "∞")]", k.inside ? "yes" : "NO"],
          widths: [16, 5, 6, 14, 10, 16, 12, 8, 13, 6])
      }
    }
    if total == 0 { s += "  no mode switch in any run\n" }
    s += "  \(inside)/\(total) switches inside their predicted interval\n"

    s += "\n(b) Steady-state φ over clean stretches (50 steps before each shock and the end) vs the fixed point X/(1+X)\n"
    s += "    for the stretch's mean loss (T03); band: constant-input trajectories at the loss bounds from 50 steps earlier (T06):\n"
    s += row(["arm", "stretches", "inside band", "mean φ*", "mean φ", "mean |φ − φ*|", "max |φ − φ*|", "mean band width"], widths: [16, 10, 12, 9, 9, 14, 13, 15])
    var sTotal = 0, sInside = 0
    for arm in result.experiment.arms {
      let ks = steadyChecks.filter { $0.0.arm == arm }.flatMap(\.1)
      guard !ks.isEmpty else { continue }
      let inside = ks.filter(\.inside).count
      sTotal += ks.count
      sInside += inside
      let errs = ks.map { abs($0.observedMeanPhi - $0.predictedPhi) }
      let n = Double(ks.count)
      s += row(
        [arm.description, "\(ks.count)", "\(inside)/\(ks.count)", fmt(ks.map(\.predictedPhi).reduce(0, +) / n, 4),
         fmt(ks.map(\.observedMeanPhi).reduce(0, +) / n, 4), fmt(errs.reduce(0, +) / n, 4), fmt(errs.max() ?? 0, 4),
         fmt(ks.map { $0.bandHigh - $0.bandLow }.reduce(0, +) / n, 4)],
        widths: [16, 10, 12, 9, 9, 14, 13, 15])
    }
    s += "  \(sInside)/\(sTotal) stretches inside the band (every stretch is in the JSON summary under checks.steady)\n"

    s += "\n(c) Sharpness λ_max of the clean loss (adapters; HVP by finite differences + power iteration) vs 2/η for plain SGD:\n"
    let rates = c.controller.learningRates
    s += "    (λ_neg: the eigenvalue of largest magnitude when it is negative, a saddle; λ_max is then found by a shifted iteration)\n"
    s += row(["arm", "seed", "step", "mode", "λ_max", "λ_neg", "2/λ_max", "η·λ/2 S/Mu/Mi", "probes η/(2/λ): loss after/before"], widths: [16, 5, 6, 7, 9, 9, 9, 22, 40])
    var pTotal = 0, pAgree = 0
    for r in result.runs {
      for k in r.sharpness {
        let lam = k.estimate.lambdaMax
        let ratios = [rates.single, rates.multi, rates.mirror].map { fmt(max($0 * lam / 2, 0), 3) }.joined(separator: "/")
        let probes = k.probes.map { pr -> String in
          pTotal += 1
          if pr.predictedUnstable == pr.diverged { pAgree += 1 }
          return "\(fmt(pr.factor, 1)):\(fmt(pr.lossAfter / pr.lossBefore, 2))\(pr.diverged ? "↑" : "")"
        }.joined(separator: " ")
        s += row(
          [r.arm.description, "\(r.seed)", "\(k.step)", k.mode.description, fmt(lam, 2),
           k.estimate.lambdaMostNegative.map { fmt($0, 2) } ?? "", fmt(k.threshold, 4), ratios, probes],
          widths: [16, 5, 6, 7, 9, 9, 9, 22, 40])
      }
    }
    s += "  every mode's rate is stable under plain SGD where η·λ/2 < 1; probes: \(pAgree)/\(pTotal) agree with the prediction (diverge iff η > 2/λ_max; ↑ marks a loss increase)\n"
    return s
  }

  // MARK: - JSON

  func json() -> String {
    let data = (try? JSONSerialization.data(withJSONObject: jsonObject(), options: [.prettyPrinted, .sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
  }

  func jsonObject() -> [String: Any] {
    let e = result.experiment
    let c = e.configuration
    func ms(_ m: MeanSD) -> Any {
      ["mean": m.mean.isFinite ? m.mean : NSNull(), "sd": m.sd.isFinite ? m.sd : NSNull(), "n": m.n] as [String: Any]
    }
    func opt(_ x: Double?) -> Any { x.map { $0.isFinite ? $0 as Any : NSNull() } ?? NSNull() }
    func optInt(_ x: Int?) -> Any { x.map { $0 as Any } ?? NSNull() }
    let p = c.controller
    var out: [String: Any] = [:]
    out["command"] = command
    out["version"] = UnifiedLoRACommandVersion.value
    out["seconds"] = result.seconds
    out["blas"] = ["config": BLAS.configuration, "sgemm_provider": BLAS.sgemmProvider, "threads_per_run": 1, "jobs": e.jobs]
    out["configuration"] = [
      "arms": e.arms.map(\.description), "seeds": e.seeds.map { Int($0) }, "steps": c.steps, "batch_size": c.batchSize,
      "rank": c.rank, "lora_alpha": c.loraAlpha, "optimizer": c.optimizer.rawValue, "shocks": c.shocks.text,
      "eval_every": c.evalEvery, "validation_size": c.validationSize, "pretrain_steps": c.pretrainSteps,
      "sharpness_at": c.sharpnessCheckpoints, "power_iterations": c.powerIterations, "probe_steps": c.probeSteps,
      "probe_factors": c.probeFactors,
      "controller": [
        "variant": p.variant.rawValue, "alpha": p.alpha, "beta": p.beta, "alpha_e": p.alphaE, "theta0": p.theta0,
        "theta1": p.theta1, "cooldown": p.cooldown,
        "lr": [p.learningRates.single, p.learningRates.multi, p.learningRates.mirror],
      ] as [String: Any],
      "plateau": [
        "initial_lr": c.plateau.initialLR, "mode": c.plateau.mode.rawValue, "factor": c.plateau.factor,
        "patience": c.plateau.patience, "threshold": c.plateau.threshold, "threshold_mode": c.plateau.thresholdMode.rawValue,
        "cooldown": c.plateau.cooldown, "min_lr": c.plateau.minLR, "eps": c.plateau.eps, "metric": "clean validation loss",
      ] as [String: Any],
    ] as [String: Any]
    out["pretraining"] = e.seeds.compactMap { s in
      result.pretraining[s].map { ["seed": Int(s), "copy_exact_match": $0.copyAccuracy, "final_loss": $0.finalLoss] as [String: Any] }
    }
    out["arms"] = summaries.map { a -> [String: Any] in
      [
        "arm": a.arm, "seeds": a.seeds,
        "train_loss_at": Dictionary(uniqueKeysWithValues: a.trainLossAt.map { ("\($0.key)", ms($0.value)) }),
        "val_loss_at": Dictionary(uniqueKeysWithValues: a.validationLossAt.map { ("\($0.key)", ms($0.value)) }),
        "shocks": c.shocks.windows.indices.map { k -> [String: Any] in
          [
            "start": c.shocks.windows[k].lowerBound, "end": c.shocks.windows[k].upperBound, "pre_shock": ms(a.preShock[k]),
            "peak_during": ms(a.peakDuring[k]), "peak_after": ms(a.peakAfter[k]), "recovery_steps": ms(a.recoverySteps[k]),
          ]
        },
        "final_val_loss": ms(a.finalValidationLoss), "test_exact_match": ms(a.testExactMatch), "switches": ms(a.switches),
      ]
    }
    out["runs"] = zip(result.runs, metrics).map { r, m -> [String: Any] in
      [
        "arm": r.arm.description, "seed": Int(r.seed), "csv": TrainReport.csvName(r),
        "train_loss_at": Dictionary(uniqueKeysWithValues: m.trainLossAt.map { ("\($0.key)", $0.value) }),
        "val_loss_at": Dictionary(uniqueKeysWithValues: m.validationLossAt.map { ("\($0.key)", $0.value) }),
        "shocks": m.shocks.map {
          ["start": $0.start, "end": $0.end, "pre_shock": opt($0.preShock), "peak_during": opt($0.peakDuring),
           "peak_after": opt($0.peakAfter), "recovery_steps": optInt($0.recoverySteps)] as [String: Any]
        },
        "initial_val_loss": r.initialValidationLoss, "final_val_loss": m.finalValidationLoss, "test_exact_match": m.testExactMatch,
        "test_loss": m.testLoss, "switches": m.switches, "steps_in_mode": m.stepsInMode,
        "plateau_reductions": r.plateauReductions, "seconds": r.seconds,
      ]
    }
    out["checks"] = [
      "switches": switchChecks.flatMap { r, ks in
        ks.map {
          ["arm": r.arm.description, "seed": Int(r.seed), "step": $0.step, "from": $0.from.rawValue, "to": $0.to.rawValue,
           "window_start": $0.windowStart, "loss_min": $0.lossMin, "loss_max": $0.lossMax, "env_min": $0.envMin,
           "env_max": $0.envMax, "earliest": optInt($0.earliest), "latest": optInt($0.latest), "inside": $0.inside] as [String: Any]
        }
      },
      "steady": steadyChecks.flatMap { r, ks in
        ks.map {
          ["arm": r.arm.description, "seed": Int(r.seed), "start": $0.start, "end": $0.end, "mean_loss": $0.meanLoss,
           "mean_env": $0.meanEnv, "phi_fixed_point": $0.predictedPhi, "phi_iterated": $0.iteratedPhi,
           "phi_mean": $0.observedMeanPhi, "phi_min": $0.observedMin, "phi_max": $0.observedMax,
           "band_low": $0.bandLow, "band_high": $0.bandHigh, "inside": $0.inside] as [String: Any]
        }
      },
      "sharpness": result.runs.flatMap { r in
        r.sharpness.map { k in
          ["arm": r.arm.description, "seed": Int(r.seed), "step": k.step, "mode": k.mode.rawValue,
           "lambda_max": k.estimate.lambdaMax, "relative_change": k.estimate.relativeChange,
           "lambda_most_negative": opt(k.estimate.lambdaMostNegative),
           "iterations": k.estimate.iterations, "sgd_threshold": opt(k.threshold),
           "probes": k.probes.map {
             ["factor": $0.factor, "lr": $0.lr, "loss_before": $0.lossBefore, "loss_after": opt($0.lossAfter),
              "predicted_unstable": $0.predictedUnstable, "diverged": $0.diverged] as [String: Any]
           }] as [String: Any]
        }
      },
    ] as [String: Any]
    return out
  }

  // MARK: - Files

  static func csvName(_ r: RunResult) -> String {
    let arm = r.arm.description.replacingOccurrences(of: ":", with: "_").replacingOccurrences(of: "+", with: "-")
    return "\(arm)-seed\(r.seed).csv"
  }

  /// Writes one CSV per run and `summary.json` into `directory`, each atomically.
  func write(to directory: String) throws {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
      for r in result.runs {
        var csv = "step,loss,shocked,env,ehat,phi,mode,lr,val_loss\n"
        var val: [Int: Double] = [:]
        for e in r.validation { val[e.step] = e.loss }
        for rec in r.records {
          csv += "\(rec.step),\(rec.loss),\(rec.shocked ? 1 : 0),\(rec.env),\(rec.ehat),\(rec.phi),\(rec.mode.rawValue),\(rec.lr),\(val[rec.step].map { "\($0)" } ?? "")\n"
        }
        try Data(csv.utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent(TrainReport.csvName(r)), options: .atomic)
      }
      try Data((json() + "\n").utf8).write(to: URL(fileURLWithPath: directory).appendingPathComponent("summary.json"), options: .atomic)
    } catch {
      FileHandle.standardError.write(Data("Error: cannot write into '\(directory)': \(error.localizedDescription)\n".utf8))
      throw ExitCode(2)
    }
  }
}

enum UnifiedLoRACommandVersion {
  static var value: String { UnifiedLoRACommand.version }
}

func fmt(_ x: Double, _ digits: Int = 4) -> String {
  guard x.isFinite else { return x.isNaN ? "–" : (x > 0 ? "∞" : "-∞") }
  return String(format: "%.\(digits)f", x)
}

func pm(_ m: MeanSD, _ digits: Int) -> String {
  guard m.n > 0 else { return "–" }
  return "\(fmt(m.mean, digits))±\(fmt(m.sd, digits))"
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
