import ArgumentParser
import UnifiedLoRA

@main
struct UnifiedLoRACommand: ParsableCommand {
  static let version = "0.1.0"

  static let configuration = CommandConfiguration(
    commandName: "unified-lora",
    abstract: "Formal analysis and property testing of the Unified-LoRA learning-rate controller.",
    discussion: """
      The controller maps a training loss (and an optional external stress) through a smoothed
      stress signal φ to one of three modes — Single, Multi, Mirror — each with its own learning
      rate. Two variants are implemented bit for bit: `report` (the technical report's equations,
      with external stress and a cooldown; the default) and `repo` (the published controller.py).

      Every command prints a table for people by default; --format selects a machine format.
      """,
    version: version,
    subcommands: [
      Simulate.self, ScenarioCommand.self, Analyze.self, ClaimsCommand.self, Sweep.self, Verify.self,
      Train.self, Audit.self, Vectors.self, TuneCommand.self,
    ]
  )
}
