import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// `Audit.outcome` names each field's column as the log names it (the work the command line
/// once did after the call).
@Suite struct AuditOutcomeNamingTests {
  static let report = Audit.run(
    RunLog(steps: Fixtures.log(UpdateRule(.report), Fixtures.inputs(seed: 3, count: 50))), parameters: .report
  )

  @Test func fieldsTakeTheNamesTheFirstPassRead() {
    let info = AuditReadInfo()
    info.finish(
      columnNames: ["Step", "train/loss", "env", "mode", "train/learning_rate", "phi", "ehat"],
      skippedNote: nil)
    let named = Self.report.naming(info)
    #expect(Self.report.columns["lr"] == "lr")
    #expect(named.columns["lr"] == "train/learning_rate")
    #expect(named.columns["mode"] == "mode")
    // Only the fields the report has are named.
    #expect(Set(named.columns.keys) == Set(Self.report.columns.keys))
  }

  @Test func noNamesLeaveTheReportAsItIs() {
    #expect(Self.report.naming(AuditReadInfo()) == Self.report)
  }

  /// Through `outcome`, from a file: the names are those the options gave, for a plain CSV.
  @Test func outcomeOfAPlainCSVKeepsTheOptionsNames() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("naming-\(UUID()).csv")
    let text = Fixtures.csv(Fixtures.log(UpdateRule(.report), Fixtures.inputs(seed: 5, count: 60)))
      .replacingOccurrences(of: "step,loss,env,ehat,phi,mode,lr", with: "step,loss,env,ehat,phi,mode,rate")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    var columns = AuditColumns()
    columns.lr = "rate"
    let outcome = try Audit.outcome(
      path: url.path, columns: columns, parameters: .report,
      gaps: try GapInputs(lossLow: 0, lossHigh: .infinity, envZero: false))
    guard case .replay(let r, _) = outcome else {
      Issue.record("expected a replay")
      return
    }
    #expect(r.verdict == .conforms)
    #expect(r.columns["lr"] == "rate")
  }
}
