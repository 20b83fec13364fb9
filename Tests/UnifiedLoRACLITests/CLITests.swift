import Foundation
import Testing

/// Runs the built `unified-lora` binary and captures its output and exit status.
struct CLI {
  static var binary: URL { product("unified-lora") }

  /// A product of the same build as this test bundle.
  static func product(_ name: String) -> URL {
    // The test bundle lives next to the products of the same build.
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent(name)
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/\(name)")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ args: [String], stdin: String? = nil, executable: URL = binary) throws -> Result {
    // A child that exits before reading all its input must not kill the test process.
    _ = ignoreBrokenPipe
    let p = Process()
    p.executableURL = executable
    p.arguments = args
    let out = Pipe()
    let err = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    // Standard input is written and standard error read on their own threads, so that a child
    // that answers line by line (simulate on a pipe) never blocks on a full pipe while this
    // thread is blocked on another.
    let input = Data((stdin ?? "").utf8)
    let writer = inp.fileHandleForWriting
    let written = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      if !input.isEmpty { try? writer.write(contentsOf: input) }
      try? writer.close()
      written.signal()
    }
    let errors = DataBox()
    let errorsRead = DispatchSemaphore(value: 0)
    let errReader = err.fileHandleForReading
    Thread.detachNewThread {
      errors.data = errReader.readDataToEndOfFile()
      errorsRead.signal()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    errorsRead.wait()
    written.wait()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: errors.data, as: UTF8.self))
  }

  private static let ignoreBrokenPipe: Void = { signal(SIGPIPE, SIG_IGN) }()

  /// The bytes one reader thread collects, handed over after its semaphore is signalled.
  private final class DataBox: @unchecked Sendable {
    var data = Data()
  }

}

@Suite struct SimulateCLITests {
  @Test func csvFromStandardInput() throws {
    let r = try CLI.run(["simulate", "--format", "csv"], stdin: "loss\n1\n2\n")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.first == "step,loss,env,ehat,phi,mode,lr")
    #expect(lines.count == 3)
    // Step 0 of the report variant: D = 1/2, X = 1/4, Ê_1 = 0.1·0.25 (run-time 1 − 0.9), φ_1 = 0.
    #expect(lines[1] == "0,1.0,0.0,\((1 - 0.9) * (0.5 * 0.5)),0.0,0,0.002")
  }

  @Test func jsonlAndTableFormats() throws {
    let j = try CLI.run(["simulate", "--variant", "repo", "--format", "jsonl"], stdin: "loss\n3\n")
    #expect(j.status == 0)
    let ehat = 0.9 * 1.0 + (1 - 0.9) * 3.0
    let phi = (1 - 0.1) * 0.5 + 0.1 * (ehat / (1 + ehat))
    #expect(
      j.stdout
        == "{\"step\":0,\"loss\":3.0,\"env\":0.0,\"ehat\":\(ehat),\"phi\":\(phi),\"mode\":1,\"lr\":3e-05}\n")
    let t = try CLI.run(["simulate"], stdin: "loss\n3\n")
    #expect(t.stdout.hasPrefix("    step"))
    #expect(t.stdout.split(separator: "\n").count == 2)
  }

  /// Every flag reaches the equations: α = 1, β = 0, α_E = 1 makes φ_{t+1} = Ê_t/(1+Ê_t), Ê_{t+1} = E_t.
  @Test func parameterFlags() throws {
    let r = try CLI.run(
      [
        "simulate", "--alpha", "1", "--beta", "0", "--alpha-e", "1", "--cooldown", "0", "--theta0", "0.2",
        "--theta1", "0.4", "--lr", "3,2,1", "--format", "csv",
      ],
      stdin: "loss,env\n0,1\n0,1\n0,1\n")
    #expect(r.status == 0)
    #expect(
      r.stdout
        == "step,loss,env,ehat,phi,mode,lr\n0,0.0,1.0,1.0,0.0,0,3.0\n1,0.0,1.0,1.0,0.5,0,3.0\n2,0.0,1.0,1.0,0.5,2,1.0\n"
    )
  }

  @Test func nanLossNamesTheStep() throws {
    let r = try CLI.run(["simulate", "--format", "csv"], stdin: "step,loss\n5,1\n6,nan\n")
    #expect(r.status == 2)
    #expect(
      r.stderr == "Error: step 6: loss = nan is not a finite number ≥ 0; the controller state is unchanged\n")
  }

  @Test func skipPolicyContinues() throws {
    let r = try CLI.run(["simulate", "--format", "csv", "--on-invalid", "skip"], stdin: "loss\n1\nnan\n2\n")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n").map { $0.split(separator: ",") }
    #expect(lines.count == 4)
    #expect(lines[2][3] == lines[1][3])  // the skipped record leaves Ê unchanged
  }

  @Test func malformedLogNamesTheLine() throws {
    let r = try CLI.run(["simulate"], stdin: "loss,env\n1,0\n2\n")
    #expect(r.status == 2)
    #expect(r.stderr == "Error: line 3: 1 fields where the header has 2\n")
  }

  @Test(arguments: [
    (["simulate", "--alpha", "2"], "invalid parameter alpha = 2.0: expected a number in (0, 1]"),
    (
      ["simulate", "--theta0", "0.8"], "invalid parameter theta0 = 0.8: expected a number below theta1 = 0.7"
    ),
    (
      ["simulate", "--variant", "repo", "--cooldown", "3"],
      "invalid parameter cooldown = 3: expected 0: the repo variant has no cooldown"
    ),
    (
      ["simulate", "--lr", "1,2"],
      "The value '1,2' is invalid for '--lr <lr>': invalid parameter lr = 1,2: expected three numbers separated by commas, e.g. 2e-3,5e-4,1e-4"
    ),
    (
      ["simulate", "--lr", "1,0,2"],
      "The value '1,0,2' is invalid for '--lr <lr>': invalid parameter lr.multi = 0.0: expected a finite number > 0"
    ),
    (["simulate", "--initial-phi", "3"], "invalid parameter initial.phi = 3.0: expected a number in [0, 1]"),
  ])
  func badParametersExit64(_ args: [String], _ message: String) throws {
    let r = try CLI.run(args, stdin: "loss\n1\n")
    #expect(r.status == 64)
    #expect(r.stderr.contains("Error: \(message)"))
    #expect(r.stdout.isEmpty)
  }

  /// With --output, a failed run leaves no file; a successful one writes it whole.
  @Test func outputFileIsAllOrNothing() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID())")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let out = dir.appendingPathComponent("trace.csv").path
    let input = dir.appendingPathComponent("in.csv").path
    let rows = (0..<50_000).map { "\($0 % 7)" }.joined(separator: "\n")
    try Data(("loss\n" + rows + "\nbad\n").utf8).write(to: URL(fileURLWithPath: input))
    let failed = try CLI.run(["simulate", "--input", input, "--output", out, "--format", "csv"])
    #expect(failed.status == 2)
    #expect(failed.stderr == "Error: line 50002: column 'loss': 'bad' is not a number\n")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["in.csv"])
    try Data(("loss\n" + rows + "\n").utf8).write(to: URL(fileURLWithPath: input))
    let ok = try CLI.run(["simulate", "--input", input, "--output", out, "--format", "csv"])
    #expect(ok.status == 0)
    #expect(try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n").count == 50_001)
  }

  @Test func parameterFile() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("p-\(UUID()).json").path
    try Data(#"{"variant":"report","alpha":1,"beta":0,"alphaE":1,"cooldown":0}"#.utf8)
      .write(to: URL(fileURLWithPath: path))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["simulate", "--params", path, "--format", "csv"], stdin: "loss,env\n0,1\n0,1\n")
    #expect(r.stdout.split(separator: "\n").last == "1,0.0,1.0,1.0,0.5,0,0.002")
    try Data(#"{"alpha":7}"#.utf8).write(to: URL(fileURLWithPath: path))
    let bad = try CLI.run(["simulate", "--params", path], stdin: "loss\n1\n")
    #expect(bad.status == 64)
    #expect(bad.stderr.contains("invalid parameter alpha = 7.0: expected a number in (0, 1]"))
  }

  @Test func helpExplains() throws {
    let r = try CLI.run(["simulate", "--help"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("--loss-column"))
    #expect(r.stdout.contains("--on-invalid"))
  }
}

