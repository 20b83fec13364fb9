import Foundation

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
  private let jsonDecoder = JSONDecoder()

  /// Opens a log (`-` for standard input) and, for CSV, reads its header.
  ///
  /// - Parameters:
  ///   - required: per column, whether a CSV header without it is an error (default: none).
  /// - Throws: ``LogError`` (`.io`, `.empty`, `.missingColumn`).
  public convenience init(
    path: String, format: LogSchema.Format, columns: [String], required: [Bool]? = nil
  ) throws(LogError) {
    try self.init(lines: LineReader(path: path), format: format, columns: columns, required: required)
  }

  /// A reader over bytes in memory (tests).
  public convenience init(
    bytes: [UInt8], format: LogSchema.Format, columns: [String], required: [Bool]? = nil
  ) throws(LogError) {
    try self.init(lines: LineReader(bytes: bytes), format: format, columns: columns, required: required)
  }

  private init(
    lines: consuming LineReader, format: LogSchema.Format, columns: [String], required: [Bool]?
  ) throws(LogError) {
    precondition(required == nil || required!.count == columns.count, "one required flag per column")
    self.lines = lines
    self.format = format
    self.columns = columns
    self.present = Array(repeating: false, count: columns.count)
    if format == .csv { try readHeader(required: required ?? present) }
  }

  /// The 1-based number of the last line read.
  public var lineNumber: Int { lines.lineNumber }

  private func readHeader(required: [Bool]) throws(LogError) {
    while header.isEmpty {
      let line: [String]?? = try lines.nextLine { (b, _) throws(LogError) -> [String]? in
        NumberParsing.trim(b).isEmpty ? nil : self.splitter.strings(b)
      }
      guard let l = line else { throw LogError(line: 0, .empty) }
      if let l { header = l }
    }
    indices = columns.map { header.firstIndex(of: $0) ?? -1 }
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
    while batch.count < limit {
      currentLine = lines.lineNumber + 1
      let got: [FieldValue]?? = try lines.nextLine { (b, _) throws(LogError) -> [FieldValue]? in
        if NumberParsing.trim(b).isEmpty { return nil }
        return self.format == .csv ? try self.parseCSV(b) : try self.parseJSON(b)
      }
      guard let maybe = got else { break }
      guard let values = maybe else { continue }
      records += 1
      batch.append(RunLogRecord(line: lines.lineNumber, values: values))
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
    // Fields are read in place from the line (or the splitter's unquoted copy): a number never
    // becomes a String, which keeps a row to one allocation.
    let quoted = splitter.split(b)
    guard splitter.count == header.count else {
      throw LogError(line: currentLine, .ragged(expected: header.count, found: splitter.count))
    }
    func cells(_ line: UnsafeBufferPointer<UInt8>) -> [FieldValue] {
      indices.map { k in
        guard k >= 0 else { return .missing }
        let text = NumberParsing.trim(UnsafeBufferPointer(rebasing: line[splitter.starts[k]..<splitter.ends[k]]))
        if text.isEmpty { return .missing }
        if let x = NumberParsing.double(text) { return .number(x) }
        return .text(String(decoding: text, as: UTF8.self))
      }
    }
    return quoted ? splitter.scratch.withUnsafeBufferPointer { cells($0) } : cells(b)
  }

  private func parseJSON(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> [FieldValue] {
    let dict = try JSONValue.object(b, decoder: jsonDecoder, line: currentLine)
    return columns.enumerated().map { k, path in
      let value = JSONKeyPath.lookup(path, in: dict)
      if value != nil { present[k] = true }
      return JSONKeyPath.field(value)
    }
  }
}

/// Key-path lookup in a decoded JSON object, shared by the readers of JSON Lines logs.
enum JSONKeyPath {
  /// The value at `path`: the whole key first, then the dot-separated path.
  static func lookup(_ path: String, in dict: [String: JSONValue]) -> JSONValue? {
    if let v = dict[path] { return v }
    var node = JSONValue.object(dict)
    for key in path.split(separator: ".", omittingEmptySubsequences: false) {
      guard case .object(let d) = node, let next = d[String(key)] else { return nil }
      node = next
    }
    return node
  }

  static func field(_ value: JSONValue?) -> FieldValue {
    switch value {
    case nil, .null?: return .missing
    case .number(let d)?: return .number(d)
    case .string(let s)?:
      let t = s.trimmingSpaces
      if t.isEmpty { return .missing }
      let parsed = Array(t.utf8).withUnsafeBufferPointer { NumberParsing.double($0) }
      return parsed.map(FieldValue.number) ?? .text(t)
    case let v?: return .text(v.text)
    }
  }
}
