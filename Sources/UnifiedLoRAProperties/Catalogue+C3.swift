import Foundation
import UnifiedLoRA

// C3: settling in Single without shocks (T03, T05, T08).
extension Catalogue {
  static let c3 = Invariant(
    .theorem("C3", .t03, .t05, .t08),
    "a constant input with φ* = X/(1+X) < θ0 settles in Single within the envelope bound T + max(N_s − 1, 0) records",
    generate: { rng, n in settlingCase(.single, prefix: false, &rng, n) },
    given: "any valid parameters and initial state, constant valid input with θ0 − φ* > 1e-9",
    premise: { c in c.trace.isValid && constantTailStart(c.trace) == 0 && settlePremise(c, .single) },
    counterexample: { c in settles(c, .single) })

  static let c3Claim = Invariant(
    .refutation("C3.claim", .t08),
    "the report: without shocks φ → φ* < θ0 and the controller settles in Single",
    generate: { rng, n in
      Case(parameters: .report, trace: .constant(loss: rng.nextUnit() * 10, count: max(1, n)))
    },
    given: "the report's defaults, a constant clean loss L < 10, E = 0, from the default initial state",
    premise: { c in
      c.parameters == .report && constantTailStart(c.trace) == 0 && c.trace.losses[0] < 10
        && c.trace.envs[0] == 0
    },
    counterexample: { c in
      let p = c.parameters
      let phiStar = ClosedForm.fixedPoint(x: p.stressInput(loss: c.trace.losses[0], env: 0)).phi
      guard phiStar > p.theta0 + margin, let last = c.states.last, last.mode != .single else { return nil }
      return
        "L = \(c.trace.losses[0]) gives φ* = \(phiStar) ≥ θ0 = \(p.theta0): the mode is \(last.mode) at record \(c.trace.count - 1) and never returns to Single"
    })
}
