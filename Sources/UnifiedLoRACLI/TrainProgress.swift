import Foundation
import UnifiedLoRATrainer

/// Progress on standard error: one line rewritten in place on a terminal; otherwise a line every
/// 10 % of the steps (and at most every 30 s of wall time otherwise silent). Predictions are
/// printed as soon as they are made.
final class ProgressReporter: @unchecked Sendable {
  private let lock = NSLock()
  private let start = Date()
  private let terminal: Bool
  private var lastDecile = -1

  init(terminal: Bool) { self.terminal = terminal }

  func show(_ p: Experiment.Progress) {
    lock.lock()
    defer { lock.unlock() }
    let elapsed = Date().timeIntervalSince(start)
    let eta = p.stepsDone > 0 ? elapsed * Double(p.stepsTotal - p.stepsDone) / Double(p.stepsDone) : 0
    let text =
      "step \(p.stepsDone)/\(p.stepsTotal)  runs \(p.runsDone)/\(p.runsTotal)  \(p.arm) seed \(p.seed)  elapsed \(Int(elapsed))s  ETA \(Int(eta.rounded()))s"
    if terminal {
      FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    } else {
      let decile = p.stepsTotal > 0 ? 10 * p.stepsDone / p.stepsTotal : 10
      guard decile > lastDecile else { return }
      lastDecile = decile
      FileHandle.standardError.write(Data("progress: \(text)\n".utf8))
    }
  }

  func announce(_ arm: Arm, _ seed: UInt64, _ p: SwitchPrediction) {
    lock.lock()
    defer { lock.unlock() }
    let list =
      p.predicted.isEmpty ? "no switch" : p.predicted.map { "\($0.step)→\($0.to)" }.joined(separator: " ")
    let line =
      "prediction \(arm) seed \(seed), made at step \(p.madeAt) for steps \(p.stretch.lowerBound)…\(p.stretch.upperBound - 1): \(list); Mirror \(p.predictedMirror ? "yes" : "no")\n"
    FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[2K" : "") + line).utf8))
  }

  func finish() {
    if terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
  }
}
