import Foundation
import UnifiedLoRA

// T03 (the envelope), T06 (comparison) and the learning-rate map.
extension Catalogue {
  static let t03 = Invariant(
    .theorem("T03", .t03, .t04),
    "a constant input converges at the spectral radius: |Ê_t − X| ≤ β^t|Ê0 − X|, |φ_t − φ*| ≤ ρ^t|φ0 − φ*| + α·t·ρ^(t−1)|Ê0 − X|, ρ = max(β, 1−α)",
    generate: { rng, n in c7.generate(&rng, n) },
    given:
      "any valid parameters and initial state, a constant valid input; binary64 slack (4u·max(Ê0, X) + 8·2^-1074)/(1−β) on Ê and 8u(1 + 1/α + 1/(1−β)) on φ",
    premise: { c in c.trace.isValid && constantTailStart(c.trace) == 0 },
    counterexample: { c in
      let p = c.parameters
      let s0 = p.initial
      let x = p.stressInput(loss: c.trace.losses[0], env: c.trace.envs[0])
      let (eStar, phiStar) = ClosedForm.fixedPoint(x: x)
      let tolE = (4 * u * max(s0.ehat, x) + tiny) / (1 - p.beta)
      let tolPhi = Rounding.slack * (1 + 1 / p.alpha + 1 / (1 - p.beta))
      let rho = ClosedForm.rate(p)
      var bt = 1.0
      for (i, s) in c.states.enumerated() {
        let t = i + 1
        bt *= p.beta
        if abs(s.ehat - eStar) > bt * abs(s0.ehat - eStar) + tolE {
          return "record \(i): |Ê − X| = \(abs(s.ehat - eStar)) > β^t|Ê0 − X| = \(bt * abs(s0.ehat - eStar))"
        }
        let env = ClosedForm.phiEnvelope(
          t, rho: rho, alpha: p.alpha, e0: s0.phi - phiStar, d0: s0.ehat - eStar)
        if abs(s.phi - phiStar) > env + tolPhi {
          return "record \(i): |φ − φ*| = \(abs(s.phi - phiStar)) > envelope \(env)"
        }
      }
      return nil
    })

  static func pairCase(_ rng: inout SeededGenerator, _ n: Int, cooldown: Int?) -> Case {
    var c = anyCase(&rng, n)
    if let cooldown, c.parameters.variant == .report, let q = try? c.parameters.with(cooldown: cooldown) {
      c.parameters = q
    }
    var hi = c.trace
    let scale = 1 + Generators.logUniform(1e-12, 1, &rng)
    for t in 0..<hi.count {
      if rng.nextUnit() < 0.5 {
        hi.losses[t] = min(1e300, hi.losses[t] * scale + (rng.nextUnit() < 0.1 ? rng.nextUnit() : 0))
      }
      if c.parameters.variant == .report && rng.nextUnit() < 0.3 {
        hi.envs[t] = min(1e300, hi.envs[t] * scale + rng.nextUnit())
      }
    }
    c.otherTrace = hi
    return c
  }

  static func dominates(_ c: Case) -> Bool {
    guard let hi = c.otherTrace, hi.count == c.trace.count, c.trace.isValid, hi.isValid else { return false }
    return zip(hi.losses, c.trace.losses).allSatisfy { $0 >= $1 }
      && zip(hi.envs, c.trace.envs).allSatisfy { $0 >= $1 }
  }

  /// The first record where the larger inputs give a smaller Ê or φ, beyond `slack` (0: strict).
  static func comparison(_ c: Case, strict: Bool) -> String? {
    guard let hi = c.otherTrace else { return nil }
    let p = c.parameters
    let a = p.states(c.trace)
    let b = p.states(hi)
    let slackPhi = strict ? 0 : Rounding.slack * (1 + 1 / p.alpha + 1 / (1 - p.beta))
    for t in 0..<a.count {
      let slackE = strict ? 0 : (Rounding.slack * max(a[t].ehat, b[t].ehat) + tiny) / (1 - p.beta)
      if !(a[t].ehat <= b[t].ehat + slackE && a[t].phi <= b[t].phi + slackPhi) {
        return
          "record \(t): larger inputs give Ê' = \(b[t].ehat), φ' = \(b[t].phi) below Ê = \(a[t].ehat), φ = \(a[t].phi)"
      }
    }
    return nil
  }

