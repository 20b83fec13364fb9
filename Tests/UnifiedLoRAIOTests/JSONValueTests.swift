import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

/// JSON Lines numbers are read correctly rounded, so a JSON Lines log replays bit for bit.
/// (Linux Foundation's `JSONSerialization` misreads about half of these; the scanner parses each number's text
/// with the same correctly rounded parser as CSV cells.)
@Suite struct JSONValueTests {
  @Test func randomDoublesRoundTrip() throws {
    var rng = SeededGenerator(seed: 11)
    var lines: [String] = []
    var expected: [Double] = []
    for k in 0..<20_000 {
      let x = rng.nextUnit() * (k % 2 == 0 ? 30 : 1e-4)
      expected.append(x)
      lines.append("{\"step\": \(k), \"metrics\": {\"loss\": \(x.description)}}")
    }
    let reader = try LossLogReader(
      bytes: Array((lines.joined(separator: "\n") + "\n").utf8),
      schema: LogSchema(format: .jsonl, loss: "metrics.loss"))
    var batch: [Input] = []
    var got: [Double] = []
    while try reader.read(into: &batch, limit: 4096) > 0 { got += batch.map(\.loss) }
    let firstWrong = got.indices.first { got[$0].bitPattern != expected[$0].bitPattern }
    #expect(got.count == expected.count)
    #expect(
      firstWrong == nil,
      "seed 11: line \((firstWrong ?? 0) + 1) read \(got[firstWrong ?? 0]) for \(expected[firstWrong ?? 0])")
  }

  @Test func booleansAndNullAreNotNumbers() {
    let text = "{\"loss\": true}\n"
    #expect(throws: LogError(line: 1, .notANumber(column: "loss", text: "true"))) {
      let reader = try LossLogReader(bytes: Array(text.utf8), schema: LogSchema(format: .jsonl))
      var batch: [Input] = []
      _ = try reader.read(into: &batch, limit: 10)
    }
    let zeroOne = "{\"step\": 0, \"loss\": 1}\n{\"step\": 1, \"loss\": 0}\n"
    #expect(
      (try? {
        let reader = try LossLogReader(bytes: Array(zeroOne.utf8), schema: LogSchema(format: .jsonl))
        var batch: [Input] = []
        _ = try reader.read(into: &batch, limit: 10)
        return batch.map(\.loss)
      }()) == [1, 0])
  }
}
