import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRAAudit
import UnifiedLoRAIO
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

/// The warning on standard error when the loss column looks like a sum over tokens rather than a
/// mean (the decision is ``LossScaleCheck``'s): the reasons, and where such losses leave the
/// configured controller.
struct LossScaleWarning {
  private(set) var check: LossScaleCheck
  let parameters: Parameters
  /// The text of the warning, once decided (for tests); `nil` while no warning is due.
  private(set) var warning: String?

  init(column: String, scaled: Bool, parameters: Parameters) {
    self.check = LossScaleCheck(column: column, scaled: scaled)
    self.parameters = parameters
  }

  /// Observes one loss (as the controller will see it); warns when the check decides so.
  mutating func observe(_ loss: Double) { if let f = check.observe(loss) { warn(f) } }

  /// Decides on what was seen (when fewer than ``LossScaleCheck/sampleSize`` losses were read).
  mutating func finish() { if let f = check.finish() { warn(f) } }

  private mutating func warn(_ f: LossScaleFinding) {
    warning = Self.text(f, parameters: parameters)
    StandardError.write(warning! + "\n")
  }

  /// The warning's text for `f`, with the fixed point of `p` at the median loss (T03).
  static func text(_ f: LossScaleFinding, parameters p: Parameters) -> String {
    let reasons = f.reasons.map { reason in
      switch reason {
      case .nameSaysSum: "its name says sum"
      case .medianAboveCeiling:
        "the median of its first \(f.sampleCount) losses is \(Timeline.fixed(f.median)), above ln(2^20) = \(Timeline.fixed(LossScaleCheck.ceiling)), the cross-entropy of a uniform guess over a 2^20-token vocabulary"
      }
    }
    let fixed = p.fixedPoint(ConstantInput(loss: f.median))
    let consequence =
      p.variant == .report
      ? "with E ≡ 0 the report variant settles at φ* = \(Timeline.fixed(fixed.phi)) (\(fixed.mode)) and barely reacts to the loss"
      : "the repo variant settles at φ* = \(Timeline.fixed(fixed.phi)) (\(fixed.mode)) and barely reacts to the loss"
    return
      "warning: the loss column '\(f.column)' looks like a sum over tokens, not a mean: \(reasons.joined(separator: "; ")). Such losses pin D = L/(1 + L) near \(Timeline.fixed(f.squashedMedian)) whatever training does: \(consequence). Divide by the tokens per step with --loss-scale N, or log the mean loss."
  }
}

/// What `simulate` does to each input before the controller sees it: divide the loss by the
/// scale, check the scale, measure E.
struct InputAdjustment {
  var scale: Double?
  var signal: LossJumpStress?
  var check: LossScaleWarning

  mutating func apply(_ input: Input) -> Input {
    var out = input
    if let scale { out.loss = input.loss / scale }
    check.observe(out.loss)
    if signal != nil { out = signal!.measure(out) }
    return out
  }
}
