import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Flags, headers and output targets a hostile user tries: every one ends in a message and an
/// exit status, never a trap, a hang or a lost output.
@Suite struct HostileFlagCLITests {
  /// A grid refused for its size is refused before any axis makes its values: ten axes of 10⁷
  /// values each (about 800 MB, and minutes of exact decimal arithmetic, once made) fail at once
  /// within a 600 MB address space (found by the `argv` fuzz target as a timeout in `validate()`).
  @Test func hugeGridRefusedBeforeItsAxesAreMade() throws {
    let axis = "0:1:10000000"
    let flags = ["alpha", "beta", "alpha-e", "theta0", "theta1", "loss", "env", "shock-loss", "shock-env"]
      .map { "--\($0) \(axis)" }.joined(separator: " ")
    let r = try CLI.run(
      [
        "-c",
        "ulimit -v 600000; exec timeout 60 \"$0\" sweep --variant report \(flags) --cooldown 0:9:10000000",
        CLI.binary.path,
      ],
      executable: URL(fileURLWithPath: "/bin/sh"))
    #expect(r.status == 64)
    #expect(r.stderr.contains("the grid has 1e+70 points (alpha 10000000 × beta 10000000"))
    #expect(r.stderr.contains("at most 9007199254740992 in a grid"))
  }

  /// Every integer and double flag of every command, out of its range: exit 64 and one message
  /// naming the flag and its limit (no trap, no hang).
  @Test(
    arguments: [
      (
        [
          "sweep", "--alpha", "0.01:1:10000", "--beta", "0:0.9:10000", "--theta0", "0.1:0.2:10000",
          "--theta1", "0.7:0.8:10000", "--loss", "0:1:10000",
        ], "at most 9007199254740992 in a grid"
      ),
      (
        ["sweep", "--alpha", "0.1:0.2:2", "--shard", "9223372036854775806/9223372036854775807"],
        "invalid value shard (its n) = 9223372036854775807: expected 1 … 1000000"
      ),
      (
        ["sweep", "--threads", "2305843009213693952"],
        "invalid value threads = 2305843009213693952: expected 1 … 4096"
      ),
      (["sweep", "--threads", "0"], "invalid value threads = 0: expected 1 … 4096"),
      (
        ["sweep", "--max-steps", "9223372036854775807"],
        "invalid value max-steps = 9223372036854775807: expected 1 … 1000000000"
      ),
      (
        ["sweep", "--cooldown", "1e300"],
        "invalid value cooldown = 1e300: 1e+300 is out of range; expected values in 0 … 9007199254740992"
      ),
      (
        ["sweep", "--shock-length", "1e300"],
        "invalid value shock-length = 1e300: 1e+300 is out of range; expected values in 1 … 1000000"
      ),
      (
        ["sweep", "--alpha", "0.1:0.9:10000", "--beta", "0:0.9:10000", "--loss", "0:1:10"],
        "at most 100000000 per run (use --shard i/n with n ≥ 10)"
      ),
      (["analyze", "--shock-length", "1e300"], "The value '1e300' is invalid for '--shock-length"),
      (
        ["analyze", "--shock-length", "1000001"], "invalid value shock-length = 1000001: expected 1 … 1000000"
      ),
      (
        ["claims", "--shock-length", "9223372036854775807"],
        "invalid value shock-length = 9223372036854775807: expected 1 … 1000000"
      ),
      (
        ["analyze", "--cooldown", "9223372036854775807"],
        "invalid value cooldown = 9223372036854775807: expected 0 … 9007199254740992"
      ),
      (
        ["simulate", "--cooldown", "9007199254740993"],
        "invalid value cooldown = 9007199254740993: expected 0 … 9007199254740992"
      ),
      (
        ["audit", "--cooldown", "9223372036854775807"],
        "invalid value cooldown = 9223372036854775807: expected 0 … 9007199254740992"
      ),
      (["scenario", "--cooldown=-1"], "invalid value cooldown = -1: expected 0 … 9007199254740992"),
      (["scenario", "--steps", "100000001"], "invalid value steps = 100000001: expected 1 … 100000000"),
      (
        ["train", "--seeds", "2", "--first-seed", "18446744073709551615"],
        "invalid value first-seed = 18446744073709551615: with seeds = 2 the last seed would exceed 18446744073709551615; expected first-seed ≤ 18446744073709551614"
      ),
      (
        ["train", "--lora-alpha", "1e308"],
        "invalid value lora-alpha = 1e+308: expected a number in (0, 1024]"
      ),
      (
        ["train", "--jobs", "9223372036854775807"],
        "invalid value jobs = 9223372036854775807: expected 1 … 256"
      ),
      (
        ["train", "--eval-every", "9223372036854775807"],
        "invalid value eval-every = 9223372036854775807: expected 1 … 1000000"
      ),
      (
        ["train", "--pretrain-steps", "9223372036854775807"],
        "invalid value pretrain-steps = 9223372036854775807: expected 0 … 1000000"
      ),
      (
        ["verify", "--claims", "C1", "--traces", "9223372036854775807"],
        "invalid value traces = 9223372036854775807: expected 1 … 1000000000000"
      ),
      (
        ["verify", "--claims", "C1", "--scalar-traces", "9223372036854775807"],
        "invalid value scalar-traces = 9223372036854775807: expected 0 … 1000000000000"
      ),
      (
        ["verify", "--claims", "C1", "--traces", "1000000000000", "--steps", "10000000"],
        "at most 10000000000000000 steps (traces × steps) in one run"
      ),
      (
        ["verify", "--claims", "C1", "--traces", "16", "--shard", "2/3"],
        "invalid value shard = 2/3: 3 shards of 2 cases leave shards with no case to check"
      ),
      (["vectors", "--out", ""], "invalid value out = '': the path is empty"),
      (["vectors", "--out", "/"], "invalid value out = '/': that is the filesystem root"),
      (["vectors", "--out", "//."], "invalid value out = '//.': that is the filesystem root"),
    ] as [([String], String)])
  func outOfRangeFlagIsAUsageError(args: [String], message: String) throws {
    let r = try CLI.run(args, stdin: "")
    #expect(r.status == 64, "\(args): \(r.stderr)")
    #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
    #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("crashed"))
  }

