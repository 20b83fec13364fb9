import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Variants of the hostile inputs that the first round of hardening did not quote: other
/// subcommands, other flags and other outputs, each through the built binary.
@Suite struct RedTeamCLITests {
  /// Runs the binary with standard output and standard error both on `/dev/full`: the failed
  /// write to standard output is reported on a standard error that cannot be written either.
  /// The process must still end with an exit status, never a trap.
  func runOnFullDevice(_ args: [String], stdin: String = "") throws -> Process {
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = args
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    p.standardOutput = full
    p.standardError = full
    let inp = Pipe()
    p.standardInput = inp
    try p.run()
    try? inp.fileHandleForWriting.write(contentsOf: Data(stdin.utf8))
    try? inp.fileHandleForWriting.close()
    p.waitUntilExit()
    return p
  }

  /// Every path that writes to standard error (an error, a note, a progress line) survives a
  /// standard error that fails: an exit status, no trap (`FileHandle.write` trapped).
  @Test(arguments: [
    (["scenario", "--steps", "10", "--format", "csv"], "", Int32(74)),
    (["analyze", "--format", "json"], "", Int32(74)),
    (["simulate", "--format", "csv"], "loss\nx\n", Int32(2)),
    (["audit"], "step,loss,mode\n0,1,0\n1,1,2\n", Int32(74)),
    (["simulate", "--alpha", "2"], "loss\n1\n", Int32(64)),
  ])
  func failingStandardErrorIsNoTrap(_ args: [String], _ stdin: String, _ status: Int32) throws {
    let p = try runOnFullDevice(args, stdin: stdin)
    #expect(p.terminationReason == .exit, "\(args): ended by signal \(p.terminationStatus)")
    #expect(p.terminationStatus == status, "\(args)")
  }

  /// A flag checked in `validate()` is reported with its own command's usage, not the root's.
  @Test func maxLineLengthIsValidatedWithItsCommand() throws {
    let r = try CLI.run(["simulate", "--max-line-length", "0"], stdin: "loss\n1\n")
    #expect(r.status == 64)
    #expect(r.stderr.contains("invalid --max-line-length 0: expected 1 … 1073741824 bytes"))
    #expect(r.stderr.contains("Usage: unified-lora simulate"), "\(r.stderr)")
  }

  /// `tune --shard i/n` with more shards than configurations: a message naming the shard and
  /// the box's size, not a trap (i·total overflowed) or a verdict on an empty shard.
  @Test(arguments: ["9223372036854775806/9223372036854775807", "0/1000000"])
  func tuneShardBeyondTheBox(_ shard: String) throws {
    let r = try CLI.run(["tune", "--shard", shard, "--rows", "1"])
    #expect(r.status != 0 && r.status < 128, "\(r.status)")
    #expect(r.stderr.contains("shard") && r.stderr.contains("the box's configurations"), "\(r.stderr)")
    #expect(!r.stdout.contains("no configuration meets the spec"))
  }

  /// A `--params` file with a byte-order mark, and one with a number beyond binary64.
  @Test func parameterFileBOMAndHugeNumber() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("redteam-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let bom = dir.appendingPathComponent("bom.json")
    try Data([0xEF, 0xBB, 0xBF] + Array(#"{"alpha":0.5}"#.utf8)).write(to: bom)
    let ok = try CLI.run(["simulate", "--params", bom.path, "--format", "csv"], stdin: "loss\n1\n")
    #expect(ok.status == 0, "\(ok.stderr)")
    let huge = dir.appendingPathComponent("huge.json")
    try Data(#"{"alpha":1e99999999999}"#.utf8).write(to: huge)
    let bad = try CLI.run(["simulate", "--params", huge.path], stdin: "loss\n1\n")
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("key 'alpha': the number is beyond"), "\(bad.stderr)")
  }

  /// Steps written as doubles that only round to an integer, and hexadecimal numbers, in the
  /// formats `simulate` reads: refused, naming the line, never read as a neighbouring value.
  @Test(arguments: [
    ("{\"step\":9.007199254740993e15,\"loss\":0.5}\n", "step"),
    ("step,loss\n1.00000000000000001,0.5\n", "step"),
    ("loss\n0x1p3\n", "'0x1p3' is not a number"),
  ])
  func roundedStepsAndHexAreRefused(_ log: String, _ message: String) throws {
    let r = try CLI.run(["simulate", "--format", "csv"], stdin: log)
    #expect(r.status == 2, "\(r.stdout)")
    #expect(r.stderr.contains(message), "\(r.stderr)")
    #expect(!r.stdout.contains("9007199254740992"))
  }

  /// An integer step beyond 2^53 in `trainer_state.json` is read exactly (it was read through
  /// a double as its neighbour 2^53).
  @Test func trainerStateStepBeyond2To53IsExact() throws {
    let r = try CLI.run(
      ["simulate", "--format", "csv"], stdin: "{\"log_history\":[{\"loss\":0.5,\"step\":9007199254740993}]}")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\n9007199254740993,0.5,"), "\(r.stdout)")
  }

  /// An empty `--params` file is empty JSON text, not an unreadable file.
  @Test func emptyParameterFileIsNotJSON() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "empty-\(UUID().uuidString).json")
    try Data().write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let r = try CLI.run(["simulate", "--params", file.path], stdin: "loss\n1\n")
    #expect(r.status == 64)
    #expect(r.stderr.contains("not JSON: byte 1"), "\(r.stderr)")
    #expect(!r.stderr.contains("cannot read"))
  }

