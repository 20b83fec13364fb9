import Foundation
import UnifiedLoRA

// C4: Mirror only under shock, and the order of modes (T07, T13).
extension Catalogue {
  static let c4 = Invariant(
    .theorem("C4", .t07),
    "Mirror is reached iff the sustained stress has X/(1+X) ≥ θ1: with sup g(X) < θ1 (and φ0, g(Ê0) < θ1, M0 ≠ Mirror) never; with a constant input of φ* > θ1 within the envelope bound",
    generate: { rng, n in
      if rng.nextUnit() < 0.5 { return settlingCase(.mirror, prefix: rng.nextUnit() < 0.5, &rng, n) }
      let p = anyParameters(&rng)
      return Case(
        parameters: p,
        trace: Generators.anyTrace(
          count: n, envs: p.variant == .repo ? [.off] : [.off, .bounded], using: &rng))
    },
    given:
      "any valid parameters; either every X_t and Ê0 has g(·) < θ1 − 1e-9, φ0 < θ1, M0 ≠ Mirror; or a constant input with φ* − θ1 > 1e-9",
    premise: { c in
      guard c.trace.isValid else { return false }
      if settlePremise(c, .mirror) { return true }
      let p = c.parameters
      let xs = c.trace.losses.indices.map { p.stressInput(loss: c.trace.losses[$0], env: c.trace.envs[$0]) }
      let top = ContinuousUpdate.squash(max(xs.max() ?? 0, p.initial.ehat))
      return top < p.theta1 - margin && p.initial.phi < p.theta1 && p.initial.mode != .mirror
    },
    counterexample: { c in
      if settlePremise(c, .mirror) { return settles(c, .mirror) }
      return firstFailure(in: c.states, where: { $0.mode == .mirror || $0.phi >= c.parameters.theta1 }) {
        t, s in "record \(t): mode \(s.mode), phi \(s.phi) although sup X/(1+X) < θ1"
      }
    })

  static let c4Claim = Invariant(
    .refutation("C4.claim", .t07),
    "the report: a loss spike (L ≫ 1, here L ≥ 10 sustained) drives φ* > θ1 and the controller to Mirror",
    generate: { rng, n in
      let e = rng.nextUnit() < 0.5 ? 0 : rng.nextUnit()
      return Case(
        parameters: .report,
        trace: .constant(loss: Generators.logUniform(10, 1e300, &rng), env: e, count: max(1, n)))
    },
    given:
      "the report's defaults, E ∈ [0, 1] (E is optional), a constant loss L ≥ 10 from the default initial state, run until φ is within 1e-3 of its limit",
    premise: { c in
      c.parameters == .report && constantTailStart(c.trace) == 0 && c.trace.losses[0] >= 10
        && c.trace.envs[0] <= 1
    },
    counterexample: { c in
      let p = c.parameters
      let phiStar = ClosedForm.fixedPoint(x: p.stressInput(loss: c.trace.losses[0], env: c.trace.envs[0])).phi
      let states = c.states
      guard phiStar < p.theta1 - margin, let last = states.last, abs(last.phi - phiStar) <= 1e-3,
        !states.contains(where: { $0.mode == .mirror })
      else { return nil }
      return
        "L = \(c.trace.losses[0]), E = \(c.trace.envs[0]): φ → φ* = \(phiStar) < θ1 = \(p.theta1) (φ = \(last.phi) at record \(states.count - 1)); Mirror is never reached"
    })

