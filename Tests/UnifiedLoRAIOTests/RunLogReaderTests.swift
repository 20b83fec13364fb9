import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

@Suite struct RunLogReaderTests {
  func read(_ text: String, _ format: LogSchema.Format, _ columns: [String]) throws -> [RunLogRecord] {
    try RunLogReader(.bytes(Array(text.utf8)), format: format, columns: columns).readAll()
  }

  @Test func csvCellsAreNumbersTextOrMissing() throws {
    let r = try read(
      "step,loss,mode\n0,0.5,Multi\n1,,2\n2,nan,\"1\"\n", .csv, ["step", "loss", "mode", "lr"])
    #expect(r.map(\.line) == [2, 3, 4])
    #expect(r[0].values == [.number(0), .number(0.5), .text("Multi"), .missing])
    #expect(r[1].values == [.number(1), .missing, .number(2), .missing])
    #expect(r[2].values == [.number(2), .number(.nan), .number(1), .missing])
  }

  @Test func jsonKeyPathsAndIntegersZeroAndOne() throws {
    let text = """
      {"step": 0, "metrics": {"loss:sum": 1, "lr": 0.002}, "ok": true}
      {"step": 1, "metrics": {"loss:sum": 0}, "ok": null}
      """
    let r = try read(text, .jsonl, ["step", "metrics.loss:sum", "metrics.lr", "ok"])
    #expect(r[0].values == [.number(0), .number(1), .number(0.002), .text("true")])
    #expect(r[1].values == [.number(1), .number(0), .missing, .missing])
  }

  /// A malformed line is an error with its line number, not a crash (the parsers once read the
  /// line counter while the line reader was being mutated: an exclusivity violation).
  @Test func malformedLinesThrowWithTheLineNumber() {
    #expect(throws: LogError(line: 3, .ragged(expected: 2, found: 1))) {
      try read("step,loss\n0,1\n1\n", .csv, ["loss"])
    }
    #expect(throws: LogError(line: 2, .badJSON("column 1: expected an object {…} on every line"))) {
      try read("{\"loss\": 1}\n[1]\n", .jsonl, ["loss"])
    }
  }

  /// The same two faults through the fast loss reader.
  @Test func lossLogReaderMalformedLinesAndSmallIntegers() throws {
    var batch: [Input] = []
    let ragged = try LossLogReader(bytes: Array("step,loss\n0,1\n1\n".utf8), schema: LogSchema())
    #expect(throws: LogError(line: 3, .ragged(expected: 2, found: 1))) {
      _ = try ragged.read(into: &batch, limit: 10)
    }
    let json = try LossLogReader(
      bytes: Array("{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 0}\n".utf8),
      schema: LogSchema(format: .jsonl))
    #expect(try json.read(into: &batch, limit: 10) == 2)
    #expect(batch == [Input(step: 0, loss: 1), Input(step: 1, loss: 0)])
  }
}
