import UnifiedLoRA

/// One row of a practitioner's export, as its format stores it: a CSV row, a `log_history`
/// entry, a JSON Lines line, a TensorBoard event.
protocol ExportSource: AnyObject {
  var format: LogSchema.Format { get }
  /// Whether the log is a pipe or a terminal.
  var isLive: Bool { get }
  /// Every name ``value(_:)`` will be asked for (called once, before the first row).
  func prepare(names: [String])
  /// Moves to the next row; false at the end.
  func advance() throws(LogError) -> Bool
  /// The current row's value under `name`: nil when the row (CSV: the header) has no such
  /// column or key, `.missing` when it has an empty cell or `null`.
  func value(_ name: String) throws(LogError) -> FieldValue?
  /// The current row's 1-based number: its line (CSV, JSON Lines, `trainer_state.json`: its
  /// entry's number in `log_history`) or TFRecord record.
  var row: Int { get }
  /// Where the current row is, for messages: "line 12", "log_history entry 3", "record 5 (byte
  /// offset 1234)".
  var location: String { get }
  /// Whether ``row`` is a line number (errors then carry it as their line).
  var rowIsLine: Bool { get }
  /// The names seen so far (the CSV header, the keys or tags met), for messages.
  var names: [String] { get }
  /// Whether every row answers for every name the log has (a CSV header: an empty cell is
  /// `.missing`, not nil): a column not found on the first row is then not looked for again.
  var namesAreFixed: Bool { get }
}

/// The names a column is looked up under: as given, or, for the default loss and step names, the
/// names the practitioners' tools write.
public enum ExportColumns {
  /// Looked up in this order when the loss column is the default `loss`: the first one a log has
  /// is its loss (a W&B chart panel's `"<run> - train/loss"` answers to `train/loss`).
  public static let lossCandidates = [
    "loss", "train/loss", "train_loss", "train_loss_step", "train/loss_step", "loss_step",
    "metrics.loss", "metrics.train/loss", "metrics.loss:mean", "metrics.loss:sum", "loss:sum",
  ]
  /// Looked up in this order when the step column is the default `step`.
  public static let stepCandidates = ["step", "_step", "Step", "metrics.step"]

  /// Looked up in this order for the default learning-rate column `lr` (`audit`).
  public static let lrCandidates = [
    "lr", "learning_rate", "train/learning_rate", "train/lr", "lr-AdamW", "lr-Adam", "lr-SGD",
    "metrics.lr", "metrics.learning_rate",
  ]

  static func candidates(_ name: String, isLoss: Bool, isStep: Bool) -> [String] {
    if isLoss && name == "loss" { return lossCandidates }
    if isStep && name == "step" { return stepCandidates }
    if !isLoss && !isStep && name == "lr" { return lrCandidates }
    return [name]
  }
}

/// A record of an export: the rows of one step merged, with a loss (when one is asked for).
struct ExportRecord {
  /// The row (line) of the record's loss, or its first row.
  var row: Int
  var location: String
  /// One value per column asked for.
  var values: [FieldValue]
}

/// Reads an ``ExportSource`` as records of the asked columns.
///
/// **Rows of one step.** Consecutive rows with the same step are one record (Lightning logs the
/// learning rate on its own row; W&B and the Trainer log eval metrics on a row of their own): a
/// value present on both rows must be equal, otherwise it is an error naming both rows.
///
/// **Rows without a loss** (eval rows, rows of other metrics only) are not steps of training:
/// a merged record without a loss is skipped, and every row without a loss is counted in
/// ``skipped``; never an error.
///
/// Which name answers a column is decided on the first row that has one of its candidates and
/// kept for the rest of the log (``ExportColumns``).
final class ExportStream {
  let source: any ExportSource
  let columns: [String]
  let lossIndex: Int?
  let stepIndex: Int?
  private let candidates: [[String]]
  /// The name chosen for each column (nil until a row has one).
  private(set) var chosen: [String?]
  /// Rows read that have no loss.
  private(set) var skipped = 0
  /// Rows read.
  private(set) var rows = 0
  /// Columns the log does not have (sources whose names are all known up front).
  private var absent: [Bool] = []
  private var pending: ExportRecord?
  private var pendingHasLoss = false
  private var done = false

  init(source: any ExportSource, columns: [String], lossIndex: Int?, stepIndex: Int?) {
    self.source = source
    self.columns = columns
    self.lossIndex = lossIndex
    self.stepIndex = stepIndex
    candidates = columns.indices.map {
      ExportColumns.candidates(columns[$0], isLoss: $0 == lossIndex, isStep: $0 == stepIndex)
    }
    chosen = Array(repeating: nil, count: columns.count)
    absent = Array(repeating: false, count: columns.count)
    source.prepare(names: candidates.flatMap { $0 })
  }

  /// Whether a row so far had column `k`.
  func present(_ k: Int) -> Bool { chosen[k] != nil }

  /// The loss column's name in the log (the one chosen, or the name asked for).
  var lossName: String {
    guard let lossIndex else { return "" }
    return chosen[lossIndex] ?? columns[lossIndex]
  }

  func error(_ kind: LogError.Kind) -> LogError {
    if source.rowIsLine { return LogError(line: source.row, kind) }
    return LogError(line: 0, .io("\(source.location): \(LogError(line: 0, kind).description)"))
  }

