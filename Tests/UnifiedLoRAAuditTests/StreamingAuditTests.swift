import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// The streamed audit of a file (batches, two passes) says exactly what the audit of the same log
/// in memory says, whatever the batch size; and its changes stop at their first unexplained record.
@Suite struct StreamingAuditTests {
  let p = Parameters.report

  func write(_ steps: [LoggedStep]) throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "stream-\(UUID().uuidString).csv"
    ).path
    try Fixtures.csv(steps).write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// Logs with planted changes (or none): the report from the file in batches of 1, 7 and 16,384
  /// records equals the report from memory.
  @Test(
    arguments: [
      ("conforming", UpdateRule(.report)),
      ("cooldown 20", UpdateRule(try! Parameters(cooldown: 20))),
      ("swapped thresholds", UpdateRule(.report, swappedThresholds: true)),
      (
        "update order", UpdateRule(.report, order: UpdateOrder(phiReadsNewEhat: true, modeReadsNewPhi: false))
      ),
      ("beta 0.8", UpdateRule(try! Parameters(beta: 0.8))),
    ] as [(String, UpdateRule)])
  func fileInBatchesEqualsMemory(name: String, rule: UpdateRule) throws {
    let steps = Fixtures.log(rule, Fixtures.inputs(seed: 17, count: 700))
    let path = try write(steps)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let memory = Audit.run(try Fixtures.load(Fixtures.csv(steps)), parameters: p)
    for batch in [1, 7, 16_384] {
      let streamed = try Audit.run(
        FileSteps(path: path, columns: AuditColumns(), batch: batch), columns: AuditColumns(), parameters: p,
        tolerance: Tolerance(), explain: true)
      #expect(streamed == memory, "\(name), batch \(batch)")
    }
    #expect(try Audit.run(path: path, columns: AuditColumns(), parameters: p) == memory, "\(name)")
  }

  /// A change is replayed up to the first record it does not explain: `agreedSteps` records agree,
  /// and the next one (at `firstDivergenceStep`) does not.
  @Test func eachChangeStopsAtItsFirstUnexplainedRecord() throws {
    let inputs = Fixtures.inputs(seed: 7)
    let steps = Fixtures.log(UpdateRule(try p.with(cooldown: 20)), inputs)
    let report = Audit.run(try Fixtures.load(Fixtures.csv(steps)), parameters: p)
    #expect(report.explainedBy.first == "cooldown = 20 (reference 30)")
    for h in report.hypotheses {
      if h.explainsFully {
        #expect(h.agreedSteps == steps.count && h.firstDivergenceStep == nil)
        continue
      }
      let stop = try #require(h.firstDivergenceStep)
      // The steps are 0, 1, 2, …: the records before the stop are exactly the agreed ones.
      #expect(stop == h.agreedSteps, "\(h.change)")
      let candidate = try #require(
        Hypothesis.candidates(for: RunLog(steps: steps), reference: p).first { $0.change == h.change })
      var c = Comparison.Accumulator(rule: candidate.rule, convention: candidate.convention)
      for s in steps.prefix(h.agreedSteps + 1) { c.add(s) }
      #expect(c.result(fields: Set(AuditField.allCases)).firstDivergence?.step == stop, "\(h.change)")
    }
    // Ranked: full explanations, then the changes that went furthest.
    let partial = report.hypotheses.filter { !$0.explainsFully }.map(\.agreedSteps)
    #expect(partial == partial.sorted(by: >))
  }

  /// A huge reference cooldown gives a bounded set of changes (no 2·N_s-element range).
  @Test(arguments: [100_000_000, 1 << 53, Int.max])
  func cooldownCandidatesAreBounded(cooldown: Int) {
    let values = Hypothesis.cooldownCandidates(cooldown)
    #expect(values.count <= 200)
    #expect(values.contains(0) && values.contains(cooldown))
  }

  /// Standard input (or a FIFO) is read twice through an unlinked temporary copy.
  @Test func streamFromAFIFOIsAuditedTwice() throws {
    let steps = Fixtures.log(UpdateRule(try p.with(cooldown: 20)), Fixtures.inputs(seed: 7))
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fifo-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let fifo = dir.appendingPathComponent("log.csv").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let text = Fixtures.csv(steps)
    let writer = Thread {
      let h = FileHandle(forWritingAtPath: fifo)!
      h.write(Data(text.utf8))
      try? h.close()
    }
    writer.start()
    let report = try Audit.run(path: fifo, columns: AuditColumns(), parameters: p)
    #expect(report.explainedBy.first == "cooldown = 20 (reference 30)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["log.csv"])
  }
}
