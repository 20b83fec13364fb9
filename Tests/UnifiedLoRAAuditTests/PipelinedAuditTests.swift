import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// The audit of a file read on its own thread one batch ahead (``FileSteps/pipelined``), its
/// lines parsed on two cores, gives exactly the report of the same file read batch after batch
/// and of the log read record by record into memory: on logs large enough to be cut in two
/// (4,000 records of about 110 bytes), with issues and errors at and next to batch boundaries.
@Suite struct PipelinedAuditTests {
  let p = Parameters.report

  func lines(cooldown: Int) throws -> [String] {
    let steps = Fixtures.log(
      UpdateRule(try Parameters(cooldown: cooldown)), Fixtures.inputs(seed: 23, count: 4000))
    return Fixtures.csv(steps).split(separator: "\n").map(String.init)
  }

  /// The three reports (or the three errors) agree, for batches of 1,000, 1,024 and 16,384.
  func check(_ lines: [String], _ name: String, finalLineBreak: Bool = true) throws {
    let text = lines.joined(separator: "\n") + (finalLineBreak ? "\n" : "")
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "pipelined-\(UUID().uuidString).csv"
    ).path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let memory: Result<AuditReport, LogError>
    do throws(LogError) {
      memory = .success(
        Audit.run(try RunLog.load(bytes: Array(text.utf8), columns: AuditColumns()), parameters: p))
    } catch {
      memory = .failure(error)
    }
    for batch in [1000, 1024, 16_384] {
      for pipelined in [true, false] {
        let file: Result<AuditReport, LogError>
        do throws(LogError) {
          file = .success(
            try Audit.run(
              FileSteps(path: path, columns: AuditColumns(), batch: batch, pipelined: pipelined),
              columns: AuditColumns(), parameters: p, tolerance: Tolerance(), explain: true))
        } catch {
          file = .failure(error)
        }
        #expect(file == memory, "\(name), batch \(batch), pipelined \(pipelined)")
      }
    }
  }

  @Test func conformingAndExplainedLogs() throws {
    try check(try lines(cooldown: 30), "conforming")
    try check(try lines(cooldown: 20), "cooldown 20")
  }

  /// A cell that is not a number (a fatal issue: the log is still read to its end for every
  /// issue), a repeated and a missing step (issues listed with their lines), around the batch
  /// boundaries 1,000 and 1,024 (line = record + 2).
  @Test(arguments: [998, 999, 1000, 1022, 1023, 1024, 2047, 3999])
  func issuesAtBatchBoundaries(record: Int) throws {
    let clean = try lines(cooldown: 20)
    var word = clean
    var cells = word[record + 1].split(separator: ",", omittingEmptySubsequences: false)
    cells[1] = "lots"
    word[record + 1] = cells.joined(separator: ",")
    try check(word, "text loss at record \(record)")
    var gap = clean
    gap.remove(at: record + 1)
    try check(gap, "step \(record) missing")
    var twice = clean
    twice.insert(clean[record + 1], at: record + 1)
    try check(twice, "step \(record) twice")
  }

  /// A last line cut short (no line break, too few fields), and a ragged row at a boundary: the
  /// same error, with its line, from every read.
  @Test(arguments: [999, 1000, 1023, 3000])
  func truncatedAndRaggedLines(record: Int) throws {
    var truncated = try lines(cooldown: 30)
    truncated[truncated.count - 1] = String(truncated[truncated.count - 1].prefix(12))
    try check(truncated, "truncated last line", finalLineBreak: false)
    var ragged = try lines(cooldown: 20)
    ragged[record + 1] = "\(record),1.5"
    try check(ragged, "ragged record \(record)")
  }
}