  /// The message names the flag that was given, not the default it is compared with.
  @Test func theta1OutOfOrderNamesTheta1() throws {
    let r = try CLI.run(["simulate", "--theta1", "1e-300"], stdin: "loss\n1\n")
    #expect(r.status == 64)
    #expect(
      r.stderr.hasPrefix(
        "Error: invalid parameter theta1 = 1e-300: expected a number in (theta0, 1) = (0.3, 1) (theta0 is 0.3 unless --theta0 says otherwise)\n"
      ))
    let both = try CLI.run(["analyze", "--theta0", "0.5", "--theta1", "0.4"])
    #expect(
      both.stderr.hasPrefix(
        "Error: invalid parameter theta1 = 0.4: expected a number in (theta0, 1) = (0.5, 1)\n"))
  }

  /// A noise that would overflow the loss is a parameter error naming noise and its limit.
  @Test func scenarioNoiseIsBounded() throws {
    let r = try CLI.run(["scenario", "--noise", "1e308"])
    #expect(r.status == 64)
    #expect(
      r.stderr.hasPrefix(
        "Error: invalid value noise = 1e+308: the loss times exp(noise·z), |z| ≤ 8.5717, must stay finite; with these losses expected 0 … 82.4\n"
      ))
    #expect(try CLI.run(["scenario", "--noise", "82.4", "--steps", "300", "--format", "csv"]).status == 0)
  }

  /// A verify shard always gets at least one case (it never reports "holds" for nothing).
  @Test func verifyShardWithoutCasesIsRefused() throws {
    let r = try CLI.run(["verify", "--claims", "C1", "--traces", "8", "--shard", "1/2", "--no-ieee"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("2 shards of 1 cases leave shards with no case to check; expected n ≤ 1"))
  }

  static func temporaryDirectory() throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    return dir
  }

  /// A shard re-saved by an editor (a UTF-8 byte-order mark, CRLF line ends, or both) holds the
  /// same content: the merge reads it and writes what the clean shards give, in CSV and JSON.
  @Test(arguments: ["csv", "json"])
  func sweepMergeReadsResavedShards(format: String) throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var clean: [String] = []
    var resaved: [String] = []
    for i in 0..<2 {
      let s = try CLI.run(["sweep", "--alpha", "0.1:0.9:5", "--shard", "\(i)/2", "--format", format])
      let path = dir.appendingPathComponent("s\(i).\(format)").path
      try s.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      clean.append(path)
      // Shard 0 gets a byte-order mark and CRLF, shard 1 CRLF only.
      let crlf = s.stdout.replacingOccurrences(of: "\n", with: "\r\n")
      let bytes = (i == 0 ? [0xEF, 0xBB, 0xBF] : []) + Array(crlf.utf8)
      let edited = dir.appendingPathComponent("r\(i).\(format)")
      try Data(bytes).write(to: edited)
      resaved.append(edited.path)
    }
    let expected = try CLI.run(["sweep", "merge"] + clean)
    #expect(expected.status == 0, "\(expected.stderr)")
    let merged = try CLI.run(["sweep", "merge"] + resaved)
    #expect(merged.status == 0 && merged.stderr.isEmpty, "\(merged.stderr)")
    #expect(merged.stdout == expected.stdout)
  }

  /// A hand-edited merge header is refused in bounded time and memory, naming the file.
  @Test func sweepMergeDistrustsHeaders() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    var paths: [String] = []
    for i in 0..<2 {
      let s = try CLI.run(["sweep", "--alpha", "0.1:0.9:5", "--shard", "\(i)/2"])
      let path = dir.appendingPathComponent("s\(i).csv").path
      try s.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    let text = try String(contentsOfFile: paths[0], encoding: .utf8)
    func edited(_ name: String, _ from: String, _ to: String) throws -> String {
      let path = dir.appendingPathComponent(name).path
      try text.replacingOccurrences(of: from, with: to).write(toFile: path, atomically: true, encoding: .utf8)
      return path
    }
    let points = try edited("points.csv", "points=5", "points=9223372036854775807")
    var r = try CLI.run(["sweep", "merge", points])
    #expect(r.status == 2)
    #expect(
      r.stderr == "Error: \(points): invalid points=9223372036854775807: expected 0 … 9007199254740992\n")
    let many = try edited("many.csv", "shard=0/2", "shard=0/10000000")
    r = try CLI.run(["sweep", "merge", many])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "Error: \(many) is shard 0/10000000: a merge needs all 10000000 shards, 1 file was given (9999999 missing)\n"
    )
    let huge = try edited("huge.csv", "shard=0/2", "shard=9223372036854775806/9223372036854775807")
    r = try CLI.run(["sweep", "merge", huge])
    #expect(r.status == 2)
    #expect(r.stderr.count < 300 && r.stderr.contains("a merge needs all 9223372036854775807 shards"))
    // A file cut short is blamed, not the intact one beside it.
    let trunc = dir.appendingPathComponent("trunc.csv").path
    try String(text.dropLast(7)).write(toFile: trunc, atomically: true, encoding: .utf8)
    r = try CLI.run(["sweep", "merge", trunc, paths[1]])
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("Error: \(trunc) is truncated: its last line"))
    let cut = dir.appendingPathComponent("cut.csv").path
    try (text.split(separator: "\n").dropLast().joined(separator: "\n") + "\n").write(
      toFile: cut, atomically: true, encoding: .utf8)
    r = try CLI.run(["sweep", "merge", paths[1], cut])
    #expect(r.status == 2)
    #expect(r.stderr == "Error: \(cut): shard 0/2 must hold rows 0..<2 in order\n")
  }

  /// `sweep --format json` is written block by block and is the same text as the merged file.
  @Test func sweepJSONStreamsTheSameDocument() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let whole = try CLI.run(["sweep", "--alpha", "0.1:0.9:5", "--beta", "0.5:0.9:3", "--format", "json"])
    #expect(whole.status == 0)
    var paths: [String] = []
    for i in 0..<3 {
      let s = try CLI.run([
        "sweep", "--alpha", "0.1:0.9:5", "--beta", "0.5:0.9:3", "--format", "json", "--shard", "\(i)/3",
      ])
      let path = dir.appendingPathComponent("s\(i).json").path
      try s.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    let merged = try CLI.run(["sweep", "merge"] + paths)
    #expect(merged.status == 0 && merged.stdout == whole.stdout)
    let doc = try JSONSerialization.jsonObject(with: Data(whole.stdout.utf8)) as? [String: Any]
    #expect((doc?["rows"] as? [Any])?.count == 15)
  }

  /// Runs the binary with standard output on /dev/full.
  static func runToFullDevice(_ args: [String], stdin: String = "") throws -> (status: Int32, stderr: String)
  {
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = args
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = full
    p.standardError = err
    p.standardInput = inp
    try p.run()
    inp.fileHandleForWriting.write(Data(stdin.utf8))
    try inp.fileHandleForWriting.close()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: e, as: UTF8.self))
  }

  /// Every command, in every output format, exits 74 with one message when standard output
  /// cannot be written (`simulate` once exited 2, as for bad input).
  @Test(
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")),
    arguments: [
      (["simulate", "--format", "csv"], "loss\n1\n2\n"),
      (["simulate"], "loss\n1\n2\n"),
      (["simulate", "--format", "jsonl"], "loss\n1\n2\n"),
      (["simulate", "--format", "summary"], "loss\n1\n2\n"),
      (["simulate", "--format", "timeline"], "loss\n1\n2\n"),
      (["simulate", "--format", "csv", "--no-line-buffered"], "loss\n1\n2\n"),
      (["scenario", "--steps", "50", "--format", "csv"], ""),
      (["scenario", "--steps", "50"], ""),
      (["analyze"], ""),
      (["claims"], ""),
      (["sweep", "--alpha", "0.1:0.9:3"], ""),
      (["sweep", "--alpha", "0.1:0.9:3", "--format", "json"], ""),
      (["audit"], "step,loss,mode\n0,1,0\n1,1,0\n"),
      (["audit", "--format", "json"], "step,loss,mode\n0,1,0\n1,1,2\n"),
      (["verify", "--claims", "C1", "--traces", "64", "--steps", "20", "--no-ieee"], ""),
      (["scenario", "--steps", "50", "--format", "jsonl"], ""),
      (["scenario", "--steps", "50", "--format", "table"], ""),
      (["analyze", "--format", "json"], ""),
      (["claims", "--format", "json"], ""),
      (["verify", "--claims", "C1", "--traces", "64", "--steps", "20", "--no-ieee", "--format", "json"], ""),
      (["tune", "--help"], ""),
      (["train", "--help"], ""),
      (["vectors", "--help"], ""),
      (["--help"], ""),
      (["--version"], ""),
    ] as [([String], String)])
  func fullStandardOutputFails(args: [String], stdin: String) throws {
    let r = try Self.runToFullDevice(args, stdin: stdin)
    #expect(r.status == 74, "\(args): \(r.stderr)")
    // One error, the write's (a note such as audit's on an unlogged env may precede it), with
    // the system's reason, whether the write that failed was the final flush or an earlier one.
    let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
    #expect(
      errors == ["Error: cannot write to standard output: No space left on device"], "\(args): \(r.stderr)")
    #expect(!r.stderr.contains("Fatal error"), "\(args): \(r.stderr)")
  }

  @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
  func sweepMergeAndVectorsToFullDevice() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let s = try CLI.run(["sweep", "--alpha", "0.1:0.9:3"])
    let path = dir.appendingPathComponent("s.csv").path
    try s.stdout.write(toFile: path, atomically: true, encoding: .utf8)
    var r = try Self.runToFullDevice(["sweep", "merge", path])
    #expect(r.status == 74 && r.stderr == "Error: cannot write to standard output: No space left on device\n")
    r = try Self.runToFullDevice(["vectors", "--out", dir.appendingPathComponent("v").path])
    #expect(r.status == 74 && r.stderr == "Error: cannot write to standard output: No space left on device\n")
    // A file that cannot be written is named.
    let out = try CLI.run(["simulate", "--output", "/dev/full", "--format", "csv"], stdin: "loss\n1\n")
    #expect(out.status == 2 && out.stderr.contains("No space left on device"))
  }

  /// `--output` replaces a regular file atomically with its permission bits kept; a device, a
  /// FIFO or a symbolic link is written in place and stays what it was.
  @Test func outputKeepsWhatTheTargetIs() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let fm = FileManager.default
    let regular = dir.appendingPathComponent("trace.csv").path
    try "old\n".write(toFile: regular, atomically: true, encoding: .utf8)
    chmod(regular, 0o600)
    var r = try CLI.run(["simulate", "--output", regular, "--format", "csv"], stdin: "loss\n1\n")
    #expect(r.status == 0)
    #expect(try String(contentsOfFile: regular, encoding: .utf8).hasPrefix("step,loss"))
    #expect((try fm.attributesOfItem(atPath: regular)[.posixPermissions] as? Int) == 0o600)
    // A symbolic link stays a link; the file it names gets the trace.
    let link = dir.appendingPathComponent("link.csv").path
    try fm.createSymbolicLink(atPath: link, withDestinationPath: regular)
    r = try CLI.run(["simulate", "--output", link, "--format", "csv"], stdin: "loss\n2\n")
    #expect(r.status == 0)
    #expect((try fm.attributesOfItem(atPath: link)[.type] as? FileAttributeType) == .typeSymbolicLink)
    #expect(try String(contentsOfFile: regular, encoding: .utf8).contains("\n0,2.0,"))
    // /dev/null stays a character device.
    r = try CLI.run(["simulate", "--output", "/dev/null", "--format", "csv"], stdin: "loss\n1\n")
    #expect(r.status == 0)
    #expect(
      (try fm.attributesOfItem(atPath: "/dev/null")[.type] as? FileAttributeType) == .typeCharacterSpecial)
    // A FIFO is written through, and stays a FIFO.
    let fifo = dir.appendingPathComponent("fifo").path
    #expect(mkfifo(fifo, 0o600) == 0)
    let reader = Process()
    reader.executableURL = URL(fileURLWithPath: "/bin/cat")
    reader.arguments = [fifo]
    let got = Pipe()
    reader.standardOutput = got
    try reader.run()
    r = try CLI.run(["simulate", "--output", fifo, "--format", "csv"], stdin: "loss\n1\n")
    let text = String(decoding: got.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    reader.waitUntilExit()
    #expect(r.status == 0 && text.hasPrefix("step,loss,env"))
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO)
    // Nothing else was left in the directory (no temporary files).
    #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted() == ["fifo", "link.csv", "trace.csv"])
  }

  /// Every signal that ends the process during `simulate --output F` removes the temporary
  /// file: SIGINT, SIGTERM, SIGHUP (a closed terminal), SIGQUIT, SIGPIPE, SIGXCPU and SIGXFSZ.
  @Test(arguments: [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXCPU, SIGXFSZ])
  func interruptedOutputLeavesNoTemporaryFile(signal: Int32) throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("trace.csv").path
    let p = Process()
    // Started with every one of these signals at its default action (perl resets them and
    // execs the binary: same process): the test runner ignores SIGPIPE, and an ignored signal is
    // inherited and stays ignored, as it should (such a process is not ended by it).
    p.executableURL = URL(fileURLWithPath: "/usr/bin/perl")
    p.arguments = [
      "-e", #"$SIG{$_} = "DEFAULT" for qw(INT TERM HUP QUIT PIPE XCPU XFSZ); exec @ARGV or die"#,
      CLI.binary.path, "simulate", "--output", target, "--format", "csv",
    ]
    let inp = Pipe()
    p.standardInput = inp
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    inp.fileHandleForWriting.write(Data("loss\n1\n2\n".utf8))
    // Wait until the temporary file exists (the sink is open), then interrupt.
    let deadline = Date().addingTimeInterval(20)
    while try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty && Date() < deadline {
      usleep(20_000)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 1)
    kill(p.processIdentifier, signal)
    // (Closing the input ends a run that ignored the signal, which the checks below then catch.)
    try? inp.fileHandleForWriting.close()
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == signal)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).isEmpty)
  }

  /// A file-size limit reached while writing `simulate --output F` (SIGXFSZ from the kernel,
  /// not from a test) leaves neither the target nor a temporary file.
  @Test func fileSizeLimitLeavesNoTemporaryFile() throws {
    let dir = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: dir) }
    let target = dir.appendingPathComponent("trace.csv").path
    let input = dir.appendingPathComponent("in.csv")
    // About 40 KB of trace from 2,000 losses: more than the 8 KiB limit below.
    try Data(("loss\n" + String(repeating: "0.5\n", count: 2000)).utf8).write(to: input)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/sh")
    p.arguments = [
      "-c", "ulimit -f 8 && exec \"$0\" simulate --format csv --input \"$1\" --output \"$2\"",
      CLI.binary.path, input.path, target,
    ]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    try p.run()
    p.waitUntilExit()
    #expect(p.terminationReason == .uncaughtSignal && p.terminationStatus == SIGXFSZ)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.csv"])
  }

  /// `audit` with a huge cooldown on a log that does not conform: a bounded set of changes,
  /// a prompt answer.
  @Test func auditWithHugeCooldownIsBounded() throws {
    let log = "step,loss,mode\n0,1,0\n1,1,2\n"
    for cooldown in ["100000000", "9007199254740992"] {
      let start = Date()
      let r = try CLI.run(["audit", "--cooldown", cooldown, "--format", "json"], stdin: log)
      #expect(r.status == 1, "\(r.stderr)")
      #expect(Date().timeIntervalSince(start) < 20)
      let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
      #expect((doc?["hypothesesTried"] as? Int).map { $0 < 400 } == true)
    }
  }

  /// `scenario --format csv` streams: its records are those `simulate` computes from the same
  /// losses, for a trace long enough to cross the output buffer several times.
  @Test func scenarioCSVStreamsTheSimulatedRecords() throws {
    let s = try CLI.run(["scenario", "--steps", "40000", "--format", "csv"])
    #expect(s.status == 0)
    let lines = s.stdout.split(separator: "\n")
    #expect(lines.count == 40_001)
    let log =
      "step,loss,env\n"
      + lines.dropFirst().map { $0.split(separator: ",").prefix(3).joined(separator: ",") }
      .joined(separator: "\n") + "\n"
    let r = try CLI.run(["simulate", "--format", "csv"], stdin: log)
    #expect(r.status == 0 && r.stdout == s.stdout)
  }

  /// The timeline lists at most 1000 switches and counts the rest.
  @Test func timelineCapsTheSwitchList() throws {
    let r = try CLI.run([
      "scenario", "--steps", "200000", "--cooldown", "0", "--alpha", "1", "--beta", "0", "--noise", "2",
    ])
    #expect(r.status == 0)
    let listed = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  step ") }
    #expect(listed.count == 1000)
    #expect(r.stdout.contains(" more\n"))
  }
}
