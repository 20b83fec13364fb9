import Foundation
import Testing
import UnifiedLoRA

/// The fixed point of a constant input as a state, with its mode and no recent switch.
func restState(_ p: Parameters, loss: Double, env: Double, formulas f: any TheoremFormulas = ClosedForms())
  -> ControllerState
{
  let (e, phi) = f.fixedPoint(p, loss: loss, env: env)
  return ControllerState(ehat: e, phi: phi, mode: Mode.classify(phi, theta0: p.theta0, theta1: p.theta1))
}

/// T09: recovery to Single.
@Suite("T09 recovery")
struct T09RecoveryTests {
  /// T09 part 2 (corrected): with no switch before it, the recovery latency from state `run[0]`
  /// at step `t0` is `1 + min{j ≥ max(0, gap − 1) : φ_{t0+j} < θ0}`, `gap = s + N_s − t0 + 1`.
  static func exactRecovery(_ p: Parameters, _ run: [ControllerState], t0: Int) -> Int? {
    let gap = run[0].lastSwitch.map { $0 + p.cooldown - t0 + 1 } ?? Int.min
    let first = max(0, gap - 1)
    guard first < run.count else { return nil }
    return run.indices.dropFirst(first).first { run[$0].phi < p.theta0 }.map { $0 + 1 }
  }

  /// The review's counterexample to the uncorrected formula: from the default state, loss 20 for
  /// 41 steps, 0 for 8, then E = 20 once; then the clean L = 0.5. φ dips below θ0 at j0 and rises
  /// again, so max(j0 + 1, gap) = 20 while the true recovery index is 22.
  @Test func recoveryFormulaNeedsPhiToStayBelow() throws {
    let p = Parameters.report
    var inputs: [Input] = []
    for _ in 0..<41 { inputs.append(Input(step: inputs.count, loss: 20)) }
    for _ in 0..<8 { inputs.append(Input(step: inputs.count, loss: 0)) }
    inputs.append(Input(step: inputs.count, loss: 0, env: 20))
    let before = p.states(from: p.initial, inputs: inputs)
    let t0 = inputs.count
    let run = p.states(from: before.last!, loss: 0.5, env: 0, count: 300, startingAt: t0)
    let k = latency(run, to: .single)
    let j0 = run.indices.first { run[$0].phi < p.theta0 }!
    let gap = run[0].lastSwitch.map { $0 + p.cooldown - t0 + 1 } ?? Int.min
    #expect(k == 22)
    #expect(max(j0 + 1, gap) == 20)  // the formula without its missing hypothesis
    #expect(!run[j0...].allSatisfy { $0.phi < p.theta0 })  // the hypothesis fails here
    #expect(Self.exactRecovery(p, run, t0: t0) == 22)
  }

  /// T05 at ρ = 0 (α = 1, β = 0): the certified settling time from (5, 0.142857) under L = 0.5,
  /// relative to the final value, is the brute-force 2 (was 0 with t_m = 0).
  @Test func settlingAtRhoZero() throws {
    let p = try Parameters(alpha: 1, beta: 0)
    let s = ControllerState(ehat: 5, phi: 0.142857, mode: .single)
    let band = 0.02 * (1.0 / 7)
    let run = p.states(from: s, loss: 0.5, env: 0, count: 50)
    let brute = (run.indices.last { abs(run[$0].phi - 1.0 / 7) > band } ?? -1) + 1
    #expect(brute == 2)
    for f in allFormulas {
      let cert = try #require(f.certifiedSettlingTime(p, from: s, loss: 0.5, env: 0, band: band))
      #expect(cert >= brute, "\(f.name): certified \(cert) < brute force \(brute)")
    }
  }

  /// T09 parts 1–2 at ρ = 0: from (9, 1/7, Multi), N_s = 0, the modes run Single, Mirror, Single;
  /// the bound K + max(N_s, 1) covers the last switch into Single.
  @Test func recoveryBoundAtRhoZero() throws {
    let p = try Parameters(alpha: 1, beta: 0, cooldown: 0)
    let s = ControllerState(ehat: 9, phi: 1.0 / 7, mode: .multi)
    let run = p.states(from: s, loss: 0.5, env: 0, count: 20)
    #expect(run.prefix(4).map(\.mode) == [.multi, .single, .mirror, .single])
    let settled = (run.indices.last { run[$0].mode != .single } ?? 0) + 1
    for f in allFormulas {
      let bound = try #require(f.recoveryBound(p, from: s, loss: 0.5, env: 0))
      #expect(bound >= settled, "\(f.name): bound \(bound) < \(settled)")
    }
  }

