import UnifiedLoRA

/// Streams the inputs of a loss log (CSV or JSON Lines) in batches, in constant memory.
///
/// ```swift
/// let reader = try LossLogReader(path: "run.csv", schema: LogSchema(loss: "train/loss"))
/// var batch: [Input] = []
/// while try reader.read(into: &batch, limit: 65_536) > 0 { … }
/// ```
///
/// Errors are ``LogError`` values with the line number; NaN, infinite or negative values parse
/// (the controller rejects them with the step number). Steps, when the log has a step column,
/// must be integers that strictly increase; they are read exactly, never through a double.
///
/// What the reader refuses rather than guesses: a CSV quote out of place (RFC 4180), a NUL byte,
/// a line longer than the schema's ``LogSchema/maxLineLength``, a column that is read appearing
/// twice in the header (or a key twice in one JSON object), a JSON `null` where a value is read.
/// A UTF-8 byte-order mark before the header is dropped.
///
/// The CSV parser is written here rather than taken from a CSV library: the library in the
/// environment (CSV.swift) decodes every field to a `String` through `InputStream` and runs at
/// about a tenth of the rate this toolkit needs (`make bench` measures both). A JSON Lines line
/// is checked whole but only the values at the requested key paths are extracted.
///
/// The reader's stored properties opt out of dynamic exclusivity checks: the class is not
/// shared between threads (it is not `Sendable`) and its accesses are strictly nested.
public final class LossLogReader {
  public let schema: LogSchema
  @exclusivity(unchecked) private var lines: LineReader
  @exclusivity(unchecked) private var header: [String] = []
  @exclusivity(unchecked) private var lossIndex = -1
  @exclusivity(unchecked) private var envIndex = -1
  @exclusivity(unchecked) private var stepIndex = -1
  @exclusivity(unchecked) private var previousStep: Int?
  @exclusivity(unchecked) private var recordIndex = 0
  /// The 1-based number of the line being parsed (or last parsed).
  @exclusivity(unchecked) private var line = 0
  @exclusivity(unchecked) private var splitter = CSVSplitter()
  @exclusivity(unchecked) private var scanner: JSONScanner

  /// Opens a log file (`-` for standard input) and reads its header (CSV). With the format
  /// `.auto`, the format is decided from the content (``LogFormat``).
  public convenience init(path: String, schema: LogSchema) throws(LogError) {
    try self.init(input: LogInput(path: path, format: schema.format), schema: schema)
  }

  /// A reader over bytes in memory (tests, fuzzing).
  public convenience init(bytes: [UInt8], schema: LogSchema) throws(LogError) {
    try self.init(input: LogInput(bytes: bytes, format: schema.format), schema: schema)
  }

  /// The dispatch point: CSV and JSON Lines are read here, the practitioners' export formats
  /// by an ``ExportStream`` (`Formats/`).
  private convenience init(input: LogInput, schema given: LogSchema) throws(LogError) {
    var schema = given
    schema.format = input.format
    if schema.format.isExport {
      let stream = ExportStream(
        source: try input.exportSource(maxLineLength: schema.maxLineLength),
        columns: [schema.loss, schema.env, schema.step], lossIndex: 0, stepIndex: 2)
      try self.init(lines: LineReader(bytes: [], maxLineLength: 1, csvQuotes: false), schema: schema)
      export = stream
      try stream.prime()
    } else {
      try self.init(
        lines: input.lines(maxLineLength: schema.maxLineLength, csvQuotes: schema.format == .csv),
        schema: schema)
    }
  }

  private init(lines: consuming LineReader, schema: LogSchema) throws(LogError) {
    self.lines = lines
    self.schema = schema
    scanner = JSONScanner(paths: [schema.loss, schema.env, schema.step])
    if schema.format == .csv { try readHeader() }
  }

