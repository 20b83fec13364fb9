import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

/// The readers of the practitioners' export formats (`Formats/`), on the fixtures of
/// ``ExportFixtures``: detection from content, the loss column chosen, rows without a loss
/// skipped and counted, rows of one step merged, errors located.
@Suite struct ExportFormatTests {
  static func inputs(_ bytes: [UInt8], _ schema: LogSchema = LogSchema(format: .auto)) throws -> (
    LossLogReader, [Input]
  ) {
    let reader = try LossLogReader(bytes: bytes, schema: schema)
    var all: [Input] = []
    var batch: [Input] = []
    while try reader.read(into: &batch, limit: 7) > 0 { all += batch }
    return (reader, all)
  }

  static let trainSteps = Array(1...ExportFixtures.steps)
  static let trainLosses = trainSteps.map(ExportFixtures.loss)

  @Test(arguments: [
    ("wandb-history.csv", LogSchema.Format.wandb), ("wandb-panel.csv", .wandb),
    ("lightning-metrics.csv", .lightning), ("trainer_state.json", .trainerState),
    ("tinker-metrics.jsonl", .tinker), ("events.out.tfevents.fixture", .tensorboard),
  ])
  func detectedFromContent(_ name: String, _ format: LogSchema.Format) throws {
    let bytes = ExportFixtures.files.first { $0.name == name }!.bytes
    #expect(LogFormat.detect(Array(bytes.prefix(LogFormat.peekLimit))) == format)
    let (reader, _) = try Self.inputs(bytes)
    #expect(reader.schema.format == format)
  }

  @Test func plainLogsStayPlain() {
    #expect(LogFormat.detect(Array("step,loss\n0,1\n".utf8)) == .csv)
    #expect(LogFormat.detect(Array("\u{FEFF}loss\n1\n".utf8)) == .csv)
    #expect(LogFormat.detect(Array("{\"step\": 0, \"loss\": 1}\n".utf8)) == .jsonl)
    #expect(LogFormat.detect(Array("{\"step\": 0, \"metrics\": 3}\n".utf8)) == .jsonl)
    // A broken first line of JSON Lines goes to the JSON Lines reader, which says where.
    #expect(LogFormat.detect(Array("{\"loss\": 1,\n".utf8)) == .jsonl)
    #expect(LogFormat.detect(Array("{\n  \"a\": 1\n}\n".utf8)) == .trainerState)
  }

  @Test func wandbHistoryEvalRowsSkippedAndCounted() throws {
    let (reader, got) = try Self.inputs(Array(ExportFixtures.wandbHistory.utf8))
    #expect(got.map(\.loss) == Self.trainLosses)
    #expect(reader.lossColumn == "train/loss")
    // Three eval rows, one of them on the `_step` of a train row (merged, not "twice").
    #expect(reader.skippedRows == 3)
    #expect(got.count == ExportFixtures.steps)
  }

