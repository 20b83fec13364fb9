import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRAAudit
import UnifiedLoRASupport

/// Where `E_t` comes from: the log's env column (absent: `E ≡ 0`) or the measured loss-jump
/// signal of the losses (``LossJumpStress``), spelled `--env loss-jump[:lambda=X]`.
enum EnvSource: Hashable {
  case column
  case lossJump(LossJumpStress)

  /// Parses `column`, `loss-jump` or `loss-jump:lambda=X`.
  ///
  /// - Throws: `ValidationError` with the ``ParameterError`` text naming `env`,
  ///   `loss-jump` or `loss-jump.lambda`.
  static func parse(_ text: String) throws -> EnvSource {
    try wrap { () throws(ParameterError) -> EnvSource in
      if text == "column" { return .column }
      if text == "loss-jump" { return .lossJump(try LossJumpStress()) }
      if text.hasPrefix("loss-jump:") {
        return .lossJump(try LossJumpStress.parse(options: text.dropFirst("loss-jump:".count)))
      }
      throw ParameterError(
        field: .env, value: text, requirement: "column or loss-jump[:lambda=X]")
    }
  }

  static let help = ArgumentHelp(
    "Where E comes from: column (the env column, E = 0 without one; the default) or loss-jump[:lambda=X].",
    discussion:
      "loss-jump measures E_t = max(0, ln L_t − b_{t−1}) from the losses, with the running baseline b_t = λ·b_{t−1} + (1 − λ)·ln L_t, b_0 = ln L_0 (λ = 0.98 by default; report variant only)."
  )
}

/// Heuristics on the loss column's scale: warns (standard error) when the losses look like a
/// sum over tokens rather than a mean, because the controller then cannot see training at all.
///
/// **Rule.** The column's name has a component `sum` (`loss:sum`, `loss_sum`, `train/sum_loss`),
/// or the median of the first ``sampleSize`` valid losses exceeds `ln 2^20 ≈ 13.86`, the mean
/// cross-entropy of a uniform guess over a 2^20-token vocabulary — larger than any plausible
/// vocabulary's, so no mean token loss starts there. The name rule is waived when the user gave
/// `--loss-scale`; the value rule reads the losses after the scale.
struct LossScaleCheck {
  static let sampleSize = 100
  static let ceiling = log(Double(1 << 20))

  let column: String
  let scaled: Bool
  let parameters: Parameters
  private var sample: [Double] = []
  private var done = false
  /// The text of the warning, once decided (for tests); `nil` while no warning is due.
  private(set) var warning: String?

  init(column: String, scaled: Bool, parameters: Parameters) {
    self.column = column
    self.scaled = scaled
    self.parameters = parameters
  }

  /// Observes one loss (as the controller will see it); decides after ``sampleSize`` of them.
  mutating func observe(_ loss: Double) {
    guard !done, loss >= 0, loss.isFinite else { return }
    sample.append(loss)
    if sample.count == LossScaleCheck.sampleSize { decide() }
  }

  /// Decides on what was seen (when fewer than ``sampleSize`` losses were read).
  mutating func finish() { if !done { decide() } }

  static func nameSaysSum(_ column: String) -> Bool {
    column.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains("sum")
  }

  private mutating func decide() {
    done = true
    guard !sample.isEmpty else { return }
    let sorted = sample.sorted()
    // (Halves added, not a sum halved: two losses near the largest double overflow to inf.)
    let median =
      sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : sorted[sorted.count / 2 - 1] / 2 + sorted[sorted.count / 2] / 2
    var reasons: [String] = []
    if !scaled && LossScaleCheck.nameSaysSum(column) { reasons.append("its name says sum") }
    if median > LossScaleCheck.ceiling {
      reasons.append(
        "the median of its first \(sample.count) losses is \(Timeline.fixed(median)), above ln(2^20) = \(Timeline.fixed(LossScaleCheck.ceiling)), the cross-entropy of a uniform guess over a 2^20-token vocabulary"
      )
    }
    guard !reasons.isEmpty else { return }
    let p = parameters
    let fixed = p.fixedPoint(ConstantInput(loss: median))
    let d = ContinuousUpdate.squash(median)
    let consequence =
      p.variant == .report
      ? "with E ≡ 0 the report variant settles at φ* = \(Timeline.fixed(fixed.phi)) (\(fixed.mode)) and barely reacts to the loss"
      : "the repo variant settles at φ* = \(Timeline.fixed(fixed.phi)) (\(fixed.mode)) and barely reacts to the loss"
    warning =
      "warning: the loss column '\(column)' looks like a sum over tokens, not a mean: \(reasons.joined(separator: "; ")). Such losses pin D = L/(1 + L) near \(Timeline.fixed(d)) whatever training does: \(consequence). Divide by the tokens per step with --loss-scale N, or log the mean loss."
    StandardError.write(warning! + "\n")
  }
}

/// What `simulate` does to each input before the controller sees it: divide the loss by the
/// scale, check the scale, measure E.
struct InputAdjustment {
  var scale: Double?
  var signal: LossJumpStress?
  var check: LossScaleCheck

  mutating func apply(_ input: Input) -> Input {
    var out = input
    if let scale { out.loss = input.loss / scale }
    check.observe(out.loss)
    if signal != nil { out = signal!.measure(out) }
    return out
  }
}
