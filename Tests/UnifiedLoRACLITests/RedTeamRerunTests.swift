import Foundation
import Testing

/// An independent re-run of the hostile-user pass (docs/robustness.md, "Red-team re-run"): the
/// defect classes it found, one test each, through the built binary.
@Suite struct RedTeamRerunTests {
  /// `verify`'s budget explanation (is the budget too small?) tried up to 10,000,000 steps per
  /// trace whatever the run's own budget: 8 traces of 10 steps ran for many minutes (seed 1,
  /// T06.mode.claim). It now tries at most 64 times the run's steps and says so.
  @Test func verifyBudgetExplanationIsBounded() throws {
    let start = Date()
    let r = try CLI.run([
      "verify", "--traces", "8", "--steps", "10", "--no-ieee", "--claims", "T06.mode.claim", "--seed", "1",
    ])
    let seconds = Date().timeIntervalSince(start)
    #expect(r.status == 1, "\(r.stderr)")
    #expect(
      r.stdout.contains("not refuted with --steps up to 640 (64 × --steps, the most this run tries"),
      "\(r.stdout)")
    #expect(seconds < 120, "took \(seconds) s")
    // A seed whose refutation lies within the bound still gets the least --steps.
    let five = try CLI.run([
      "verify", "--traces", "8", "--steps", "10", "--no-ieee", "--claims", "T06.mode.claim", "--seed", "5",
    ])
    #expect(five.stdout.contains("budget-too-small") && five.stdout.contains("refutes it with --steps 71"))
  }

  /// A count given to `sweep` that binary64 rounds (2^53 + 1, 1.0000000000000001, a grid's
  /// count 3.0000000000000001) ran another count than the one typed, exit 0.
  @Test(arguments: [
    ["--cooldown", "9007199254740993"], ["--cooldown", "1.0000000000000001"],
    ["--shock-length", "0:100.000000000000001:2"], ["--alpha", "0.1:0.2:3.0000000000000001"],
  ])
  func sweepCountIsReadExactly(_ flag: [String]) throws {
    let r = try CLI.run(["sweep"] + flag)
    #expect(r.status == 64, "\(flag): \(r.stdout)")
    #expect(r.stderr.contains("is not held exactly by a binary64 number"), "\(r.stderr)")
    #expect(r.stderr.contains("invalid value \(flag[0].dropFirst(2)) = \(flag[1])"), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// Counts written exactly, in any decimal form, still run.
  @Test func sweepExactCountsRun() throws {
    let r = try CLI.run([
      "sweep", "--cooldown", "9007199254740992", "--shock-length", "1e2", "--alpha", "0.1:0.2:2.0",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains(",9007199254740992.0,"))
  }

  /// Two CSV shards of a 4-point grid and their JSON twins, in a fresh directory.
  func shards() throws -> (dir: URL, csv: [String], json: [String]) {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rerun-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    var csv: [String] = []
    var json: [String] = []
    for i in 0..<2 {
      for format in ["csv", "json"] {
        let r = try CLI.run(["sweep", "--alpha", "0.1:0.2:4", "--shard", "\(i)/2", "--format", format])
        #expect(r.status == 0)
        let f = dir.appendingPathComponent("s\(i).\(format)")
        try Data(r.stdout.utf8).write(to: f)
        if format == "csv" { csv.append(f.path) } else { json.append(f.path) }
      }
    }
    return (dir, csv, json)
  }

  /// `sweep merge` read a shard's first line loosely: an unknown key was ignored, a repeated
  /// key overwrote the first, a hand-edited `points=` or grid was trusted, and a row whose
  /// grid point was edited was copied into the merge (exit 0). Each is now named.
  @Test(arguments: [
    ("1s/$/ extra=1/", "line 1: unexpected 'extra=1'"),
    ("1s/shard=[01]\\/2/& shard=0\\/2/", "line 1: shard= is given twice"),
    ("1s/points=4/points=4 points=5/", "line 1: points= is given twice"),
    ("3s/^\\([0-9]\\),0\\.1[0-9]*,/\\1,0.99,/", "its alpha is not the grid's value at point"),
    ("1s/alpha=0.1:0.2:4;/alpha=0.1:0.2:4;alpha=0.1:0.2:4;/", "is not a sweep grid: alpha is given twice"),
    ("1s/variant=report/variant=repor/", "is not a sweep grid: unknown variant 'repor'"),
    ("1s/beta=0.9;/beta=0.9;beta2=1;/", "is not a sweep grid: unknown axis 'beta2'"),
    ("1s/;epsilon=0.02/;epsilon=0.020/", "is not a sweep grid: it is not written as the sweep writes it"),
  ])
  func sweepMergeHeaderAndRowsAreChecked(_ edit: String, _ message: String) throws {
    let (dir, csv, _) = try shards()
    defer { try? FileManager.default.removeItem(at: dir) }
    // Every shard edited alike (a grid edited in one shard alone is "a shard of another grid").
    for f in csv {
      let text = try String(contentsOfFile: f, encoding: .utf8)
      let edited = try sed(edit, text)
      #expect(edited != text, "the edit \(edit) changed nothing")
      try Data(edited.utf8).write(to: URL(fileURLWithPath: f))
    }
    let r = try CLI.run(["sweep", "merge"] + csv)
    #expect(r.status == 2, "\(edit): \(r.stdout)")
    #expect(r.stdout.isEmpty)
    #expect(r.stderr.contains(message), "\(edit): \(r.stderr)")
  }

  /// `points=` edited in every shard alike: the grid's own count is compared.
  @Test func sweepMergeChecksPointsAgainstTheGrid() throws {
    let (dir, csv, json) = try shards()
    defer { try? FileManager.default.removeItem(at: dir) }
    for f in csv {
      let t = try String(contentsOfFile: f, encoding: .utf8)
      try Data(t.replacingOccurrences(of: "points=4", with: "points=5").utf8).write(
        to: URL(fileURLWithPath: f))
    }
    let r = try CLI.run(["sweep", "merge"] + csv)
    #expect(r.status == 2)
    #expect(r.stderr.contains("points=5 but its grid has 4 points"), "\(r.stderr)")
    // A JSON row whose point was edited.
    let t = try String(contentsOfFile: json[0], encoding: .utf8)
    let edited = t.replacingOccurrences(of: "\"alpha\" : 0.1,", with: "\"alpha\" : 0.5,")
    #expect(edited != t)
    try Data(edited.utf8).write(to: URL(fileURLWithPath: json[0]))
    let j = try CLI.run(["sweep", "merge"] + json)
    #expect(j.status == 2)
    #expect(j.stderr.contains("row 0: its point (alpha) is not the grid's point 0"), "\(j.stderr)")
  }

  /// `sweep merge` read files with `FileManager.contents`: a pipe (`<(unified-lora sweep …)`)
  /// was "cannot read", an empty file was "cannot read", and a directory said nothing more.
  @Test func sweepMergeReadsPipesAndNamesOtherFiles() throws {
    let (dir, csv, _) = try shards()
    defer { try? FileManager.default.removeItem(at: dir) }
    let expected = try CLI.run(["sweep", "merge"] + csv)
    #expect(expected.status == 0)
    let r = try CLI.run(
      [
        "-c", "exec \"$0\" sweep merge <(cat \"$1\") <(cat \"$2\")", CLI.binary.path, csv[0], csv[1],
      ], executable: URL(fileURLWithPath: "/bin/bash"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout == expected.stdout)
    let empty = try CLI.run(["sweep", "merge", csv[0], "/dev/null"])
    #expect(empty.status == 2 && empty.stderr.contains("'/dev/null' is empty"), "\(empty.stderr)")
    let directory = try CLI.run(["sweep", "merge", csv[0], dir.path])
    #expect(directory.status == 2 && directory.stderr.contains("it is a directory"), "\(directory.stderr)")
  }

  /// `scenario` with a loss at the largest finite number: the noise bound became NaN, so even
  /// `--noise 0` was refused ("expected 0 … -nan").
  @Test func scenarioNoiseBoundAtTheLargestLoss() throws {
    let ok = try CLI.run([
      "scenario", "--shock-loss", "1.7976931348623157e308", "--noise", "0", "--steps", "10", "--format",
      "csv",
    ])
    #expect(ok.status == 0, "\(ok.stderr)")
    #expect(ok.stdout.split(separator: "\n").count == 11)
    let bad = try CLI.run([
      "scenario", "--shock-loss", "1.7976931348623157e308", "--noise", "0.1", "--steps", "10",
    ])
    #expect(bad.status == 64)
    #expect(
      bad.stderr.contains("invalid value noise = 0.1") && !bad.stderr.lowercased().contains("nan"),
      "\(bad.stderr)")
  }

  /// Lists with an empty part were read as if it were not there: `--shocks 2:3:` as 2:3,
  /// `--shocks ,` as no shock, `--lr 1,,2,3` as 1,2,3 (exit 0).
  @Test(arguments: [
    ["scenario", "--shocks", "2:3:"], ["scenario", "--shocks", "2::3"], ["scenario", "--shocks", ","],
    ["scenario", "--shocks", "2:3,,5:6"], ["scenario", "--lr", "1,,2,3"], ["scenario", "--lr", "1,2,3,"],
    ["analyze", "--lr", ",1,2,3"],
  ])
  func emptyListPartsAreErrors(_ args: [String]) throws {
    let r = try CLI.run(args + (args[0] == "scenario" ? ["--steps", "10"] : []))
    #expect(r.status == 64, "\(args): \(r.stdout.prefix(200))")
    #expect(r.stderr.contains(args[2]), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// `tune merge` as `sweep merge`: a pipe and an empty file were "cannot read", and a row whose
  /// configuration or index was edited by hand was merged into the front (exit 0 or 1).
  @Test func tuneMergeReadsPipesAndChecksEachRow() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rerun-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    var files: [String] = []
    for i in 0..<2 {
      let r = try CLI.run([
        "tune", "--alpha", "0.1,0.2", "--beta", "0.9", "--alpha-e", "0", "--theta0", "0.3", "--theta1", "0.7",
        "--cooldown", "0", "--traces", "40", "--clean-steps", "10", "--format", "json", "--all-rows",
        "--shard",
        "\(i)/2",
      ])
      #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
      let f = dir.appendingPathComponent("t\(i).json")
      try Data(r.stdout.utf8).write(to: f)
      files.append(f.path)
    }
    let expected = try CLI.run(["tune", "merge"] + files)
    #expect(expected.status == 0 || expected.status == 1, "\(expected.stderr)")
    let piped = try CLI.run(
      ["-c", "exec \"$0\" tune merge <(cat \"$1\") <(cat \"$2\")", CLI.binary.path, files[0], files[1]],
      executable: URL(fileURLWithPath: "/bin/bash"))
    #expect(piped.status == expected.status, "\(piped.stderr)")
    #expect(piped.stdout == expected.stdout)
    let empty = try CLI.run(["tune", "merge", files[0], "/dev/null"])
    #expect(empty.status == 2 && empty.stderr.contains("'/dev/null' is empty"), "\(empty.stderr)")
    let text = try String(contentsOfFile: files[1], encoding: .utf8)
    for (from, to, message) in [
      ("\"alpha\" : 0.2,", "\"alpha\" : 0.7,", "expected the box's configuration 1"),
      ("\"index\" : 1,", "\"index\" : 0,", "expected an index of shard 1/2 (1..<2)"),
    ] {
      let edited = text.replacingOccurrences(of: from, with: to)
      #expect(edited != text)
      try Data(edited.utf8).write(to: URL(fileURLWithPath: files[1]))
      let r = try CLI.run(["tune", "merge"] + files)
      #expect(r.status == 2, "\(from): \(r.stdout.prefix(300))")
      #expect(r.stderr.contains(message), "\(r.stderr)")
      #expect(r.stdout.isEmpty)
    }
  }

  /// Runs `sed -e script` on `text`.
  func sed(_ script: String, _ text: String) throws -> String {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sed")
    p.arguments = ["-e", script]
    let inp = Pipe()
    let out = Pipe()
    p.standardInput = inp
    p.standardOutput = out
    try p.run()
    try inp.fileHandleForWriting.write(contentsOf: Data(text.utf8))
    try inp.fileHandleForWriting.close()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
  }

  /// `tune` checks its noise as `scenario` does (it ran a search on infinite losses and reported
  /// that no configuration met the spec), and its cooldown values are counts read exactly (1.0000000000000001
  /// ran N_s = 1; 2^53 + 1 was named by its rounded value).
  @Test(arguments: [
    (["--noise", "1e308"], "invalid value noise = 1e+308: the loss times exp(noise·z)"),
    (
      ["--cooldown", "1.0000000000000001"],
      "invalid value cooldown = 1.0000000000000001: expected integers written exactly: 1.0000000000000001 is not held exactly"
    ),
    (
      ["--cooldown", "0,9007199254740993"],
      "9007199254740993 is not held exactly by a binary64 number (it would be read as 9007199254740992.0)"
    ),
    (["--cooldown", "0:9007199254740993:2"], "(it would be read as 9007199254740992.0)"),
  ])
  func tuneNoiseAndCountsAreChecked(_ flags: [String], _ message: String) throws {
    let r = try CLI.run(
      ["tune", "--alpha", "0.1", "--beta", "0.9", "--traces", "40", "--clean-steps", "10"] + flags)
    #expect(r.status == 64)
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }
}
