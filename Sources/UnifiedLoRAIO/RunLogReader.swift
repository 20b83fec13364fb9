/// One record of a run log: the 1-based line it came from and one ``FieldValue`` per column of
/// the ``RunLogReader``'s `columns`, in that order.
public struct RunLogRecord: Sendable, Hashable {
  public var line: Int
  public var values: [FieldValue]

  public init(line: Int, values: [FieldValue]) {
    self.line = line
    self.values = values
  }
}

/// Streams the records of a run log (CSV or JSON Lines) with any number of named columns.
///
/// ```swift
/// let reader = try RunLogReader(path: "run.jsonl", format: .jsonl,
///                               columns: ["step", "metrics.loss:sum", "mode"], required: [false, true, false])
/// var batch: [RunLogRecord] = []
/// while try reader.read(into: &batch, limit: 4096) > 0 { … }
/// ```
///
/// Where ``LossLogReader`` reads the three inputs of the controller fast and rejects anything
/// odd, this reader hands every cell to the caller as it is: a number, text or missing. It
/// throws ``LogError`` only when the file's structure is broken: it cannot be opened, it is empty,
/// a CSV header lacks a required column, a row has the wrong number of fields, a JSON Lines line
/// is not an object. Step order, NaN and missing values are the caller's to diagnose.
///
/// **Columns.** In CSV a column is a header name (exact match after trimming spaces, quotes
/// removed). In JSON Lines a column is a key, or a key path into nested objects separated by dots
/// (`metrics.loss:sum`); a key that itself contains dots is matched whole first, as
/// ``LogSchema`` does. JSON numbers and numeric strings are numbers; `null` or an absent key is
/// missing; anything else is text.
///
/// - Complexity: O(1) memory per record; one pass over the file.
public final class RunLogReader {
  public let format: LogSchema.Format
  /// The column names asked for, in the order of ``RunLogRecord/values``.
  public let columns: [String]
  /// For each column: whether the CSV header has it (JSON Lines: whether any line so far had it).
  public private(set) var present: [Bool]
  /// The CSV header (empty for JSON Lines).
  public private(set) var header: [String] = []
  private var lines: LineReader
  private var indices: [Int] = []
  private var records = 0
  /// The line being parsed (the parsers must not read `lines` while it is being mutated).
  private var currentLine = 0
  private var splitter = CSVSplitter()
  private var scanner: JSONScanner

  /// Opens a log (`-` for standard input) and, for CSV, reads its header.
  ///
  /// - Parameters:
  ///   - required: per column, whether a CSV header without it is an error (default: none).
  ///   - maxLineLength: the longest line (CSV: record) in bytes; a longer one is an error.
  /// - Throws: ``LogError`` (`.io`, `.empty`, `.missingColumn`, `.duplicateColumn`).
  ///   - format: `.auto` decides it from the content (``LogFormat``).
  ///   - lossColumn: in the practitioners' export formats (`Formats/`), the column whose absence
  ///     marks a row that is not a training step: such rows are skipped and counted
  ///     (``skippedRows``); rows of the same `stepColumn` (default `step`) are merged.
  public convenience init(
    path: String, format: LogSchema.Format, columns: [String], required: [Bool]? = nil,
    maxLineLength: Int = LogSchema.defaultMaxLineLength, lossColumn: String? = nil,
    stepColumn: String? = nil
  ) throws(LogError) {
    try self.init(
      input: LogInput(path: path, format: format), columns: columns, required: required,
      maxLineLength: maxLineLength, lossColumn: lossColumn, stepColumn: stepColumn)
  }

  /// A reader over bytes in memory (tests).
  public convenience init(
    bytes: [UInt8], format: LogSchema.Format, columns: [String], required: [Bool]? = nil,
    maxLineLength: Int = LogSchema.defaultMaxLineLength, lossColumn: String? = nil,
    stepColumn: String? = nil
  ) throws(LogError) {
    try self.init(
      input: LogInput(bytes: bytes, format: format), columns: columns, required: required,
      maxLineLength: maxLineLength, lossColumn: lossColumn, stepColumn: stepColumn)
  }

  /// The dispatch point: CSV and JSON Lines are read here, the export formats by an
  /// ``ExportStream``.
  private convenience init(
    input: LogInput, columns: [String], required: [Bool]?, maxLineLength: Int, lossColumn: String?,
    stepColumn: String?
  ) throws(LogError) {
    if input.format.isExport {
      let stream = ExportStream(
        source: try input.exportSource(maxLineLength: maxLineLength), columns: columns,
        lossIndex: lossColumn.flatMap { columns.firstIndex(of: $0) },
        stepIndex: columns.firstIndex(of: stepColumn ?? "step"))
      try self.init(
        lines: LineReader(bytes: [], maxLineLength: 1, csvQuotes: false), format: input.format,
        columns: columns, required: nil)
      export = stream
      try stream.prime()
      exportRequired = required
    } else {
      try self.init(
        lines: input.lines(maxLineLength: maxLineLength, csvQuotes: input.format == .csv),
        format: input.format, columns: columns, required: required)
    }
  }

  private var export: ExportStream?
  private var exportRequired: [Bool]?
  /// Rows of an export format skipped because they carry no loss (eval rows, other metrics).
  public var skippedRows: Int { export?.skipped ?? 0 }
  /// What was skipped, for standard error (nil when nothing was).
  public var skippedNote: String? { export?.skippedNote }
  /// The name under which the log has column `k` (an export's chosen column or tag).
  public func columnName(_ k: Int) -> String { export?.chosen[k] ?? columns[k] }