@Suite struct ScenarioCLITests {
  @Test func timelineShowsSwitchesAndSeed() throws {
    let r = try CLI.run(["scenario"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("seed 0"))
    #expect(r.stdout.contains("mode switches:"))
    #expect(r.stdout.contains("Single → Multi"))
    // With E ≡ 0 the report variant's φ stays below 1/3: Mirror is never visited (T07).
    #expect(!r.stdout.contains("→ Mirror"))
  }

  @Test func seededAndDeterministic() throws {
    let a = try CLI.run(["scenario", "--format", "csv", "--seed", "5"])
    let b = try CLI.run(["scenario", "--format", "csv", "--seed", "5"])
    let c = try CLI.run(["scenario", "--format", "csv", "--seed", "6"])
    #expect(a.stdout == b.stdout)
    #expect(a.stdout != c.stdout)
    #expect(a.stdout.split(separator: "\n").count == 1001)
  }

  /// The repo variant on the noise-free schedule reaches Mirror in each shock window.
  @Test func repoVariantReachesMirror() throws {
    let r = try CLI.run(["scenario", "square", "--variant", "repo"])
    #expect(r.stdout.contains("Multi → Mirror"))
  }

  @Test func badWindow() throws {
    let r = try CLI.run(["scenario", "--shocks", "300:200"])
    #expect(r.status == 64)
    #expect(
      r.stderr.contains(
        "invalid shock window '300:200': expected start:end with 0 ≤ start < end, e.g. 200:300"))
  }
}

/// Every input in the fuzzing seed corpus (including past crash reproducers) replays cleanly.
@Suite struct FuzzRegressionTests {
  @Test func corpusReplays() throws {
    let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("UnifiedLoRAIOTests/FuzzCorpus")
    let files = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
      .map { corpus.appendingPathComponent($0).path }
    #expect(files.count >= 4)
    let r = try CLI.run(files, executable: CLI.product("unified-lora-fuzz"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.split(separator: "\n").count == files.count)
  }
}