  @Test func defaults() throws {
    let p = Parameters.report
    let clean = restState(p, loss: 0.5, env: 0)
    let shock = p.states(from: clean, loss: 20, env: 0, count: 100)
    #expect(latency(shock, to: .multi) == 35)
    #expect(!shock.contains { $0.mode == .mirror })
    let end = shock.last!
    let recovery = p.states(from: end, loss: 0.5, env: 0, count: 200, startingAt: 100)
    #expect(latency(recovery, to: .single) == 8)
    for f in allFormulas {
      let bound = f.recoveryBound(p, from: end, loss: 0.5, env: 0)!
      #expect(bound == 40, "\(f.name): bound \(bound)")  // K = 10: the envelope needs 10 updates, φ 7
    }
  }

  @Test(arguments: Variant.allCases)
  func recoveryWithinTheBound(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      var checked = 0
      while checked < 150 {
        let p = rng.parameters(variant)
        guard let lMax = f.maxLossForSingle(p, env: 0), lMax > 0.01 else { continue }
        let clean = lMax.isFinite ? rng.uniform(0, lMax * 0.98) : rng.uniform(0, 5)
        checked += 1
        let start = restState(p, loss: clean, env: 0)
        let n = Int(rng.next() % 150) + 1
        let shock = p.states(from: start, loss: rng.uniform(0, 100), env: rng.uniform(0, 10), count: n)
        let t0 = n
        let bound = f.recoveryBound(p, from: shock.last!, loss: clean, env: 0)!
        let run = p.states(from: shock.last!, loss: clean, env: 0, count: bound + 300, startingAt: t0)
        let ctx = "seed \(seed), \(f.name), \(p), clean \(clean), shock length \(n)"
        guard let k = latency(run, to: .single) else {
          Issue.record("never recovered: \(ctx)")
          continue
        }
        #expect(k <= bound, "\(ctx): latency \(k) > bound \(bound)")
        #expect(run[bound...].allSatisfy { $0.mode == .single }, "\(ctx)")
        // Exact formula when no switch intervenes (report): max(j0 + 1, s + N_s − t0 + 1), under
        // the hypothesis that φ stays below θ0 from j0 on; in general the least j ≥ gap − 1 with
        // φ_{t0+j} < θ0, plus one (T09 part 2, corrected).
        let start0 = run[0]
        if variant == .report, start0.mode != .single, switchCount(Array(run[0...k])) == 1 {
          #expect(k == T09RecoveryTests.exactRecovery(p, run, t0: t0), "\(ctx)")
          let j0 = run.indices.first { run[$0].phi < p.theta0 }!
          let gap = start0.lastSwitch.map { $0 + p.cooldown - t0 + 1 } ?? Int.min
          if run[j0...].allSatisfy({ $0.phi < p.theta0 }) { #expect(k == max(j0 + 1, gap), "\(ctx)") }
        }
      }
    }
  }
}

/// T10: the cooldown.
@Suite("T10 cooldown")
struct T10CooldownTests {
  @Test func switchesAreAtLeastTheCooldownApart() {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<300 {
      let p = rng.parameters(.report)
      var s = rng.state()
      var last: Int?
      for t in 0..<1500 {
        // Noise that keeps φ near the thresholds: a loss around the Single/Multi preimage.
        let loss = rng.next() % 2 == 0 ? rng.uniform(0, 1) : rng.uniform(0, 100)
        let next = p.advance(s, Input(step: t, loss: loss, env: rng.uniform(0, 6)))
        if next.mode != s.mode {
          if let last { #expect(t - last >= p.cooldown, "seed \(seed), \(p), t \(t)") }
          #expect(next.lastSwitch == t)
          last = t
        }
        s = next
      }
    }
  }

  @Test func repoHasNoCooldown() throws {
    let p = try Parameters(
      variant: .repo, initial: ControllerState(ehat: 0.5, phi: 19501.0 / 65536, mode: .single))
    let r = try p.simulate(losses: [0.25, 0.0078125])
    #expect(r.map(\.mode) == [.multi, .single])
  }
}

/// T11: the state is (Ê, φ, M, s).
@Suite("T11 state")
struct T11StateTests {
  @Test func everyComponentCarriesInformation() throws {
    let p = Parameters.report
    let input = Input(step: 0, loss: 0, env: 0)
    // Ê: same φ, different Ê.
    let a = p.advance(ControllerState(ehat: 0, phi: 0, mode: .single), input)
    let b = p.advance(ControllerState(ehat: 1, phi: 0, mode: .single), input)
    #expect(a.phi == 0 && b.phi == 0.1 * 0.5)
    // M: the learning rate of the next record.
    #expect(p.learningRates[.single] != p.learningRates[.multi])
    // s: the same (Ê, φ, M) at step 0; the last switch decides whether Mirror is entered.
    let blocked = p.advance(ControllerState(ehat: 0, phi: 0.7, mode: .single, lastSwitch: -1), input)
    let free = p.advance(ControllerState(ehat: 0, phi: 0.7, mode: .single, lastSwitch: -30), input)
    #expect(blocked.mode == .single && free.mode == .mirror)
    // Repo: Ê is state there too.
    let ra = Parameters.repo.advance(ControllerState(ehat: 0, phi: 0.5, mode: .multi), input)
    let rb = Parameters.repo.advance(ControllerState(ehat: 1, phi: 0.5, mode: .multi), input)
    #expect(ra.phi != rb.phi)
  }

