import Foundation
import Testing

/// The command-line side of the wrong answers a review found: each case as quoted.
@Suite struct AnswerCLITests {
  /// Item 14: a search too short to find the known counterexample says so, with the budget
  /// that finds it, instead of reading as a claim that could not be refuted.
  @Test func verifyBudgetTooSmall() throws {
    let r = try CLI.run([
      "verify", "--steps", "100", "--claims", "C7.claim", "--traces", "500", "--no-ieee", "--seed", "7",
    ])
    #expect(r.status == 1)
    #expect(r.stdout.contains("budget-too-small"))
    let line = try #require(
      r.stdout.split(separator: "\n").first { $0.contains("C7.claim: not refuted within --steps 100") })
    let steps = try #require(Int(line.split(separator: " ").last ?? ""))
    #expect(steps > 100)
    // The stated budget does refute it, with the same seed.
    let again = try CLI.run([
      "verify", "--steps", "\(steps)", "--claims", "C7.claim", "--traces", "500", "--no-ieee", "--seed", "7",
    ])
    #expect(again.stdout.contains("refuted") && !again.stdout.contains("budget-too-small"))
  }

  /// Item 7: a shock length or cooldown that is not an integer is rejected, as `analyze` does;
  /// grid values print as the decimals typed.
  @Test func sweepUsesWhatItPrints() throws {
    let r = try CLI.run([
      "sweep", "--alpha", "0.1", "--alpha-e", "0.5", "--cooldown", "60", "--shock-env", "8", "--shock-length",
      "52.5",
    ])
    #expect(r.status == 64)
    #expect(r.stderr.contains("invalid value shock-length = 52.5: expected an integer"))
    let c = try CLI.run(["sweep", "--cooldown", "0:100:4"])
    #expect(c.status == 64 && c.stderr.contains("33.333333333333336 is not an integer"))
    let g = try CLI.run(["sweep", "--beta", "0.3:0.4:3", "--shock-length", "5"])
    #expect(g.status == 0)
    #expect(g.stdout.contains("0.35") && !g.stdout.contains("0.35000000000000003"))
  }

  /// Item 2: GSL's failure is a note, and the closed form is printed (exit 0).
  @Test(arguments: [
    ["--variant", "repo", "--shock-loss", "1e8"], ["--initial-ehat", "1e300"],
    ["--alpha-e", "1", "--env", "1e16"],
  ])
  func gslFailureIsANote(_ flags: [String]) throws {
    let r = try CLI.run(["analyze"] + flags)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("GSL cross-check of"))
    let claims = try CLI.run(["claims"] + flags)
    #expect(claims.status == 0, "\(claims.stderr)")
  }

  /// Item 4: the witness command never repeats a flag the user gave.
  @Test func witnessFlagsAreNotDuplicated() throws {
    let r = try CLI.run(["claims", "--initial-phi", "0.5", "--initial-ehat", "1"])
    #expect(r.status == 0)
    for line in r.stdout.split(separator: "\n") where line.contains("unified-lora simulate") {
      let flags = line.split(separator: " ").filter { $0.hasPrefix("--") }
      #expect(Set(flags).count == flags.count, "\(line)")
    }
    #expect(r.stdout.contains("C1 [holds]"))
  }

  /// Item 5: the repo variant's C6 text: (Ê, φ), no cooldown; M does not change the answer.
  @Test func repoC6AndInitialMode() throws {
    let a = try CLI.run(["claims", "--variant", "repo", "--initial-mode", "0"])
    let b = try CLI.run(["claims", "--variant", "repo", "--initial-mode", "2"])
    #expect(a.stdout.contains("the state is (Ê, φ)"))
    #expect(!a.stdout.contains("blocks the next one"))
    // Only the parameter line and the witness commands name the initial mode.
    func strip(_ s: String) -> [Substring] {
      s.split(separator: "\n").filter { !$0.hasPrefix("variant ") && !$0.contains("unified-lora simulate") }
    }
    #expect(strip(a.stdout) == strip(b.stdout))
  }
}
