import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// Logs with planted discrepancies, made by replaying a deviating rule through the same core.
enum Fixtures {
  /// A noisy loss around 6, where φ hovers at θ0 = 0.3 and the cooldown decides when the mode
  /// switches; then a stretch with external stress 4.5 (φ* ≈ 0.73, past θ1); then calm again.
  static func inputs(seed: UInt64, count: Int = 900) -> [Input] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { t in
      let loss = 6 * _exp(0.3 * rng.nextGaussian())
      let env: Double = (400..<600).contains(t) ? 4.5 : 0
      return Input(step: t, loss: loss, env: env)
    }
  }

  /// The log a controller following `rule` writes (all four decision columns).
  static func log(_ rule: UpdateRule, _ inputs: [Input]) -> [LoggedStep] {
    var s = rule.parameters.initial
    return inputs.enumerated().map { k, input in
      s = rule.step(s, input)
      return LoggedStep(
        line: k + 2, step: input.step, loss: input.loss, env: input.env, mode: s.mode,
        lr: rule.parameters.learningRates[s.mode], phi: s.phi, ehat: s.ehat)
    }
  }

  /// The log as CSV text, floats as shortest round-trip decimals.
  static func csv(_ steps: [LoggedStep]) -> String {
    var out = "step,loss,env,ehat,phi,mode,lr\n"
    for s in steps {
      out +=
        "\(s.step),\(s.loss),\(s.env),\(s.ehat.map { "\($0)" } ?? ""),\(s.phi.map { "\($0)" } ?? ""),\(s.mode.map { "\($0.rawValue)" } ?? ""),\(s.lr.map { "\($0)" } ?? "")\n"
    }
    return out
  }

  static func load(_ text: String, columns: AuditColumns = AuditColumns()) throws -> RunLog {
    try RunLog.load(bytes: Array(text.utf8), columns: columns)
  }

  /// The first step where two logs' decisions differ.
  static func firstDifference(_ a: [LoggedStep], _ b: [LoggedStep]) -> Int? {
    zip(a, b).first { $0.mode != $1.mode || $0.phi != $1.phi || $0.ehat != $1.ehat }?.0.step
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif
func _exp(_ x: Double) -> Double { exp(x) }
