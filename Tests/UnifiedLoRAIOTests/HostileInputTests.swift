import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

/// Inputs built to be misread: each one once gave a wrong result with exit 0, a crash or
/// unbounded memory. Each must now read right or fail with a message that names the line.
@Suite struct HostileInputTests {
  func read(_ bytes: [UInt8], _ schema: LogSchema = LogSchema()) throws(LogError) -> [Input] {
    let reader = try LossLogReader(bytes: bytes, schema: schema)
    var all: [Input] = []
    var batch: [Input] = []
    while try reader.read(into: &batch, limit: 3) > 0 { all += batch }
    return all
  }

  func read(_ text: String, _ schema: LogSchema = LogSchema()) throws(LogError) -> [Input] {
    try read(Array(text.utf8), schema)
  }

  func error(_ text: String, _ schema: LogSchema = LogSchema()) -> String? {
    error(Array(text.utf8), schema)
  }

  func error(_ bytes: [UInt8], _ schema: LogSchema = LogSchema()) -> String? {
    do {
      _ = try read(bytes, schema)
      return nil
    } catch {
      return error.description
    }
  }

  func runLog(_ text: String, _ format: LogSchema.Format, _ columns: [String]) throws(LogError)
    -> [RunLogRecord]
  {
    try RunLogReader(.bytes(Array(text.utf8)), format: format, columns: columns).readAll()
  }

  static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
  static let jsonl = LogSchema(format: .jsonl)

  // MARK: Byte-order mark

  /// With `step` first, the mark once hid the step column: steps were renumbered 0, 1, …
  @Test func byteOrderMarkBeforeStepIsDropped() throws {
    let r = try read(Self.bom + Array("step,loss\n5,1\n9,2\n".utf8))
    #expect(r.map(\.step) == [5, 9])
    let log = try RunLogReader(
      .bytes(Self.bom + Array("step,loss\n5,1\n".utf8)), format: .csv, columns: ["step", "loss"])
    #expect(log.present == [true, true])
    #expect(try log.readAll()[0].values == [.number(5), .number(1)])
  }

  /// With `loss` first, the mark gave "no column 'loss' (columns: 'loss')".
  @Test func byteOrderMarkBeforeLossIsDropped() throws {
    #expect(try read(Self.bom + Array("loss\n0.5\n".utf8)).map(\.loss) == [0.5])
    #expect(try read(Self.bom + Array("{\"loss\": 0.5}\n".utf8), Self.jsonl).map(\.loss) == [0.5])
    #expect(try read(Self.bom + Array("{\"step\": 3, \"loss\": 1}\n".utf8), Self.jsonl).map(\.step) == [3])
  }

  /// Only a mark at the very start is dropped: one on a later line is part of the text.
  @Test func byteOrderMarkElsewhereIsText() {
    let bytes = Array("loss\n".utf8) + Self.bom + Array("1\n".utf8)
    #expect(error(bytes) == "line 2: column 'loss': '\u{FEFF}1' is not a number")
  }

  // MARK: RFC 4180

  /// A quoted field may hold a line break: `1,"x\n2,y"` is one record, not two.
  @Test func quotedLineBreakIsOneRecord() throws {
    #expect(error("a,loss\n1,\"x\n2,y\"\n") == "line 2: column 'loss': 'x\\n2,y' is not a number")
    let r = try read("note,loss\n\"a\nb, \"\"c\"\"\",3\n\"\",4\n")
    #expect(r.map(\.loss) == [3, 4])
    // Lines are still counted: the record after a two-line record is on line 4.
    #expect(error("note,loss\n\"a\nb\",3\nz,bad\n") == "line 4: column 'loss': 'bad' is not a number")
    let cells = try runLog("note,loss\n\"a\r\nb\",3\n", .csv, ["note", "loss"])
    #expect(cells[0].values == [.text("a\r\nb"), .number(3)])
  }

  /// Unterminated and stray quotes are errors naming the line and the column.
  @Test(arguments: [
    ("\"0.5", "line 2: column 1: a quoted field is not closed before the end of the file (CSV, RFC 4180)"),
    (
      "0.5\"",
      "line 2: column 4: a quote inside an unquoted field (CSV, RFC 4180: a quoted field starts with its quote)"
    ),
    (
      "\"0\".\"5\"",
      "line 2: column 4: text after the closing quote of a field (CSV, RFC 4180: a quote inside a quoted field is written \"\")"
    ),
    (
      "\"0\" 5",
      "line 2: column 5: text after the closing quote of a field (CSV, RFC 4180: a quote inside a quoted field is written \"\")"
    ),
  ])
  func brokenQuotes(_ cell: String, _ message: String) {
    #expect(error("loss\n\(cell)\n") == message)
    #expect(throws: LogError.self) { try runLog("loss\n\(cell)\n", .csv, ["loss"]) }
  }

