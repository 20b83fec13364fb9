import Foundation
import UnifiedLoRA

// C7: switches in a constant tail (T12).
extension Catalogue {
  static let c7 = Invariant(
    .theorem("C7", .t12),
    "a constant input causes at most 5 mode switches (φ_t is unimodal: ≤ 2 crossings per threshold, plus the initial mismatch)",
    generate: { rng, n in
      let p = anyParameters(&rng)
      let (loss, env) = constantDraw(for: p, edgeOdds: 0.3, &rng)
      return Case(parameters: p, trace: .constant(loss: loss, env: env, count: max(1, n)))
    },
    given:
      "any valid parameters and initial state, a constant valid input whose φ* is more than 1e-9 from θ0 and θ1",
    premise: { c in
      let p = c.parameters
      guard c.trace.isValid, constantTailStart(c.trace) == 0 else { return false }
      let phi = ClosedForm.fixedPoint(x: p.stressInput(loss: c.trace.losses[0], env: c.trace.envs[0])).phi
      return abs(phi - p.theta0) > margin && abs(phi - p.theta1) > margin
    },
    counterexample: { c in
      let sw = c.parameters.switches(c.states)
      if sw.count > 5 {
        return
          "\(sw.count) switches under a constant input: \(sw.map { "\($0.step):\($0.from.rawValue)→\($0.to.rawValue)" }.joined(separator: " "))"
      }
      return nil
    })

  /// `n` log-normal losses (noise σ uniform in `[0, maxSigma)`) around a level drawn log-normally
  /// (σ = 0.3) around `center`: a noisy loss near a threshold's preimage.
  static func noisyLoss(
    around center: Double, maxSigma: Double, _ p: Parameters, _ rng: inout SeededGenerator, _ n: Int
  ) -> Case {
    let level = center * exp(0.3 * rng.nextGaussian())
    let sigma = rng.nextUnit() * maxSigma
    return Case(
      parameters: p, trace: Trace(losses: (0..<n).map { _ in level * exp(sigma * rng.nextGaussian()) }))
  }

  /// `n` losses of a square wave between 0 and a stressed level in 7…100, at the report's
  /// defaults, with a period of 20…80 steps (slower than the cooldown).
  static func squareWave(_ rng: inout SeededGenerator, _ n: Int) -> Case {
    let high = Double(Int.random(in: 7...100, using: &rng))
    let period = Int.random(in: 20...80, using: &rng)
    return Case(parameters: .report, trace: Trace(losses: (0..<n).map { ($0 / period) % 2 == 0 ? 0 : high }))
  }

  /// Three consecutive switches back and forth between the same two modes.
  static func oscillation(_ sw: [Switch]) -> String? {
    guard sw.count >= 3 else { return nil }
    for i in 0..<(sw.count - 2) {
      let (a, b, d) = (sw[i], sw[i + 1], sw[i + 2])
      if a.from == b.to && a.to == b.from && d.from == a.from && d.to == a.to {
        return
          "the mode oscillates: \(a.from)→\(a.to) at record \(a.step), back at \(b.step), again at \(d.step)"
      }
    }
    return nil
  }

  static let c7Claim = Invariant(
    .refutation("C7.claim", .t12),
    "the report: smoothing gives hysteresis and prevents oscillation",
    generate: { rng, n in
      rng.nextUnit() < 0.8 ? squareWave(&rng, n) : noisyLoss(around: 6, maxSigma: 1, .report, &rng, n)
    },
    given:
      "the report's defaults (N_s = 30), E = 0, a loss alternating between calm and stressed levels, or noisy near the preimage 6 of θ0",
    premise: { c in c.parameters == .report && c.trace.isValid },
    counterexample: { c in oscillation(c.parameters.switches(c.states)) })

  static let c7NoCooldown = Invariant(
    .refutation("C7.nocooldown", .t12),
    "without a cooldown the smoothing alone prevents chattering (no switch back within one step)",
    generate: { rng, n in
      noisyLoss(around: 3.0 / 7, maxSigma: 2, .repo, &rng, n)
    },
    given:
      "the published controller (repo defaults, no cooldown), a noisy loss near the preimage of θ0 (L ≈ 3/7)",
    premise: { c in c.parameters == .repo && c.trace.isValid },
    counterexample: { c in
      firstSwitchPair(c, where: { a, b in b.step - a.step == 1 && a.from == b.to }) { a, b in
        "records \(a.step) and \(b.step): \(a.from) → \(a.to) → \(b.to) in consecutive steps"
      }
    })
}
