import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// Every field of the issues a record can raise (kind, line, step, column, value, fatality and
/// the whole message), one record each: the reader builds them all in one place, and a field
/// dropped or taken from the wrong column shows here.
@Suite struct LogIssueTests {
  @Test(arguments: [
    (
      "0,1,0\n0,1,0",
      LogIssue(
        .duplicateStep, line: 3, step: 0, column: "step", value: "0", fatal: true,
        message: "step 0 appears twice: steps must strictly increase")
    ),
    (
      "1,1,0\n0,1,0",
      LogIssue(
        .stepOutOfOrder, line: 3, step: 0, column: "step", value: "0", fatal: true,
        message: "step 0 comes after step 1: steps must strictly increase")
    ),
    (
      "0,1,0\n2,1,0",
      LogIssue(
        .stepGap, line: 3, step: 2, column: "step", value: "2", fatal: false,
        message: "step 1 is missing; replayed as logged, the cooldown counts in step numbers")
    ),
    (
      "0,1,0\n1,x,0",
      LogIssue(
        .notANumber, line: 3, step: 1, column: "loss", value: "x", fatal: true,
        message: "column 'loss': 'x' is not a number")
    ),
    (
      "0,1,0\n1,,0",
      LogIssue(
        .missingValue, line: 3, step: 1, column: "loss", fatal: true,
        message: "column 'loss' is empty: the controller needs it to replay the step")
    ),
    (
      "0,1,0\n1,-2,0",
      LogIssue(
        .invalidInput, line: 3, step: 1, column: "loss", value: "-2.0", fatal: true,
        message: "loss = -2.0 is not a finite number ≥ 0: the controller cannot consume it")
    ),
    (
      "0,1,0\n1,1,",
      LogIssue(
        .missingValue, line: 3, step: 1, column: "mode", fatal: false,
        message: "column 'mode' is empty: not compared at this step")
    ),
    (
      "0,1,0\n1,1,7",
      LogIssue(
        .unknownMode, line: 3, step: 1, column: "mode", value: "7.0", fatal: true,
        message: "column 'mode': '7.0' is not a mode (0, 1, 2, Single, Multi, Mirror)")
    ),
    (
      "0,1,0\n1,1,Turbo",
      LogIssue(
        .unknownMode, line: 3, step: 1, column: "mode", value: "Turbo", fatal: true,
        message: "column 'mode': 'Turbo' is not a mode (0, 1, 2, Single, Multi, Mirror)")
    ),
  ])
  func recordIssueNamesEveryField(_ records: String, _ expected: LogIssue) throws {
    let log = try Fixtures.load("step,loss,mode\n" + records + "\n")
    #expect(log.issues == [expected])
  }
}