  /// A stray quote in a header is located too; blanks around a quoted field are allowed.
  @Test func quotesInHeaderAndBlanks() throws {
    #expect(error("lo\"ss\n1\n")?.hasPrefix("line 1: column 3: a quote inside an unquoted field") == true)
    #expect(try read(" \"loss\" , \"step\"\n \"0.5\" ,\t\"7\" \n") == [Input(step: 7, loss: 0.5)])
  }

  /// An unterminated quote cannot swallow the rest of a large file: the record stops at the
  /// line-length limit with a message that says why.
  @Test func unterminatedQuoteIsBounded() {
    let text = "loss\n\"0.5\n" + String(repeating: "1\n", count: 200)
    var schema = LogSchema()
    schema.maxLineLength = 100
    #expect(
      error(text, schema)
        == "line 2: a quoted field opened on this line is not closed within 100 bytes (CSV, RFC 4180: a quote inside a field is written \"\"; the limit is --max-line-length)"
    )
  }

  // MARK: Numbers

  /// The exponent is not capped: `0.<99,999 zeros>1e1000000` is 10^900000 = +∞, not 1.0.
  @Test func longExponentsAreExact() throws {
    let huge = "0." + String(repeating: "0", count: 99_999) + "1e1000000"
    #expect(parse(huge) == .infinity)
    #expect(try read("loss\n\(huge)\n").map(\.loss) == [.infinity])
    let tiny = "1" + String(repeating: "0", count: 99_999) + "e-1000000"
    #expect(parse(tiny) == 0)
    for text in ["1e1000000000000", "1e-1000000000000", "0.001e99999999999", "12345e-100005"] {
      #expect(parse(text)?.bitPattern == Double(text)?.bitPattern, "\(text)")
    }
  }

  func parse(_ s: String) -> Double? {
    Array(s.utf8).withUnsafeBufferPointer { NumberParsing.double($0) }
  }

  /// A NUL byte is an error, not the end of the field.
  @Test func nulBytes() {
    #expect(
      error(Array("loss\n123456789012345678901".utf8) + [0] + Array("zz\n".utf8))
        == "line 2: column 22: a NUL byte: the log is not text")
    #expect(
      error(Array("loss\n".utf8) + [0] + Array("\n".utf8))
        == "line 2: column 1: a NUL byte: the log is not text")
    #expect(
      error("{\"loss\": \"0.5\\u0000zz\"}\n", Self.jsonl)
        == "line 1: not a JSON object: column 14: a NUL (\\u0000) inside a string: the log is not text")
    #expect(
      error(Array("{\"loss\": 0.5}".utf8) + [0] + Array("\n".utf8), Self.jsonl)
        == "line 1: column 14: a NUL byte: the log is not text")
    #expect(Array("0.5\u{0}zz".utf8).withUnsafeBufferPointer { NumberParsing.double($0) } == nil)
    // On the second line of a quoted record, the NUL's own line is named.
    #expect(
      error(Array("a,loss\n\"x\ny".utf8) + [0] + Array("\",1\n".utf8))
        == "line 3: column 2: a NUL byte: the log is not text")
  }

  /// Integer steps beyond 2^53 are never read through a rounded double.
  @Test func stepsBeyondTwoToThe53() throws {
    let cells = try runLog("step,loss\n9007199254740992,1\n9007199254740993,1\n", .csv, ["step", "loss"])
    #expect(cells[0].values[0] == .number(0x1p53))
    #expect(cells[1].values[0] == .text("9007199254740993"))
    let json = try runLog("{\"step\": 9007199254740993, \"loss\": 1}\n", .jsonl, ["step", "loss"])
    #expect(json[0].values == [.text("9007199254740993"), .number(1)])
    // A loss written as a long decimal is still a number.
    #expect(try runLog("loss\n1.00000000000000000001\n", .csv, ["loss"])[0].values == [.number(1)])
    // The loss reader reads steps as exact integers (up to 2^62), CSV and JSON alike.
    #expect(try read("step,loss\n9007199254740993,1\n").map(\.step) == [9_007_199_254_740_993])
    #expect(
      try read("{\"step\": 9007199254740993, \"loss\": 1}\n", Self.jsonl).map(\.step) == [
        9_007_199_254_740_993
      ])
    #expect(
      error("step,loss\n99999999999999999999,1\n")
        == "line 2: column 'step': '99999999999999999999' is not an integer step (steps are integers in −2^62 … 2^62)"
    )
  }

  /// A step that is a number but not an integer says so.
  @Test func fractionalStep() {
    let message = "column 'step': '1.5' is not an integer step (steps are integers in −2^62 … 2^62)"
    #expect(error("step,loss\n1.5,1\n") == "line 2: " + message)
    #expect(error("{\"step\": 1.5, \"loss\": 1}\n", Self.jsonl) == "line 1: " + message)
    #expect(error("step,loss\nx,1\n") == "line 2: column 'step': 'x' is not a number")
  }

  // MARK: Duplicates

  @Test func duplicateColumns() throws {
    #expect(
      error("loss,env,loss\n1,0,2\n")
        == "line 1: column 'loss' appears twice in the header (fields 1 and 3): which one is meant is ambiguous"
    )
    #expect(throws: LogError(line: 1, .duplicateColumn("step", first: 1, second: 2))) {
      try runLog("step,step,loss\n1,2,3\n", .csv, ["step", "loss"])
    }
    // A column that is not read may repeat.
    #expect(try read("x,x,loss\n1,2,3\n").map(\.loss) == [3])
  }

  @Test func duplicateKeys() throws {
    let message = "line 1: key 'loss' appears twice in one object: which value is meant is ambiguous"
    #expect(error("{\"loss\": 1, \"loss\": 2}\n", Self.jsonl) == message)
    #expect(
      error("{\"m\": {\"loss\": 1}, \"m\": {\"loss\": 2}}\n", LogSchema(format: .jsonl, loss: "m.loss"))
        == "line 1: key 'm' appears twice in one object: which value is meant is ambiguous")
    #expect(
      error("{\"m\": {\"loss\": 1, \"loss\": 2}}\n", LogSchema(format: .jsonl, loss: "m.loss")) == message)
    #expect(throws: LogError.self) { try runLog("{\"loss\": 1, \"loss\": 1}\n", .jsonl, ["loss"]) }
    // A key that is not read may repeat (it cannot change the result).
    #expect(try read("{\"x\": 1, \"x\": 2, \"loss\": 3}\n", Self.jsonl).map(\.loss) == [3])
  }

  // MARK: Messages

  @Test func jsonNullIsNotAMissingColumn() {
    #expect(
      error("{\"loss\": null}\n", Self.jsonl)
        == "line 1: column 'loss' is null: every record needs a value there")
    #expect(
      error("{\"loss\": 1, \"env\": null}\n", Self.jsonl)
        == "line 1: column 'env' is null: every record needs a value there")
  }

  /// JSON `1e400` is +∞, as in CSV: the controller then names the step.
  @Test func jsonOverflowIsInfinity() throws {
    #expect(try read("{\"loss\": 1e400}\n", Self.jsonl).map(\.loss) == [.infinity])
    #expect(try read("loss\n1e400\n").map(\.loss) == [.infinity])
    #expect(try runLog("{\"loss\": -1e400}\n", .jsonl, ["loss"])[0].values == [.number(-.infinity)])
  }

  /// A 100,000-byte cell and a 100,000-column header give one short line.
  @Test func echoedTextIsCut() {
    let cell = String(repeating: "x", count: 100_000)
    let m1 = error("loss\n\(cell)\n")!
    #expect(m1.utf8.count < 200)
    #expect(m1.contains("… (100000 bytes)"))
    let header = (0..<100_000).map { "c\($0)" }.joined(separator: ",")
    let m2 = error("\(header)\n1\n")!
    #expect(m2.utf8.count < 600)
    #expect(m2.contains("(100000 in all)"))
    #expect(Echo.cut("a\0b\u{1}") == "a\\0b\\u{1}")
  }

  /// Where a name is close to the one asked for, the message offers it.
  @Test func nearestColumn() {
    #expect(error("{\"los\": 1}\n", Self.jsonl)?.contains("the nearest is 'los'") == true)
    #expect(error("step,train/loss\n0,1\n")?.contains("the nearest") == false)
    #expect(Echo.nearest("cooldwn", in: ["cooldown", "alpha"]) == "cooldown")
    #expect(Echo.nearest("alpha_e", in: ["alpha", "alphaE"]) == "alphaE")
    #expect(Echo.nearest("zzz", in: ["alpha"]) == nil)
  }

  // MARK: Bounded lines

  @Test func lineLengthLimit() throws {
    var schema = LogSchema()
    schema.maxLineLength = 10
    #expect(try read("loss\n0.12345678\r\n", schema).map(\.loss) == [0.12345678])  // 10 bytes
    #expect(
      error("loss\n0.123456789\n", schema)
        == "line 2: the line is longer than 10 bytes (the limit; raise it with --max-line-length)")
    #expect(
      error("{\"loss\": 12345}\n", LogSchema(format: .jsonl, maxLineLength: 10))
        == "line 1: the line is longer than 10 bytes (the limit; raise it with --max-line-length)")
  }

  /// `/dev/zero` has no line break: the reader fails after about two limits' worth of bytes.
  @Test func endlessLineFailsFast() throws {
    // (trainer_state.json and TensorBoard files are not read by lines: ExportFormatTests.)
    for format in LogSchema.Format.allCases where ![.trainerState, .tensorboard].contains(format) {
      #expect(throws: LogError(line: 1, .lineTooLong(limit: LogSchema.defaultMaxLineLength))) {
        var batch: [Input] = []
        let reader = try LossLogReader(path: "/dev/zero", schema: LogSchema(format: format))
        _ = try reader.read(into: &batch, limit: 10)
      }
      #expect(throws: LogError(line: 1, .lineTooLong(limit: 4096))) {
        _ = try RunLogReader(.path("/dev/zero"), format: format, columns: ["loss"], maxLineLength: 4096)
          .readAll()
      }
    }
  }

  // MARK: JSON Lines

  /// Only the columns asked for are decoded: a line with 200,000 other keys and a 4 MB string
  /// is read, and nested objects on the path are followed.
  @Test func largeLineOnlyRequestedKeys() throws {
    var line = "{"
    for k in 0..<200_000 { line += "\"k\(k)\": [\(k), {\"x\": \"y\"}], " }
    line += "\"blob\": \"" + String(repeating: "z", count: 4_000_000) + "\", "
    line += "\"m\": {\"loss\": 0.25, \"n\": {\"step\": 7}}}\n"
    let schema = LogSchema(format: .jsonl, loss: "m.loss", step: "m.n.step", maxLineLength: 16 << 20)
    #expect(try read(line, schema) == [Input(step: 7, loss: 0.25)])
  }

  /// The scanner checks the whole line, including the parts it does not extract.
  @Test(arguments: [
    "{\"loss\": 1, \"x\": [1, 2,]}", "{\"loss\": 1, \"x\": 01}", "{\"loss\": 1} x",
    "{\"loss\": 1, \"x\": \"\\q\"}",
    "{\"loss\": 1, \"x\": tru}", "{\"loss\": 1, \"x\": \"\\ud800\"}", "{\"loss\": 1,}", "{\"loss\" 1}",
    "{\"loss\": .5}", "{\"loss\": 1, \"x\": \"a\tb\"}",
  ])
  func invalidJSON(_ line: String) {
    #expect(
      error(line + "\n", Self.jsonl)?.hasPrefix("line 1: not a JSON object: column ") == true, "\(line)")
  }

  /// Nesting is bounded (no stack overflow on `[[[[…`).
  @Test func deepNesting() {
    let deep = "{\"loss\": 1, \"x\": " + String(repeating: "[", count: 100_000) + "}\n"
    #expect(
      error(deep, Self.jsonl)
        == "line 1: not a JSON object: column \(17 + JSONScanner.maxDepth): nested deeper than 256 levels")
  }

  /// Strings are decoded (escapes, surrogate pairs) and Python's bare NaN/Infinity read.
  @Test func jsonStringsAndPythonNumbers() throws {
    let r = try runLog(
      "{\"a\": \"\\u00e9\\ud83d\\ude00\\n\", \"b\": NaN, \"c\": -Infinity, \"d\": \" 2.5 \", \"e\": true}\n",
      .jsonl, ["a", "b", "c", "d", "e"])
    #expect(r[0].values == [.text("é😀\n"), .number(.nan), .number(-.infinity), .number(2.5), .text("true")])
  }
}