  static let t06 = Invariant(
    .theorem("T06", .t06),
    "comparison principle: inputs L ≤ L', E ≤ E' step by step give Ê ≤ Ê' and φ ≤ φ' at every step (exact reals; in binary64 up to (8u·max(Ê, Ê') + 8·2^-1074)/(1−β) and 8u(1 + 1/α + 1/(1−β)))",
    generate: { rng, n in pairCase(&rng, n, cooldown: nil) },
    given:
      "any valid parameters and initial state (the same for both runs), two valid traces, the second componentwise ≥ the first",
    premise: dominates,
    counterexample: { c in comparison(c, strict: false) })

  static let t06Binary64 = Invariant(
    .refutation("T06.binary64", .t06, .t02),
    "in binary64 the comparison principle holds exactly (larger inputs never give a smaller Ê or φ)",
    generate: { rng, n in
      var c = pairCase(&rng, n, cooldown: nil)
      // large losses, one ulp apart: where 1 + L rounds
      let l = Generators.logUniform(1e15, 1e17, &rng)
      c.trace = .constant(loss: l, count: max(1, min(n, 3)))
      c.otherTrace = .constant(loss: l.nextUp, count: max(1, min(n, 3)))
      return c
    },
    given: "any valid parameters and initial state, two valid traces, the second componentwise ≥ the first",
    premise: dominates,
    counterexample: { c in comparison(c, strict: true) })

  static let t06Mode = Invariant(
    .theorem("T06.mode", .t06),
    "with no cooldown the mode is monotone in the inputs: L ≤ L', E ≤ E' give M ≤ M'",
    generate: { rng, n in pairCase(&rng, n, cooldown: 0) },
    given:
      "N_s = 0 (or the repo variant), the same valid parameters and initial state, the second trace componentwise ≥ the first; records whose classified φ lies within 1e-9 of a threshold are exempt in binary64 (T02)",
    premise: { c in dominates(c) && (c.parameters.variant == .repo || c.parameters.cooldown == 0) },
    counterexample: { c in
      guard let hi = c.otherTrace else { return nil }
      let p = c.parameters
      let a = p.states(c.trace)
      let b = p.states(hi)
      // The φ each record's mode was classified from (report: the old φ; repo: the new one).
      func read(_ s: [ControllerState], _ t: Int) -> Double {
        p.variant == .repo ? s[t].phi : (t == 0 ? p.initial.phi : s[t - 1].phi)
      }
      for t in 0..<a.count where a[t].mode > b[t].mode {
        if p.cooldown == 0 {
          // Rounding (T02) can reorder two φ values within a few ulps: only a gap beyond that counts.
          let near = [read(a, t), read(b, t)].contains {
            abs($0 - p.theta0) < margin || abs($0 - p.theta1) < margin
          }
          if near { continue }
        }
        return "record \(t): larger inputs give mode \(b[t].mode) below \(a[t].mode)"
      }
      return nil
    })

  /// Two traces of `n` steps at the report's defaults: runs of the round numbers 0, 10 and 100,
  /// and the same with one stretch of up to 40 steps raised to 100.
  static func roundNumberPair(_ rng: inout SeededGenerator, _ n: Int) -> Case {
    var lo = Trace(losses: [])
    while lo.count < n {
      let v = [0.0, 10, 100].randomElement(using: &rng)!
      lo = lo.appending(loss: v, env: 0, count: min(n - lo.count, Int.random(in: 1...40, using: &rng)))
    }
    var hi = lo
    let a = Int.random(in: 0..<max(1, n), using: &rng)
    let b = min(n, a + Int.random(in: 1...40, using: &rng))
    for t in a..<b { hi.losses[t] = 100 }
    return Case(parameters: .report, trace: lo, otherTrace: hi)
  }

  static let t06ModeClaim = Invariant(
    .refutation("T06.mode.claim", .t06),
    "with the cooldown on, the mode is monotone in the inputs (more stress never gives a less conservative mode)",
    generate: { rng, n in
      if rng.nextUnit() < 0.5 { return roundNumberPair(&rng, n) }
      var c = pairCase(&rng, n, cooldown: nil)
      c.parameters = .report
      return c
    },
    given: "the report's defaults (N_s = 30), two valid traces, the second componentwise ≥ the first",
    premise: { c in dominates(c) && c.parameters == .report },
    counterexample: { c in t06Mode.counterexample(c) })

  static let lr = Invariant(
    .theorem("LR", .t11),
    "every record's learning rate is the map of its mode, lr = η[M]",
    over: anyValidCase,
    counterexample: { c in
      guard let records = try? Replay(c.trace.inputs, parameters: c.parameters).records() else {
        return "Replay rejected a valid trace"
      }
      return firstFailure(in: records, where: { $0.lr != c.parameters.learningRates[$0.mode] }) { _, r in
        "record \(r.step): lr \(r.lr) ≠ η[\(r.mode)]"
      }
    })
}
