import Foundation
import Testing
import UnifiedLoRA

/// T06: comparison principle; corners; the mode is not monotone with a cooldown.
@Suite("T06 monotonicity")
struct T06MonotonicityTests {
  @Test(arguments: Variant.allCases)
  func orderedInputsGiveOrderedStates(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<300 {
      let p = rng.parameters(variant)
      var a = rng.state()
      var b = ControllerState(
        ehat: a.ehat + rng.uniform(0, 2), phi: min(a.phi + rng.uniform(0, 0.2), 0.999), mode: a.mode)
      for t in 0..<200 {
        let loss = rng.uniform(0, 20)
        let env = rng.uniform(0, 5)
        let biggerLoss = rng.next() % 3 == 0 ? loss : loss + rng.uniform(0, 1e6)
        let biggerEnv = env + rng.uniform(0, 3)
        a = p.advance(a, Input(step: t, loss: loss, env: env))
        b = p.advance(b, Input(step: t, loss: biggerLoss, env: biggerEnv))
        // Exact arithmetic: ≤. binary64 may invert the order by a rounding (T06 remark).
        let tol = 4 * Double.ulpOfOne
        #expect(a.ehat <= b.ehat * (1 + tol) && a.phi <= b.phi + tol, "seed \(seed), \(p), t \(t)")
      }
    }
  }

  /// Any input sequence in a box stays between the constant-corner trajectories.
  @Test(arguments: Variant.allCases)
  func cornersSandwichEveryTrajectory(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<200 {
      let p = rng.parameters(variant)
      let (lLo, lHi) = (rng.uniform(0, 5), rng.uniform(5, 50))
      let (eLo, eHi) = (rng.uniform(0, 1), rng.uniform(1, 4))
      var lo = p.initial
      var hi = p.initial
      var s = p.initial
      for t in 0..<300 {
        lo = p.advance(lo, Input(step: t, loss: lLo, env: eLo))
        hi = p.advance(hi, Input(step: t, loss: lHi, env: eHi))
        s = p.advance(s, Input(step: t, loss: rng.uniform(lLo, lHi), env: rng.uniform(eLo, eHi)))
        let tol = 4 * Double.ulpOfOne
        #expect(lo.phi <= s.phi + tol && s.phi <= hi.phi + tol, "seed \(seed), \(p), t \(t)")
      }
    }
  }

  /// The witness of T06 part 3 (also `certificates/T06-mode-not-monotone.smt2`).
  @Test func modeIsNotMonotoneWithACooldown() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1)
    #expect(p.cooldown == 30)
    let a = try p.simulate(losses: [0, 0, 0, 0], env: [1, 9, 0, 0])
    let b = try p.simulate(losses: [0, 0, 0, 0], env: [0, 9, 0, 0])
    #expect(a[3].mode == .multi && b[3].mode == .mirror)
  }
}

/// T07: sup φ and the least sustained E for Mirror.
@Suite("T07 Mirror reachability")
struct T07MirrorTests {
  @Test func defaultsVerdictOnC4() {
    for f in allFormulas {
      let p = Parameters.report
      #expect(abs(f.phiSupremum(p, envMax: 0) - 1.0 / 3) < 1e-15, "\(f.name)")
      #expect(abs(f.phiSupremum(p, envMax: 1) - 0.5) < 1e-15, "\(f.name)")
      #expect(f.close(f.minEnvForMirror(p, loss: 20)!, 26.0 / 7, 1e-14), "\(f.name)")
      #expect(f.close(f.minEnvForMirror(p, loss: 0)!, 14.0 / 3, 1e-14), "\(f.name)")
      #expect(f.close(f.minEnvForMirror(p, loss: 0.5)!, 13.0 / 3, 1e-14), "\(f.name)")
      #expect(f.close(f.minLossForMirror(.repo, env: 0)!, 7.0 / 3, 1e-15), "\(f.name)")
      #expect(f.minLossForMirror(p, env: 0) == nil, "\(f.name): no loss reaches Mirror with E = 0")
    }
  }

  /// With E ≡ 0 (or E ≤ 1) φ stays below g(sup X) for any loss sequence, including 1e300.
  @Test func phiStaysBelowTheSupremum() {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      for trial in 0..<200 {
        let p = trial == 0 ? Parameters.report : rng.parameters(.report)
        let envMax = trial % 2 == 0 ? 0.0 : 1.0
        let sup = f.phiSupremum(p, envMax: envMax)
        var s = p.initial
        for t in 0..<2000 {
          let loss = rng.next() % 4 == 0 ? 1e300 : rng.uniform(0, 1e3)
          s = p.advance(s, Input(step: t, loss: loss, env: rng.uniform(0, envMax)))
          // Exact: φ < sup. binary64 rounds D up to 1 for L ≥ 2^53, so allow one rounding.
          #expect(s.phi <= sup * (1 + 4 * Double.ulpOfOne), "seed \(seed), \(f.name), \(p), t \(t)")
          if p.theta1 > sup * (1 + 4 * Double.ulpOfOne) { #expect(s.mode != .mirror) }
        }
      }
    }
  }

