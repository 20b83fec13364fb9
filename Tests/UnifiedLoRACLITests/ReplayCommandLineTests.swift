import ArgumentParser
import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRAProperties

@testable import UnifiedLoRACLI

/// The command lines printed to replay a finding: the libraries return settings and traces, and
/// ``ReplayCommandLine`` spells them. Every printed command parses as `simulate` with the
/// parameters it stands for, so a renamed flag that is not renamed here fails.
@Suite struct ReplayCommandLineTests {
  /// The arguments after `unified-lora` of the last command of a pipeline, single quotes removed.
  static func arguments(_ line: String) throws -> [String] {
    let range = try #require(line.range(of: "| unified-lora ", options: .backwards))
    var out: [String] = []
    var current = ""
    var quoted = false
    for ch in line[range.upperBound...] {
      if ch == "'" {
        quoted.toggle()
      } else if ch == " " && !quoted {
        if !current.isEmpty { out.append(current) }
        current = ""
      } else {
        current.append(ch)
      }
    }
    if !current.isEmpty { out.append(current) }
    return out
  }

  /// The parameters a printed command line runs `simulate` with.
  static func parameters(_ line: String) throws -> Parameters {
    let command = try UnifiedLoRACommand.parseAsRoot(try arguments(line))
    let simulate = try #require(command as? Simulate, "not a simulate command: \(line)")
    return try simulate.parameters.parameters()
  }

  @Test func shortTracesPrintAsPrintf() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    let c = ReplayCommandLine.render(SimulateReplay(p, Trace(losses: [0, 0, 0], envs: [9, 9, 9])))
    #expect(
      c
        == "printf 'loss,env\\n0,9\\n0,9\\n0,9\\n' | unified-lora simulate --alpha 1 --beta 0 --alpha-e 1 --cooldown 0"
    )
    #expect(try Self.parameters(c) == p)
  }

  @Test func runsPrintAsYes() {
    let c = ReplayCommandLine.render(
      SimulateReplay(.report, Trace.constant(loss: 7, count: 52).appending(loss: 0.5, env: 0, count: 2)))
    #expect(c == "{ echo loss; yes 7 | head -n 52; printf '0.5\\n0.5\\n'; } | unified-lora simulate")
  }

  /// Every field of both variants, set away from its default, prints as a flag that parses back
  /// to the same parameters.
  @Test(arguments: [Variant.report, .repo])
  func everySettingParsesBack(_ variant: Variant) throws {
    let p = try Parameters(
      variant: variant, alpha: 0.25, beta: 0.5, alphaE: variant == .report ? 0.75 : 0, theta0: 0.2,
      theta1: 0.8, cooldown: variant == .report ? 3 : 0,
      learningRates: LearningRates(single: 3e-3, multi: 2e-3, mirror: 1e-3),
      initial: ControllerState(ehat: 2.5, phi: 0.125, mode: .mirror))
    #expect(p.settingsDifferingFromDefaults.count == (variant == .report ? 10 : 9))
    let line = ReplayCommandLine.render(SimulateReplay(p, .constant(loss: 1, count: 3)))
    #expect(try Self.parameters(line) == p)
  }

  /// Each flag a replay can print is one that `simulate` declares.
  @Test func everyParameterFlagIsDeclared() throws {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("params-\(UUID()).json")
    try Data("{}".utf8).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let values: [ParameterFlag: String] = [
      .variant: "repo", .learningRates: "1,2,3", .initialMode: "1", .cooldown: "0",
      .parameterFile: file.path, .initialPhi: "0.5", .theta0: "0.2", .theta1: "0.8",
    ]
    for flag in ParameterFlag.allCases {
      let args = ["simulate", flag.spelling, values[flag] ?? "0.5"]
      #expect(try UnifiedLoRACommand.parseAsRoot(args) is Simulate, "\(flag.spelling)")
    }
  }

  /// The IEEE-754 findings' command lines replay with the settings they state.
  @Test func ieeeReplaysParse() throws {
    let replays = [
      SimulateReplay(settings: [.alpha(1), .beta(0), .alphaE(0.5)], losses: [0, 0], envs: [1e300, 0]),
      IEEESearch.constantEnv(
        Double.greatestFiniteMagnitude, count: 9, settings: [.alphaE(1), .beta(0.9), .initialEhat(1e308)]),
    ]
    for r in replays {
      let line = ReplayCommandLine.render(r)
      let p = try Self.parameters(line)
      #expect(p.alpha == (r.settings.contains(.alpha(1)) ? 1 : 0.1), "\(line)")
      #expect(p.beta == (r.settings.contains(.beta(0)) ? 0 : 0.9), "\(line)")
    }
    #expect(
      ReplayCommandLine.render(replays[1])
        == "{ echo loss,env; yes 0,1.7976931348623157e+308 | head -n 9; } | unified-lora simulate --alpha-e 1 --beta 0.9 --initial-ehat 1e+308"
    )
  }

  /// Every witness of `claims`, for a few configurations typed as flags, prints a command line
  /// that parses, with the user's flags and the witness's own initial state and cooldown.
  @Test(arguments: [
    [String](), ["--lr", "3e-3,5e-4,1e-4", "--initial-ehat", "5"], ["--variant", "repo"],
    ["--cooldown", "0", "--theta1", "0.8"], ["--alpha", "1", "--beta", "0.5"],
  ])
  func claimsWitnessesParse(_ flags: [String]) throws {
    let options = try ParameterOptions.parse(flags)
    let p = try options.parameters()
    let report = try p.claims(ClaimsRequest())
    let witnesses = report.claims.flatMap(\.witnesses)
    #expect(!witnesses.isEmpty)
    for w in witnesses {
      let line = ReplayCommandLine.render(w, base: options.flags())
      let q = try Self.parameters(line)
      #expect(try q == p.with(cooldown: w.cooldown, initial: w.initial), "\(line)")
    }
  }

  /// A witness's flag replaces the user's same flag: never printed twice.
  @Test func witnessFlagsReplaceTheUsers() {
    #expect(
      ReplayCommandLine.merged(["--alpha", "1", "--cooldown", "5"], ["--cooldown", "0"])
        == ["--alpha", "1", "--cooldown", "0"])
  }
}
