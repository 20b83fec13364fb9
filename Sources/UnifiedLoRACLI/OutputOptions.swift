import ArgumentParser
import Foundation
import UnifiedLoRAIO

extension TraceFormat: ExpressibleByArgument {}
extension LogSchema.Format: ExpressibleByArgument {}

/// Where and how a loss log is read.
struct LogOptions: ParsableArguments {
  @Option(
    name: .customLong("input"), help: "The loss log: a CSV or JSON Lines file, or - for standard input.",
    completion: .file())
  var input: String = "-"

  @Option(
    name: .customLong("input-format"),
    help:
      "csv, jsonl, wandb, lightning, trainer-state, tensorboard or tinker (default: auto, decided from the content, on files and on standard input)."
  )
  var inputFormat: LogSchema.Format?

  @Option(
    name: .customLong("loss-column"),
    help: ArgumentHelp(
      "The loss column, e.g. train/loss (default: loss). In JSON Lines, a key path such as metrics.loss:sum; in TensorBoard event files, the tag.",
      discussion:
        "In the export formats (W&B, Lightning, trainer_state.json, TensorBoard, Tinker) the default takes the first of \(ExportColumns.lossCandidates.joined(separator: ", ")) that the log has; a W&B chart panel's \"<run> - train/loss\" answers to train/loss, never its __MIN/__MAX columns. Rows without the loss (eval rows) are skipped and counted on standard error."
    ))
  var lossColumn: String = "loss"

  @Option(
    name: .customLong("env-column"),
    help: "The external-stress column (default: env, used when present; E = 0 otherwise).")
  var envColumn: String?

  @Option(
    name: .customLong("step-column"),
    help: "The step column (default: step, used when present; otherwise 0, 1, 2, …).")
  var stepColumn: String?

  var schema: LogSchema {
    LogSchema(
      format: inputFormat ?? .auto, loss: lossColumn, env: envColumn,
      step: stepColumn)
  }
}

/// Bounds a count or number from a flag: a `ValidationError` (exit 64) naming the flag, the
/// value and the accepted range.
func bounded<T: Comparable>(_ value: T, _ flag: String, _ range: ClosedRange<T>) throws {
  guard range.contains(value) else {
    throw ValidationError(
      "invalid value \(flag) = \(value): expected \(range.lowerBound) … \(range.upperBound)")
  }
}

/// A finite number from a flag in a range: NaN and ±∞ are refused with the range.
func boundedFinite(_ value: Double, _ flag: String, _ range: ClosedRange<Double>) throws {
  guard value.isFinite, range.contains(value) else {
    throw ValidationError(
      "invalid value \(flag) = \(value): expected a finite number in \(range.lowerBound) … \(range.upperBound)"
    )
  }
}

/// A finite number in (0, `limit`] from a flag.
func boundedPositive(_ value: Double, _ flag: String, atMost limit: Int) throws {
  guard value.isFinite, value > 0, value <= Double(limit) else {
    throw ValidationError("invalid value \(flag) = \(value): expected a number in (0, \(limit)]")
  }
}
