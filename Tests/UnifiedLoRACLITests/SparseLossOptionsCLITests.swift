import Foundation
import Testing

/// `audit` on sparse logs with `--loss-scale` and `--env loss-jump`: the options change what the
/// sparse audit decides exactly as they change the dense replay. Each log is a trace of the
/// binary itself with rows dropped (every fifth record kept), so the verdict under the options
/// that made the trace is known: consistent; and under other options it is a proven
/// contradiction. Every test here fails when the sparse path ignores the option.
@Suite struct SparseLossOptionsCLITests {
  /// `scenario square` (loss 0.5, a shock of 20 at steps 50…99), replayed with `simulate` and the
  /// given flags, as `step,loss,ehat,phi,mode,lr` with the env column dropped and only every
  /// fifth record kept; the loss multiplied by `factor`.
  static func sparseTrace(_ simulateFlags: [String], factor: Int = 1) throws -> String {
    let square = try CLI.run([
      "scenario", "square", "--steps", "200", "--shocks", "50:100", "--format", "csv",
    ])
    let replay = try CLI.run(["simulate", "--format", "csv"] + simulateFlags, stdin: square.stdout)
    #expect(replay.status == 0, "\(replay.stderr)")
    var out: [String] = []
    for (i, line) in replay.stdout.split(separator: "\n").enumerated() where i == 0 || (i - 1) % 5 == 0 {
      var f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      if i > 0, factor != 1 { f[1] = String(Double(f[1])! * Double(factor)) }
      f.remove(at: 2)
      out.append(f.joined(separator: ","))
    }
    return out.joined(separator: "\n") + "\n"
  }

  @Test func lossScaleDividesTheLoggedLossesAndTheGapRange() throws {
    let summed = try Self.sparseTrace([], factor: 512)
    // In the log's units: the gap losses of the trace were 0.5·512 and 20·512.
    let flags = ["--gap-env", "zero", "--gap-loss-range", "256:10240"]
    let scaled = try CLI.run(["audit", "--loss-scale", "512"] + flags, stdin: summed)
    #expect(scaled.status == 0, "\(scaled.stdout)")
    #expect(scaled.stdout.hasPrefix("verdict: consistent\n"), "\(scaled.stdout)")
    #expect(scaled.stdout.contains("loss in [256.0, 10240.0] of the log, divided by 512.0"))
    #expect(scaled.stdout.contains("(gap losses in [256.0, 10240.0] ÷ 512.0, E ≡ 0, env not logged)"))
    #expect(scaled.stdout.contains("156 steps not logged"))
    // The sparse path reads the loss sample too: no sum warning once scaled, one without.
    #expect(!scaled.stderr.contains("looks like a sum"), "\(scaled.stderr)")
    let raw = try CLI.run(["audit"] + flags, stdin: summed)
    #expect(raw.status == 1)
    #expect(raw.stdout.hasPrefix("verdict: inconsistent\ninconsistent at step 0:"), "\(raw.stdout)")
    #expect(raw.stderr.contains("looks like a sum"), "\(raw.stderr)")
    // --sparse on the dense log takes the same path.
    let json = try CLI.run(
      ["audit", "--sparse", "--loss-scale", "512", "--format", "json"] + flags, stdin: summed)
    let j = try #require(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(j["verdict"] as? String == "consistent")
    #expect(j["lossScale"] as? Double == 512)
    #expect((j["gapInputs"] as? [String: Any])?["lossHigh"] as? Double == 10240)
  }

  @Test func lossJumpIsMeasuredFromTheLossesAndBoundedOverTheGaps() throws {
    let jump = try Self.sparseTrace(["--env", "loss-jump"])
    let plain = try Self.sparseTrace([])
    let range = ["--gap-loss-range", "0.5:20"]
    let ok = try CLI.run(["audit", "--env", "loss-jump"] + range, stdin: jump)
    #expect(ok.status == 0, "\(ok.stdout)")
    #expect(ok.stdout.hasPrefix("verdict: consistent\n"))
    #expect(ok.stdout.contains("E = loss-jump (lambda 0.98)"))
    // A run that had E ≡ 0 is not the loss-jump configuration: its Ê after the shock's first
    // step is below every Ê the measured E allows, whatever the unlogged losses in [0.5, 20].
    let wrong = try CLI.run(["audit", "--env", "loss-jump"] + range, stdin: plain)
    #expect(wrong.status == 1, "\(wrong.stdout)")
    #expect(wrong.stdout.hasPrefix("verdict: inconsistent\ninconsistent at step 50:"), "\(wrong.stdout)")
    // And the other way round: the loss-jump run is not E ≡ 0.
    let zero = try CLI.run(["audit", "--gap-env", "zero"] + range, stdin: jump)
    #expect(zero.status == 1)
    #expect(zero.stdout.hasPrefix("verdict: inconsistent\n"))
  }

  /// Without gaps (`--sparse` on a dense log with its env column) the measured E is exact: the
  /// set is the replay's single state, and a run made with E ≡ 0 is refuted at the shock.
  @Test func lossJumpOnADenseLogIsExact() throws {
    let square = try CLI.run([
      "scenario", "square", "--steps", "200", "--shocks", "50:100", "--format", "csv",
    ])
    let jump = try CLI.run(["simulate", "--env", "loss-jump", "--format", "csv"], stdin: square.stdout)
    let ok = try CLI.run(["audit", "--sparse", "--env", "loss-jump"], stdin: jump.stdout)
    #expect(ok.status == 0, "\(ok.stdout)")
    #expect(ok.stdout.contains("decides: exact"))
    let wrong = try CLI.run(["audit", "--sparse", "--env", "loss-jump"], stdin: square.stdout)
    #expect(wrong.status == 1)
    #expect(wrong.stdout.contains("inconsistent at step 50:"), "\(wrong.stdout)")
  }

  @Test func gapEnvWithLossJumpIsRejectedNamingBothFlags() throws {
    let r = try CLI.run(["audit", "--env", "loss-jump", "--gap-env", "zero"], stdin: "step,loss\n0,1\n5,1\n")
    #expect(r.status == 64)
    #expect(r.stderr.contains("--gap-env cannot be combined with --env loss-jump"), "\(r.stderr)")
    let repo = try CLI.run(
      ["audit", "--variant", "repo", "--env", "loss-jump"], stdin: "step,loss\n0,1\n5,1\n")
    #expect(repo.status == 64, "\(repo.stderr)")
  }
}
