import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

/// Decides whether a loss column looks like a sum over tokens rather than a mean: the controller
/// then cannot see training at all, since `D = L/(1 + L)` stays pinned near 1.
///
/// **Rule.** The column's name has a component `sum` (`loss:sum`, `loss_sum`, `train/sum_loss`),
/// or the median of the first ``sampleSize`` valid losses exceeds ``ceiling`` = `ln 2^20 ≈ 13.86`,
/// the mean cross-entropy of a uniform guess over a 2^20-token vocabulary — larger than any
/// plausible vocabulary's, so no mean token loss starts there. The name rule is waived when the
/// losses are scaled (`scaled`: the user divides them by the tokens per step); the value rule
/// reads the losses after the scale.
///
/// The check streams: feed it every loss with ``observe(_:)`` and call ``finish()`` at the end of
/// the log; it decides once, after ``sampleSize`` valid losses or at ``finish()``, whichever comes
/// first, and reports a ``LossScaleFinding`` at that moment when the column looks summed.
///
/// **Edge cases.** A NaN, an infinite or a negative loss is not part of the sample. No valid loss
/// at all: no finding, whatever the name says.
///
/// - Complexity: O(``sampleSize``) memory; the decision sorts the sample once.
public struct LossScaleCheck: Sendable, Hashable {
  /// How many valid losses the median is taken over.
  public static let sampleSize = 100
  /// `ln 2^20`: the cross-entropy of a uniform guess over a 2^20-token vocabulary.
  public static let ceiling = log(Double(1 << 20))

  /// The loss column's name, as the log states it.
  public let column: String
  /// Whether the losses are divided by a scale before the controller sees them.
  public let scaled: Bool
  private var sample: [Double] = []
  /// Whether the check has decided (after ``sampleSize`` valid losses, or at ``finish()``).
  public private(set) var isDecided = false

  public init(column: String, scaled: Bool) {
    self.column = column
    self.scaled = scaled
  }

  /// Observes one loss, as the controller will see it (after the scale). Returns the finding
  /// when this loss completes the sample and the column looks summed; `nil` otherwise (also after
  /// the decision).
  public mutating func observe(_ loss: Double) -> LossScaleFinding? {
    guard !isDecided, loss >= 0, loss.isFinite else { return nil }
    sample.append(loss)
    return sample.count == Self.sampleSize ? decide() : nil
  }

  /// Decides on what was seen, when fewer than ``sampleSize`` valid losses were read. Returns the
  /// finding when the column looks summed and the check had not decided yet.
  public mutating func finish() -> LossScaleFinding? { isDecided ? nil : decide() }

  /// The whole check over `losses` (observed in order, then finished).
  public static func check(column: String, scaled: Bool, losses: some Sequence<Double>) -> LossScaleFinding? {
    var check = LossScaleCheck(column: column, scaled: scaled)
    for loss in losses {
      if let finding = check.observe(loss) { return finding }
    }
    return check.finish()
  }

  /// Whether a column name has a component `sum` (components split at every character that is
  /// neither a letter nor a digit, compared ignoring case).
  public static func nameSaysSum(_ column: String) -> Bool {
    column.lowercased().split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains("sum")
  }

  private mutating func decide() -> LossScaleFinding? {
    isDecided = true
    guard !sample.isEmpty else { return nil }
    let n = sample.count
    let median = UnifiedLoRASupport.median(ofSorted: sample.sorted())
    var reasons: [LossScaleFinding.Reason] = []
    if !scaled && Self.nameSaysSum(column) { reasons.append(.nameSaysSum) }
    if median > Self.ceiling { reasons.append(.medianAboveCeiling) }
    guard !reasons.isEmpty else { return nil }
    return LossScaleFinding(column: column, reasons: reasons, median: median, sampleCount: n)
  }
}

/// A loss column that looks like a sum over tokens (``LossScaleCheck``): why, and the numbers.
public struct LossScaleFinding: Sendable, Hashable {
  /// Why the column looks summed, in the order the rule checks them.
  public enum Reason: Sendable, Hashable {
    /// The column's name has a component `sum`.
    case nameSaysSum
    /// The median of the sample exceeds ``LossScaleCheck/ceiling``.
    case medianAboveCeiling
  }

  public var column: String
  /// Never empty.
  public var reasons: [Reason]
  /// The median of the sample (the losses after the scale).
  public var median: Double
  /// How many valid losses the median is over (1 … ``LossScaleCheck/sampleSize``).
  public var sampleCount: Int

  /// `D = L/(1 + L)` at the median: where such losses pin the squashed loss.
  public var squashedMedian: Double { ContinuousUpdate.squash(median) }
}