  @Test(arguments: Variant.allCases)
  func equalStatesHaveEqualFutures(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<200 {
      let p = rng.parameters(variant)
      var a = rng.state()
      var b = a
      for t in 0..<100 {
        let input = Input(step: t, loss: rng.uniform(0, 20), env: rng.uniform(0, 5))
        a = p.advance(a, input)
        b = p.advance(b, input)
        #expect(a == b, "seed \(seed)")
      }
    }
  }
}

/// T12: switch counts.
@Suite("T12 switches")
struct T12SwitchTests {
  @Test(arguments: Variant.allCases)
  func constantInputSwitchesAtMostFiveTimes(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      for _ in 0..<500 {
        var p = rng.parameters(variant)
        if variant == .report && rng.next() % 2 == 0 { p = try p.with(cooldown: Int(rng.next() % 3)) }
        let (loss, env) = rng.input()
        let run = p.states(from: rng.state(), loss: loss, env: env, count: 3000)
        #expect(switchCount(run) <= f.maxSwitchesConstantInput, "seed \(seed), \(f.name), \(p)")
        let rest = p.states(
          from: p.variant == .report ? p.initial : ControllerState(ehat: 0, phi: 0, mode: .single),
          loss: loss, env: env, count: 3000)
        #expect(switchCount(rest) <= f.maxSwitchesFromRest, "seed \(seed), \(f.name), \(p)")
        #expect(zip(rest, rest.dropFirst()).allSatisfy { $0.mode <= $1.mode }, "seed \(seed), \(p)")
      }
    }
  }

  @Test func fiveSwitchWitness() throws {
    let p = try Parameters(
      alpha: 0.5, beta: 0.99, alphaE: 1, cooldown: 0,
      initial: ControllerState(ehat: 0, phi: 0.9, mode: .single))
    let r = try p.simulate(losses: Array(repeating: 0, count: 60), env: Array(repeating: 9, count: 60))
    let switches = zip([Mode.single] + r.map(\.mode), r).filter { $0 != $1.mode }.map(\.1.step)
    #expect(switches == [0, 1, 2, 7, 32])
    #expect(switches.count == ClosedForms().maxSwitchesConstantInput)
  }

  @Test func reportChattersWithoutCooldown() throws {
    let p = try Parameters(
      cooldown: 0, initial: ControllerState(ehat: 0.4375, phi: 0.2998046875, mode: .single))
    let r = try p.simulate(losses: [0, 0, 0], env: [0.5, 0, 0])
    #expect(r.map(\.mode) == [.single, .multi, .single])
  }

  /// From the repo's default initial state: hold φ near θ0, then choose each loss (by bisection
  /// through the core) to put φ just across θ0: a switch at every one of 50 steps.
  @Test func repoChattersFromItsDefaultState() {
    let p = Parameters.repo
    var s = p.initial
    var t = 0
    for _ in 0..<400 {
      s = p.advance(s, Input(step: t, loss: 3.0 / 7, env: 0))
      t += 1
    }
    var switches = 0
    for _ in 0..<50 {
      let target = s.mode == .single ? p.theta0 + 1e-5 : p.theta0 - 1e-5
      var lo = 0.0
      var hi = 100.0
      for _ in 0..<200 {
        let mid = (lo + hi) / 2
        if p.advance(s, Input(step: t, loss: mid)).phi < target { lo = mid } else { hi = mid }
      }
      let next = p.advance(s, Input(step: t, loss: s.mode == .single ? hi : lo))
      if next.mode != s.mode { switches += 1 }
      s = next
      t += 1
    }
    #expect(switches == 50)
  }
}

