import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

/// The batched read (``RunLogReader/read(values:lines:limit:)``), which cuts the buffered lines
/// without a quote in two and parses the halves on two cores, gives exactly the records, line
/// numbers and first error of the record-by-record read (``RunLogReader/next()``), whatever the
/// batch size and wherever the error falls (first half, second half, a batch boundary).
@Suite struct BlockReadTests {
  static let columns = ["step", "loss", "env", "ehat", "phi", "mode", "lr"]

  /// `rows` records of seven full-precision cells (about 110 bytes a line: 3,000 rows fill
  /// several 64 KiB blocks).
  static func lines(_ rows: Int) -> [String] {
    var g = SeededGenerator(seed: 5)
    return (0..<rows).map { t in
      let x = Double.random(in: 0..<2, using: &g)
      return "\(t),\(x),\(x / 3),\(x / 7),\(x / 11),\(t % 3),\(x * 1e-4)"
    }
  }

  static func text(_ lines: [String], newline: String = "\n", last: Bool = true) -> [UInt8] {
    Array(
      ((["step,loss,env,ehat,phi,mode,lr"] + lines).joined(separator: newline) + (last ? newline : "")).utf8)
  }

  /// Record by record: every record and the error, if any.
  static func sequential(_ bytes: [UInt8]) -> (records: [RunLogRecord], error: LogError?) {
    var out: [RunLogRecord] = []
    do {
      let reader = try RunLogReader(.bytes(bytes), format: .csv, columns: columns)
      while let line = try reader.next() { out.append(RunLogRecord(line: line, values: reader.values)) }
      return (out, nil)
    } catch {
      return (out, error)
    }
  }

  /// In batches of `limit`: the records of the batches read whole, and the error, if any.
  static func batched(_ read: () throws(LogError) -> RunLogReader, limit: Int) -> (
    records: [RunLogRecord], error: LogError?
  ) {
    var out: [RunLogRecord] = []
    do {
      let reader = try read()
      var values: [FieldValue] = []
      var lines: [Int] = []
      let w = columns.count
      while try reader.read(values: &values, lines: &lines, limit: limit) > 0 {
        #expect(lines.count <= limit && values.count == lines.count * w)
        for (k, line) in lines.enumerated() {
          out.append(RunLogRecord(line: line, values: Array(values[(k * w)..<((k + 1) * w)])))
        }
      }
      return (out, nil)
    } catch {
      return (out, error)
    }
  }

  /// The batched read equals the sequential one: the same error, and the records of the whole
  /// batches before it (all of them when there is none).
  func check(_ bytes: [UInt8], _ name: String, limits: [Int] = [1, 7, 1000, 1024, 16_384]) throws {
    let expected = Self.sequential(bytes)
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "block-\(UUID().uuidString).csv"
    ).path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    for limit in limits {
      for (source, read) in [
        (
          "bytes",
          { () throws(LogError) in try RunLogReader(.bytes(bytes), format: .csv, columns: Self.columns) }
        ),
        (
          "file",
          { () throws(LogError) in try RunLogReader(.path(path), format: .csv, columns: Self.columns) }
        ),
      ] as [(String, () throws(LogError) -> RunLogReader)] {
        let got = Self.batched(read, limit: limit)
        #expect(got.error == expected.error, "\(name), limit \(limit), \(source)")
        let whole =
          expected.error == nil ? expected.records.count : expected.records.count / limit * limit
        #expect(got.records.count == whole, "\(name), limit \(limit), \(source)")
        #expect(Array(expected.records.prefix(whole)) == got.records, "\(name), limit \(limit), \(source)")
      }
    }
  }

  @Test func cleanLogsAreReadAlike() throws {
    let rows = Self.lines(3000)
    try check(Self.text(rows), "clean")
    try check(Self.text(rows, newline: "\r\n"), "CRLF")
    try check(Self.text(rows, last: false), "no final line break")
    var blanks = rows
    for k in stride(from: 500, to: 3000, by: 700) { blanks.insert("", at: k) }
    blanks.insert("  \t", at: 2999)
    try check(Self.text(blanks), "blank lines")
    var quoted = rows
    for k in [10, 1600, 1601, 2500] { quoted[k] = "\(k),\"0.5\",0,0,0,1,\"2e-4\"" }
    quoted[2000] = "2000,\"0.5\n\",0,0,0,1,2e-4"
    try check(Self.text(quoted), "quoted cells and a quoted line break")
  }

  /// An error in the first half, in the second half, right at and after a batch boundary, in the
  /// last line: each gives the sequential read's error (line and column) after the same records.
  @Test(arguments: [1, 999, 1000, 1001, 1024, 1700, 2048, 2999])
  func errorsAreThoseOfTheSequentialRead(at row: Int) throws {
    let rows = Self.lines(3000)
    var ragged = rows
    ragged[row] = "\(row),0.5"
    try check(Self.text(ragged), "ragged row \(row)")
    var nul = rows
    nul[row] = "\(row),0.5,0,0\u{0},0,1,2e-4"
    try check(Self.text(nul), "NUL byte in row \(row)")
    var word = rows
    word[row] = "\(row),lots,0,0,0,Multi,2e-4"
    try check(Self.text(word), "text cells in row \(row)")
    var long = rows
    long[row] = "\(row)," + String(repeating: "1", count: 2000) + ",0,0,0,1,2e-4"
    let bytes = Self.text(long)
    let expected = Self.sequential(bytes)
    #expect(expected.error == nil)
    // A line over the limit (1,000 bytes here): the same error, whichever half it is in.
    for limit in [7, 1000, 16_384] {
      let got = Self.batched(
        { () throws(LogError) in
          try RunLogReader(.bytes(bytes), format: .csv, columns: Self.columns, maxLineLength: 1000)
        }, limit: limit)
      #expect(
        got.error == LogError(line: row + 2, .lineTooLong(limit: 1000)), "long row \(row), limit \(limit)")
    }
  }

  /// A truncated last line (fewer fields, no line break) is the sequential read's ragged error.
  @Test func truncatedLastLine() throws {
    var rows = Self.lines(3000)
    rows[2999] = String(rows[2999].prefix(9))
    try check(Self.text(rows, last: false), "truncated last line")
  }
}