  /// The summed-loss warning on the largest finite losses: their median is finite (the
  /// midpoint of two of them overflowed to inf and the message then spoke of "D near nan").
  @Test func lossWarningOnHugeLossesStaysFinite() throws {
    let r = try CLI.run(
      ["simulate", "--format", "csv"], stdin: "loss\n1.7976931348623157e308\n1.7976931348623157e308\n")
    #expect(r.status == 0)
    #expect(r.stderr.contains("looks like a sum over tokens"))
    #expect(!r.stderr.contains(" inf") && !r.stderr.contains("nan"), "\(r.stderr)")
  }

  /// `--output` to a dangling symbolic link writes the file the link names and leaves the link
  /// a link; into a missing directory, an error, the link untouched (it was replaced by a plain
  /// file).
  @Test func outputThroughADanglingLink() throws {
    let fm = FileManager.default
    let dir = fm.temporaryDirectory.appendingPathComponent("dangling-\(UUID().uuidString)")
    try fm.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? fm.removeItem(at: dir) }
    let link = dir.appendingPathComponent("out.csv").path
    try fm.createSymbolicLink(atPath: link, withDestinationPath: "made.csv")
    let r = try CLI.run(["simulate", "--output", link, "--format", "csv"], stdin: "loss\n1\n")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try fm.destinationOfSymbolicLink(atPath: link) == "made.csv")
    let made = try String(contentsOfFile: dir.appendingPathComponent("made.csv").path, encoding: .utf8)
    #expect(made.hasPrefix("step,loss,env"))
    let lost = dir.appendingPathComponent("lost.csv").path
    try fm.createSymbolicLink(atPath: lost, withDestinationPath: "no-such-dir/x.csv")
    let e = try CLI.run(["simulate", "--output", lost, "--format", "csv"], stdin: "loss\n1\n")
    #expect(e.status == 2 && e.stderr.contains("cannot write '\(lost)'"), "\(e.stderr)")
    #expect(try fm.destinationOfSymbolicLink(atPath: lost) == "no-such-dir/x.csv")
    #expect(try fm.contentsOfDirectory(atPath: dir.path).sorted() == ["lost.csv", "made.csv", "out.csv"])
  }

  /// Output directories that are files or devices: one message saying so, before any work
  /// (not Foundation's "NSCocoaErrorDomain error 512", not "does not exist" for a device).
  @Test(arguments: [
    (
      ["vectors", "--out", "/dev/null"], Int32(64),
      "invalid value out = '/dev/null': it exists and is not a directory"
    ),
    (
      ["train", "--out", "/dev/full/x", "--steps", "1"], Int32(2), "the parent '/dev/full' is not a directory"
    ),
  ])
  func outputDirectoryThatIsAFile(_ args: [String], _ status: Int32, _ message: String) throws {
    let r = try CLI.run(args)
    #expect(r.status == status)
    #expect(r.stderr.contains(message), "\(r.stderr)")
  }

  /// A 100 KB flag value is echoed cut, saying how long it was, whoever writes the message:
  /// the commands' own checks and the parser's.
  @Test(arguments: [
    ["verify", "--claims"], ["scenario", "--shocks"], ["simulate", "--lr"], ["sweep", "--alpha"],
    ["simulate", "--variant"], ["simulate", "--params"], ["tune", "--spec"], [], ["simulate", "-"],
  ])
  func longFlagValuesAreCut(_ flag: [String]) throws {
    // (The last case is an unknown option 100 KB long, which the parser took a minute to refuse.)
    let value = String(repeating: "x", count: 100_000)
    let start = Date()
    let r = try CLI.run(flag.last == "-" ? ["simulate", "--" + value] : flag + [value], stdin: "loss\n1\n")
    #expect(Date().timeIntervalSince(start) < 20)
    #expect(r.status == 64)
    #expect(r.stderr.utf8.count < 4000, "\(flag): \(r.stderr.utf8.count) bytes")
    #expect(r.stderr.contains("… (10000"), "\(r.stderr.prefix(300))")
  }

  /// A `tune --spec` file with a key the spec does not know: an error naming the file, the key
  /// and the nearest valid one (the default ran silently).
  @Test func tuneSpecTypoIsRefused() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("spec-\(UUID().uuidString).json")
    try Data(#"{"cleanLos": 2}"#.utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let r = try CLI.run(["tune", "--spec", file.path, "--rows", "1"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("unknown key 'cleanLos' (did you mean 'cleanLoss'?"), "\(r.stderr)")
  }
}