/// `--params` files: unknown and repeated keys are errors naming the key and the nearest
/// valid one; a typo no longer silently leaves the default in force.
@Suite struct ParameterFileTests {
  func error(_ text: String) -> String? {
    do {
      _ = try ParameterFile.decode(Array(text.utf8))
      return nil
    } catch {
      return error.description
    }
  }

  /// A byte-order mark before the JSON text is not part of it.
  @Test func byteOrderMarkIsSkipped() throws {
    let p = try ParameterFile.decode([0xEF, 0xBB, 0xBF] + Array(#"{"alpha":0.5}"#.utf8))
    #expect(p.alpha == 0.5)
  }

  /// A number beyond binary64 is refused naming its key, at any depth, not as "not valid JSON".
  @Test(arguments: [
    (#"{"alpha":1e99999999999}"#, "key 'alpha': the number is beyond ±"),
    (#"{"learningRates":{"multi":-1e400}}"#, "key 'learningRates.multi': the number is beyond ±"),
  ])
  func hugeNumbersNameTheirKey(_ text: String, _ message: String) {
    #expect(error(text)?.hasPrefix(message) == true, "\(error(text) ?? "accepted")")
  }

  @Test func validFile() throws {
    let p = try ParameterFile.decode(
      Array(
        #"{"variant":"report","alpha":1,"alphaE":0.25,"cooldown":4,"learningRates":{"single":1,"multi":2,"mirror":3},"initial":{"ehat":0,"phi":0.5,"mode":1,"lastSwitch":3}}"#
          .utf8))
    #expect(p.alpha == 1 && p.alphaE == 0.25 && p.cooldown == 4 && p.learningRates.multi == 2)
    #expect(p.initial.lastSwitch == 3)
    #expect(try ParameterFile.decode(Array("{}".utf8)) == .report)
  }

  @Test(arguments: [
    (
      #"{"alpha_e": 0.2}"#,
      "unknown key 'alpha_e' (did you mean 'alphaE'? valid keys: alpha, alphaE, beta, cooldown, initial, learningRates, theta0, theta1, variant)"
    ),
    (
      #"{"cooldwn": 3}"#,
      "unknown key 'cooldwn' (did you mean 'cooldown'? valid keys: alpha, alphaE, beta, cooldown, initial, learningRates, theta0, theta1, variant)"
    ),
    (
      #"{"gamma": 3}"#,
      "unknown key 'gamma' (valid keys: alpha, alphaE, beta, cooldown, initial, learningRates, theta0, theta1, variant)"
    ),
    (
      #"{"initial": {"ehat": 0, "phi": 0, "mode": 0, "lastswitch": 2}}"#,
      "unknown key 'initial.lastswitch' (did you mean 'initial.lastSwitch'? valid keys in 'initial': ehat, lastSwitch, mode, phi)"
    ),
    (
      #"{"alpha": 0.5, "alpha": 0.2}"#,
      "line 1: key 'alpha' appears twice in one object: which value is meant is ambiguous"
    ),
    (
      "{\n  \"alpha\": 0.5,\n  \"initial\": {\"phi\": 0,\n    \"phi\": 1}\n}",
      "line 4: key 'phi' appears twice in one object: which value is meant is ambiguous"
    ),
    (#"[1]"#, "expected a JSON object {…} of parameters"),
    (
      #"{"alpha": }"#,
      "not JSON: byte 11: expected a value (a number, a string, true, false, null, {…} or […])"
    ),
  ])
  func rejected(_ text: String, _ message: String) {
    #expect(error(text) == message)
  }

  @Test func valueErrorsKeepTheirMessage() {
    #expect(
      error(#"{"alpha": 7}"#)?.contains("invalid parameter alpha = 7.0: expected a number in (0, 1]") == true)
    #expect(error(#"{"alpha": "x"}"#)?.hasPrefix("key 'alpha'") == true)
    #expect(error(String(repeating: " ", count: ParameterFile.maxBytes + 1)) != nil)
  }
}

/// ``JSONKeys/checkUnique(_:)``: the check of every JSON document read whole (`--params`,
/// `tune --spec`).
@Suite struct JSONKeysTests {
  func duplicate(_ text: String) -> JSONKeys.Duplicate? {
    do {
      try JSONKeys.checkUnique(Array(text.utf8))
      return nil
    } catch {
      return error
    }
  }

  @Test(arguments: [
    (#"{"a": 1, "a": 2}"#, "a", 1, 10),
    ("{\n \"a\": 1,\n \"b\": {\"c\": 1,\n \"c\": 2}}", "c", 4, 2),
    ("\u{FEFF}{\"x\": [{\"y\": 1, \"y\": 1}]}", "y", 1, 20),
  ])
  func duplicateKeysAreNamedWithTheirLine(_ text: String, _ key: String, _ line: Int, _ column: Int) {
    #expect(duplicate(text) == JSONKeys.Duplicate(key: key, line: line, column: column))
  }

  /// The same key in two different objects is no duplicate; a syntax error is left to the decoder.
  @Test(arguments: [#"{"a": {"k": 1}, "b": {"k": 2}}"#, #"[{"k": 1}, {"k": 2}]"#, #"{"a": "#, "{}"])
  func noDuplicate(_ text: String) {
    #expect(duplicate(text) == nil)
  }
}
