import Foundation
import Testing

/// The built binary on sparse logs: routing, verdicts, exit statuses, flags.
@Suite struct SparseAuditCLITests {
  static let table52 =
    "step,loss,mode,lr\n200,18.42,1,\n225,2.56,1,5e-4\n250,0.0015,1,5e-4\n275,0.0010,2,1e-4\n350,0.0004,0,2e-3\n"

  @Test func table52VerdictsUnderThreeAssumptions() throws {
    let zero = try CLI.run(["audit", "--gap-env", "zero"], stdin: Self.table52)
    #expect(zero.status == 1)
    #expect(
      zero.stdout.hasPrefix("verdict: inconsistent\ninconsistent at step 275: the log says mode Mirror"))
    let free = try CLI.run(["audit"], stdin: Self.table52)
    #expect(free.status == 0, "\(free.stdout)")
    #expect(free.stdout.hasPrefix("verdict: consistent\n"))
    let repo = try CLI.run(["audit", "--variant", "repo"], stdin: Self.table52)
    #expect(repo.status == 1)
    #expect(repo.stdout.hasPrefix("verdict: not-this-controller\n"))
    // Never a gap note per record, never a parameter change.
    for r in [zero, free, repo] {
      #expect(!r.stdout.contains("are missing") && !r.stdout.contains("closest"))
    }
  }

  @Test func jsonHasTheVerdictStepAndReason() throws {
    let r = try CLI.run(["audit", "--gap-env", "zero", "--format", "json"], stdin: Self.table52)
    #expect(r.status == 1)
    let json = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["verdict"] as? String == "inconsistent")
    #expect(json["step"] as? Int == 275)
    #expect((json["reason"] as? String)?.isEmpty == false)
    // Steps 0…275 less the four records read by then: the audit stops at the contradiction.
    #expect(json["missingSteps"] as? Int == 272)
  }

  /// A dense log whose lr follows a cosine schedule: not a replay "explained" by thresholds.
  @Test func denseCosineScheduleIsNotThisController() throws {
    var text = "step,loss,lr\n"
    for t in 0..<200 {
      text += "\(t),1.5,\(1e-4 + 0.5 * (2e-3 - 1e-4) * (1 + cos(Double.pi * Double(t) / 200)))\n"
    }
    let r = try CLI.run(["audit"], stdin: text)
    #expect(r.status == 1)
    #expect(r.stdout.hasPrefix("verdict: not-this-controller\n"), "\(r.stdout)")
    #expect(!r.stdout.contains("theta0 ="))
  }

  /// A dense conforming log is still replayed; with `--sparse` it is consistent.
  @Test func denseConformingLogIsReplayedOrConsistent() throws {
    let log = try CLI.run(["scenario", "clean", "--steps", "120", "--format", "csv"])
    #expect(try CLI.run(["audit"], stdin: log.stdout).stdout.hasPrefix("verdict: conforms\n"))
    let sparse = try CLI.run(["audit", "--sparse"], stdin: log.stdout)
    #expect(sparse.status == 0)
    #expect(sparse.stdout.hasPrefix("verdict: consistent\n"))
    #expect(sparse.stdout.contains("decides: exact"))
  }

  @Test func badGapFlagsExit64() throws {
    for flags in [["--gap-loss-range", "2:1"], ["--gap-loss-range", "x"], ["--gap-env", "maybe"]] {
      let r = try CLI.run(["audit"] + flags, stdin: Self.table52)
      #expect(r.status == 64, "\(flags)")
      #expect(r.stderr.contains("gap"), "\(flags): \(r.stderr)")
    }
  }

  /// An env-less log that a stress shock explains: the replay with E ≡ 0 does not conform, and a
  /// note says that some E ≥ 0 gives its decisions; a Mirror at step 1 is impossible under any E.
  @Test func unloggedEnvIsNoted() throws {
    let shock = try CLI.run(["scenario", "--steps", "400", "--shock-env", "5", "--format", "csv"])
    let envless =
      shock.stdout.split(separator: "\n").map { line in
        let f = line.split(separator: ",", omittingEmptySubsequences: false)
        return ([f[0], f[1]] + f[3...]).joined(separator: ",")
      }.joined(separator: "\n") + "\n"
    let r = try CLI.run(["audit", "--no-explain"], stdin: envless)
    #expect(r.status == 1)
    #expect(r.stderr.contains("over any E ≥ 0 its decisions are consistent"), "\(r.stderr)")
    let s = try CLI.run(["audit", "--sparse"], stdin: envless)
    #expect(s.status == 0, "\(s.stdout)")
    let bad = try CLI.run(["audit", "--no-explain"], stdin: "step,loss,mode\n0,1,0\n1,1,2\n")
    #expect(bad.stderr.contains("inconsistent at step 1"), "\(bad.stderr)")
  }
}
