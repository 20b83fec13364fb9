import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

@Suite struct RunLogTests {
  let good = Fixtures.csv(Fixtures.log(UpdateRule(.report), Fixtures.inputs(seed: 9, count: 50)))

  func lines() -> [String] { good.split(separator: "\n").map(String.init) }

  @Test func duplicateStepIsFatalAndNamed() throws {
    var l = lines()
    l[11] = l[10]
    let log = try Fixtures.load(l.joined(separator: "\n"))
    #expect(!log.isReplayable)
    let issue = try #require(log.issues.first { $0.kind == .duplicateStep })
    #expect(issue.description == "line 12, step 9: step 9 appears twice: steps must strictly increase")
    let report = Audit.run(log, parameters: .report)
    #expect(report.verdict == .badInput)
    #expect(report.verdict.exitStatus == 2)
    #expect(report.comparison == nil)
  }

  @Test func outOfOrderStepIsFatal() throws {
    var l = lines()
    l.swapAt(5, 6)
    let log = try Fixtures.load(l.joined(separator: "\n"))
    // 3, 5, 4, 6: a gap (a note), then a step out of order (fatal).
    #expect(log.issues.map(\.kind) == [.stepGap, .stepOutOfOrder])
    #expect(log.issues.map(\.fatal) == [false, true])
    #expect(
      log.issues[1].description == "line 7, step 4: step 4 comes after step 5: steps must strictly increase")
  }

  @Test func gapIsANoteAndTheReplayUsesTheStepNumbers() throws {
    let p = Parameters.report
    let inputs = Fixtures.inputs(seed: 9, count: 60).map {
      Input(step: $0.step < 30 ? $0.step : $0.step + 10, loss: $0.loss)
    }
    let log = try Fixtures.load(Fixtures.csv(Fixtures.log(UpdateRule(p), inputs)))
    #expect(log.issues.map(\.kind) == [.stepGap])
    #expect(log.issues[0].description.hasPrefix("line 32, step 40: steps 30…39 are missing (10 steps)"))
    #expect(Audit.run(log, parameters: p).verdict == .conforms)
  }

  @Test(arguments: [
    ("nan", "loss = nan is not a finite number ≥ 0: the controller cannot consume it"),
    ("-1", "loss = -1.0 is not a finite number ≥ 0: the controller cannot consume it"),
    ("", "column 'loss' is empty: the controller needs it to replay the step"),
    ("abc", "column 'loss': 'abc' is not a number"),
  ])
  func badLossIsFatalAndNamed(_ text: String, _ message: String) throws {
    var l = lines()
    var cells = l[20].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    cells[1] = text
    l[20] = cells.joined(separator: ",")
    let log = try Fixtures.load(l.joined(separator: "\n"))
    #expect(log.issues.count == 1)
    #expect(log.issues.first?.description == "line 21, step 19: \(message)")
    #expect(Audit.run(log, parameters: .report).verdict == .badInput)
  }

  @Test func missingDecisionIsANoteNotAMismatch() throws {
    var l = lines()
    var cells = l[20].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
    cells[5] = ""
    l[20] = cells.joined(separator: ",")
    let log = try Fixtures.load(l.joined(separator: "\n"))
    #expect(log.issues.map(\.kind) == [.missingValue])
    #expect(log.issues[0].fatal == false)
    let report = Audit.run(log, parameters: .report)
    #expect(report.verdict == .conforms)
    #expect(report.comparison?.fields.first { $0.field == .mode }?.compared == 49)
  }

  @Test func unknownModeIsFatal() throws {
    let log = try Fixtures.load("step,loss,mode\n0,1,0\n1,1,Turbo\n")
    #expect(
      log.issues.first?.description
        == "line 3, step 1: column 'mode': 'Turbo' is not a mode (0, 1, 2, Single, Multi, Mirror)")
  }

  @Test func noDecisionColumnIsBadInput() throws {
    let log = try Fixtures.load("step,loss\n0,1\n")
    #expect(log.issues.map(\.kind) == [.noDecisionColumn])
    #expect(Audit.run(log, parameters: .report).verdict == .badInput)
  }

  @Test func raggedRowAndEmptyFileThrow() {
    #expect(throws: LogError(line: 3, .ragged(expected: 3, found: 2))) {
      try Fixtures.load("step,loss,mode\n0,1,0\n1,1\n")
    }
    #expect(throws: LogError(line: 0, .empty)) { try Fixtures.load("") }
    #expect(throws: LogError(line: 1, .missingColumn("lr", available: ["step", "loss"]))) {
      try Fixtures.load("step,loss\n0,1\n", columns: AuditColumns(lr: "lr"))
    }
  }

  /// JSON Lines with key paths and mode names, as hosted fine-tuning APIs write them.
  @Test func jsonLinesKeyPathsAndModeNames() throws {
    let p = Parameters.report
    let steps = Fixtures.log(UpdateRule(p), Fixtures.inputs(seed: 8, count: 80))
    let text = steps.map { s in
      "{\"step\": \(s.step), \"metrics\": {\"loss:sum\": \(s.loss), \"lr\": \(s.lr!)}, \"controller\": {\"mode\": \"\(s.mode!)\"}}"
    }.joined(separator: "\n")
    let columns = AuditColumns(
      format: .jsonl, loss: "metrics.loss:sum", mode: "controller.mode", lr: "metrics.lr")
    let log = try Fixtures.load(text, columns: columns)
    #expect(log.fields == [.mode, .lr])
    #expect(log.issues.isEmpty)
    #expect(Audit.run(log, parameters: p).verdict == .conforms)
  }
}
