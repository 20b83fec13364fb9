import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

@Suite struct LossLogReaderTests {
  func read(_ text: String, _ schema: LogSchema = LogSchema()) throws(LogError) -> [Input] {
    let reader = try LossLogReader(bytes: Array(text.utf8), schema: schema)
    var all: [Input] = []
    var batch: [Input] = []
    while try reader.read(into: &batch, limit: 3) > 0 { all += batch }
    return all
  }

  func error(_ text: String, _ schema: LogSchema = LogSchema()) -> String? {
    do {
      _ = try read(text, schema)
      return nil
    } catch {
      return error.description
    }
  }

  @Test func plainCSVWithoutStepColumn() throws {
    let r = try read("loss\n1.5\n2\n\n0.25\n")
    #expect(r == [Input(step: 0, loss: 1.5), Input(step: 1, loss: 2), Input(step: 2, loss: 0.25)])
  }

  @Test func stepsEnvAndCRLF() throws {
    let r = try read("step,loss,env\r\n10,1,0.5\r\n12,2,0\r\n")
    #expect(r == [Input(step: 10, loss: 1, env: 0.5), Input(step: 12, loss: 2, env: 0)])
  }

  @Test func wandbExportWithQuotedHeader() throws {
    let text = #""Step","train/loss","train/loss__MIN"\#n"0","2.5","2.4"\#n"1","2.25","2.1"\#n"#
    let r = try read(text, LogSchema(loss: "train/loss", step: "Step"))
    #expect(r == [Input(step: 0, loss: 2.5), Input(step: 1, loss: 2.25)])
  }

  @Test func quotedFieldWithCommaAndEscapedQuote() throws {
    let text = "note,loss\n\"a, \"\"b\"\"\",3\nplain,4\n"
    #expect(try read(text).map(\.loss) == [3, 4])
  }

  @Test func jsonLinesWithKeyPaths() throws {
    let text = """
      {"step": 1, "metrics": {"loss:sum": 2.5, "lr": 1e-4}}
      {"step": 2, "metrics": {"loss:sum": 1.25}}

      """
    let r = try read(text, LogSchema(format: .jsonl, loss: "metrics.loss:sum"))
    #expect(r == [Input(step: 1, loss: 2.5), Input(step: 2, loss: 1.25)])
  }

  @Test func jsonLinesKeyWithDotsMatchesWhole() throws {
    let text = #"{"train.loss": 3, "train": {"loss": 9}}"# + "\n"
    #expect(try read(text, LogSchema(format: .jsonl, loss: "train.loss")).map(\.loss) == [3])
  }

  /// Malformed input: one clear error with the line number (the text is a contract).
  @Test(arguments: [
    ("", LogSchema(), "the log is empty: expected a header line and at least one record"),
    ("loss\n", LogSchema(), "the log is empty: expected a header line and at least one record"),
    (
      "lost\n1\n", LogSchema(),
      "line 1: no column 'loss' (columns: 'lost'); the nearest is 'lost'; name the right one with --loss-column/--env-column/--step-column"
    ),
    ("loss\n1\nabc\n", LogSchema(), "line 3: column 'loss': 'abc' is not a number"),
    ("loss,env\n1,0\n2\n", LogSchema(), "line 3: 1 fields where the header has 2"),
    ("loss,env\n1,\n", LogSchema(), "line 2: column 'env' is empty"),
    (
      "step,loss\n5,1\n5,2\n", LogSchema(),
      "line 3: step 5 does not follow step 5: steps must strictly increase"
    ),
    (
      "step,loss\n5,1\n4,2\n", LogSchema(),
      "line 3: step 4 does not follow step 5: steps must strictly increase"
    ),
    (
      "step,loss\n1.5,1\n", LogSchema(),
      "line 2: column 'step': '1.5' is not an integer step (steps are integers in −2^62 … 2^62)"
    ),
    (
      "loss\n1\n", LogSchema(env: "stress"),
      "line 1: no column 'stress' (columns: 'loss'); name the right one with --loss-column/--env-column/--step-column"
    ),
    (
      "{\"loss\": 1}\n[1]\n", LogSchema(format: .jsonl),
      "line 2: not a JSON object: column 1: expected an object {…} on every line"
    ),
    (
      "{\"loss\": 1}\n{oops\n", LogSchema(format: .jsonl),
      "line 2: not a JSON object: column 2: expected a key in double quotes"
    ),
    (
      "{\"los\": 1}\n", LogSchema(format: .jsonl),
      "line 1: no column 'loss' (columns: 'los'); the nearest is 'los'; name the right one with --loss-column/--env-column/--step-column"
    ),
    ("{\"loss\": \"x\"}\n", LogSchema(format: .jsonl), "line 1: column 'loss': 'x' is not a number"),
  ])
  func malformed(_ text: String, _ schema: LogSchema, _ message: String) {
    #expect(error(text, schema) == message)
  }

  /// NaN and infinities parse; the controller rejects them with the step number.
  @Test func nonFiniteValuesParse() throws {
    let r = try read("loss\nnan\ninf\n-1\n")
    #expect(r[0].loss.isNaN && r[1].loss == .infinity && r[2].loss == -1)
  }

  /// Lines longer than the read chunk are handled (the buffer grows).
  @Test func longLinesAndSmallChunks() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("long-\(UUID()).csv").path
    let wide = (0..<5000).map { "c\($0)" }.joined(separator: ",")
    let row = (0..<5000).map { String($0) }.joined(separator: ",")
    try Data(("\(wide),loss\n" + "\(row),7\n" + "\(row),8\n").utf8).write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let reader = try LossLogReader(path: path, schema: LogSchema())
    var batch: [Input] = []
    #expect(try reader.read(into: &batch, limit: 10) == 2)
    #expect(batch.map(\.loss) == [7, 8])
  }

  @Test func missingFileIsAnError() {
    #expect(throws: LogError.self) { try LossLogReader(path: "/nonexistent/x.csv", schema: LogSchema()) }
  }
}

@Suite struct OutputSinkTests {
  /// A sink dropped before commit leaves no file behind (and does not touch an existing one).
  @Test func uncommittedFileIsRemoved() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sink-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("out.csv").path
    try Data("old\n".utf8).write(to: URL(fileURLWithPath: target))
    do {
      let sink = try OutputSink(path: target)
      sink.write("partial\n")
      try sink.flush()
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "old\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["out.csv"])
    do {
      let sink = try OutputSink(path: target)
      sink.write("new\n")
      try sink.commit()
    }
    #expect(try String(contentsOfFile: target, encoding: .utf8) == "new\n")
  }
}
