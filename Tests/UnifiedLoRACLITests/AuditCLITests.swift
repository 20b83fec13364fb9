import Foundation
import Testing

/// The built binary: `audit` exit statuses and output, `vectors`.
@Suite struct AuditCLITests {
  func temporaryFile(_ name: String, _ text: String) throws -> String {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("unified-lora-\(UUID().uuidString)-\(name)").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// A run near θ0 where the cooldown decides the switches: the log of a cooldown-20 run.
  func scenario(_ extra: [String]) throws -> String {
    let r = try CLI.run(
      ["scenario", "clean", "--clean-loss", "6", "--noise", "0.3", "--steps", "600", "--format", "csv"]
        + extra)
    #expect(r.status == 0)
    return r.stdout
  }

  @Test func conformingLogExitsZero() throws {
    let path = try temporaryFile("ok.csv", try scenario([]))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["audit", "--input", path])
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.hasPrefix("verdict: conforms\n"))
  }

  @Test func wrongCooldownExitsOneAndIsExplained() throws {
    let path = try temporaryFile("cd20.csv", try scenario(["--cooldown", "20"]))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["audit", "--input", path, "--format", "json"])
    #expect(r.status == 1, "\(r.stderr)")
    let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["verdict"] as? String == "does-not-conform")
    #expect((json["explainedBy"] as? [String])?.first == "cooldown = 20 (reference 30)")
    let first = (json["comparison"] as? [String: Any])?["firstDivergence"] as? [String: Any]
    #expect(first?["step"] as? Int == 237)
    #expect(first?["cooldownElapsed"] as? Bool == false)
    // The same log audited with the cooldown it was run with conforms.
    #expect(try CLI.run(["audit", "--input", path, "--cooldown", "20"]).status == 0)
  }

  @Test func badLogExitsTwoWithEveryProblem() throws {
    let path = try temporaryFile("bad.csv", "step,loss,mode\n0,1,0\n1,nan,0\n1,1,0\n3,1,0\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["audit", "--input", path])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "Error: the log cannot be replayed: 2 problems, the first: line 3, step 1: loss = nan is not a finite number ≥ 0: the controller cannot consume it\n"
    )
    #expect(r.stdout.contains("error   line 4, step 1: step 1 appears twice: steps must strictly increase"))
    #expect(r.stdout.contains("note    line 5, step 3: step 2 is missing; replayed as logged"))
  }

  @Test func structurallyBrokenLogExitsTwo() throws {
    let r = try CLI.run(["audit"], stdin: "step,loss,mode\n0,1,0\n1,1\n")
    #expect(r.status == 2)
    #expect(r.stderr == "Error: line 3: 2 fields where the header has 3\n")
    let none = try CLI.run(["audit"], stdin: "")
    #expect(none.status == 2)
    #expect(none.stderr == "Error: the log is empty: expected a header line and at least one record\n")
  }

  @Test func namedColumnMustExistAndBadFlagsAreUsageErrors() throws {
    let r = try CLI.run(["audit", "--lr-column", "train/lr"], stdin: "step,loss,mode\n0,1,0\n")
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("Error: line 1: no column 'train/lr' (columns: 'step', 'loss', 'mode')"))
    #expect(try CLI.run(["audit", "--tolerance", "-1"], stdin: "").status == 64)
  }

  @Test func vectorsCommandWritesAnIndex() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
      "unified-lora-v-\(UUID().uuidString)"
    ).path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let r = try CLI.run(["vectors", "--out", dir, "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect((json["files"] as? [String])?.last == "index.json")
    #expect(FileManager.default.fileExists(atPath: dir + "/SCHEMA.md"))
    #expect(FileManager.default.fileExists(atPath: dir + "/cases/report-zeros.json"))
  }
}

/// Logs as exporters write them: a W&B CSV export and a hosted fine-tuning API's JSON Lines.
@Suite struct AuditExportFormatTests {
  /// The trace of the report's scenario as (step, loss, mode, lr) rows.
  func trace() throws -> [(step: Int, loss: String, mode: Int, lr: String)] {
    let r = try CLI.run(["scenario", "report-shocks", "--steps", "400", "--format", "csv"])
    return r.stdout.split(separator: "\n").dropFirst().map { line in
      let c = line.split(separator: ",").map(String.init)
      return (Int(c[0])!, c[1], Int(c[5])!, c[6])
    }
  }

  /// A W&B export logs the learning rate the optimizer used at each step: η[M_t], the state
  /// before the step. The audit names that convention as the full explanation.
  @Test func wandbExportLoggingTheRateOfTheStep() throws {
    let rows = try trace()
    let rates = ["0.002"] + rows.dropLast().map(\.lr)  // η[M_t]: M_0 = Single
    var csv = "Step,train/loss,train/learning_rate,_runtime\n"
    for (row, lr) in zip(rows, rates) { csv += "\(row.step),\(row.loss),\(lr),\(row.step)\n" }
    let r = try CLI.run(
      [
        "audit", "--step-column", "Step", "--loss-column", "train/loss", "--lr-column",
        "train/learning_rate", "--format", "json",
      ], stdin: csv)
    #expect(r.status == 1, "\(r.stderr)")
    let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(
      json["explainedBy"] as? [String] == [
        "each record holds the state before its step (logged one line late)"
      ])
  }

  @Test func jsonLinesWithKeyPathsConforms() throws {
    let names = ["Single", "Multi", "Mirror"]
    let text = try trace().map {
      "{\"step\": \($0.step), \"metrics\": {\"loss:sum\": \($0.loss)}, \"controller\": {\"mode\": \"\(names[$0.mode])\", \"lr\": \($0.lr)}}"
    }.joined(separator: "\n")
    let r = try CLI.run(
      [
        "audit", "--input-format", "jsonl", "--loss-column", "metrics.loss:sum", "--mode-column",
        "controller.mode", "--lr-column", "controller.lr",
      ], stdin: text)
    #expect(r.status == 0, "\(r.stdout)\(r.stderr)")
    #expect(r.stdout.contains("conforms: 400 records (mode, lr) agree with the report variant"))
  }
}
