import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRASupport
import UnifiedLoRATune

extension Scenario.Kind: ExpressibleByArgument {}
extension NoiseModel.Kind: ExpressibleByArgument {}

struct ScenarioCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scenario",
    abstract: "Run the controller on a built-in synthetic loss trace (no input file needed).",
    discussion: """
      Kinds:
        report-shocks  the report's experiment: a noisy decaying training loss with shock
                       windows [200,300) and [500,600) of 1000 steps (the default)
        square         the same schedule without noise: clean loss, then the shock loss
        clean          a noisy decaying run with no shock
        steady         a steady clean loss with --noise-model noise (AR(1) with --noise-ar)
                       and the shock windows: the traces `tune` simulates

      The default format, timeline, prints the mode and φ over time and every mode switch; csv/jsonl/table print every record as `simulate` does. The seed is printed with the result.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case timeline, table, csv, jsonl
  }

  @Argument(help: "report-shocks, square, clean or steady.")
  var kind: Scenario.Kind = .reportShocks

  @OptionGroup var parameters: ParameterOptions

  @Option(name: ScenarioFlag.steps.name, help: "Number of steps.")
  var steps: Int = 1000

  @Option(name: ScenarioFlag.shocks.name, help: "Shock windows start:end (end exclusive), comma-separated.")
  var shocks: String = "200:300,500:600"

  @Option(name: ScenarioFlag.cleanLoss.name, help: "The clean loss level.")
  var cleanLoss: Double = 0.5

  @Option(name: ScenarioFlag.shockLoss.name, help: "The loss during a shock.")
  var shockLoss: Double = 20

  @Option(name: ScenarioFlag.shockEnv.name, help: "The external stress E during a shock (0 outside).")
  var shockEnv: Double = 0

  @Option(name: ScenarioFlag.noise.name, help: "The standard deviation of the log-normal noise.")
  var noise: Double = 0.15

  @Option(name: ScenarioFlag.seed.name, help: "The random seed.")
  var seed: UInt64 = 0

  @Option(name: ScenarioFlag.noiseModel.name, help: "steady: lognormal (default) or gaussian.")
  var noiseModel: NoiseModel.Kind = .lognormal

  @Option(
    name: ScenarioFlag.noiseAR.name, help: "steady: the AR(1) correlation of the noise, in (−1, 1)."
  )
  var noiseAR: Double = 0

  @Option(help: "timeline (default), table, csv or jsonl.")
  var format: Format = .timeline

  func validate() throws {
    try bounded(steps, "steps", 1...100_000_000)
    _ = try windows()
    for (name, v) in [
      ("clean-loss", cleanLoss), ("shock-loss", shockLoss), ("shock-env", shockEnv), ("noise", noise),
    ] {
      guard v.isFinite, v >= 0 else {
        throw ValidationError("invalid value \(name) = \(v): expected a finite number ≥ 0")
      }
    }
    guard noiseAR > -1, noiseAR < 1 else {
      throw ValidationError("invalid value noise-ar = \(noiseAR): expected a number in (−1, 1)")
    }
    guard (cleanLoss + 2.5).isFinite else {
      throw ValidationError(
        "invalid value clean-loss = \(cleanLoss): expected at most \(Double.greatestFiniteMagnitude / 2)")
    }
    if kind != .square { try Self.checkNoise(noise, largestLoss: max(cleanLoss + 2.5, shockLoss)) }
  }

  /// Refuses a noise σ that would make a noisy loss infinite (for `scenario` and `tune`).
  static func checkNoise(_ noise: Double, largestLoss: Double) throws {
    guard noise > 0 else { return }
    let limit = Scenario.noiseLimit(largestLoss: largestLoss)
    guard noise <= limit else {
      throw ValidationError(
        "invalid value noise = \(noise): the loss times exp(noise·z), |z| ≤ \(Timeline.fixed(Scenario.maxGaussian)), must stay finite; with these losses expected 0 … \(limit)"
      )
    }
  }

  func windows() throws -> [Range<Int>] {
    if shocks.isEmpty || shocks == "none" { return [] }
    // Empty parts are kept, so that `2:3:`, `2::3` and `,` are errors, not read as `2:3` and
    // no shock at all.
    return try shocks.split(separator: ",", omittingEmptySubsequences: false).map { part in
      let ends = part.split(separator: ":", omittingEmptySubsequences: false).map { Int($0) }
      guard ends.count == 2, let a = ends[0], let b = ends[1], a >= 0, a < b else {
        throw ValidationError(
          "invalid shock window '\(part)'\(part == shocks[...] ? "" : " in --shocks \(shocks)"): expected start:end with 0 ≤ start < end, e.g. 200:300"
        )
      }
      return a..<b
    }
  }

  func run() throws {
    let p = try parameters.parameters()
    var scenario = Scenario(
      kind: kind, steps: steps, shocks: try windows(), cleanLoss: cleanLoss, shockLoss: shockLoss,
      shockEnv: shockEnv, noise: noise, seed: seed)
    scenario.noiseKind = noiseModel
    scenario.noiseCorrelation = noiseAR
    guard let traceFormat = TraceFormat(rawValue: format.rawValue) else {
      // The timeline is drawn as the records come (constant memory for any number of steps).
      var records = Replay(scenario.stream, parameters: p).makeIterator()
      let text = Timeline.render(count: steps, next: { records.next() }, scenario: scenario, parameters: p)
      if let error = records.error { return try badInput(error.description) }
      return StandardOutput.write(text)
    }
    // Records are written as they are computed: constant memory for any number of steps.
    let sink = OutputSink()
    let writer = TraceWriter(format: traceFormat, rates: p.learningRates)
    var records = Replay(scenario.stream, parameters: p).makeIterator()
    do {
      writer.header(into: sink)
      while let r = records.next() {
        writer.write(r, into: sink)
        try sink.recordBoundary()
      }
      if let error = records.error { return try badInput(error.description) }
      try sink.commit()
    } catch let error as LogError {
      throw UnifiedLoRACommand.standardOutputFailed(sink.writeFailure ?? error.description)
    }
  }
}
