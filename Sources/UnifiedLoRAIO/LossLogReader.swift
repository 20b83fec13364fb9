import UnifiedLoRA

import Foundation

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
/// must be integers that strictly increase.
///
/// The CSV parser is written here rather than taken from a CSV library: the library in the
/// environment (CSV.swift) decodes every field to a `String` through `InputStream` and runs at
/// about a tenth of the rate this toolkit needs (`make bench` measures both).
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
  private let jsonDecoder = JSONDecoder()

  /// Opens a log file (`-` for standard input) and reads its header (CSV).
  public convenience init(path: String, schema: LogSchema) throws(LogError) {
    try self.init(lines: LineReader(path: path), schema: schema)
  }

  /// A reader over bytes in memory (tests, fuzzing).
  public convenience init(bytes: [UInt8], schema: LogSchema) throws(LogError) {
    try self.init(lines: LineReader(bytes: bytes), schema: schema)
  }

  private init(lines: consuming LineReader, schema: LogSchema) throws(LogError) {
    self.lines = lines
    self.schema = schema
    if schema.format == .csv { try readHeader() }
  }

  /// The 1-based number of the last line read.
  public var lineNumber: Int { line }
  /// The CSV header's column names (empty for JSON Lines).
  public var columns: [String] { header }

  private func readHeader() throws(LogError) {
    var fields: [String]?
    while fields == nil {
      let got: [String]?? = try lines.nextLine { (b, n) throws(LogError) -> [String]? in
        self.line = n
        if NumberParsing.trim(b).isEmpty { return nil }
        return self.splitter.strings(b)
      }
      guard let l = got else { throw LogError(line: 0, .empty) }
      fields = l
    }
    header = fields!
    func index(_ name: String) -> Int { header.firstIndex(of: name) ?? -1 }
    lossIndex = index(schema.loss)
    guard lossIndex >= 0 else {
      throw LogError(line: line, .missingColumn(schema.loss, available: header))
    }
    envIndex = index(schema.env)
    if envIndex < 0 && schema.envRequired {
      throw LogError(line: line, .missingColumn(schema.env, available: header))
    }
    stepIndex = index(schema.step)
    if stepIndex < 0 && schema.stepRequired {
      throw LogError(line: line, .missingColumn(schema.step, available: header))
    }
  }

  /// Appends up to `limit` inputs to `batch` (after emptying it) and returns how many; 0 at the
  /// end of the log. Blank lines are skipped. A log with a header and no record is an error.
  public func read(into batch: inout [Input], limit: Int) throws(LogError) -> Int {
    batch.removeAll(keepingCapacity: true)
    while batch.count < limit {
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
    let quoted = splitter.split(b)
    guard splitter.count == header.count else {
      throw LogError(
        line: line, .ragged(expected: header.count, found: splitter.count))
    }
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
    var step = 0
    if stepIndex >= 0 {
      let f = field(stepIndex)
      if NumberParsing.trim(f).isEmpty {
        throw LogError(line: line, .missingValue(column: schema.step))
      }
      guard let s = NumberParsing.integer(f) else {
        throw LogError(
          line: line,
          .notANumber(column: schema.step, text: String(decoding: f, as: UTF8.self)))
      }
      step = s
    }
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

  // MARK: JSON Lines

  private func parseJSON(_ b: UnsafeBufferPointer<UInt8>) throws(LogError) -> Input {
    let dict = try JSONValue.object(b, decoder: jsonDecoder, line: line)
    func number(_ path: String, required: Bool) throws(LogError) -> Double? {
      guard let v = JSONKeyPath.lookup(path, in: dict), v != .null else {
        if required {
          throw LogError(line: line, .missingColumn(path, available: dict.keys.sorted()))
        }
        return nil
      }
      if case .number(let d) = v { return d }
      // Quoted numbers are accepted too (some loggers write "NaN" or "1e-3" as strings).
      if case .string(let s) = v, let d = Double(s.trimmingSpaces) { return d }
      throw LogError(line: line, .notANumber(column: path, text: v.text))
    }
    let loss = try number(schema.loss, required: true)!
    let env = try number(schema.env, required: schema.envRequired) ?? 0
    var step = 0
    if let s = try number(schema.step, required: schema.stepRequired) {
      guard s.isFinite, s == s.rounded(), abs(s) < 0x1p62 else {
        throw LogError(line: line, .notANumber(column: schema.step, text: "\(s)"))
      }
      step = Int(s)
      if stepIndex < 0 { stepIndex = 0 }  // the log has steps: check their order
    } else if stepIndex >= 0 {
      throw LogError(line: line, .missingValue(column: schema.step))
    }
    return Input(step: step, loss: loss, env: env)
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
