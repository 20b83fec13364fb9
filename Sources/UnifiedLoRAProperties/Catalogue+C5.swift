import Foundation
import UnifiedLoRA

// C5: recovery after a shock (T09, T14).
extension Catalogue {
  static let c5 = Invariant(
    .theorem("C5", .t09, .t14),
    "after any prefix (a shock), a constant input with φ* < θ0 returns to Single within T + max(N_s − 1, 0) records of the change, T from the envelope at the state of the change",
    generate: { rng, n in settlingCase(.single, prefix: true, &rng, n) },
    given: "any valid parameters, any valid prefix, then a constant valid input with θ0 − φ* > 1e-9",
    premise: { c in c.trace.isValid && settlePremise(c, .single) },
    counterexample: { c in settles(c, .single) })

  static let c5Claim = Invariant(
    .refutation("C5.claim", .t09),
    "the report: after the shock the controller recovers (returns to Single)",
    generate: { rng, n in
      let head = Generators.trace(.shocks, env: .off, count: max(1, n / 2), using: &rng)
      return Case(
        parameters: .report, trace: head.appending(loss: rng.nextUnit() * 10, env: 0, count: max(1, n / 2)))
    },
    given: "the report's defaults; a shock (some L ≥ 10), then a constant clean loss L < 10 with E = 0",
    premise: { c in
      guard c.parameters == .report, c.trace.isValid, let k = constantTailStart(c.trace) else { return false }
      return c.trace.losses[k] < 10 && c.trace.envs[k] == 0 && c.trace.losses[..<k].contains { $0 >= 10 }
    },
    counterexample: { c in
      guard let k = constantTailStart(c.trace) else { return nil }
      let p = c.parameters
      let phiStar = ClosedForm.fixedPoint(x: p.stressInput(loss: c.trace.losses[k], env: 0)).phi
      guard phiStar > p.theta0 + margin, let last = c.states.last, last.mode != .single else { return nil }
      return
        "after the shock the loss stays at \(c.trace.losses[k]) (φ* = \(phiStar) ≥ θ0): mode \(last.mode) at record \(c.trace.count - 1), never Single again"
    })
}
