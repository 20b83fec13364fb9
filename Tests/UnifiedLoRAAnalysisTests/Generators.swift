import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

/// Random parameter sets, inputs and states for the cross-checks. Every test draws a fresh seed
/// and prints it in its failure messages; `ANALYSIS_SEED=<n>` replays one.
struct Draw {
  var rng: SeededGenerator
  let seed: UInt64

  init() {
    let fixed = (getenvString("ANALYSIS_SEED")).flatMap { UInt64($0) }
    seed = fixed ?? UInt64.random(in: 0...UInt64.max)
    rng = SeededGenerator(seed: seed)
  }

  mutating func unit() -> Double { rng.nextUnit() }
  mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * unit() }
  /// Log-uniform in [a, b] with a > 0, or exactly 0 with probability p0.
  mutating func logUniform(_ a: Double, _ b: Double, zero p0: Double = 0.1) -> Double {
    if unit() < p0 { return 0 }
    return a * power(b / a, unit())
  }

  mutating func parameters(_ variant: Variant, maxBeta: Double = 0.99) -> Parameters {
    while true {
      let alpha = unit() < 0.1 ? 1 : uniform(0.02, 1)
      var beta = unit() < 0.1 ? 0 : uniform(0, maxBeta)
      if unit() < 0.15 { beta = 1 - alpha }  // the defective case
      let t0 = uniform(0.05, 0.9)
      let t1 = uniform(t0 + 0.01, 0.98)
      let initial = ControllerState(
        ehat: logUniform(1e-3, 50), phi: uniform(0, 0.99), mode: Mode(rawValue: Int(unit() * 3) % 3)!)
      let p =
        variant == .report
        ? try? Parameters(
          variant: .report, alpha: alpha, beta: beta, alphaE: uniform(0, 1), theta0: t0, theta1: t1,
          cooldown: Int(unit() * 40), initial: initial)
        : try? Parameters(variant: .repo, alpha: alpha, beta: beta, theta0: t0, theta1: t1, initial: initial)
      if let p { return p }
    }
  }

  mutating func input() -> ConstantInput {
    ConstantInput(loss: logUniform(1e-3, 1e3), env: unit() < 0.5 ? 0 : logUniform(1e-3, 20))
  }
}

func getenvString(_ name: String) -> String? {
  guard let p = getenv(name) else { return nil }
  return String(cString: p)
}

/// Iterates the core from `s` under `u` for `n` updates.
func iterate(_ p: Parameters, _ s: ControllerState, _ u: ConstantInput, _ n: Int, firstStep: Int = 0)
  -> [ControllerState]
{
  var out: [ControllerState] = [s]
  var x = s
  for t in 0..<n {
    x = p.advance(x, Input(step: firstStep + t, loss: u.loss, env: u.env))
    out.append(x)
  }
  return out
}

/// Runs `body`; a thrown error becomes a recorded issue that names the seed and the case.
func seeded<T>(_ d: Draw, _ context: @autoclosure () -> String, _ body: () throws -> T) -> T? {
  do { return try body() } catch {
    Issue.record("seed \(d.seed) \(context()): \(error)")
    return nil
  }
}
