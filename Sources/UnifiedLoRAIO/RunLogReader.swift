import UnifiedLoRASupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

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

/// Where a log is read from: a file (`-` for standard input) or bytes in memory (tests, fuzzing).
public enum LogSource: Sendable, Hashable {
  case path(String)
  case bytes([UInt8])
}

/// Streams the records of a run log (CSV or JSON Lines) with any number of named columns.
///
/// ```swift
/// let reader = try RunLogReader(.path("run.jsonl"), format: .jsonl,
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

  /// Opens a log (`-` for standard input, or bytes in memory) and, for CSV, reads its header.
  ///
  /// - Parameters:
  ///   - source: the file or the bytes.
  ///   - format: `.auto` decides it from the content (``LogFormat``).
  ///   - required: per column, whether a CSV header without it is an error (default: none).
  ///   - maxLineLength: the longest line (CSV: record) in bytes; a longer one is an error.
  ///   - lossColumn: in the practitioners' export formats (`Formats/`), the column whose absence
  ///     marks a row that is not a training step: such rows are skipped and counted
  ///     (``skippedRows``); rows of the same `stepColumn` (default `step`) are merged.
  ///   - copyTo: an open descriptor that receives every byte read from standard input (path
  ///     `-`) as it is read, so that the stream can be read again from it; -1 for none.
  /// - Throws: ``LogError`` (`.io`, `.empty`, `.missingColumn`, `.duplicateColumn`).
  public convenience init(
    _ source: LogSource, format: LogSchema.Format, columns: [String], required: [Bool]? = nil,
    maxLineLength: Int = LogSchema.defaultMaxLineLength, lossColumn: String? = nil,
    stepColumn: String? = nil, copyTo: Int32 = -1
  ) throws(LogError) {
    let input =
      switch source {
      case .path(let path): try LogInput(path: path, format: format, copy: StreamCopy(fd: copyTo))
      case .bytes(let bytes): LogInput(bytes: bytes, format: format)
      }
    try self.init(
      input: input, columns: columns, required: required, maxLineLength: maxLineLength,
      lossColumn: lossColumn, stepColumn: stepColumn)
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
    self.values = Array(repeating: .missing, count: columns.count)
    self.scanner = JSONScanner(paths: columns)
    if format == .csv { try readHeader(required: required ?? present) }
  }

  /// The 1-based number of the last line read.
  public var lineNumber: Int { lines.lineNumber }

  private func readHeader(required: [Bool]) throws(LogError) {
    header = try lines.header(&splitter).fields
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

  /// The values of the record ``next()`` read last, one per column of ``columns``.
  public private(set) var values: [FieldValue]

  /// Reads the next record into ``values`` and returns the 1-based line it starts on, or nil at
  /// the end. Blank lines are skipped. A log with no record at all is ``LogError/Kind/empty``.
  /// Reuses ``values``: no allocation per record unless a caller keeps a copy of it.
  public func next() throws(LogError) -> Int? {
    values.removeAll(keepingCapacity: true)
    return try next(into: &values)
  }

  /// Reads the next record, appending its values (one per column) to `out`.
  private func next(into out: inout [FieldValue]) throws(LogError) -> Int? {
    if let export {
      guard let r = try export.next() else {
        if records == 0 { try export.checkLossFound() }
        for k in columns.indices where exportRequired?[k] == true && !export.present(k) {
          throw LogError(line: 0, .missingColumn(columns[k], available: export.source.names))
        }
        if records == 0 { throw LogError(line: 0, .empty) }
        return nil
      }
      for k in columns.indices { present[k] = export.present(k) }
      records += 1
      out.append(contentsOf: r.values)
      return r.row
    }
    while true {
      let got: Bool? = try lines.nextLine { (b, n) throws(LogError) -> Bool in
        self.currentLine = n
        if NumberParsing.trim(b).isEmpty { return false }
        if self.format == .csv { try self.parseCSV(b, into: &out) } else { try self.parseJSON(b, into: &out) }
        return true
      }
      guard let got else {
        if records == 0 { throw LogError(line: 0, .empty) }
        return nil
      }
      if got {
        records += 1
        return currentLine
      }
    }
  }

  /// Appends up to `limit` records to `batch` (after emptying it) and returns how many; 0 at the
  /// end. Blank lines are skipped. A log with no record at all is ``LogError/Kind/empty``.
  public func read(into batch: inout [RunLogRecord], limit: Int) throws(LogError) -> Int {
    batch.removeAll(keepingCapacity: true)
    while batch.count < limit, let line = try next() {
      batch.append(RunLogRecord(line: line, values: values))
    }
    return batch.count
  }

  /// As ``read(into:limit:)`` without a record value per record: the values of record `r` are
  /// `values[r * columns.count ..< (r + 1) * columns.count]`, its line `lines[r]`. Both arrays
  /// are emptied first and keep their capacity, so a log is read without allocating per record.
  public func read(values flat: inout [FieldValue], lines rows: inout [Int], limit: Int) throws(LogError)
    -> Int
  {
    let n = try read(cells: &cellBuffer, texts: &textBuffer, lines: &rows, limit: limit)
    flat.removeAll(keepingCapacity: true)
    flat.reserveCapacity(cellBuffer.count)
    for c in cellBuffer { flat.append(c.value(textBuffer)) }
    return n
  }

  private var cellBuffer: [Cell] = []
  private var textBuffer: [String] = []
  /// The values of one record read line by line (reused).
  private var recordValues: [FieldValue] = []

  /// As ``read(values:lines:limit:)`` with the values as ``Cell``s, their texts in `texts`: what
  /// the audit reads, without a reference-counting step per cell. The three arrays are emptied
  /// first and keep their capacity.
  package func read(cells: inout [Cell], texts: inout [String], lines rows: inout [Int], limit: Int)
    throws(LogError) -> Int
  {
    cells.removeAll(keepingCapacity: true)
    texts.removeAll(keepingCapacity: true)
    rows.removeAll(keepingCapacity: true)
    while rows.count < limit {
      if export == nil && format == .csv,
        try readBlock(cells: &cells, texts: &texts, lines: &rows, limit: limit)
      {
        continue
      }
      recordValues.removeAll(keepingCapacity: true)
      guard let line = try next(into: &recordValues) else { break }
      for v in recordValues { cells.append(Cell.from(v, texts: &texts)) }
      rows.append(line)
    }
    return rows.count
  }

  /// The bytes of a record on average so far (a guess of 64 before any), to cut a block near
  /// the batch's end instead of parsing records that the next batch would parse again.
  private var blockBytes = 0
  private var blockRecords = 0

  /// Reads the whole lines buffered now as one ``CSVBlock`` when they hold no quote (each line
  /// is then one record), cut in two at a line break and parsed on two cores when it is long
  /// enough; appends up to `limit - lines.count` records. Returns false, reading nothing, when no
  /// such block is buffered. The records, their line numbers and the first error are exactly
  /// those of ``next(into:)`` line by line: an error in the second half is thrown only when the
  /// first half ended without one and the limit was not reached before it.
  private func readBlock(cells flat: inout [Cell], texts: inout [String], lines rows: inout [Int], limit: Int)
    throws(LogError)
    -> Bool
  {
    let room = limit - rows.count
    guard room > 0 else { return false }
    let width = header.count
    let indices = self.indices
    let maxLineLength = lines.maxLineLength
    let perRecord = blockRecords > 0 ? max(1, blockBytes / blockRecords) : 64
    let threads = Parallel.defaultThreads
    let done = try lines.withBufferedLines {
      (all, first) throws(LogError) -> ((records: Int, bytes: Int), bytes: Int, lines: Int) in
      // At most about the bytes of the records still wanted, ending at a line break.
      var b = all
      if room < all.count / perRecord,
        let cut = Self.lineEnd(in: all, after: room * perRecord + room * perRecord / 8)
      {
        b = UnsafeBufferPointer(rebasing: all[..<cut])
      }
      // The first part is the smaller (two fifths): the calling thread, which usually takes it,
      // also checks every record after the parse, so both threads finish about together.
      var halves: [CSVBlock]
      var mid = b.count
      if threads > 1 && b.count >= Self.parallelBlockBytes,
        let cut = Self.lineEnd(in: b, after: b.count * 2 / 5),
        cut < b.count
      {
        mid = cut
        let copy = Array(b)
        let mid = cut
        halves = Parallel.map(0..<2, threads: 2, chunk: 1) { k in
          copy.withUnsafeBufferPointer { p in
            CSVBlock.parse(
              UnsafeBufferPointer(rebasing: k == 0 ? p[..<mid] : p[mid...]), firstLine: k == 0 ? first : 1,
              width: width, indices: indices, maxLineLength: maxLineLength, limit: room)
          }
        }
      } else {
        halves = [
          CSVBlock.parse(
            b, firstLine: first, width: width, indices: indices, maxLineLength: maxLineLength, limit: room)
        ]
      }
      var got = 0
      var lineBase = first - 1  // the line before the current half
      var byteBase = 0
      let w = indices.count
      for (k, raw) in halves.enumerated() {
        let h = k == 0 ? raw : raw.shifted(lineBase)
        let take = min(h.lines.count, room - got)
        if h.texts.isEmpty {
          flat.append(contentsOf: h.values[..<(take * w)])
        } else {
          // The half's texts go after those already read: its indices move on by their count.
          let base = texts.count
          texts.append(contentsOf: h.texts)
          for c in h.values[..<(take * w)] {
            if case .text(let i) = c { flat.append(.text(base + i)) } else { flat.append(c) }
          }
        }
        rows.append(contentsOf: h.lines[..<take])
        got += take
        if got == room {
          // The batch is full: consume through the last record taken, as a record-by-record read
          // would, which never looks past it (an error after it is the next batch's).
          let bytes = byteBase + h.ends[take - 1]
          return ((got, bytes), bytes: bytes, lines: h.lines[take - 1] - first + 1)
        }
        if let e = h.error { throw e }
        lineBase += h.lineCount
        byteBase += k == 0 ? mid : b.count - mid
      }
      return ((got, b.count), bytes: b.count, lines: lineBase - first + 1)
    }
    guard let done else { return false }
    records += done.records
    blockRecords += done.records
    blockBytes += done.bytes
    return true
  }

  /// The offset just past the first line break at or after `offset` in `b`, or nil.
  private static func lineEnd(in b: UnsafeBufferPointer<UInt8>, after offset: Int) -> Int? {
    guard offset < b.count, let base = b.baseAddress, let hit = memchr(base + offset, 0x0A, b.count - offset)
    else { return nil }
    return base.distance(to: hit.assumingMemoryBound(to: UInt8.self)) + 1
  }

  /// Every remaining record (a convenience for logs that fit in memory).
  public func readAll() throws(LogError) -> [RunLogRecord] {
    var all: [RunLogRecord] = []
    var batch: [RunLogRecord] = []
    while try read(into: &batch, limit: 65_536) > 0 { all += batch }
    return all
  }

  private func parseCSV(_ b: UnsafeBufferPointer<UInt8>, into out: inout [FieldValue]) throws(LogError) {
    try splitter.cells(b, width: header.count, line: currentLine, indices: indices, into: &out)
  }

  private func parseJSON(_ b: UnsafeBufferPointer<UInt8>, into out: inout [FieldValue]) throws(LogError) {
    let found: [JSONToken?]
    do {
      found = try scanner.scan(b)
    } catch {
      throw LogError(fault: error, in: b, line: currentLine)
    }
    for (k, token) in found.enumerated() {
      if token != nil { present[k] = true }
      switch token {
      case nil, .null?: out.append(.missing)
      case .number(let r)?: out.append(FieldValue.cell(UnsafeBufferPointer(rebasing: b[r])))
      case .string(let s)?:
        out.append(Array(s.utf8).withUnsafeBufferPointer { FieldValue.cell($0) })
      case let t?: out.append(.text(t.text(in: b)))
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
    if let v = number(trimmed: f) { return .number(v) }
    return .text(String(decoding: f, as: UTF8.self))
  }

  /// The number a trimmed, non-empty cell holds, or nil when it is text (see ``cell(_:)``).
  @inline(__always)
  static func number(trimmed f: UnsafeBufferPointer<UInt8>) -> Double? {
    // An integer literal binary64 cannot hold is beyond 2^53 > 10^15: only then is it looked for.
    if let v = NumberParsing.double(f), abs(v) < 1e15 || !NumberParsing.isInexactInteger(f) {
      return v
    }
    return nil
  }
}
