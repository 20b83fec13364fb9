import ArgumentParser
import Foundation
import UnifiedLoRAIO

extension TraceFormat: ExpressibleByArgument {}
extension LogSchema.Format: ExpressibleByArgument {}

/// Where and how a loss log is read.
struct LogOptions: ParsableArguments {
  @Option(name: .customLong("input"), help: "The loss log: a CSV or JSON Lines file, or - for standard input.")
  var input: String = "-"

  @Option(name: .customLong("input-format"), help: "csv or jsonl (default: from the file's extension; csv for -).")
  var inputFormat: LogSchema.Format?

  @Option(name: .customLong("loss-column"), help: "The loss column, e.g. train/loss (default: loss). In JSON Lines, a key path such as metrics.loss:sum.")
  var lossColumn: String = "loss"

  @Option(name: .customLong("env-column"), help: "The external-stress column (default: env, used when present; E = 0 otherwise).")
  var envColumn: String?

  @Option(name: .customLong("step-column"), help: "The step column (default: step, used when present; otherwise 0, 1, 2, …).")
  var stepColumn: String?

  var schema: LogSchema {
    LogSchema(
      format: inputFormat ?? LogSchema.Format.guess(path: input), loss: lossColumn, env: envColumn,
      step: stepColumn)
  }
}

/// Bounds a count or number from a flag: a `ValidationError` (exit 64) naming the flag, the
/// value and the accepted range.
func bounded<T: Comparable>(_ value: T, _ flag: String, _ range: ClosedRange<T>) throws {
  guard range.contains(value) else {
    throw ValidationError("invalid value \(flag) = \(value): expected \(range.lowerBound) … \(range.upperBound)")
  }
}

/// A finite number from a flag in a range: NaN and ±∞ are refused with the range.
func boundedFinite(_ value: Double, _ flag: String, _ range: ClosedRange<Double>) throws {
  guard value.isFinite, range.contains(value) else {
    throw ValidationError("invalid value \(flag) = \(value): expected a finite number in \(range.lowerBound) … \(range.upperBound)")
  }
}