  private var primed: ExportRecord??

  /// Reads the first record ahead, so that the loss column is chosen (and a log without any is
  /// an error) when the log is opened.
  func prime() throws(LogError) {
    guard primed == nil else { return }
    let first = try read()
    primed = .some(first)
    if first == nil { try checkLossFound() }
  }

  /// The next record with a loss, or nil at the end.
  func next() throws(LogError) -> ExportRecord? {
    if let p = primed {
      primed = .some(nil)
      if let p { return p }
    }
    return try read()
  }

  private func read() throws(LogError) -> ExportRecord? {
    while !done {
      guard try source.advance() else {
        done = true
        break
      }
      rows += 1
      var values: [FieldValue] = []
      values.reserveCapacity(columns.count)
      for k in columns.indices {
        if let name = chosen[k] {
          values.append(try source.value(name) ?? .missing)
          continue
        }
        if absent[k] {
          values.append(.missing)
          continue
        }
        var found: FieldValue = .missing
        for c in candidates[k] {
          if let v = try source.value(c) {
            chosen[k] = c
            found = v
            break
          }
        }
        values.append(found)
      }
      if source.namesAreFixed { absent = chosen.map { $0 == nil } }
      let hasLoss = lossIndex.map { values[$0] != .missing } ?? true
      if !hasLoss { skipped += 1 }
      let record = ExportRecord(row: source.row, location: source.location, values: values)
      if var p = pending, let k = stepIndex, case .number(let s) = values[k], p.values[k] == .number(s) {
        for j in columns.indices where values[j] != .missing {
          if p.values[j] == .missing {
            p.values[j] = values[j]
          } else if p.values[j] != values[j] {
            throw LogError(
              line: 0,
              .io(
                "\(source.location): column '\(Echo.cut(chosen[j] ?? columns[j]))' is \(values[j]) here and \(p.values[j]) at \(p.location), the same step \(s): which one is meant is ambiguous"
              ))
          }
        }
        if hasLoss && !pendingHasLoss {
          p.row = record.row
          p.location = record.location
        }
        pending = p
        pendingHasLoss = pendingHasLoss || hasLoss
        continue
      }
      let out = pending
      let outHasLoss = pendingHasLoss
      pending = record
      pendingHasLoss = hasLoss
      if let out, outHasLoss { return out }
    }
    defer { pending = nil }
    return pendingHasLoss ? pending : nil
  }

  /// Called after the last record: an error when no row had the loss at all.
  func checkLossFound() throws(LogError) {
    guard let k = lossIndex, chosen[k] == nil else { return }
    let looked = candidates[k].map { "'\($0)'" }.joined(separator: ", ")
    throw LogError(
      line: 0,
      .io(
        "no row of this \(source.format.rawValue) log has a loss: looked for \(looked); its columns: \(Echo.list(source.names)); name the loss with --loss-column"
      ))
  }

  /// The reason rows were skipped, for standard error (nil when none was).
  var skippedNote: String? {
    guard skipped > 0 else { return nil }
    return
      "note: \(skipped) of \(rows) rows of this \(source.format.rawValue) log carry no '\(lossName)' (eval or other metrics only): not replayed as steps"
  }
}

extension ExportStream {
  /// The next record as the controller's input (loss, env and step at `columns` 0, 1 and 2:
  /// the order ``LossLogReader`` asks for), with its row.
  func nextInput(envRequired: Bool) throws(LogError) -> (
    input: Input, row: Int, record: ExportRecord, hasStep: Bool
  )? {
    guard let r = try next() else { return nil }
    func number(_ k: Int) throws(LogError) -> Double? {
      switch r.values[k] {
      case .number(let x): return x
      case .missing: return nil
      case .text(let t):
        if let x = Array(t.utf8).withUnsafeBufferPointer({ NumberParsing.double($0) }) { return x }
        throw located(r, .notANumber(column: chosen[k] ?? columns[k], text: t))
      }
    }
    let loss = try number(0)!
    var env = 0.0
    if let e = try number(1) {
      env = e
    } else if present(1) || envRequired {
      throw located(r, .missingValue(column: chosen[1] ?? columns[1]))
    }
    var step = 0
    switch r.values[2] {
    case .number(let x):
      guard x.isFinite, x == x.rounded(), abs(x) <= 0x1p53 else {
        throw located(r, .notAnInteger(column: chosen[2] ?? columns[2], text: x.description))
      }
      step = Int(x)
    case .text(let t):
      if let s = Array(t.utf8).withUnsafeBufferPointer({ NumberParsing.integer($0) }) {
        step = s
      } else {
        throw located(r, .notAnInteger(column: chosen[2] ?? columns[2], text: t))
      }
    case .missing:
      if present(2) { throw located(r, .missingValue(column: chosen[2] ?? columns[2])) }
    }
    return (Input(step: step, loss: loss, env: env), r.row, r, present(2))
  }

  func located(_ r: ExportRecord, _ kind: LogError.Kind) -> LogError {
    if source.rowIsLine { return LogError(line: r.row, kind) }
    return LogError(line: 0, .io("\(r.location): \(LogError(line: 0, kind).description)"))
  }
}
