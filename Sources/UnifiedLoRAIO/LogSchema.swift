/// How a loss log is laid out: its format and which columns hold the step, loss and env.
public struct LogSchema: Sendable, Hashable, Codable {
  /// The default longest line: 1 MiB.
  public static let defaultMaxLineLength = LineReader.defaultMaxLineLength

  public enum Format: String, Sendable, Hashable, Codable, CaseIterable {
    /// Comma-separated values with a header row (RFC 4180 quoting).
    case csv
    /// One JSON object per line. Column names may be key paths into nested objects
    /// (`metrics.loss:sum`); a key that contains dots is matched whole first.
    case jsonl
    /// Decided from the content when the log is opened (``LogInput``): one of the cases below.
    case auto
    /// A W&B export: the run history (`_step`, sparse cells) or a chart panel (`Step`,
    /// `"<run> - train/loss"`, `…__MIN`, `…__MAX`).
    case wandb
    /// PyTorch Lightning's CSVLogger `metrics.csv` (sparse cells, several rows per step).
    case lightning
    /// Hugging Face Trainer's `trainer_state.json` (its `log_history` array).
    case trainerState = "trainer-state"
    /// TensorBoard event files (TFRecord of Event protocol buffers).
    case tensorboard
    /// JSON Lines with a `metrics` object (`{"step":…,"metrics":{"loss:sum":…}}`), eval lines
    /// interleaved.
    case tinker

    /// Whether the log is one of the practitioners' export formats (read by `Formats/`): rows
    /// without a loss are skipped and counted, rows of the same step merged.
    public var isExport: Bool { ![.csv, .jsonl, .auto].contains(self) }

    /// `jsonl` for `.jsonl`, `.ndjson` and `.json` files, `csv` otherwise (and for `-`).
    public static func guess(path: String) -> Format {
      let lower = path.lowercased()
      return [".jsonl", ".ndjson", ".json"].contains { lower.hasSuffix($0) } ? .jsonl : .csv
    }
  }

  public var format: Format
  /// The loss column (default `loss`; `train/loss` for a W&B export).
  public var loss: String
  /// The external-stress column. Default `env`, optional: a log without it has `E ≡ 0`. A
  /// column named explicitly must exist.
  public var env: String
  public var envRequired: Bool
  /// The step column. Default `step`, optional: without it, steps are `0, 1, 2, …` by record.
  /// When present, steps must be integers and strictly increase.
  public var step: String
  public var stepRequired: Bool
  /// The longest line (CSV: record) read, in bytes without its line break: a longer one is an
  /// error naming its line. Default 1 MiB.
  public var maxLineLength: Int

  public init(
    format: Format = .csv, loss: String = "loss", env: String? = nil, step: String? = nil,
    maxLineLength: Int = LogSchema.defaultMaxLineLength
  ) {
    self.maxLineLength = maxLineLength
    self.format = format
    self.loss = loss
    self.env = env ?? "env"
    self.envRequired = env != nil
    self.step = step ?? "step"
    self.stepRequired = step != nil
  }
}
