import ArgumentParser
import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRATune

@testable import UnifiedLoRACLI

/// The libraries name parameters and describe replays as data; the command line spells them as
/// its flags. Each rendered name and command must parse back to what it stands for, so a flag
/// renamed in one place only fails here.
@Suite struct ParameterNameCLITests {
  /// Every flag that sets one parameter alone is how the command line names that parameter in
  /// an error, and the flag parses as a `simulate` option.
  @Test func parameterErrorsNameTheFlag() throws {
    for flag in ParameterFlag.allCases {
      guard let id = flag.parameter else { continue }
      let error = ParameterError(field: id, value: "x", requirement: "y")
      #expect(error.commandLineMessage == "invalid parameter \(flag.rawValue) = x: expected y")
    }
    // A parameter no single flag sets keeps its own name.
    let rate = ParameterError(field: .lrMulti, value: "0", requirement: "a finite number > 0")
    #expect(rate.commandLineMessage == "invalid parameter lr.multi = 0: expected a finite number > 0")
    // A core error reaches the user through `wrap` with the flag's name.
    #expect(throws: ValidationError.self) {
      try wrap { () throws(ParameterError) in try Parameters(alphaE: 2) }
    }
    do {
      _ = try wrap { () throws(ParameterError) in try Parameters(alphaE: 2) }
    } catch let e as ValidationError {
      #expect(e.message == "invalid parameter alpha-e = 2.0: expected a number in [0, 1]")
    }
  }

  /// A `tune` replay renders as a `scenario` command that parses back to the same scenario and
  /// parameters.
  @Test func tuneReplayParsesAsScenario() throws {
    let spec = TuneSpec()
    let p = try Parameters(alpha: 0.2, theta0: 0.25, cooldown: 5)
    let replay = spec.replay(p, trace: 3)
    let line = ReplayCommandLine.render(replay)
    let words = line.split(separator: " ").map(String.init)
    #expect(Array(words.prefix(3)) == ["unified-lora", "scenario", "steady"])
    let command = try UnifiedLoRACommand.parseAsRoot(Array(words.dropFirst()))
    let scenario = try #require(command as? ScenarioCommand)
    #expect(scenario.kind == replay.scenario.kind)
    #expect(scenario.steps == replay.scenario.steps)
    #expect(scenario.seed == replay.scenario.seed)
    #expect(scenario.cleanLoss == replay.scenario.cleanLoss)
    #expect(scenario.shockLoss == replay.scenario.shockLoss)
    let parsed = try scenario.parameters.parameters()
    let resting = p.restingState(spec.clean)
    #expect(parsed.alpha == p.alpha && parsed.theta0 == p.theta0 && parsed.cooldown == p.cooldown)
    #expect(parsed.initial.ehat == resting.ehat && parsed.initial.phi == resting.phi)
  }
}