  private init(
    lines: consuming LineReader, format: LogSchema.Format, columns: [String], required: [Bool]?
  ) throws(LogError) {
    precondition(required == nil || required!.count == columns.count, "one required flag per column")
    self.lines = lines
    self.format = format
    self.columns = columns
    self.present = Array(repeating: false, count: columns.count)
    self.scanner = JSONScanner(paths: columns)
    if format == .csv { try readHeader(required: required ?? present) }
  }

  /// The 1-based number of the last line read.
  public var lineNumber: Int { lines.lineNumber }

  private func readHeader(required: [Bool]) throws(LogError) {
    while header.isEmpty {
      let line: [String]?? = try lines.nextLine { (b, n) throws(LogError) -> [String]? in
        if NumberParsing.trim(b).isEmpty { return nil }
        do throws(CSVFault) {
          return try self.splitter.strings(b)
        } catch {
          let at = position(of: error.offset, in: b, firstLine: n)
          throw LogError(line: at.line, .badQuote(column: at.column, error.message))
        }
      }
      guard let l = line else { throw LogError(line: 0, .empty) }
      if let l { header = l }
    }
    var indices: [Int] = []
    for name in columns {
      let first = header.firstIndex(of: name)
      if let first, let second = header[(first + 1)...].firstIndex(of: name) {
        throw LogError(line: lines.lineNumber, .duplicateColumn(name, first: first + 1, second: second + 1))
      }
      indices.append(first ?? -1)
    }
    self.indices = indices
    for (k, index) in indices.enumerated() {
      present[k] = index >= 0
      if index < 0 && required[k] {
        throw LogError(line: lines.lineNumber, .missingColumn(columns[k], available: header))
      }
    }
  }

  /// Appends up to `limit` records to `batch` (after emptying it) and returns how many; 0 at the
  /// end. Blank lines are skipped. A log with no record at all is ``LogError/Kind/empty``.
  public func read(into batch: inout [RunLogRecord], limit: Int) throws(LogError) -> Int {
    batch.removeAll(keepingCapacity: true)
    while batch.count < limit, let export {
      guard let r = try export.next() else {
        if records == 0 { try export.checkLossFound() }
        for k in columns.indices where exportRequired?[k] == true && !export.present(k) {
          throw LogError(line: 0, .missingColumn(columns[k], available: export.source.names))
        }
        break
      }
      for k in columns.indices { present[k] = export.present(k) }
      records += 1
      batch.append(RunLogRecord(line: r.row, values: r.values))
    }
    while export == nil && batch.count < limit {
      let got: [FieldValue]?? = try lines.nextLine { (b, n) throws(LogError) -> [FieldValue]? in
        self.currentLine = n
        if NumberParsing.trim(b).isEmpty { return nil }
        return self.format == .csv ? try self.parseCSV(b) : try self.parseJSON(b)
      }
      guard let maybe = got else { break }
      guard let values = maybe else { continue }
      records += 1
      batch.append(RunLogRecord(line: currentLine, values: values))
    }
    if batch.isEmpty && records == 0 { throw LogError(line: 0, .empty) }
    return batch.count
  }

  /// Every remaining record (a convenience for logs that fit in memory).
  public func readAll() throws(LogError) -> [RunLogRecord] {
    var all: [RunLogRecord] = []
    var batch: [RunLogRecord] = []
    while try read(into: &batch, limit: 65_536) > 0 { all += batch }
    return all
  }

  private func parseCSV(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> [FieldValue] {
    let quoted: Bool
    do {
      quoted = try splitter.split(b)
    } catch {
      let at = position(of: error.offset, in: b, firstLine: currentLine)
      throw LogError(line: at.line, .badQuote(column: at.column, error.message))
    }
    guard splitter.count == header.count else {
      throw LogError(line: currentLine, .ragged(expected: header.count, found: splitter.count))
    }
    let cells = quoted ? splitter.scratch : []
    return cells.withUnsafeBufferPointer { scratch in
      indices.map { k in
        guard k >= 0 else { return .missing }
        let source = quoted ? scratch : b
        return FieldValue.cell(UnsafeBufferPointer(rebasing: source[splitter.starts[k]..<splitter.ends[k]]))
      }
    }
  }

  private func parseJSON(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> [FieldValue] {
    let found: [JSONToken?]
    do {
      found = try scanner.scan(b)
    } catch {
      throw LogError(fault: error, in: b, line: currentLine)
    }
    return found.enumerated().map { k, token in
      if token != nil { present[k] = true }
      switch token {
      case nil, .null?: return .missing
      case .number(let r)?: return FieldValue.cell(UnsafeBufferPointer(rebasing: b[r]))
      case .string(let s)?:
        return Array(s.utf8).withUnsafeBufferPointer { FieldValue.cell($0) }
      case let t?: return .text(t.text(in: b))
      }
    }
  }
}

extension FieldValue {
  /// A cell as written: empty (after trimming spaces and tabs) is missing; a number is a number
  /// unless it is an integer literal that binary64 cannot hold exactly (beyond 2^53), which stays
  /// text so that an integer column is never silently rounded; anything else is text.
  static func cell(_ raw: UnsafeBufferPointer<UInt8>) -> FieldValue {
    let f = NumberParsing.trim(raw)
    if f.isEmpty { return .missing }
    if !NumberParsing.isInexactInteger(f), let v = NumberParsing.double(f) { return .number(v) }
    return .text(String(decoding: f, as: UTF8.self))
  }
}