  static let c4Order = Invariant(
    .theorem("C4.order", .t13),
    "every mode switch changes the mode by one (Single ↔ Multi ↔ Mirror, Multi never skipped)",
    generate: { rng, n in
      var p = anyParameters(&rng)
      if p.variant == .report, let q = try? p.with(cooldown: 0) { p = q }
      if rng.nextUnit() < 0.5, let q = try? p.with(alpha: p.alpha * rng.nextUnit() * 0.5) { p = q }
      var s = p.initial
      s.mode = Mode.classify(s.phi, theta0: p.theta0, theta1: p.theta1)
      if let q = try? p.with(initial: s) { p = q }
      return Case(
        parameters: p, trace: Generators.anyTrace(count: n, envs: envProcesses(for: p), using: &rng))
    },
    given:
      "no cooldown (N_s = 0, or the repo variant), α(1 − θ0) < θ1 − θ0 and αθ1 < θ1 − θ0, M0 = classify(φ0), any valid trace",
    premise: { c in
      let p = c.parameters
      return c.trace.isValid && (p.variant == .repo || p.cooldown == 0) && ClosedForm.multiCannotBeSkipped(p)
        && p.initial.mode == Mode.classify(p.initial.phi, theta0: p.theta0, theta1: p.theta1)
    },
    counterexample: { c in
      firstFailure(in: c.parameters.switches(c.states), where: { modesJumped($0) != 1 }) { _, s in
        "record \(s.step): \(s.from) → \(s.to) skips Multi"
      }
    })

  static let c4OrderClaim = Invariant(
    .refutation("C4.order.claim", .t13),
    "the report: the FSM goes Single → Multi → Mirror (Multi is never skipped)",
    generate: { rng, n in
      if rng.nextUnit() < 0.5 {
        // the report's defaults: a stress burst into Multi, a pause back to Single, a second burst
        // while the cooldown still holds the mode (the path on which Multi is skipped)
        return twoBursts(&rng, n)
      }
      let p = rng.nextUnit() < 0.5 ? Parameters.report : Generators.parameters(.report, using: &rng)
      return Case(parameters: p, trace: Generators.anyTrace(count: n, using: &rng))
    },
    given:
      "any valid parameters (reduced towards the defaults) with an initial mode that matches φ0, any valid trace",
    premise: { c in
      let p = c.parameters
      return c.trace.isValid
        && p.initial.mode == Mode.classify(p.initial.phi, theta0: p.theta0, theta1: p.theta1)
    },
    counterexample: { c in multiSkip(c) })

  static let c4OrderDefaults = Invariant(
    .refutation("C4.order.defaults", .t13),
    "at the report's defaults the FSM never skips Multi (Single → Mirror needs α(1 − θ0) ≥ θ1 − θ0, which α = 0.1 is not)",
    generate: { rng, n in twoBursts(&rng, n) },
    given: "the report's defaults (α = 0.1, N_s = 30), the default initial state, a valid trace",
    premise: { c in c.trace.isValid && c.parameters == .report },
    counterexample: { c in
      multiSkip(c) { held in ": the cooldown held the mode in \(held) while φ crossed the Multi band" }
    })

  /// Two bursts of a large external stress at the report's defaults: a switch, then a second
  /// rise of φ while the cooldown of the first still holds the mode (the shape that skips Multi).
  static func twoBursts(_ rng: inout SeededGenerator, _ n: Int) -> Case {
    let high = [1e300, 1e6, 1000, 100].randomElement(using: &rng)!
    let a = Int.random(in: 1...40, using: &rng)
    let b = Int.random(in: 1...80, using: &rng)
    let c = Int.random(in: 1...60, using: &rng)
    let t = Trace.constant(loss: 0, env: high, count: a).appending(loss: 0, env: 0, count: b)
      .appending(loss: 0, env: high, count: c).appending(loss: 0, env: 0, count: max(1, n - a - b - c))
    return Case(parameters: .report, trace: t)
  }

  /// How many modes a switch moves by: 1 between neighbours, 2 for Single ↔ Mirror.
  static func modesJumped(_ s: Switch) -> Int { abs(s.to.rawValue - s.from.rawValue) }

  /// The first switch that jumps two modes (Single ↔ Mirror, skipping Multi), described.
  static func multiSkip(_ c: Case, because: (Mode) -> String = { _ in "" }) -> String? {
    guard let s = c.parameters.switches(c.states).first(where: { modesJumped($0) == 2 }) else { return nil }
    return "record \(s.step): \(s.from) → \(s.to) skips Multi" + because(s.from)
  }
}
