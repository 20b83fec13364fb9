import Foundation
import Testing

/// `unified-lora verify` end to end (small budgets: 64 lane traces and 200 scalar cases of 100 steps).
@Suite struct VerifyCLITests {
  @Test func jsonReportWithSeedAndWitnesses() throws {
    let r = try CLI.run([
      "verify", "--claims", "C1,C4.claim", "--traces", "64", "--steps", "100", "--scalar-traces", "200",
      "--seed", "5", "--no-ieee", "--format", "json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let doc = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(doc["seed"] as? Int == 5)
    let props = try #require(doc["properties"] as? [[String: Any]])
    for key in [
      "id", "claim", "theorems", "direction", "statement", "hypotheses", "engine", "traces", "skipped",
      "steps", "verdict", "seconds", "stepsPerSecond",
    ] {
      #expect(props.allSatisfy { $0[key] != nil }, "missing key \(key)")
    }
    let claim = try #require(props.first { $0["id"] as? String == "C4.claim" })
    #expect(claim["verdict"] as? String == "refuted")
    let witness = try #require(claim["witness"] as? [String: Any])
    #expect((witness["commands"] as? [String])?.first?.contains("unified-lora simulate") == true)
  }

  /// The printed witness is a command line that replays the counterexample through `simulate`.
  @Test func witnessReplays() throws {
    let r = try CLI.run([
      "verify", "--claims", "C1.claim", "--traces", "8", "--steps", "20", "--scalar-traces", "50",
      "--no-ieee", "--format", "json",
    ])
    let doc = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    let props = try #require(doc["properties"] as? [[String: Any]])
    let w = try #require(props.first?["witness"] as? [String: Any])
    let command = try #require((w["commands"] as? [String])?.first)
    let sh = Process()
    sh.executableURL = URL(fileURLWithPath: "/bin/sh")
    sh.arguments = [
      "-c",
      command.replacingOccurrences(
        of: "unified-lora simulate", with: "'\(CLI.binary.path)' simulate --format csv"),
    ]
    let out = Pipe()
    sh.standardOutput = out
    try sh.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    sh.waitUntilExit()
    let first = try #require(text.split(separator: "\n").dropFirst().first)
    // step,loss,env,ehat,phi,...: φ of the first record is 0, outside (0, 1)
    #expect(first.split(separator: ",")[4] == "0.0")
  }

  @Test func badShardIsAUsageError() throws {
    let r = try CLI.run(["verify", "--shard", "2/2"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("invalid value shard = 2/2: expected i/n with 0 ≤ i < n, e.g. 0/2"))
  }

  @Test func unknownClaimIsAUsageError() throws {
    let r = try CLI.run(["verify", "--claims", "C9"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("unknown claim 'C9'"))
  }
}
