import Foundation
import Testing
import UnifiedLoRA

/// `simulate --format summary|timeline`, `--env loss-jump`, `--loss-scale` and the sum-loss
/// warning, and `audit --env loss-jump`, through the built binary.
@Suite struct SimulateReplayTests {
  /// 0.5 for 50 steps, 20 for 50, 0.5 for 100: the square shock.
  static let square: String = {
    var text = "step,loss\n"
    for t in 0..<200 { text += "\(t),\((50..<100).contains(t) ? 20.0 : 0.5)\n" }
    return text
  }()

  static func csvRecords(_ text: String) -> [[Substring]] {
    text.split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
  }

  @Test func summaryListsSwitchesTimeInModesAndPeak() throws {
    let r = try CLI.run(["simulate", "--format", "summary"], stdin: Self.square)
    #expect(r.status == 0, "\(r.stderr)")
    // The summary's facts, recomputed from the csv trace of the same log.
    let csv = try CLI.run(["simulate", "--format", "csv"], stdin: Self.square)
    let rows = Self.csvRecords(csv.stdout)
    var previous = "0"
    var switches: [String] = []
    var counts = [0, 0, 0]
    var peak = (phi: -1.0, step: "")
    for row in rows {
      if row[5] != previous { switches.append("  step \(row[0]): ") }
      previous = String(row[5])
      counts[Int(row[5])!] += 1
      if Double(row[4])! > peak.phi { peak = (Double(row[4])!, String(row[0])) }
    }
    #expect(switches.count >= 2)
    #expect(r.stdout.contains("mode switches: \(switches.count)\n"))
    for s in switches { #expect(r.stdout.contains(s)) }
    #expect(
      r.stdout.contains(
        "Single:  \(String(repeating: " ", count: 10 - String(counts[0]).count))\(counts[0]) records"))
    #expect(r.stdout.contains("at step \(peak.step) "))
    #expect(r.stdout.contains("200 records, steps 0…199, variant report"))
    #expect(counts[2] == 0)
    #expect(r.stdout.contains("Mirror never reached"))
    #expect(!r.stdout.contains("Multi never reached"))
  }

  @Test func summaryCountsEverySwitchButListsAtMostFifty() throws {
    // α = 1, β = 0, α_E = 1, no cooldown, env alternating 9, 0: the mode changes every step.
    var text = "loss,env\n"
    for t in 0..<130 { text += "0,\(t % 2 == 0 ? 9 : 0)\n" }
    let r = try CLI.run(
      [
        "simulate", "--format", "summary", "--alpha", "1", "--beta", "0", "--alpha-e", "1", "--cooldown", "0",
      ],
      stdin: text)
    #expect(r.status == 0)
    let listed = r.stdout.split(separator: "\n").filter { $0.hasPrefix("  step ") }.count
    #expect(listed == 50)
    #expect(r.stdout.contains("mode switches: 128\n"))
    #expect(r.stdout.contains("  … and 78 more\n"))
  }

  /// The log's timeline is the scenario's picture: the same rows for the same trace.
  @Test func timelineOfALogIsTheScenarioTimeline() throws {
    let csv = try CLI.run(["scenario", "square", "--steps", "400", "--shocks", "100:300", "--format", "csv"])
    let log =
      "step,loss,env\n"
      + Self.csvRecords(csv.stdout).map { "\($0[0]),\($0[1]),\($0[2])" }.joined(separator: "\n") + "\n"
    let fromLog = try CLI.run(["simulate", "--format", "timeline"], stdin: log)
    let scenario = try CLI.run(["scenario", "square", "--steps", "400", "--shocks", "100:300"])
    #expect(fromLog.status == 0 && scenario.status == 0)
    func body(_ s: String) -> [String] {
      // From the parameters line on; the shock column is the scenario's own marker ("shock", E>0).
      let lines = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
      let start = lines.firstIndex { $0.hasPrefix("alpha ") }!
      return lines[start...].map { $0.replacingOccurrences(of: " yes ", with: "     ") }
        .map { $0.replacingOccurrences(of: "shock", with: "E>0  ") }
    }
    #expect(body(fromLog.stdout) == body(scenario.stdout))
    #expect(fromLog.stdout.hasPrefix("replay of standard input: 400 records, variant report\n"))
  }

  @Test func lossJumpEnvIsTheCoreSignal() throws {
    let r = try CLI.run(["simulate", "--format", "csv", "--env", "loss-jump:lambda=0.9"], stdin: Self.square)
    #expect(r.status == 0, "\(r.stderr)")
    var signal = try LossJumpStress(lambda: 0.9)
    var controller = Controller(parameters: .report)
    for row in Self.csvRecords(r.stdout) {
      let e = signal.update(loss: Double(row[1])!)
      try controller.update(loss: Double(row[1])!, env: e)
      #expect(Double(row[2])!.bitPattern == e.bitPattern)
      #expect(Double(row[4])!.bitPattern == controller.state.phi.bitPattern)
    }
    #expect(Self.csvRecords(r.stdout).contains { Double($0[2])! > 2 })
  }

