import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Inputs that never end, negative numbers given to numeric flags, and JSON documents with a key
/// given twice, through the built binary.
@Suite struct StreamAndFlagCLITests {
  /// Runs `unified-lora args` with standard input fed by `/bin/sh -c writer`, a process that
  /// writes forever; returns the status and standard error once the command ends, or nil when
  /// it is still running after `timeout` seconds (it is then killed). The writer is killed
  /// afterwards in any case.
  static func runOnEndlessInput(_ args: [String], writer: String, timeout: Double = 30) throws -> (
    status: Int32, stderr: String
  )? {
    let feed = Process()
    feed.executableURL = URL(fileURLWithPath: "/bin/sh")
    feed.arguments = ["-c", writer]
    let pipe = Pipe()
    feed.standardOutput = pipe
    feed.standardError = FileHandle.nullDevice
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = args
    p.standardInput = pipe
    let err = Pipe()
    p.standardOutput = FileHandle.nullDevice
    p.standardError = err
    try feed.run()
    try p.run()
    defer {
      if feed.isRunning { kill(feed.processIdentifier, SIGKILL) }
      feed.waitUntilExit()
    }
    // The pipe's ends stay open in this process too: close them so that only the two children
    // hold it.
    try? pipe.fileHandleForReading.close()
    try? pipe.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(20_000) }
    if p.isRunning {
      kill(p.processIdentifier, SIGKILL)
      p.waitUntilExit()
      return nil
    }
    let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    return (p.terminationStatus, text)
  }

  /// `audit` on a stream that never ends reports the first structural error, naming its line,
  /// as soon as it reads it (the stream was once copied whole first, for a second pass), whether
  /// it is standard input or named by its path (`/dev/stdin` on a pipe is a FIFO).
  @Test(arguments: [
    ("yes", "Error: line 1: no column 'loss'"),
    ("echo step,lss,mode; yes 0,1,0", "Error: line 1: no column 'loss'"),
    (
      "echo step,loss,mode; echo 0,1,0; echo 1,1; yes 2,1,0", "Error: line 3: 2 fields where the header has 3"
    ),
    (
      #"echo '{"step":0,"loss":1,"mode":0}'; echo '{"step":1,"loss":1,"loss":2}'; yes '{}'"#,
      "Error: line 2: key 'loss' appears twice in one object"
    ),
  ])
  func auditOnAnEndlessStreamStopsAtTheFirstError(_ writer: String, _ message: String) throws {
    for input in ["-", "/dev/stdin"] {
      for extra in [[], ["--no-explain"], ["--format", "json"]] {
        let r = try #require(
          try Self.runOnEndlessInput(["audit", "--input", input] + extra, writer: writer), "\(input) \(extra)"
        )
        #expect(r.status == 2, "\(input) \(extra): \(r.stderr)")
        #expect(r.stderr.hasPrefix(message), "\(input) \(extra): \(r.stderr)")
      }
    }
  }

  /// A log named by the path of a stream (`/dev/stdin` on a pipe here; a shell's `<(command)`
  /// is the same) is read as from standard input: its first bytes, read to decide the format,
  /// are read again, not lost by opening the FIFO a second time (which once made the header
  /// vanish: "the log is empty").
  @Test(
    arguments: [
      (["simulate", "--format", "csv"], "loss\n1\n2\n3\n"),
      (["simulate", "--format", "csv", "--input-format", "csv"], "loss\n1\n2\n3\n"),
      (["simulate", "--format", "csv"], #"{"loss":1}"# + "\n" + #"{"loss":2}"# + "\n"),
      (["audit"], "step,loss,mode\n0,1,0\n1,1,0\n2,40,1\n"),
      (["audit", "--format", "json"], "step,loss,mode\n0,1,0\n1,1,0\n2,1,2\n"),
      (["audit", "--sparse"], "step,loss,mode\n0,1,0\n1,1,0\n2,1,0\n"),
    ] as [([String], String)])
  func streamNamedByItsPathIsReadWhole(_ args: [String], _ log: String) throws {
    let viaStandardInput = try CLI.run(args + ["--input", "-"], stdin: log)
    let viaPath = try CLI.run(args + ["--input", "/dev/stdin"], stdin: log)
    #expect(viaPath.status == viaStandardInput.status, "\(args): \(viaPath.stderr)")
    #expect(viaPath.stdout == viaStandardInput.stdout, "\(args): \(viaPath.stderr)")
    #expect(!viaPath.stdout.isEmpty, "\(args): \(viaPath.stderr)")
  }

  /// A negative number given to a numeric flag, separated by a space, is the flag's value: the
  /// message names the flag and says what range is expected (the parser once read `-1` as an
  /// unknown option and reported a missing value).
  @Test(arguments: [
    (["simulate", "--cooldown", "-1"], "cooldown = -1"),
    (["simulate", "--alpha", "-0.5"], "alpha = -0.5"),
    (["simulate", "--beta", "-.5"], "beta = -0.5"),
    (["simulate", "--loss-scale", "-2"], "loss-scale = -2"),
    (["simulate", "--max-line-length", "-1"], "--max-line-length -1"),
    (["audit", "--tolerance", "-1"], "-1"),
    (["audit", "--cooldown", "-3"], "cooldown = -3"),
    (["scenario", "--steps", "-5"], "-5"),
    (["scenario", "--noise", "-inf"], "-inf"),
    (["analyze", "--alpha", "-1e300"], "alpha = -1e+300"),
    (["verify", "--traces", "-3"], "-3"),
    (["train", "--seeds", "-1"], "-1"),
    (["tune", "--noise", "-0.1"], "-0.1"),
  ])
  func negativeNumbersAreOutOfRangeValues(_ args: [String], _ fragment: String) throws {
    let r = try CLI.run(args, stdin: "loss\n1\n")
    #expect(r.status == 64, "\(args): \(r.stderr)")
    #expect(
      !r.stderr.contains("Missing value") && !r.stderr.contains("Unknown option"), "\(args): \(r.stderr)")
    #expect(r.stderr.contains(fragment), "\(args): \(r.stderr)")
  }

  /// `sweep` reports a point outside the parameters' domain in its row (the grid goes on): a
  /// negative value reaches that check too.
  @Test func sweepTakesANegativeValue() throws {
    let r = try CLI.run(["sweep", "--alpha", "-0.5"])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(
      r.stdout.contains("\"invalid parameter alpha = -0.5: expected a number in (0, 1]\""), "\(r.stdout)")
  }

  /// Attaching is done only to a long option and never after `--`; a lone `-` (standard input)
  /// and words are left alone.
  @Test func negativeNumbersElsewhereAreLeftAlone() throws {
    let r = try CLI.run(["simulate", "--input", "-", "--format", "csv"], stdin: "loss\n1\n")
    #expect(r.status == 0, "\(r.stderr)")
    let bad = try CLI.run(["simulate", "--format", "-csv"], stdin: "loss\n1\n")
    #expect(bad.status == 64)
  }

  /// `tune --spec` with a key given twice (at the top or nested) is refused, naming the key and
  /// its line; so is a `--params` file.
  @Test func duplicateKeysInJSONFilesAreRefused() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dupkeys-\(getpid())-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let spec = dir.appendingPathComponent("spec.json").path
    try "{\n  \"noise\": 0.1,\n  \"cleanLoss\": 1,\n  \"noise\": 0.3\n}\n".write(
      toFile: spec, atomically: true, encoding: .utf8)
    var r = try CLI.run(["tune", "--spec", spec])
    #expect(r.status == 64)
    #expect(
      r.stderr.contains(
        "\(spec): line 4: key 'noise' appears twice in one object: which value is meant is ambiguous"),
      "\(r.stderr)")
    let params = dir.appendingPathComponent("p.json").path
    try "{\"alpha\": 0.2,\n\"alpha\": 0.3}".write(toFile: params, atomically: true, encoding: .utf8)
    r = try CLI.run(["simulate", "--params", params], stdin: "loss\n1\n")
    #expect(r.status == 64)
    #expect(
      r.stderr.contains(
        "\(params): line 2: key 'alpha' appears twice in one object: which value is meant is ambiguous"),
      "\(r.stderr)")
    // An audit JSON Lines record with a key that is read given twice names its line.
    r = try CLI.run(
      ["audit"], stdin: "{\"step\":0,\"loss\":1,\"mode\":0}\n{\"step\":1,\"mode\":0,\"mode\":1,\"loss\":1}\n")
    #expect(r.status == 2)
    #expect(r.stderr.hasPrefix("Error: line 2: key 'mode' appears twice in one object"), "\(r.stderr)")
  }
}