  /// The reader of an export format (nil for CSV and JSON Lines).
  @exclusivity(unchecked) private var export: ExportStream?
  /// Rows of an export format skipped because they carry no loss (eval rows, other metrics).
  public var skippedRows: Int { export?.skipped ?? 0 }
  /// What was skipped, for standard error (nil when nothing was).
  public var skippedNote: String? { export?.skippedNote }
  /// The loss column as the log names it (an export's chosen column or tag).
  public var lossColumn: String { export?.lossName ?? schema.loss }

  /// The 1-based number of the last line read.
  public var lineNumber: Int { line }
  /// The CSV header's column names (empty for JSON Lines).
  public var columns: [String] { header }
  /// Whether the log is a pipe, a terminal or another live stream (records then arrive as they
  /// are written; see ``read(into:limit:untilBlocked:)``).
  public var isLive: Bool { export?.source.isLive ?? lines.isLive }

  private func readHeader() throws(LogError) {
    (header, line) = try lines.header(&splitter)
    func index(_ name: String) throws(LogError) -> Int {
      guard let first = header.firstIndex(of: name) else { return -1 }
      if let second = header[(first + 1)...].firstIndex(of: name) {
        throw LogError(line: line, .duplicateColumn(name, first: first + 1, second: second + 1))
      }
      return first
    }
    lossIndex = try index(schema.loss)
    guard lossIndex >= 0 else {
      throw LogError(line: line, .missingColumn(schema.loss, available: header))
    }
    envIndex = try index(schema.env)
    if envIndex < 0 && schema.envRequired {
      throw LogError(line: line, .missingColumn(schema.env, available: header))
    }
    stepIndex = try index(schema.step)
    if stepIndex < 0 && schema.stepRequired {
      throw LogError(line: line, .missingColumn(schema.step, available: header))
    }
  }

  /// Appends up to `limit` inputs to `batch` (after emptying it) and returns how many; 0 at the
  /// end of the log. Blank lines are skipped. A log with a header and no record is an error.
  ///
  /// With `untilBlocked`, returns early, with at least one input, rather than wait for more
  /// input: on a live stream each record is then passed on as soon as it was written.
  public func read(into batch: inout [Input], limit: Int, untilBlocked: Bool = false) throws(LogError) -> Int
  {
    batch.removeAll(keepingCapacity: true)
    while batch.count < limit, let export {
      guard let got = try export.nextInput(envRequired: schema.envRequired) else {
        if recordIndex == 0 { try export.checkLossFound() }
        break
      }
      line = got.row
      var input = got.input
      if !got.hasStep { input.step = recordIndex }
      if let previousStep, input.step <= previousStep {
        throw export.located(got.record, .stepOrder(previous: previousStep, found: input.step))
      }
      previousStep = input.step
      recordIndex += 1
      batch.append(input)
      if untilBlocked && export.source.isLive { break }
    }
    while export == nil && batch.count < limit {
      if untilBlocked && !batch.isEmpty && !lines.hasBufferedLine { break }
      let got: Input?? = try lines.nextLine { (b, n) throws(LogError) -> Input? in
        self.line = n
        if NumberParsing.trim(b).isEmpty { return nil }
        return self.schema.format == .csv ? try self.parseCSV(b) : try self.parseJSON(b)
      }
      guard let maybe = got else { break }
      guard var input = maybe else { continue }
      if stepIndex < 0 { input.step = recordIndex }
      if let previousStep, input.step <= previousStep {
        throw LogError(line: line, .stepOrder(previous: previousStep, found: input.step))
      }
      previousStep = input.step
      recordIndex += 1
      batch.append(input)
    }
    if batch.isEmpty && recordIndex == 0 { throw LogError(line: 0, .empty) }
    return batch.count
  }

  // MARK: CSV

