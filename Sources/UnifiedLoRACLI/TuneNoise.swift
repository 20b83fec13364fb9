import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRATune

/// `analyze --noise σ …`: the distribution of φ under a stated noise model around the low-stress
/// input, and the false-alarm rate at each threshold.
struct AnalyzeNoiseOptions: ParsableArguments {
  @Option(help: "Analyse φ under noise of this relative size σ around the low-stress loss (default: off).")
  var noise: Double?
  @Option(name: .customLong("noise-model"), help: "lognormal (default) or gaussian.")
  var noiseModel: NoiseModel.Kind = .lognormal
  @Option(name: .customLong("noise-ar"), help: "The AR(1) correlation of the noise, in (−1, 1).")
  var noiseAR: Double = 0
  @Option(
    name: .customLong("noise-steps"), help: "Monte Carlo steps for the noise analysis (default 200000).")
  var noiseSteps: Int = 200_000
  @Option(name: .customLong("noise-seed"), help: "The seed of the noise (default 1).")
  var noiseSeed: UInt64 = 1
  @Option(
    name: .customLong("noise-thresholds"),
    help: "More thresholds for the false-alarm table, comma-separated (θ0 and θ1 are always in).")
  var noiseThresholds: String?

  func thresholdValues() throws -> [Double] {
    guard let noiseThresholds else { return [] }
    return try noiseThresholds.split(separator: ",").map {
      guard let v = Double($0.trimmingCharacters(in: .whitespaces)), v > 0, v < 1 else {
        throw ValidationError(
          "invalid value noise-thresholds = \(noiseThresholds): expected numbers in (0, 1) separated by commas"
        )
      }
      return v
    }
  }

  func validate() throws {
    if let noise, !(noise.isFinite && noise >= 0) {
      throw ValidationError("invalid value noise = \(noise): expected a finite number ≥ 0")
    }
    guard noiseAR > -1, noiseAR < 1 else {
      throw ValidationError("invalid value noise-ar = \(noiseAR): expected a number in (−1, 1)")
    }
    try bounded(noiseSteps, "noise-steps", 1000...5_000_000)
    _ = try thresholdValues()
  }

  /// The analysis, or nil when --noise is not given.
  func analysis(_ p: Parameters, _ clean: ConstantInput) throws -> NoiseAnalysis? {
    guard let noise else { return nil }
    return p.noiseAnalysis(
      level: clean.loss, env: clean.env,
      noise: NoiseModel(kind: noiseModel, sigma: noise, correlation: noiseAR),
      steps: noiseSteps, seed: noiseSeed, thresholds: try thresholdValues())
  }

  /// The analysis report's JSON with a `noise` key added.
  static func json(_ report: AnalysisReport, _ noise: NoiseAnalysis) throws -> String {
    try jsonText(WithKey(report, "noise", noise))
  }

  static func table(_ n: NoiseAnalysis) -> String {
    var out =
      "\nφ under noise around the low-stress input (L = \(num(n.level)), E = \(num(n.env))): \(n.noise), seed \(n.seed)\n"
    var t = TextTable("quantity", "value", "95% interval")
    t.add("φ* without noise (T03)", num(n.fixedPointPhi), "")
    t.add("mean φ (Monte Carlo)", num(n.phiMean.estimate), "[\(num(n.phiMean.lo)), \(num(n.phiMean.hi))]")
    t.add(
      "sd φ (Monte Carlo)", num(n.phiSD),
      "[\(num(n.phiSDInterval.lo)), \(num(n.phiSDInterval.hi))] (batch sds)")
    t.add("sd φ (linearised, Jacobian T04)", num(n.linearisedSD), "")
    t.add(
      "mode switches per 1000 steps", num(n.switchesPer1000.estimate),
      "[\(num(n.switchesPer1000.lo)), \(num(n.switchesPer1000.hi))] (\(n.switchesPer1000.method))")
    out += t.render()
    out +=
      "  quantiles of φ: " + n.quantiles.map { "q\(num($0[0])) \(num($0[1]))" }.joined(separator: ", ") + "\n"
    out += "false alarms by threshold\n"
    var f = TextTable(
      "threshold", "θ", "P(φ ≥ θ) Monte Carlo [95%]", "P(φ ≥ θ) linearised", "up-crossings per 1000 [95%]")
    for r in n.thresholds {
      f.add(
        r.name, num(r.theta),
        "\(num(r.fractionAbove.estimate)) [\(num(r.fractionAbove.lo)), \(num(r.fractionAbove.hi))]",
        num(r.linearisedFractionAbove),
        "\(num(r.upcrossingsPer1000.estimate)) [\(num(r.upcrossingsPer1000.lo)), \(num(r.upcrossingsPer1000.hi))]"
      )
    }
    out += f.render()
    out += "(\(n.method))\n"
    return out
  }
}

/// The shared `json(_:)` formatter, under a name the nested type above can reach.
func jsonText<T: Encodable>(_ value: T) throws -> String { try json(value) }
