import Foundation
import Testing

/// `tune` through the built binary: the issue's example, replayed row by row with the printed
/// `scenario steady` commands; the certificate of an infeasible spec; errors.
@Suite struct TuneCLITests {
  /// Per-trace outcome of a replayed command's CSV records: an independent restatement of the
  /// goal bookkeeping (mode switches before the shock, updates to the target, updates back to
  /// Single), written from the records alone.
  struct Replayed {
    var falseSwitches = 0
    var latency: Int?
    var recovery: Int?
  }

  static func replay(_ command: String, seed: UInt64, clean: Int, shockEnd: Int, target: Int) throws
    -> Replayed
  {
    var args = command.split(separator: " ").map(String.init)
    #expect(args.first == "unified-lora")
    args.removeFirst()
    let i = try #require(args.firstIndex(of: "--seed"))
    args[i + 1] = String(seed)
    let initial = Int(args[try #require(args.firstIndex(of: "--initial-mode")) + 1])!
    let r = try CLI.run(args + ["--format", "csv"])
    #expect(r.status == 0, "\(r.stderr)")
    var out = Replayed()
    var previous = initial
    for line in r.stdout.split(separator: "\n").dropFirst() {
      let f = line.split(separator: ",")
      let step = Int(f[0])!
      let mode = Int(f[5])!
      if step < clean && mode != previous { out.falseSwitches += 1 }
      previous = mode
      if step >= clean && out.latency == nil && mode >= target { out.latency = step - clean + 1 }
      if step >= shockEnd && out.recovery == nil && mode == 0 { out.recovery = step - shockEnd + 1 }
    }
    return out
  }

  static func object(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  static let example = [
    "tune", "--clean-loss", "1", "--noise", "0.3", "--shock-loss", "4", "--react-within", "20",
    "--max-false-switches", "2",
  ]

  /// The issue's example prints a Pareto table; its rows, replayed with their own commands on
  /// fresh seeds (traces the search never saw), meet the spec within the stated 95% confidence:
  /// the false-switch rate is not significantly above r (batch-means lower bound ≤ r) and the
  /// reaction fraction not significantly below the reliability (Wilson upper bound ≥ it).
  @Test func exampleRowsMeetTheSpecWhenReplayed() throws {
    let table = try CLI.run(Self.example)
    #expect(table.status == 0, "\(table.stderr)")
    #expect(table.stdout.contains("Pareto front: "))
    #expect(table.stdout.contains("pruned by the analysis: clean-fixed-point (T03, T08) "))
    #expect(table.stdout.contains("  [1] unified-lora scenario steady "))
    let r = try CLI.run(Self.example + ["--format", "json"])
    #expect(r.status == 0)
    let doc = try Self.object(r.stdout)
    let spec = try #require(doc["spec"] as? [String: Any])
    let clean = spec["cleanSteps"] as! Int
    let shockEnd = clean + (spec["shockLength"] as! Int)
    let front = try #require(doc["front"] as? [[String: Any]])
    #expect(!front.isEmpty)
    let picks = Set([0, 1, front.count - 1].filter { $0 < front.count })
    let n = 40
    for k in picks.sorted() {
      let row = front[k]
      let command = row["command"] as! String
      let seed = (row["seed"] as! NSNumber).uint64Value
      var perTrace: [Double] = []
      var reacted = 0
      for j in 0..<n {
        let o = try Self.replay(
          command, seed: seed &+ 1_000_000 &+ UInt64(j), clean: clean, shockEnd: shockEnd, target: 1)
        perTrace.append(Double(o.falseSwitches) * 1000 / Double(clean))
        if (o.latency ?? .max) <= 20 { reacted += 1 }
      }
      let mean = perTrace.reduce(0, +) / Double(n)
      let sd = (perTrace.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)).squareRoot()
      let lower = mean - 2.023 * sd / Double(n).squareRoot()  // t(39) = 2.023
      #expect(lower <= 2, "row \(k + 1): \(mean) false switches per 1000 on fresh traces")
      // Wilson upper bound of reacted/n at 95 %
      let z = 1.959963984540054
      let p = Double(reacted) / Double(n)
      let nn = Double(n)
      let upper =
        (p + z * z / (2 * nn) + z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot())
        / (1 + z * z / nn)
      #expect(upper >= 0.9, "row \(k + 1): \(reacted)/\(n) fresh shocks reached Multi within 20")
    }
  }

  /// Replaying every trace of a small search with the printed commands reproduces the row's
  /// counts exactly (the lanes are the core's step; the traces are `scenario steady`'s).
  @Test func rowCountsAreExactlyTheReplayedTraces() throws {
    let args =
      Self.example + [
        "--traces", "36", "--clean-steps", "200", "--shock-length", "40", "--recover-within", "60",
        "--alpha", "0.2,0.3", "--beta", "0.5,0.7", "--alpha-e", "0,0.25", "--theta0", "0.3,0.35,0.4",
        "--theta1", "0.5", "--cooldown", "0,10", "--noise-ar", "0.4", "--seed", "99", "--format", "json",
      ]
    let r = try CLI.run(args)
    #expect(r.status == 0, "\(r.stderr)")
    let front = try #require(try Self.object(r.stdout)["front"] as? [[String: Any]])
    #expect(!front.isEmpty)
    for row in front.prefix(2) {
      var falses = 0
      var reacted = 0
      var recovered = 0
      for j in 0..<36 {
        let o = try Self.replay(
          row["command"] as! String, seed: 99 + UInt64(j), clean: 200, shockEnd: 240, target: 1)
        falses += o.falseSwitches
        if (o.latency ?? .max) <= 20 { reacted += 1 }
        if (o.recovery ?? .max) <= 60 { recovered += 1 }
      }
      #expect(row["totalFalseSwitches"] as? Int == falses)
      #expect(row["reactedCount"] as? Int == reacted)
      #expect(row["recoveredCount"] as? Int == recovered)
    }
  }

  /// Mirror with E ≡ 0 and θ1 = 0.7: a certificate (T07) and the least changes; exit status 1.
  @Test func infeasibleMirrorSpecPrintsACertificate() throws {
    let r = try CLI.run(Self.example + ["--target", "mirror", "--theta1", "0.7"])
    #expect(r.status == 1)
    #expect(r.stdout.contains("no configuration meets the spec\ncertificate (certified):\n"))
    #expect(
      r.stdout.contains(
        "with D = 1 during the whole shock, sup φ = g(1 − α_E) = (1 − α_E)/(2 − α_E) with E ≡ 0; its largest value in the box is 0.5"
      ))
    #expect(r.stdout.contains("least changes:\n  - θ1 below 0.5 "))
    let defaults = try CLI.run(Self.example + ["--target", "mirror", "--theta1", "0.7", "--alpha-e", "0.5"])
    #expect(defaults.status == 1)
    #expect(defaults.stdout.contains("its largest value in the box is 0.3333"))
    #expect(defaults.stdout.contains("  - θ1 below 0.3333 "))
    #expect(defaults.stdout.contains("an env signal during the shock: E > 3.667 "))
    #expect(defaults.stdout.contains("the repo variant (`--variant repo`)"))
  }

  @Test(arguments: [
    (
      ["--traces", "10"],
      "Error: invalid value traces = 10: expected at least 35 for reliability 0.9 (the 95% Wilson lower bound of n successes in n traces is n/(n + 3.84))\n"
    ),
    (["--alpha", "0.1,2"], "Error: invalid value alpha = 2.0: expected values in (0, 1]\n"),
    (["--shard", "2/2"], "Error: invalid value shard = 2/2: expected i/n with 0 ≤ i < n, e.g. 0/4\n"),
    (["--noise-ar", "1"], "Error: invalid value noise-ar = 1.0: expected a number in (−1, 1)\n"),
    (
      ["--theta0", "0.1:0.2"],
      "Error: invalid value theta0 = 0.1:0.2: expected a number, a list a,b,c or lo:hi:count, e.g. 0.05:0.4:8\n"
    ),
  ])
  func badFlagsAreNamed(_ extra: [String], _ message: String) throws {
    let r = try CLI.run(Self.example + extra)
    #expect(r.status == 64)
    #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
    #expect(r.stdout.isEmpty)
  }

  /// `analyze --noise`: the JSON keeps the analysis' keys and adds `noise`, whose linearised
  /// standard deviation agrees with the Monte Carlo one.
  @Test func analyzeWithNoise() throws {
    let r = try CLI.run([
      "analyze", "--loss", "1", "--noise", "0.2", "--noise-steps", "50000", "--format", "json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let doc = try Self.object(r.stdout)
    #expect(doc["regimes"] != nil)
    let noise = try #require(doc["noise"] as? [String: Any])
    let mc = noise["phiSD"] as! Double
    let lin = noise["linearisedSD"] as! Double
    #expect(abs(lin / mc - 1) < 0.15)
    let table = try CLI.run(["analyze", "--loss", "1", "--noise", "0.2", "--noise-steps", "50000"])
    #expect(table.stdout.contains("false alarms by threshold"))
  }

  /// The spec file gives the same result as the flags; `--noise-from` fits the noise from a log
  /// and says so on standard error; CSV has the front with a replay command per row.
  @Test func specFileAndNoiseFromALog() throws {
    let dir = NSTemporaryDirectory() + "ulora-tune-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let spec = dir + "/spec.json"
    try
      #"{"cleanLoss": 1, "noise": {"sigma": 0.3}, "shockLoss": 4, "reactWithin": 20, "maxFalseSwitches": 2, "traces": 36, "box": {"alpha": [0.2, 0.3], "theta0": "0.3:0.4:3"}}"#
      .write(toFile: spec, atomically: true, encoding: .utf8)
    let fromFile = try CLI.run(["tune", "--spec", spec, "--format", "csv"])
    let fromFlags = try CLI.run(
      Self.example + ["--traces", "36", "--alpha", "0.2,0.3", "--theta0", "0.3:0.4:3", "--format", "csv"])
    #expect(fromFile.status == 0 && fromFile.stdout == fromFlags.stdout)
    let lines = fromFile.stdout.split(separator: "\n")
    #expect(lines.first?.hasPrefix("rank,index,variant,alpha,") == true)
    #expect(lines.count >= 2 && lines[1].contains("\"unified-lora scenario steady "))
    // a log of the clean noise, written by scenario steady itself
    let log = try CLI.run([
      "scenario", "steady", "--steps", "4000", "--shocks", "none", "--clean-loss", "1", "--noise", "0.3",
      "--seed", "5", "--format", "csv",
    ])
    try log.stdout.write(toFile: dir + "/log.csv", atomically: true, encoding: .utf8)
    let fitted = try CLI.run(
      Self.example.filter { $0 != "--clean-loss" && $0 != "1" && $0 != "--noise" && $0 != "0.3" } + [
        "--noise-from", dir + "/log.csv", "--traces", "36", "--alpha", "0.3",
      ])
    #expect(fitted.status == 0, "\(fitted.stderr)")
    #expect(fitted.stderr.contains("noise fitted from \(dir)/log.csv (2000 records): clean loss 0.9"))
    #expect(fitted.stdout.contains("spec: clean loss 0.9") || fitted.stdout.contains("spec: clean loss 1.0"))
  }

  /// Shards cover the box: `tune merge` of the shards' JSON prints the same front as one run,
  /// and refuses an incomplete set naming the missing shard.
  @Test func shardsMergeToTheWholeRun() throws {
    let dir = NSTemporaryDirectory() + "ulora-tune-\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let small = Self.example + ["--traces", "36", "--alpha", "0.2,0.3", "--beta", "0.5,0.7"]
    for i in 0..<3 {
      let r = try CLI.run(small + ["--shard", "\(i)/3", "--format", "json", "--all-rows"])
      try r.stdout.write(toFile: dir + "/s\(i).json", atomically: true, encoding: .utf8)
    }
    let whole = try CLI.run(small + ["--format", "csv"])
    let merged = try CLI.run([
      "tune", "merge", dir + "/s2.json", dir + "/s0.json", dir + "/s1.json", "--format", "csv",
    ])
    #expect(whole.status == 0 && merged.status == 0, "\(merged.stderr)")
    #expect(merged.stdout == whole.stdout)
    let missing = try CLI.run(["tune", "merge", dir + "/s0.json", dir + "/s2.json"])
    #expect(missing.status == 2)
    #expect(
      missing.stderr == "Error: invalid value files = 2 shards: expected every shard of 3; missing 1/3\n")
  }
}