  private func parseCSV(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> Input {
    let quoted = try splitter.record(b, width: header.count, line: line)
    if quoted {
      let copy = splitter.scratch
      return try copy.withUnsafeBufferPointer { (p) throws(LogError) -> Input in
        try self.fields(p)
      }
    }
    return try fields(b)
  }

  private func fields(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> Input {
    func field(_ k: Int) -> UnsafeBufferPointer<UInt8> {
      UnsafeBufferPointer(rebasing: b[splitter.starts[k]..<splitter.ends[k]])
    }
    let loss = try number(field(lossIndex), column: schema.loss)
    let env = envIndex >= 0 ? try number(field(envIndex), column: schema.env) : 0
    let step = stepIndex >= 0 ? try integer(field(stepIndex), column: schema.step) : 0
    return Input(step: step, loss: loss, env: env)
  }

  private func number(_ f: UnsafeBufferPointer<UInt8>, column: String) throws(LogError) -> Double {
    if let v = NumberParsing.double(f) { return v }
    if NumberParsing.trim(f).isEmpty {
      throw LogError(line: line, .missingValue(column: column))
    }
    throw LogError(
      line: line, .notANumber(column: column, text: String(decoding: f, as: UTF8.self)))
  }

  private func integer(_ f: UnsafeBufferPointer<UInt8>, column: String) throws(LogError) -> Int {
    if let s = NumberParsing.integer(f) { return s }
    let text = String(decoding: NumberParsing.trim(f), as: UTF8.self)
    if text.isEmpty { throw LogError(line: line, .missingValue(column: column)) }
    if NumberParsing.double(f) != nil || NumberParsing.isInexactInteger(f) {
      throw LogError(line: line, .notAnInteger(column: column, text: text))
    }
    throw LogError(line: line, .notANumber(column: column, text: text))
  }

  // MARK: JSON Lines

  private func parseJSON(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> Input {
    let found: [JSONToken?]
    do {
      found = try scanner.scan(b)
    } catch {
      throw LogError(fault: error, in: b, line: line)
    }
    /// The number at a key path, or nil when the key is absent (an error when `required`).
    func value<T>(
      _ k: Int, _ path: String, required: Bool, _ parse: (UnsafeBufferPointer<UInt8>) throws(LogError) -> T
    )
      throws(LogError) -> T?
    {
      guard let token = found[k] else {
        if required {
          throw LogError(line: line, .missingColumn(path, available: JSONScanner.topLevelKeys(b)))
        }
        return nil
      }
      switch token {
      case .number(let r): return try parse(UnsafeBufferPointer(rebasing: b[r]))
      // Quoted numbers are accepted too (some loggers write "NaN" or "1e-3" as strings).
      case .string(let s):
        return try Array(s.utf8).withUnsafeBufferPointer { (p) throws(LogError) -> T in try parse(p) }
      case .null: throw LogError(line: line, .nullValue(column: path))
      default: throw LogError(line: line, .notANumber(column: path, text: token.text(in: b)))
      }
    }
    let loss = try value(0, schema.loss, required: true) { (f) throws(LogError) in
      try self.number(f, column: self.schema.loss)
    }!
    let env =
      try value(1, schema.env, required: schema.envRequired) { (f) throws(LogError) in
        try self.number(f, column: self.schema.env)
      } ?? 0
    var step = 0
    if let s = try value(
      2, schema.step, required: schema.stepRequired,
      { (f) throws(LogError) in
        try self.integer(f, column: self.schema.step)
      })
    {
      step = s
      if stepIndex < 0 { stepIndex = 0 }  // the log has steps: check their order
    } else if stepIndex >= 0 {
      throw LogError(line: line, .missingValue(column: schema.step))
    }
    return Input(step: step, loss: loss, env: env)
  }
}

extension LogError {
  /// A JSON syntax fault at a byte offset of a line.
  init(fault: JSONFault, in b: UnsafeBufferPointer<UInt8>, line: Int) {
    if let key = fault.duplicateKey {
      self.init(line: line, .duplicateColumn(key, first: 0, second: 0))
    } else {
      self.init(line: line, .badJSON("column \(fault.offset + 1): \(fault.message)"))
    }
  }
}

extension String {
  var trimmingSpaces: String {
    var s = Substring(self)
    while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
    while let l = s.last, l == " " || l == "\t" { s.removeLast() }
    return String(s)
  }
}
