import Foundation
import UnifiedLoRA

/// The catalogue of properties: for each claim C1…C7 of SPEC §5 the conditioned theorem (which
/// must survive every search) and, where the report's wording is false, that wording as a
/// refutation (which must be found and reduced); plus the comparison principle (T06), the
/// convergence rate (T03) and the learning-rate map.
///
/// Every property states its hypotheses twice, in words (`hypotheses`) and in code (`premise`),
/// next to its check.
public enum Catalogue {
  static let u = Double.ulpOfOne / 2
  /// Distance from a threshold below which a fixed point counts as degenerate (T02: rounding can
  /// then decide the band).
  static let margin = 1e-9
  /// Eight subnormal ulps: rounding in the subnormal range is absolute, not relative.
  static let tiny = 8 * Double.leastNonzeroMagnitude

  public static let all: [Invariant] = [
    c1, c1Claim, c1Binary64, c2, c2Claim, c3, c3Claim, c4, c4Claim, c4Order, c4OrderClaim, c4OrderDefaults,
    c5, c5Claim, c6, c6Claim, c7, c7Claim, c7NoCooldown, t03, t06, t06Binary64, t06Mode, t06ModeClaim, lr,
  ]

  /// The properties whose id or claim is in `ids` (e.g. `C1`, `C4.claim`, `T06`); all when empty.
  public static func select(_ ids: [String]) -> [Invariant] {
    if ids.isEmpty { return all }
    return all.filter { inv in
      ids.contains { id in id == inv.id || id == inv.claim || inv.theorems.contains { $0.rawValue == id } }
    }
  }

  // MARK: - helpers

  static func anyParameters(_ rng: inout SeededGenerator) -> Parameters {
    Generators.parameters(rng.nextUnit() < 0.7 ? .report : .repo, using: &rng)
  }

  static func anyCase(_ rng: inout SeededGenerator, _ n: Int) -> Case {
    let p = anyParameters(&rng)
    return Case(
      parameters: p,
      trace: Generators.anyTrace(
        count: n, envs: p.variant == .repo ? [.off] : EnvProcess.allCases, using: &rng))
  }

  static func maxInput(_ t: Trace) -> Double { max(t.losses.max() ?? 0, t.envs.max() ?? 0) }

  /// The start of the longest constant suffix of a trace (nil for an empty trace).
  static func constantTailStart(_ t: Trace) -> Int? {
    guard t.count > 0 else { return nil }
    var k = t.count - 1
    while k > 0 && t.losses[k - 1] == t.losses[k] && t.envs[k - 1] == t.envs[k] { k -= 1 }
    return k
  }

  /// For a trace ending in a constant input: where the tail starts, the state there, the tail's
  /// stress and the settle bound of ``ClosedForm/modeSettleRecords(_:from:x:margin:limit:)``.
  static func tail(_ c: Case, _ states: [ControllerState]) -> (start: Int, mode: Mode, records: Int)? {
    guard let k = constantTailStart(c.trace) else { return nil }
    let s = k == 0 ? c.parameters.initial : states[k - 1]
    let x = c.parameters.stressInput(loss: c.trace.losses[k], env: c.trace.envs[k])
    guard
      let (mode, r) = ClosedForm.modeSettleRecords(
        c.parameters, from: s, x: x, margin: margin, limit: 1_000_000)
    else { return nil }
    return (k, mode, r)
  }

  /// A constant `(loss, env)` whose fixed point lies in `band`, drawn for `p`, or nil.
  static func constantInput(in band: Mode, _ p: Parameters, _ rng: inout SeededGenerator) -> (Double, Double)?
  {
    for _ in 0..<40 {
      let loss =
        rng.nextUnit() < 0.2
        ? EdgeValues.all.randomElement(using: &rng)! : Generators.logUniform(1e-4, 1e4, &rng)
      let env = p.variant == .repo || rng.nextUnit() < 0.5 ? 0 : Generators.logUniform(1e-4, 1e4, &rng)
      let phi = ClosedForm.fixedPoint(x: p.stressInput(loss: loss, env: env)).phi
      if Mode.classify(phi, theta0: p.theta0, theta1: p.theta1) == band
        && abs(phi - p.theta0) > margin && abs(phi - p.theta1) > margin
      {
        return (loss, env)
      }
    }
    return nil
  }

