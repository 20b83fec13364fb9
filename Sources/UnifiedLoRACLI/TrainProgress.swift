import UnifiedLoRASupport
import UnifiedLoRATrainer

/// `train`'s progress on standard error, through the package's one ``ProgressReporter``: one line
/// rewritten in place on a terminal; with `--progress` and no terminal, a line at every tenth of
/// the steps. Predictions are printed as soon as they are made.
struct TrainProgress: Sendable {
  let reporter: ProgressReporter
  /// The elapsed seconds and steps done at the first step report: the ETA is paced by the steps
  /// since then, not by the pretraining and clean adaptation before them.
  let stepPhase = Protected<(elapsed: Double, steps: Int)?>(nil)

  /// `nil` when progress is not shown (no terminal and no `--progress`).
  init?(force: Bool) {
    let r = ProgressReporter.forStandardError(force: force)
    guard r.style != .silent else { return nil }
    reporter = r
  }

  func show(_ p: Experiment.Progress) {
    let fraction = p.stepsTotal > 0 ? Double(p.stepsDone) / Double(p.stepsTotal) : 1
    let now = reporter.elapsed
    let start = stepPhase.withLock { s in
      if s == nil { s = (now, p.stepsDone) }
      return s!
    }
    let eta = TrainProgress.remaining(
      elapsed: now - start.elapsed, done: p.stepsDone - start.steps, left: p.stepsTotal - p.stepsDone)
    reporter.update(
      "step \(p.stepsDone)/\(p.stepsTotal)  runs \(p.runsDone)/\(p.runsTotal)  \(p.arm) seed \(p.seed)  elapsed \(Int(reporter.elapsed))s  ETA \(Int(eta.rounded()))s",
      fraction: fraction)
  }

  /// Seconds left for `left` steps at the rate of `done` steps in `elapsed` seconds (0 before any
  /// step has been timed).
  static func remaining(elapsed: Double, done: Int, left: Int) -> Double {
    done > 0 && elapsed > 0 ? elapsed / Double(done) * Double(max(0, left)) : 0
  }

  func announce(_ arm: Arm, _ seed: UInt64, _ p: SwitchPrediction) {
    let list =
      p.predicted.isEmpty ? "no switch" : p.predicted.map { "\($0.step)→\($0.to)" }.joined(separator: " ")
    reporter.announce(
      "prediction \(arm) seed \(seed), made at step \(p.madeAt) for steps \(p.stretch.lowerBound)…\(p.stretch.upperBound - 1): \(list); Mirror \(p.predictedMirror ? "yes" : "no")"
    )
  }

  /// One line per seed made ready (written every time: the phase before the first step).
  func prepared(_ p: Experiment.Preparation) {
    reporter.update(
      "seed \(p.seed) ready (base \(p.fromCache ? "from the cache" : "pretrained"), clean adaptation done): \(p.seedsDone)/\(p.seedsTotal) seeds  elapsed \(Int(reporter.elapsed))s"
    )
  }

  func finish() { reporter.clear() }
}
