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
}