  /// A case that ends with a constant input settling in `band`, long enough to be checked.
  static func settlingCase(_ band: Mode, prefix: Bool, _ rng: inout SeededGenerator, _ n: Int) -> Case {
    for _ in 0..<20 {
      var p = anyParameters(&rng)
      if p.alpha < 1e-2, let q = try? p.with(alpha: 0.1) { p = q }
      guard let (loss, env) = constantInput(in: band, p, &rng) else { continue }
      let head =
        prefix
        ? Generators.anyTrace(
          count: Int.random(in: 1...max(1, n / 2), using: &rng),
          envs: p.variant == .repo ? [.off] : EnvProcess.allCases, using: &rng) : Trace(losses: [])
      var c = Case(parameters: p, trace: head.appending(loss: loss, env: env, count: 1))
      guard let (_, _, r) = tail(c, c.states), r < 200_000 else { continue }
      c.trace = head.appending(
        loss: loss, env: env, count: r + 1 + Int.random(in: 0...min(n, 50), using: &rng))
      return c
    }
    return Case(parameters: .report, trace: Trace(losses: []))
  }

  /// The check shared by C3, C4 (reach) and C5: after the settle bound, the mode is the band's.
  static func settles(_ c: Case, _ band: Mode) -> String? {
    let states = c.states
    guard let (k, mode, r) = tail(c, states), mode == band else { return nil }
    for t in (k + r)..<states.count where states[t].mode != band {
      return
        "record \(t): mode \(states[t].mode.rawValue), but the constant input from step \(k) settles in \(band) after \(r) records (by step \(k + r))"
    }
    return nil
  }

  static func settlePremise(_ c: Case, _ band: Mode) -> Bool {
    let states = c.states
    guard let (k, mode, r) = tail(c, states) else { return false }
    return mode == band && states.count > k + r
  }

  // MARK: - C1