  @Test func wandbPanelTakesTheLossNotItsMinOrMax() throws {
    let (reader, got) = try Self.inputs(Array(ExportFixtures.wandbPanel.utf8))
    #expect(reader.lossColumn == "train/loss")
    #expect(got.map(\.loss) == Self.trainLosses)
    #expect(got.map(\.step) == Self.trainSteps)
    // Named explicitly, and ambiguous between two runs.
    let two = "\"Step\",\"a - train/loss\",\"a - train/loss__MIN\",\"b - train/loss\"\n1,2,1,3\n"
    #expect(throws: LogError.self) {
      try Self.inputs(Array(two.utf8), LogSchema(format: .auto, loss: "train/loss"))
    }
    let (_, b) = try Self.inputs(Array(two.utf8), LogSchema(format: .auto, loss: "b - train/loss"))
    #expect(b.map(\.loss) == [3])
  }

  @Test func lightningRowsOfOneStepMerged() throws {
    let (reader, got) = try Self.inputs(Array(ExportFixtures.lightning.utf8))
    #expect(reader.lossColumn == "train_loss_step")
    #expect(got.map(\.step) == Self.trainSteps)
    #expect(got.map(\.loss) == Self.trainLosses)
    // lr rows and val rows: 30 + 3 rows without a loss.
    #expect(reader.skippedRows == 33)
    // The audit's reader sees the lr of the merged row.
    let r = try RunLogReader(
      .bytes(Array(ExportFixtures.lightning.utf8)), format: .auto, columns: ["step", "loss", "lr-AdamW"],
      lossColumn: "loss")
    let records = try r.readAll()
    #expect(records.count == ExportFixtures.steps)
    #expect(records.map { $0.values[2] } == Self.trainSteps.map { .number(ExportFixtures.lr($0)) })
  }

  @Test func mergedRowsThatDisagreeAreAnError() throws {
    let log = "epoch,step,train_loss_step,lr-AdamW\n0,1,2.0,\n0,1,,0.1\n0,1,2.5,\n"
    let e = #expect(throws: LogError.self) { try Self.inputs(Array(log.utf8)) }
    #expect(e?.description.contains("line 4") == true)
    #expect(e?.description.contains("train_loss_step") == true)
  }

  @Test func trainerStateEvalEntriesSkippedAndCounted() throws {
    let (reader, got) = try Self.inputs(Array(ExportFixtures.trainerState.utf8))
    #expect(reader.lossColumn == "loss")
    #expect(got.map(\.step) == Self.trainSteps)
    #expect(got.map(\.loss) == Self.trainLosses)
    #expect(reader.skippedRows == 3)
  }

  @Test func trainerStateErrorsNameTheEntryAndTheBound() throws {
    let bad =
      "{\n  \"log_history\": [\n    {\"loss\": 1, \"step\": 1},\n    {\"loss\": \"x\", \"step\": 2}\n  ]\n}\n"
    let e = #expect(throws: LogError.self) { try Self.inputs(Array(bad.utf8)) }
    #expect(e?.description.contains("log_history entry 2") == true)
    #expect(e?.description.contains("'loss'") == true)
    let noHistory = "{\n  \"global_step\": 3\n}\n"
    let e2 = #expect(throws: LogError.self) { try Self.inputs(Array(noHistory.utf8)) }
    #expect(e2?.description.contains("log_history") == true)
    let broken = "{\n  \"log_history\": [\n    {\"loss\": 1,, \"step\": 1}\n  ]\n}\n"
    let e3 = #expect(throws: LogError.self) { try Self.inputs(Array(broken.utf8)) }
    #expect(e3?.line == 3)
    // The size bound, with a small limit.
    let big = Array(ExportFixtures.trainerState.utf8)
    #expect(throws: LogError.self) {
      _ = try TrainerStateSource(chunks: ByteChunks(bytes: big), maxBytes: 100)
    }
  }

  @Test func tinkerEvalLinesSkippedAndCounted() throws {
    let (reader, got) = try Self.inputs(Array(ExportFixtures.tinker.utf8))
    #expect(reader.lossColumn == "metrics.loss:sum")
    #expect(got.map(\.step) == Self.trainSteps)
    #expect(got.map(\.loss) == Self.trainSteps.map { (ExportFixtures.loss($0) * 512 * 100).rounded() / 100 })
    #expect(reader.skippedRows == 3)
  }

  @Test func nanLossIsKeptForThePolicy() throws {
    let log = "{\"step\": 1, \"metrics\": {\"loss\": NaN}}\n{\"step\": 2, \"metrics\": {\"loss\": 1.5}}\n"
    let (_, got) = try Self.inputs(Array(log.utf8))
    #expect(got.count == 2)
    #expect(got[0].loss.isNaN)
  }

  @Test func noLossAnywhereSaysWhatWasLookedFor() throws {
    let log = "epoch,step,val_loss\n0,1,2.0\n"
    let e = #expect(throws: LogError.self) { try Self.inputs(Array(log.utf8)) }
    #expect(e?.description.contains("train/loss") == true)
    #expect(e?.description.contains("val_loss") == true)
  }

  // MARK: TensorBoard

  @Test func crc32cMatchesTheIndependentOracle() {
    let check = Array("123456789".utf8)
    #expect(ExportFixtures.crc32c(check) == 0xE306_9283)
    #expect(TFRecord.crc32c(check) == 0xE306_9283)
    var g = SystemRandomNumberGenerator()
    for n in [0, 1, 7, 64, 1000] {
      let bytes = (0..<n).map { _ in UInt8.random(in: 0...255, using: &g) }
      #expect(TFRecord.crc32c(bytes) == ExportFixtures.crc32c(bytes))
      #expect(TFRecord.frame(bytes) == ExportFixtures.record(bytes))
    }
  }

  @Test func tensorboardScalarsFromSimpleValuesAndTensors() throws {
    let (reader, got) = try Self.inputs(ExportFixtures.tensorboard)
    #expect(reader.lossColumn == "train/loss")
    #expect(got.map(\.step) == Self.trainSteps)
    // Written as float32: read back as that float, exactly.
    #expect(got.map(\.loss) == Self.trainLosses.map { Double(Float($0)) })
    // The lr events merge into their step; the eval events are counted.
    #expect(reader.skippedRows == ExportFixtures.steps + 3)
    let (_, lr) = try Self.inputs(ExportFixtures.tensorboard, LogSchema(format: .auto, loss: "train/lr"))
    #expect(lr.map(\.loss) == Self.trainSteps.map { Double(Float(ExportFixtures.lr($0))) })
  }

  @Test func tensorboardChecksBothCRCsAndNamesTheRecord() throws {
    let file = ExportFixtures.tensorboard
    let first = ExportFixtures.record(
      ExportFixtures.event(wallTime: 1.7e9, step: 0, fileVersion: "brain.Event:2")
    ).count
    // Corrupt one byte of the second record's data: the data CRC fails there.
    var data = file
    data[first + 12 + 3] ^= 0x40
    let e = #expect(throws: LogError.self) { try Self.inputs(data, LogSchema(format: .tensorboard)) }
    #expect(e?.description.contains("record 2 (byte offset \(first))") == true)
    #expect(e?.description.contains("data's CRC32C") == true)
    // Corrupt its length: the length CRC fails there.
    var length = file
    length[first + 1] ^= 0x01
    let e2 = #expect(throws: LogError.self) { try Self.inputs(length, LogSchema(format: .tensorboard)) }
    #expect(e2?.description.contains("record 2") == true)
    #expect(e2?.description.contains("length's CRC32C") == true)
    // Truncated.
    let e3 = #expect(throws: LogError.self) {
      try Self.inputs(Array(file.dropLast(2)), LogSchema(format: .tensorboard))
    }
    #expect(e3?.description.contains("truncated") == true)
  }

  @Test func inputFormatOverridesDetection() throws {
    // Read as plain CSV, the W&B history's eval rows are errors again (empty loss cell).
    let e = #expect(throws: LogError.self) {
      try Self.inputs(Array(ExportFixtures.wandbHistory.utf8), LogSchema(format: .csv, loss: "train/loss"))
    }
    #expect(e?.description.contains("is empty") == true)
  }

  /// `/dev/zero` read as the formats that are not read by lines: an error at once, in bounded
  /// memory (a NUL byte is not JSON text; zero bytes are not a TFRecord header).
  @Test func endlessZerosFailFast() throws {
    let state = #expect(throws: LogError.self) {
      _ = try LossLogReader(path: "/dev/zero", schema: LogSchema(format: .trainerState))
    }
    #expect(state?.description.contains("byte 0: a NUL byte") == true)
    let events = #expect(throws: LogError.self) {
      _ = try RunLogReader(.path("/dev/zero"), format: .tensorboard, columns: ["loss"], lossColumn: "loss")
    }
    #expect(
      events?.description.contains("record 1 (byte offset 0): the length's CRC32C does not match") == true)
  }

  @Test func aLivePipeIsDecidedOnItsFirstLine() {
    // Five bytes and a line break: enough to decide (a pipe may send no more for a while).
    #expect(LogFormat.detect(Array("loss\n".utf8)) == .csv)
  }

  /// The README's fixtures are these bytes.
  @Test(arguments: ExportFixtures.files.map(\.name))
  func committedFixtureIsCurrent(_ name: String) throws {
    let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("UnifiedLoRACLITests/Fixtures")
    let url = dir.appendingPathComponent(name)
    let expected = ExportFixtures.files.first { $0.name == name }!.bytes
    if ProcessInfo.processInfo.environment["UPDATE_FIXTURES"] == "1" {
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      try Data(expected).write(to: url)
    }
    #expect(try Array(Data(contentsOf: url)) == expected, "regenerate with UPDATE_FIXTURES=1")
  }
}
