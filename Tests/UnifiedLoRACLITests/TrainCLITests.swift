import Foundation
import Testing

/// The `train` command on the built binary, with a tiny transformer and a short run.
@Suite struct TrainCLITests {
  static let tiny = [
    "--steps", "30", "--seeds", "1", "--pretrain-steps", "5", "--d-model", "8", "--heads", "2", "--ffn", "8",
    "--batch-size", "4", "--warm-steps", "5", "--test-size", "16", "--sharpness-at", "none", "--shocks",
    "10:15,20:25",
  ]

  static func temporary(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("train-cli-\(name)-\(getpid())")
  }

  @Test func shortRunWritesCSVAndSummary() throws {
    let dir = TrainCLITests.temporary("out")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLI.run(
      ["train"] + TrainCLITests.tiny + [
        "--arms", "unified,fixed:5e-4", "--format", "json", "--out", dir.path,
      ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.isEmpty)  // no progress output when standard error is not a terminal
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    for key in [
      "arms", "blas", "claims", "cleanAdaptation", "consistencyChecks", "command", "configuration",
      "predictionScore", "pretraining", "runs", "seconds", "version",
    ] {
      #expect(json[key] != nil, "missing key \(key)")
    }
    let arms = try #require(json["arms"] as? [[String: Any]])
    #expect(arms.map { $0["arm"] as? String } == ["unified", "unified+signal", "fixed:5e-4"])
    #expect((arms[0]["pairedVsBaseline"] as? [Any])?.isEmpty == false)
    #expect((arms[2]["pairedVsBaseline"] as? [Any])?.isEmpty == true)
    // The file is the summary printed, byte for byte.
    let file = try String(contentsOf: dir.appendingPathComponent("summary.json"), encoding: .utf8)
    #expect(file == r.stdout)
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(
      files == ["fixed_5e-4-seed1.csv", "summary.json", "unified-seed1.csv", "unified-signal-seed1.csv"])
    let csv = try String(contentsOf: dir.appendingPathComponent("unified-seed1.csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n")
    #expect(lines.first == "step,loss,shocked,env,ehat,phi,mode,lr,val_loss")
    #expect(lines.count == 31)
    // Step 10 is shocked.
    #expect(lines[11].split(separator: ",", omittingEmptySubsequences: false)[2] == "1")

    // A second run replaces the set: no stale file from the first stays beside the new ones.
    let again = try CLI.run(
      ["train"] + TrainCLITests.tiny + ["--arms", "fixed:1e-4", "--env", "none", "--out", dir.path])
    #expect(again.status == 0, "\(again.stderr)")
    let after = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(after == ["fixed_1e-4-seed1.csv", "summary.json"])
    let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.deletingLastPathComponent().path)
    #expect(!siblings.contains { $0.hasPrefix(".\(dir.lastPathComponent).") })
  }

  @Test func switchesAreCountedFromTheInitialMode() throws {
    let dir = TrainCLITests.temporary("initial")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLI.run(
      ["train"] + TrainCLITests.tiny + [
        "--arms", "unified", "--env", "none", "--initial-mode", "2", "--initial-phi", "0.9", "--format",
        "json", "--out", dir.path,
      ])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let run = try #require((json["runs"] as? [[String: Any]])?.first)
    let csv = try String(contentsOf: dir.appendingPathComponent("unified-seed1.csv"), encoding: .utf8)
    var previous = "2"
    var changes = 0
    for line in csv.split(separator: "\n").dropFirst() {
      let mode = String(line.split(separator: ",", omittingEmptySubsequences: false)[6])
      if mode != previous { changes += 1 }
      previous = mode
    }
    #expect((run["metrics"] as? [String: Any])?["switches"] as? Int == changes)
  }

  @Test func tableByDefault() throws {
    let r = try CLI.run(["train"] + TrainCLITests.tiny + ["--arms", "plateau,fixed:5e-4"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("The report's Tables 5.2 and 5.3 beside ours"))
    #expect(r.stdout.contains("Paired differences against the report's baseline"))
    #expect(r.stdout.contains("Pre-registered predictions"))
    #expect(r.stdout.contains("Consistency checks"))
  }

  @Test func progressFlagWritesProgressAndPredictionsToAPipe() throws {
    let r = try CLI.run(
      ["train"] + TrainCLITests.tiny + ["--arms", "unified", "--env", "none", "--progress", "--steps", "60"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("progress: step"))
    #expect(r.stderr.contains("prediction unified seed 1, made at step 20"))
  }

  @Test func badOutIsRejectedBeforeTraining() throws {
    let file = TrainCLITests.temporary("file")
    try Data("x".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let start = Date()
    // --steps 1000000 would take hours: the target is checked first.
    let r = try CLI.run(["train", "--steps", "1000000", "--out", file.path])
    #expect(r.status == 2)
    #expect(r.stderr.contains("exists and is not a directory"))
    #expect(Date().timeIntervalSince(start) < 20)
    let missing = try CLI.run(["train", "--out", "/nonexistent-parent/x"])
    #expect(missing.status == 2)
    #expect(missing.stderr.contains("does not exist"))
    let root = try CLI.run(["train", "--out", "/"])
    #expect(root.status == 2)
    // A directory with other files is not replaced.
    let dir = TrainCLITests.temporary("foreign")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    try Data("keep".utf8).write(to: dir.appendingPathComponent("notes.txt"))
    defer { try? FileManager.default.removeItem(at: dir) }
    let foreign = try CLI.run(["train", "--out", dir.path])
    #expect(foreign.status == 2)
    #expect(foreign.stderr.contains("notes.txt"))
  }

  @Test func unwritableTargetIsRejectedBeforeTraining() throws {
    // /proc accepts no new directory, even for root: the check creates and removes a probe.
    let r = try CLI.run(["train", "--steps", "1000000", "--out", "/proc/unified-lora-train-check"])
    #expect(r.status == 2)
    #expect(r.stderr.contains("cannot create"), "\(r.stderr)")
  }

  @Test(arguments: [
    (["--lora-alpha", "1e308"], "lora-alpha"),
    (["--seeds", "2", "--first-seed", "18446744073709551615"], "first-seed"),
    (["--arms", "fixed:0"], "invalid arm 'fixed:0'"),
    (["--heads", "3"], "heads"),
    (["--lora-targets", "q,x"], "invalid LoRA target 'x'"),
    (["--shock-fraction", "2"], "shock-fraction"),
    (["--shocks", "300:200"], "invalid shock window '300:200'"),
    (["--sharpness-at", "1,x"], "invalid value sharpness-at = '1,x'"),
    (["--warm-floor", "0"], "warm-floor"),
    (["--warm-rate", "nan"], "warm-rate"),
    (["--arms", ""], "give at least one arm"),
    (["--variant", "repo"], "invalid parameter variant = repo"),
  ])
  func invalidFlagsAreUsageErrors(args: [String], message: String) throws {
    let r = try CLI.run(["train"] + args)
    #expect(r.status == 64, "\(r.stderr)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    // The error, the option's help line (for a typed option's bad value) and the usage: never the
    // whole help.
    #expect(r.stderr.split(separator: "\n").count <= 4)
  }

  @Test func missingWordListIsABadInputError() throws {
    let r = try CLI.run(["train", "--words", "/nonexistent/words", "--steps", "5"])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "Error: cannot read the word list '/nonexistent/words': install it with `apt-get install wamerican` (or run `make bootstrap`), or pass --words FILE\n"
    )
  }
}