  static let c1 = Invariant(
    id: "C1", claim: "C1", theorems: [.t01, .t02], direction: .theorem,
    statement:
      "Ê ≥ 0 and finite, φ ∈ [0, 1], Ê ≤ max(Ê0, sup X)·(1 + 8u/(1−β)) + 8·2^-1074/(1−β) and φ ≤ max(φ0, g(max Ê)) + 8u(1 + 1/α)",
    hypotheses:
      "valid parameters and initial state, every input finite, ≥ 0 and ≤ 1e300, Ê0 ≤ 1e300 (binary64, u = 2^-53)",
    generate: { rng, n in anyCase(&rng, n) },
    premise: { c in c.trace.isValid && maxInput(c.trace) <= 1e300 && c.parameters.initial.ehat <= 1e300 },
    counterexample: { c in
      let p = c.parameters
      var bound = p.initial.ehat
      var emax = p.initial.ehat
      let tolE = 1 + 8 * u / (1 - p.beta)
      let tolTiny = tiny / (1 - p.beta)
      let tolPhi = 8 * u * (1 + 1 / p.alpha)
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
    id: "C1.claim", claim: "C1", theorems: [.t01], direction: .refutation,
    statement: "the report: \"the denominator guarantees φ ∈ (0, 1)\" at every step",
    hypotheses: "the report's defaults, any valid trace",
    generate: { rng, n in Case(parameters: .report, trace: Generators.anyTrace(count: n, using: &rng)) },
    premise: { c in c.trace.isValid && c.parameters == .report },
    counterexample: { c in
      for (t, s) in c.states.enumerated() where !(s.phi > 0 && s.phi < 1) {
        return "record \(t): phi = \(s.phi) is not in the open interval (0, 1)"
      }
      return nil
    })

  static let c1Binary64 = Invariant(
    id: "C1.binary64", claim: "C1", theorems: [.t02], direction: .refutation,
    statement: "in binary64, φ < 1 for every valid finite input",
    hypotheses: "report variant, any valid parameters, any valid finite trace",
    generate: { rng, n in
      let p = Generators.parameters(.report, using: &rng)
      return Case(
        parameters: p, trace: Generators.trace(.adversarial, env: .unbounded, count: n, using: &rng))
    },
    premise: { c in c.trace.isValid && c.parameters.variant == .report },
    counterexample: { c in
      for (t, s) in c.states.enumerated() where s.phi >= 1 {
        return "record \(t): phi = \(s.phi) (exactly 1 in binary64)"
      }
      return nil
    })

  // MARK: - C2

  static let c2 = Invariant(
    id: "C2", claim: "C2", theorems: [.t10], direction: .theorem,
    statement: "consecutive mode switches are at least N_s steps apart",
    hypotheses: "report variant, any valid parameters and trace, initial s = −∞",
    generate: { rng, n in
      let p = Generators.parameters(.report, using: &rng)
      return Case(parameters: p, trace: Generators.anyTrace(count: n, using: &rng))
    },
    premise: { c in
      c.trace.isValid && c.parameters.variant == .report && c.parameters.initial.lastSwitch == nil
    },
    counterexample: { c in
      let sw = c.parameters.switches(c.states)
      for (a, b) in zip(sw, sw.dropFirst()) where b.step - a.step < c.parameters.cooldown {
        return
          "switches at steps \(a.step) and \(b.step) are \(b.step - a.step) < N_s = \(c.parameters.cooldown) apart"
      }
      return nil
    })

  static let c2Claim = Invariant(
    id: "C2.claim", claim: "C2", theorems: [.t10], direction: .refutation,
    statement: "the published controller respects the report's cooldown: switches ≥ 30 steps apart",
    hypotheses: "repo variant with its defaults, any valid trace",
    generate: { rng, n in
      Case(parameters: .repo, trace: Generators.anyTrace(count: n, envs: [.off], using: &rng))
    },
    premise: { c in c.trace.isValid && c.parameters.variant == .repo },
    counterexample: { c in
      let sw = c.parameters.switches(c.states)
      for (a, b) in zip(sw, sw.dropFirst()) where b.step - a.step < 30 {
        return
          "switches at steps \(a.step) (\(a.from)→\(a.to)) and \(b.step) (\(b.from)→\(b.to)) are \(b.step - a.step) < 30 steps apart"
      }
      return nil
    })

  // MARK: - C3

  static let c3 = Invariant(
    id: "C3", claim: "C3", theorems: [.t03, .t05, .t08], direction: .theorem,
    statement:
      "a constant input with φ* = X/(1+X) < θ0 settles in Single within the envelope bound T + max(N_s − 1, 0) records",
    hypotheses: "any valid parameters and initial state, constant valid input with θ0 − φ* > 1e-9",
    generate: { rng, n in settlingCase(.single, prefix: false, &rng, n) },
    premise: { c in c.trace.isValid && constantTailStart(c.trace) == 0 && settlePremise(c, .single) },
    counterexample: { c in settles(c, .single) })

  static let c3Claim = Invariant(
    id: "C3.claim", claim: "C3", theorems: [.t08], direction: .refutation,
    statement: "the report: without shocks φ → φ* < θ0 and the controller settles in Single",
    hypotheses: "the report's defaults, a constant clean loss L < 10, E = 0, from the default initial state",
    generate: { rng, n in
      Case(parameters: .report, trace: .constant(loss: rng.nextUnit() * 10, count: max(1, n)))
    },
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

  // MARK: - C4

  static let c4 = Invariant(
    id: "C4", claim: "C4", theorems: [.t07], direction: .theorem,
    statement:
      "Mirror is reached iff the sustained stress has X/(1+X) ≥ θ1: with sup g(X) < θ1 (and φ0, g(Ê0) < θ1, M0 ≠ Mirror) never; with a constant input of φ* > θ1 within the envelope bound",
    hypotheses:
      "any valid parameters; either every X_t and Ê0 has g(·) < θ1 − 1e-9, φ0 < θ1, M0 ≠ Mirror; or a constant input with φ* − θ1 > 1e-9",
    generate: { rng, n in
      if rng.nextUnit() < 0.5 { return settlingCase(.mirror, prefix: rng.nextUnit() < 0.5, &rng, n) }
      let p = anyParameters(&rng)
      return Case(
        parameters: p,
        trace: Generators.anyTrace(
          count: n, envs: p.variant == .repo ? [.off] : [.off, .bounded], using: &rng))
    },
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
      for (t, s) in c.states.enumerated() where s.mode == .mirror || s.phi >= c.parameters.theta1 {
        return "record \(t): mode \(s.mode), phi \(s.phi) although sup X/(1+X) < θ1"
      }
      return nil
    })

  static let c4Claim = Invariant(
    id: "C4.claim", claim: "C4", theorems: [.t07], direction: .refutation,
    statement:
      "the report: a loss spike (L ≫ 1, here L ≥ 10 sustained) drives φ* > θ1 and the controller to Mirror",
    hypotheses:
      "the report's defaults, E ∈ [0, 1] (E is optional), a constant loss L ≥ 10 from the default initial state, run until φ is within 1e-3 of its limit",
    generate: { rng, n in
      let e = rng.nextUnit() < 0.5 ? 0 : rng.nextUnit()
      return Case(
        parameters: .report,
        trace: .constant(loss: Generators.logUniform(10, 1e300, &rng), env: e, count: max(1, n)))
    },
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
    id: "C4.order", claim: "C4", theorems: [.t13], direction: .theorem,
    statement: "every mode switch changes the mode by one (Single ↔ Multi ↔ Mirror, Multi never skipped)",
    hypotheses:
      "no cooldown (N_s = 0, or the repo variant), α(1 − θ0) < θ1 − θ0 and αθ1 < θ1 − θ0, M0 = classify(φ0), any valid trace",
    generate: { rng, n in
      var p = anyParameters(&rng)
      if p.variant == .report, let q = try? p.with(cooldown: 0) { p = q }
      if rng.nextUnit() < 0.5, let q = try? p.with(alpha: p.alpha * rng.nextUnit() * 0.5) { p = q }
      var s = p.initial
      s.mode = Mode.classify(s.phi, theta0: p.theta0, theta1: p.theta1)
      if let q = try? p.with(initial: s) { p = q }
      return Case(
        parameters: p,
        trace: Generators.anyTrace(
          count: n, envs: p.variant == .repo ? [.off] : EnvProcess.allCases, using: &rng))
    },
    premise: { c in
      let p = c.parameters
      return c.trace.isValid && (p.variant == .repo || p.cooldown == 0) && ClosedForm.multiCannotBeSkipped(p)
        && p.initial.mode == Mode.classify(p.initial.phi, theta0: p.theta0, theta1: p.theta1)
    },
    counterexample: { c in
      for s in c.parameters.switches(c.states) where abs(s.to.rawValue - s.from.rawValue) != 1 {
        return "record \(s.step): \(s.from) → \(s.to) skips Multi"
      }
      return nil
    })

  static let c4OrderClaim = Invariant(
    id: "C4.order.claim", claim: "C4", theorems: [.t13], direction: .refutation,
    statement: "the report: the FSM goes Single → Multi → Mirror (Multi is never skipped)",
    hypotheses:
      "any valid parameters (reduced towards the defaults) with an initial mode that matches φ0, any valid trace",
    generate: { rng, n in
      if rng.nextUnit() < 0.5 {
        // the report's defaults: a stress burst into Multi, a pause back to Single, a second burst
        // while the cooldown still holds the mode (the path on which Multi is skipped)
        return twoBursts(&rng, n)
      }
      let p = rng.nextUnit() < 0.5 ? Parameters.report : Generators.parameters(.report, using: &rng)
      return Case(parameters: p, trace: Generators.anyTrace(count: n, using: &rng))
    },
    premise: { c in
      let p = c.parameters
      return c.trace.isValid
        && p.initial.mode == Mode.classify(p.initial.phi, theta0: p.theta0, theta1: p.theta1)
    },
    counterexample: { c in multiSkip(c) })

  static let c4OrderDefaults = Invariant(
    id: "C4.order.defaults", claim: "C4", theorems: [.t13], direction: .refutation,
    statement:
      "at the report's defaults the FSM never skips Multi (Single → Mirror needs α(1 − θ0) ≥ θ1 − θ0, which α = 0.1 is not)",
    hypotheses: "the report's defaults (α = 0.1, N_s = 30), the default initial state, a valid trace",
    generate: { rng, n in twoBursts(&rng, n) },
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

  /// The first switch that jumps two modes (Single ↔ Mirror, skipping Multi), described.
  static func multiSkip(_ c: Case, because: (Mode) -> String = { _ in "" }) -> String? {
    for s in c.parameters.switches(c.states) where abs(s.to.rawValue - s.from.rawValue) == 2 {
      return "record \(s.step): \(s.from) → \(s.to) skips Multi" + because(s.from)
    }
    return nil
  }

  // MARK: - C5

  static let c5 = Invariant(
    id: "C5", claim: "C5", theorems: [.t09, .t14], direction: .theorem,
    statement:
      "after any prefix (a shock), a constant input with φ* < θ0 returns to Single within T + max(N_s − 1, 0) records of the change, T from the envelope at the state of the change",
    hypotheses: "any valid parameters, any valid prefix, then a constant valid input with θ0 − φ* > 1e-9",
    generate: { rng, n in settlingCase(.single, prefix: true, &rng, n) },
    premise: { c in c.trace.isValid && settlePremise(c, .single) },
    counterexample: { c in settles(c, .single) })

  static let c5Claim = Invariant(
    id: "C5.claim", claim: "C5", theorems: [.t09], direction: .refutation,
    statement: "the report: after the shock the controller recovers (returns to Single)",
    hypotheses: "the report's defaults; a shock (some L ≥ 10), then a constant clean loss L < 10 with E = 0",
    generate: { rng, n in
      let head = Generators.trace(.shocks, env: .off, count: max(1, n / 2), using: &rng)
      return Case(
        parameters: .report, trace: head.appending(loss: rng.nextUnit() * 10, env: 0, count: max(1, n / 2)))
    },
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

  // MARK: - C6

  static func sameBits(_ a: ControllerState, _ b: ControllerState) -> Bool {
    a.ehat.bitPattern == b.ehat.bitPattern && a.phi.bitPattern == b.phi.bitPattern && a.mode == b.mode
      && a.lastSwitch == b.lastSwitch
  }

  static let c6 = Invariant(
    id: "C6", claim: "C6", theorems: [.t11], direction: .theorem,
    statement:
      "the future is a function of (Ê, φ, M, s): a run resumed from a saved (JSON) state, the Replay records and a Controller's updates all reproduce the run bit for bit",
    hypotheses: "any valid parameters and trace",
    generate: { rng, n in anyCase(&rng, n) },
    premise: { c in c.trace.isValid },
    counterexample: { c in
      let p = c.parameters
      let states = c.states
      let k = c.trace.count / 2
      let mid = k == 0 ? p.initial : states[k - 1]
      guard let data = try? JSONEncoder().encode(mid),
        let saved = try? JSONDecoder().decode(ControllerState.self, from: data)
      else {
        return "the state \(mid) does not survive a JSON round trip"
      }
      var s = saved
      for t in k..<c.trace.count {
        s = p.advance(s, Input(step: t, loss: c.trace.losses[t], env: c.trace.envs[t]))
        if !sameBits(s, states[t]) {
          return "record \(t): resumed from step \(k) gives \(s), the run gives \(states[t])"
        }
      }
      var controller = Controller(parameters: p)
      let records = (try? Replay(c.trace.inputs, parameters: p).records()) ?? []
      guard records.count == states.count else { return "Replay stopped early" }
      for t in 0..<c.trace.count {
        _ = try? controller.update(loss: c.trace.losses[t], env: c.trace.envs[t])
        if !sameBits(controller.state, states[t]) {
          return "record \(t): Controller gives \(controller.state), the run gives \(states[t])"
        }
        if records[t].phi.bitPattern != states[t].phi.bitPattern
          || records[t].ehat.bitPattern != states[t].ehat.bitPattern || records[t].mode != states[t].mode
        {
          return "record \(t): Replay differs from the run"
        }
      }
      return nil
    })

  static let c6Claim = Invariant(
    id: "C6.claim", claim: "C6", theorems: [.t11], direction: .refutation,
    statement:
      "the report: the controller is stateless across steps except for φ (same φ, same inputs ⇒ same learning rates)",
    hypotheses: "the report's defaults; two initial states with the same φ (s = −∞), the same valid trace",
    generate: { rng, n in
      var a = Generators.initialState(.report, using: &rng)
      a.lastSwitch = nil
      var b = a
      if rng.nextUnit() < 0.5 {
        b.ehat = Generators.logUniform(1e-3, 1e6, &rng)
      } else {
        b.mode = Mode.allCases.randomElement(using: &rng)!
      }
      let p = (try? Parameters.report.with(initial: a)) ?? .report
      return Case(
        parameters: p, trace: Generators.anyTrace(count: n, envs: [.off, .bounded], using: &rng),
        otherInitial: b)
    },
    premise: { c in
      guard let b = c.otherInitial, c.trace.isValid else { return false }
      let a = c.parameters.initial
      return a.phi == b.phi && a != b && a.lastSwitch == nil && b.lastSwitch == nil
        && (try? c.parameters.with(initial: .reportInitial)) == .report && (try? b.validate()) != nil
    },
    counterexample: { c in
      guard let b = c.otherInitial else { return nil }
      let p = c.parameters
      let x = p.states(c.trace)
      let y = p.states(c.trace, from: b)
      for t in 0..<x.count where p.learningRates[x[t].mode] != p.learningRates[y[t].mode] {
        return
          "record \(t): lr \(p.learningRates[x[t].mode]) from \(p.initial) but \(p.learningRates[y[t].mode]) from \(b), with the same φ0 = \(b.phi)"
      }
      return nil
    })

  // MARK: - C7

  static let c7 = Invariant(
    id: "C7", claim: "C7", theorems: [.t12], direction: .theorem,
    statement:
      "a constant input causes at most 5 mode switches (φ_t is unimodal: ≤ 2 crossings per threshold, plus the initial mismatch)",
    hypotheses:
      "any valid parameters and initial state, a constant valid input whose φ* is more than 1e-9 from θ0 and θ1",
    generate: { rng, n in
      let p = anyParameters(&rng)
      let loss =
        rng.nextUnit() < 0.3
        ? EdgeValues.all.randomElement(using: &rng)! : Generators.logUniform(1e-4, 1e4, &rng)
      let env = p.variant == .repo || rng.nextUnit() < 0.5 ? 0 : Generators.logUniform(1e-4, 1e4, &rng)
      return Case(parameters: p, trace: .constant(loss: loss, env: env, count: max(1, n)))
    },
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
    id: "C7.claim", claim: "C7", theorems: [.t12], direction: .refutation,
    statement: "the report: smoothing gives hysteresis and prevents oscillation",
    hypotheses:
      "the report's defaults (N_s = 30), E = 0, a loss alternating between calm and stressed levels, or noisy near the preimage 6 of θ0",
    generate: { rng, n in
      if rng.nextUnit() < 0.8 {
        // a square wave between a calm and a stressed level, slower than the cooldown
        let high = Double(Int.random(in: 7...100, using: &rng))
        let period = Int.random(in: 20...80, using: &rng)
        return Case(
          parameters: .report, trace: Trace(losses: (0..<n).map { ($0 / period) % 2 == 0 ? 0 : high }))
      }
      let level = 6 * exp(0.3 * rng.nextGaussian())
      let sigma = rng.nextUnit()
      return Case(
        parameters: .report,
        trace: Trace(losses: (0..<n).map { _ in level * exp(sigma * rng.nextGaussian()) }))
    },
    premise: { c in c.parameters == .report && c.trace.isValid },
    counterexample: { c in oscillation(c.parameters.switches(c.states)) })

  static let c7NoCooldown = Invariant(
    id: "C7.nocooldown", claim: "C7", theorems: [.t12], direction: .refutation,
    statement: "without a cooldown the smoothing alone prevents chattering (no switch back within one step)",
    hypotheses:
      "the published controller (repo defaults, no cooldown), a noisy loss near the preimage of θ0 (L ≈ 3/7)",
    generate: { rng, n in
      let level = 3.0 / 7 * exp(0.3 * rng.nextGaussian())
      let sigma = rng.nextUnit() * 2
      return Case(
        parameters: .repo, trace: Trace(losses: (0..<n).map { _ in level * exp(sigma * rng.nextGaussian()) }))
    },
    premise: { c in c.parameters == .repo && c.trace.isValid },
    counterexample: { c in
      let sw = c.parameters.switches(c.states)
      for (a, b) in zip(sw, sw.dropFirst()) where b.step - a.step == 1 && a.from == b.to {
        return "records \(a.step) and \(b.step): \(a.from) → \(a.to) → \(b.to) in consecutive steps"
      }
      return nil
    })

  // MARK: - T03, T06, learning rate

  static let t03 = Invariant(
    id: "T03", claim: "T03", theorems: [.t03, .t04], direction: .theorem,
    statement:
      "a constant input converges at the spectral radius: |Ê_t − X| ≤ β^t|Ê0 − X|, |φ_t − φ*| ≤ ρ^t|φ0 − φ*| + α·t·ρ^(t−1)|Ê0 − X|, ρ = max(β, 1−α)",
    hypotheses:
      "any valid parameters and initial state, a constant valid input; binary64 slack (4u·max(Ê0, X) + 8·2^-1074)/(1−β) on Ê and 8u(1 + 1/α + 1/(1−β)) on φ",
    generate: { rng, n in c7.generate(&rng, n) },
    premise: { c in c.trace.isValid && constantTailStart(c.trace) == 0 },
    counterexample: { c in
      let p = c.parameters
      let s0 = p.initial
      let x = p.stressInput(loss: c.trace.losses[0], env: c.trace.envs[0])
      let (eStar, phiStar) = ClosedForm.fixedPoint(x: x)
      let tolE = (4 * u * max(s0.ehat, x) + tiny) / (1 - p.beta)
      let tolPhi = 8 * u * (1 + 1 / p.alpha + 1 / (1 - p.beta))
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
    let slackPhi = strict ? 0 : 8 * u * (1 + 1 / p.alpha + 1 / (1 - p.beta))
    for t in 0..<a.count {
      let slackE = strict ? 0 : (8 * u * max(a[t].ehat, b[t].ehat) + tiny) / (1 - p.beta)
      if !(a[t].ehat <= b[t].ehat + slackE && a[t].phi <= b[t].phi + slackPhi) {
        return
          "record \(t): larger inputs give Ê' = \(b[t].ehat), φ' = \(b[t].phi) below Ê = \(a[t].ehat), φ = \(a[t].phi)"
      }
    }
    return nil
  }

  static let t06 = Invariant(
    id: "T06", claim: "T06", theorems: [.t06], direction: .theorem,
    statement:
      "comparison principle: inputs L ≤ L', E ≤ E' step by step give Ê ≤ Ê' and φ ≤ φ' at every step (exact reals; in binary64 up to (8u·max(Ê, Ê') + 8·2^-1074)/(1−β) and 8u(1 + 1/α + 1/(1−β)))",
    hypotheses:
      "any valid parameters and initial state (the same for both runs), two valid traces, the second componentwise ≥ the first",
    generate: { rng, n in pairCase(&rng, n, cooldown: nil) },
    premise: dominates,
    counterexample: { c in comparison(c, strict: false) })

  static let t06Binary64 = Invariant(
    id: "T06.binary64", claim: "T06", theorems: [.t06, .t02], direction: .refutation,
    statement:
      "in binary64 the comparison principle holds exactly (larger inputs never give a smaller Ê or φ)",
    hypotheses:
      "any valid parameters and initial state, two valid traces, the second componentwise ≥ the first",
    generate: { rng, n in
      var c = pairCase(&rng, n, cooldown: nil)
      // large losses, one ulp apart: where 1 + L rounds
      let l = Generators.logUniform(1e15, 1e17, &rng)
      c.trace = .constant(loss: l, count: max(1, min(n, 3)))
      c.otherTrace = .constant(loss: l.nextUp, count: max(1, min(n, 3)))
      return c
    },
    premise: dominates,
    counterexample: { c in comparison(c, strict: true) })

  static let t06Mode = Invariant(
    id: "T06.mode", claim: "T06", theorems: [.t06], direction: .theorem,
    statement: "with no cooldown the mode is monotone in the inputs: L ≤ L', E ≤ E' give M ≤ M'",
    hypotheses:
      "N_s = 0 (or the repo variant), the same valid parameters and initial state, the second trace componentwise ≥ the first; records whose classified φ lies within 1e-9 of a threshold are exempt in binary64 (T02)",
    generate: { rng, n in pairCase(&rng, n, cooldown: 0) },
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

  static let t06ModeClaim = Invariant(
    id: "T06.mode.claim", claim: "T06", theorems: [.t06], direction: .refutation,
    statement:
      "with the cooldown on, the mode is monotone in the inputs (more stress never gives a less conservative mode)",
    hypotheses: "the report's defaults (N_s = 30), two valid traces, the second componentwise ≥ the first",
    generate: { rng, n in
      if rng.nextUnit() < 0.5 {
        // round numbers: runs of 0, 10 and 100; the second trace raises some of them to 100
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
      var c = pairCase(&rng, n, cooldown: nil)
      c.parameters = .report
      return c
    },
    premise: { c in dominates(c) && c.parameters == .report },
    counterexample: { c in t06Mode.counterexample(c) })

  static let lr = Invariant(
    id: "LR", claim: "LR", theorems: [.t11], direction: .theorem,
    statement: "every record's learning rate is the map of its mode, lr = η[M]",
    hypotheses: "any valid parameters and trace",
    generate: { rng, n in anyCase(&rng, n) },
    premise: { c in c.trace.isValid },
    counterexample: { c in
      guard let records = try? Replay(c.trace.inputs, parameters: c.parameters).records() else {
        return "Replay rejected a valid trace"
      }
      for r in records where r.lr != c.parameters.learningRates[r.mode] {
        return "record \(r.step): lr \(r.lr) ≠ η[\(r.mode)]"
      }
      return nil
    })
}