  /// Just above E_min Mirror is reached; just below it never is (iterated past the certificate).
  @Test func leastSustainedEnv() throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      var checked = 0
      while checked < 60 {
        let p = checked == 0 ? Parameters.report : rng.parameters(.report)
        let loss = checked == 0 ? 20 : rng.uniform(0, 30)
        guard let eMin = f.minEnvForMirror(p, loss: loss), eMin > 0.01, p.alpha < 1 else { continue }
        checked += 1
        for (factor, reaches) in [(1.001, true), (0.999, false)] {
          let env = eMin * factor
          let phiStar = f.fixedPoint(p, loss: loss, env: env).phi
          let band = abs(phiStar - p.theta1) / 2
          let horizon = f.certifiedSettlingTime(p, from: p.initial, loss: loss, env: env, band: band)!
          let run = p.states(from: p.initial, loss: loss, env: env, count: horizon + p.cooldown + 2)
          #expect(
            run.contains { $0.mode == .mirror } == reaches,
            "seed \(seed), \(f.name), \(p), L \(loss), E \(env)")
        }
      }
    }
  }
}

/// T08: settles in Single iff X < θ0/(1−θ0).
@Suite("T08 Single")
struct T08SingleTests {
  @Test func defaults() throws {
    for f in allFormulas {
      #expect(f.close(f.maxLossForSingle(.report, env: 0)!, 6, 1e-13), "\(f.name)")
      #expect(f.close(f.maxLossForSingle(.repo, env: 0)!, 3.0 / 7, 1e-15), "\(f.name)")
    }
    // The clean regime never leaves Single; the repo variant at L = 0.5 ends in Multi.
    let clean = try Parameters.report.simulate(losses: Array(repeating: 0.5, count: 2000))
    #expect(clean.allSatisfy { $0.mode == .single })
    let repo = try Parameters.repo.simulate(losses: Array(repeating: 0.5, count: 2000))
    #expect(repo.last!.mode == .multi)
  }

  @Test(arguments: Variant.allCases)
  func thresholdAgreesWithIteration(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      var checked = 0
      while checked < 100 {
        let p = checked == 0 ? Parameters.defaults(variant) : rng.parameters(variant)
        let env = variant == .report && checked > 0 ? rng.uniform(0, 1) : 0
        guard let lMax = f.maxLossForSingle(p, env: env), lMax.isFinite, lMax > 0.01 else { continue }
        guard p.variant == .repo || p.alpha < 1 || p.beta > 0 else { continue }
        checked += 1
        // From the report's default state (the repo starts in Multi: "eventually Single").
        for (factor, single) in [(0.999, true), (1.001, false)] {
          let loss = lMax * factor
          let phiStar = f.fixedPoint(p, loss: loss, env: env).phi
          let band = abs(phiStar - p.theta0) / 2
          let horizon = f.certifiedSettlingTime(p, from: p.initial, loss: loss, env: env, band: band)!
          let run = p.states(from: p.initial, loss: loss, env: env, count: horizon + p.cooldown + 2)
          let ctx = "seed \(seed), \(f.name), \(p), L \(loss), E \(env)"
          #expect((run.last!.mode == .single) == single, "\(ctx)")
          if variant == .report && single { #expect(run.allSatisfy { $0.mode == .single }, "\(ctx)") }
        }
      }
    }
  }
}

/// T13: no skip of Multi under the α bound without a lock; the two skip witnesses.
@Suite("T13 order")
struct T13OrderTests {
  @Test(arguments: Variant.allCases)
  func noDirectJumpUnderTheAlphaBound(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      var checked = 0
      while checked < 100 {
        var p = rng.parameters(variant)
        guard p.alpha <= f.noSkipAlphaBound(p), p.alpha <= 1 - p.theta0 / p.theta1 else { continue }
        if variant == .report { p = try p.with(cooldown: 0) }
        checked += 1
        var s = p.initial
        for t in 0..<500 {
          let shock = (t / 40) % 2 == 1
          let loss = shock ? rng.uniform(0, 1e6) : rng.uniform(0, 1)
          let env = shock ? rng.uniform(0, 1e3) : 0
          let next = p.advance(s, Input(step: t, loss: loss, env: env))
          #expect(abs(next.mode.rawValue - s.mode.rawValue) <= 1, "seed \(seed), \(f.name), \(p), t \(t)")
          s = next
        }
      }
    }
  }

  @Test func skipWitnesses() throws {
    // Large α: one step from below θ0 to above θ1.
    let big = try Parameters(alpha: 0.9, initial: ControllerState(ehat: 3, phi: 0.28125, mode: .single))
    let r = try big.simulate(losses: [0, 0], env: [1e6, 0])
    #expect(r.map(\.mode) == [.single, .mirror])
    // The cooldown lock with every default parameter: Single at step 0, Mirror at step 30.
    let lock = try Parameters(initial: ControllerState(ehat: 0, phi: 0, mode: .multi))
    let trace = try lock.simulate(
      losses: Array(repeating: 0, count: 40), env: Array(repeating: 1e6, count: 40))
    let switches = zip([Mode.multi] + trace.map(\.mode), trace).filter { $0 != $1.mode }.map {
      ($1.step, $1.mode)
    }
    #expect(switches.count == 2)
    #expect(switches.first! == (0, .single) && switches.last! == (30, .mirror))
    #expect(trace[4].phi >= 0.3 && trace[3].phi < 0.3)  // φ_5 crosses θ0 (record 4 holds φ_5)
    #expect(trace[12].phi >= 0.7 && trace[11].phi < 0.7)  // φ_13 crosses θ1
  }
}
