import Foundation
import UnifiedLoRA

// C1: φ ∈ (0, 1), its bounds, and the report's wording (T01, T02).
extension Catalogue {
  static let c1 = Invariant(
    .theorem("C1", .t01, .t02),
    "Ê ≥ 0 and finite, φ ∈ [0, 1], Ê ≤ max(Ê0, sup X)·(1 + 8u/(1−β)) + 8·2^-1074/(1−β) and φ ≤ max(φ0, g(max Ê)) + 8u(1 + 1/α)",
    generate: { rng, n in anyCase(&rng, n) },
    given:
      "valid parameters and initial state, every input finite, ≥ 0 and ≤ 1e300, Ê0 ≤ 1e300 (binary64, u = 2^-53)",
    premise: { c in c.trace.isValid && maxInput(c.trace) <= 1e300 && c.parameters.initial.ehat <= 1e300 },
    counterexample: { c in
      let p = c.parameters
      var bound = p.initial.ehat
      var emax = p.initial.ehat
      let tolE = 1 + Rounding.slack / (1 - p.beta)
      let tolTiny = tiny / (1 - p.beta)
      let tolPhi = Rounding.slack * (1 + 1 / p.alpha)
      for (t, s) in c.states.enumerated() {
        bound = max(bound, p.stressInput(loss: c.trace.losses[t], env: c.trace.envs[t]))
        emax = max(emax, s.ehat)
        if !(s.ehat >= 0 && s.ehat.isFinite) { return "record \(t): ehat = \(s.ehat) is not finite ≥ 0" }
        if !(s.phi >= 0 && s.phi <= 1) { return "record \(t): phi = \(s.phi) is outside [0, 1]" }
        if s.ehat > bound * tolE + tolTiny {
          return "record \(t): ehat = \(s.ehat) > max(Ê0, sup X) = \(bound)"
        }
        let phiBound = max(p.initial.phi, ContinuousUpdate.squash(emax))
        if s.phi > phiBound + tolPhi {
          return "record \(t): phi = \(s.phi) > max(φ0, g(max Ê)) = \(phiBound)"
        }
      }
      return nil
    })

  static let c1Claim = Invariant(
    .refutation("C1.claim", .t01),
    "the report: \"the denominator guarantees φ ∈ (0, 1)\" at every step",
    generate: { rng, n in Case(parameters: .report, trace: Generators.anyTrace(count: n, using: &rng)) },
    given: "the report's defaults, any valid trace",
    premise: { c in c.trace.isValid && c.parameters == .report },
    counterexample: { c in
      firstFailure(in: c.states, where: { !($0.phi > 0 && $0.phi < 1) }) { t, s in
        "record \(t): phi = \(s.phi) is not in the open interval (0, 1)"
      }
    })

  static let c1Binary64 = Invariant(
    .refutation("C1.binary64", .t02),
    "in binary64, φ < 1 for every valid finite input",
    generate: { rng, n in
      let p = Generators.parameters(.report, using: &rng)
      return Case(
        parameters: p, trace: Generators.trace(.adversarial, env: .unbounded, count: n, using: &rng))
    },
    given: "report variant, any valid parameters, any valid finite trace",
    premise: { c in c.trace.isValid && c.parameters.variant == .report },
    counterexample: { c in
      firstFailure(in: c.states, where: { $0.phi >= 1 }) { t, s in
        "record \(t): phi = \(s.phi) (exactly 1 in binary64)"
      }
    })
}