  @Test(arguments: [
    (
      ["--env", "loss-jump:lambda=1"], "invalid parameter loss-jump.lambda = 1.0: expected a number in [0, 1)"
    ),
    (
      ["--env", "loss-jump:beta=1"],
      "invalid parameter loss-jump = beta=1: expected lambda=X with X in [0, 1), e.g. loss-jump:lambda=0.98"
    ),
    (["--env", "jump"], "invalid parameter env = jump: expected column or loss-jump[:lambda=X]"),
    (
      ["--variant", "repo", "--env", "loss-jump"],
      "invalid parameter env = loss-jump: expected a logged column: the repo variant has no external stress"
    ),
    (
      ["--env", "loss-jump", "--env-column", "e"],
      "--env loss-jump and --env-column e both set E: give one of them"
    ),
    (["--loss-scale", "0"], "invalid value loss-scale = 0.0: expected a finite number > 0"),
    (["--loss-scale", "nan"], "invalid value loss-scale = nan: expected a finite number > 0"),
  ])
  func badOptionsAreUsageErrors(args: [String], message: String) throws {
    let r = try CLI.run(["simulate"] + args, stdin: Self.square)
    #expect(r.status == 64)
    #expect(r.stderr.split(separator: "\n").first.map { $0.hasSuffix(message) } == true, "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  @Test func aSummedLossDrawsTheWarningAndTheScaleRemovesIt() throws {
    let log =
      (0..<150).map { "{\"step\":\($0),\"metrics\":{\"loss:sum\":\(1264.5 - Double($0))}}" }.joined(
        separator: "\n") + "\n"
    let args = [
      "simulate", "--input-format", "jsonl", "--loss-column", "metrics.loss:sum", "--format", "csv",
    ]
    let warned = try CLI.run(args, stdin: log)
    #expect(warned.status == 0)
    #expect(
      warned.stderr.hasPrefix(
        "warning: the loss column 'metrics.loss:sum' looks like a sum over tokens, not a mean: its name says sum; the median of its first 100 losses is "
      ))
    #expect(warned.stderr.contains("with E ≡ 0 the report variant settles at φ* = 0.333"))
    #expect(warned.stderr.contains("(Multi)"))
    #expect(warned.stderr.split(separator: "\n").count == 1, "one warning, not one per record")
    let scaled = try CLI.run(args + ["--loss-scale", "512"], stdin: log)
    #expect(scaled.status == 0 && scaled.stderr.isEmpty, "\(scaled.stderr)")
    #expect(Self.csvRecords(scaled.stdout)[0][1] == "\(1264.5 / 512)")
  }

  @Test func largeMeanLossesDrawTheWarningNormalOnesDoNot() throws {
    let big = "loss\n" + (0..<20).map { "\(30.0 + Double($0))" }.joined(separator: "\n") + "\n"
    let r = try CLI.run(["simulate", "--format", "csv", "--variant", "repo"], stdin: big)
    #expect(r.stderr.contains("the median of its first 20 losses is 39.5000, above ln(2^20) = 13.8629"))
    #expect(r.stderr.contains("the repo variant settles at φ* = 0.9753 (Mirror)"))
    #expect(!r.stderr.contains("its name says sum"))
    // The report's own shock (L = 20 for a while) must not warn: the median is the clean loss.
    let shock = try CLI.run(["simulate", "--format", "summary"], stdin: Self.square)
    #expect(shock.stderr.isEmpty)
    // A mean loss column whose name merely contains the letters "sum" (e.g. "summary_loss") is fine.
    let named = try CLI.run(
      ["simulate", "--loss-column", "summary_loss", "--format", "csv"], stdin: "summary_loss\n0.7\n")
    #expect(named.stderr.isEmpty)
  }

  @Test func auditMeasuresTheEnvFromTheLoggedLosses() throws {
    let trace = try CLI.run(["simulate", "--format", "csv", "--env", "loss-jump"], stdin: Self.square)
    // Without the env column the audit can only conform by measuring E itself.
    let withoutEnv = Self.csvRecords(trace.stdout).map { r in
      [r[0], r[1], r[3], r[4], r[5], r[6]].joined(separator: ",")
    }
    let log = "step,loss,ehat,phi,mode,lr\n" + withoutEnv.joined(separator: "\n") + "\n"
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("lj-audit-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let path = dir.appendingPathComponent("run.csv").path
    try log.write(toFile: path, atomically: true, encoding: .utf8)
    let measured = try CLI.run(["audit", "--input", path, "--env", "loss-jump"])
    #expect(measured.status == 0, "\(measured.stdout)")
    #expect(measured.stdout.hasPrefix("verdict: conforms"))
    let plain = try CLI.run(["audit", "--input", path])
    #expect(plain.status == 1, "E ≡ 0 cannot explain a run that measured E")
    let repo = try CLI.run(["audit", "--input", path, "--variant", "repo", "--env", "loss-jump"])
    #expect(repo.status == 64)
  }

  /// The timeline holds its records in memory: one more than its bound is refused with exit
  /// status 2 and a pointer to `--format summary`, which streams; nothing is printed.
  @Test func timelineIsBounded() throws {
    var text = "loss\n"
    text.reserveCapacity(4 * 1_000_002)
    for _ in 0...1_000_000 { text += "0.5\n" }
    let r = try CLI.run(["simulate", "--format", "timeline"], stdin: text)
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "Error: the log has more than 1000000 records, the most the timeline holds; use --format summary\n"
    )
    #expect(r.stdout.isEmpty)
  }
}