/// T14: detection latency.
@Suite("T14 latency")
struct T14LatencyTests {
  @Test func defaultsTable() {
    let p = Parameters.report
    let clean = restState(p, loss: 0.5, env: 0)
    let expected: [(env: Double, j0: Int, multi: Int, j1: Int?, mirror: Int?)] = [
      (0, 34, 35, nil, nil), (5, 7, 8, 33, 38), (10, 6, 7, 21, 37),
    ]
    for f in allFormulas {
      for row in expected {
        let run = p.states(from: clean, loss: 20, env: row.env, count: 400)
        let j0 = run.indices.first { run[$0].phi >= p.theta0 }
        let j1 = run.indices.first { run[$0].phi >= p.theta1 }
        #expect(j0 == row.j0 && j1 == row.j1, "E \(row.env)")
        #expect(latency(run, to: .multi) == row.multi && latency(run, to: .mirror) == row.mirror)
        let formula = f.detectionLatencies(p, crossMulti: j0, crossMirror: j1, gap: nil)
        #expect(formula.multi == row.multi && formula.mirror == row.mirror, "\(f.name), E \(row.env)")
      }
    }
  }

  @Test(arguments: Variant.allCases)
  func latenciesAgreeWithIteration(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      var checked = 0
      while checked < 200 {
        let p = rng.parameters(variant)
        guard let lMax = f.maxLossForSingle(p, env: 0), lMax > 0.01 else { continue }
        let low = lMax.isFinite ? rng.uniform(0, lMax * 0.98) : rng.uniform(0, 5)
        var start = restState(p, loss: low, env: 0)
        let gapBack = Int(rng.next() % 80)
        if variant == .report && rng.next() % 2 == 0 { start.lastSwitch = -1 - gapBack }
        let (loss, env) = (rng.uniform(low, 200), variant == .report ? rng.uniform(0, 10) : 0)
        guard f.observation(p, loss: loss, env: env) >= f.observation(p, loss: low, env: 0) else { continue }
        checked += 1
        let horizon = 3000
        let run = p.states(from: start, loss: loss, env: env, count: horizon)
        let ctx = "seed \(seed), \(f.name), \(p), from \(start), L \(loss), E \(env)"
        // φ is non-decreasing (T12 Lemma 1); binary64 may wobble by an ulp at the fixed point.
        #expect(zip(run, run.dropFirst()).allSatisfy { $0.phi <= $1.phi + 1e-15 }, "\(ctx)")
        for theta in [p.theta0, p.theta1] {
          let j = run.indices.first { run[$0].phi >= theta }
          let (lower, upper) = f.crossingBounds(p, from: start, loss: loss, env: env, theta: theta)
          if let j {
            if let lower {
              #expect(lower <= j, "\(ctx), θ \(theta)")
            } else {
              Issue.record("j⁻ excludes a crossing: \(ctx)")
            }
            if let upper { #expect(j <= upper, "\(ctx), θ \(theta)") }
          } else if let upper, upper < horizon {
            Issue.record("j⁺ = \(upper) but no crossing: \(ctx), θ \(theta)")
          }
        }
        let j0 = run.indices.first { run[$0].phi >= p.theta0 }
        let j1 = run.indices.first { run[$0].phi >= p.theta1 }
        switch variant {
        case .report:
          let gap = start.lastSwitch.map { $0 + p.cooldown - 0 + 1 }
          let (multi, mirror) = f.detectionLatencies(p, crossMulti: j0, crossMirror: j1, gap: gap)
          guard let multi, multi < horizon else { continue }
          if run[multi - 1].phi < p.theta1 {
            #expect(latency(run, to: .multi) == multi, "\(ctx)")
            if let mirror, mirror < horizon { #expect(latency(run, to: .mirror) == mirror, "\(ctx)") }
            if mirror == nil { #expect(latency(run, to: .mirror) == nil, "\(ctx)") }
          } else {
            #expect(latency(run, to: .multi) == nil, "Multi skipped: \(ctx)")
          }
        case .repo:
          // M after k updates is c(φ_k): the latency is max(1, j).
          if let j0, start.mode == .single, run[max(1, j0)].phi < p.theta1 {
            #expect(latency(run, to: .multi) == max(1, j0), "\(ctx)")
          }
          if let j1 { #expect(latency(run, to: .mirror) == max(1, j1), "\(ctx)") }
        }
      }
    }
  }
}
