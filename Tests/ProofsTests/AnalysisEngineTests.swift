import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis

// The analysis engine's quantities that no `TheoremFormulas` requirement carries (exact latencies,
// recovery, exact settling times), checked against brute-force iteration of the core and against
// the theorems' formulas (`ClosedForms`).

/// T14: `Parameters.latency(to:from:input:firstStep:)` against brute force, and against T14's exact
/// formula where it applies.
@Suite("T14 latency (analysis engine)")
struct AnalysisEngineLatencyTests {
  @Test(arguments: Variant.allCases)
  func latenciesAgreeWithIteration(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    let proofs = ClosedForms()
    for _ in 0..<150 {
      let p = rng.parameters(variant)
      var start = rng.state()
      let firstStep = Int(rng.next() % 100)
      if variant == .report && rng.next() % 2 == 0 { start.lastSwitch = firstStep - 1 - Int(rng.next() % 80) }
      let (loss, env) = rng.input()
      let u = ConstantInput(loss: loss, env: env)
      let horizon = 4000
      let run = p.states(from: start, loss: loss, env: env, count: horizon, startingAt: firstStep)
      let ctx = "seed \(seed), \(p), from \(start) at step \(firstStep), L \(loss), E \(env)"
      for m in Mode.allCases {
        let engine = try p.latency(to: m, from: start, input: u, firstStep: firstStep)
        switch engine {
        case .steps(let k):
          #expect(k <= horizon && latency(run, to: m) == k, "\(ctx), \(m): engine \(k)")
        case .never:
          #expect(
            latency(run, to: m) == nil, "\(ctx), \(m): engine never, brute force \(latency(run, to: m) ?? -1)"
          )
        }
      }
      // T14's exact report formula, from a state in Single with φ non-decreasing (a rising step).
      guard variant == .report, start.mode == .single, start.phi < p.theta0,
        zip(run, run.dropFirst()).allSatisfy({ $0.phi <= $1.phi })
      else { continue }
      let j0 = run.indices.first { run[$0].phi >= p.theta0 }
      let j1 = run.indices.first { run[$0].phi >= p.theta1 }
      let gap = start.lastSwitch.map { $0 + p.cooldown - firstStep + 1 }
      let (multi, mirror) = proofs.detectionLatencies(p, crossMulti: j0, crossMirror: j1, gap: gap)
      guard let multi, multi < horizon, run[multi - 1].phi < p.theta1 else { continue }
      #expect(try p.latency(to: .multi, from: start, input: u, firstStep: firstStep).value == multi, "\(ctx)")
      if let mirror, mirror < horizon {
        #expect(
          try p.latency(to: .mirror, from: start, input: u, firstStep: firstStep).value == mirror, "\(ctx)")
      }
    }
  }

  /// The defaults table of T14: clean → L = 20 with E = 0, 5, 10.
  @Test func defaultsTable() throws {
    let p = Parameters.report
    let clean = p.restingState(ConstantInput(loss: 0.5))
    let expected: [(env: Double, multi: Latency, mirror: Latency)] = [
      (0, .steps(35), .never), (5, .steps(8), .steps(38)), (10, .steps(7), .steps(37)),
    ]
    for row in expected {
      let u = ConstantInput(loss: 20, env: row.env)
      #expect(try p.latency(to: .multi, from: clean, input: u) == row.multi, "E \(row.env)")
      #expect(try p.latency(to: .mirror, from: clean, input: u) == row.mirror, "E \(row.env)")
    }
  }
}

/// T09: `Parameters.shockResponse` against brute force and within T09's bound.
@Suite("T09 recovery (analysis engine)")
struct AnalysisEngineRecoveryTests {
  @Test func defaults() throws {
    let p = Parameters.report
    let r = try p.shockResponse(clean: ConstantInput(loss: 0.5), shock: ConstantInput(loss: 20), length: 100)
    #expect(r.toSingle == .steps(8))
    #expect(r.switches.map(\.update) == [35, 108])
    #expect(!r.modesVisited.contains(.mirror))
    let bound = ClosedForms().recoveryBound(p, from: r.endOfShock, loss: 0.5, env: 0)
    #expect(bound == 40)
    #expect((r.settledInSingle.value ?? .max) <= 40)
    // At the defaults φ peaks before the mode certificate, so the C5 finding's peak is right.
    let during = p.states(from: r.start, loss: 20, env: 0, count: 100)
    let after = p.states(from: during.last!, loss: 0.5, env: 0, count: 300, startingAt: 100)
    let phis = (during + after.dropFirst()).map(\.phi)
    #expect(r.peakPhi == phis.max()! && r.peakUpdate == phis.firstIndex(of: phis.max()!)!)
  }

  /// Regression: `ShockResponse.peakPhi` once stopped at the update that certified the final
  /// mode, but φ can still rise after that (here the shock never leaves Single, θ0 ≈ 0.658, and φ
  /// keeps climbing after the shock while Ê decays). Brute force: the peak is
  /// φ = 0.4431286676602818; the engine used to report 0.3813887007722423.
  @Test func peakFollowsPhiPastTheModeCertificate() throws {
    let p = try Parameters(
      alpha: 0.2131115047385142, beta: 0.8041910678844536, alphaE: 0.5939448248592227,
      theta0: 0.6580443467835219, theta1: 0.8528067151565798, cooldown: 47)
    let clean = 2.553178421099789
    let shock = ConstantInput(loss: 23.590180096926126, env: 3.8352710478288907)
    let r = try p.shockResponse(clean: ConstantInput(loss: clean), shock: shock, length: 3)
    let during = p.states(from: r.start, loss: shock.loss, env: shock.env, count: 3)
    let after = p.states(from: during.last!, loss: clean, env: 0, count: 500, startingAt: 3)
    let all = during + after.dropFirst()
    let peak = all.map(\.phi).max()!
    let peakUpdate = all.firstIndex { $0.phi == peak }!
    #expect(r.switches.isEmpty && r.finalMode == .single)
    #expect(abs(peak - 0.4431286676602818) < 1e-15)
    #expect(
      r.peakPhi == peak && r.peakUpdate == peakUpdate,
      "engine: φ \(r.peakPhi) after update \(r.peakUpdate); brute force: φ \(peak) after update \(peakUpdate)"
    )
  }

  @Test(arguments: Variant.allCases)
  func recoveryAgreesWithIteration(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    let proofs = ClosedForms()
    var checked = 0
    while checked < 120 {
      let p = rng.parameters(variant)
      guard let lMax = proofs.maxLossForSingle(p, env: 0), lMax > 0.01 else { continue }
      checked += 1
      let clean = lMax.isFinite ? rng.uniform(0, lMax * 0.98) : rng.uniform(0, 5)
      let shock = ConstantInput(loss: rng.uniform(0, 100), env: rng.uniform(0, 10))
      let n = Int(rng.next() % 150) + 1
      let r = try p.shockResponse(clean: ConstantInput(loss: clean), shock: shock, length: n)
      let ctx = "seed \(seed), \(p), clean \(clean), shock \(shock) for \(n)"
      let start = restState(p, loss: clean, env: 0)
      #expect(r.start == start, "\(ctx)")
      let during = p.states(from: start, loss: shock.loss, env: shock.env, count: n)
      #expect(r.endOfShock == during.last!, "\(ctx)")
      let bound = proofs.recoveryBound(p, from: during.last!, loss: clean, env: 0)!
      let after = p.states(from: during.last!, loss: clean, env: 0, count: bound + 300, startingAt: n)
      let all = during + after.dropFirst()
      #expect(
        r.switches.map(\.update) == all.indices.dropFirst().filter { all[$0].mode != all[$0 - 1].mode },
        "\(ctx)")
      #expect(r.peakPhi == all.map(\.phi).max()!, "\(ctx)")
      #expect(r.toSingle.value == latency(after, to: .single), "\(ctx)")
      #expect((r.toSingle.value ?? .max) <= bound, "\(ctx): T09 bound \(bound)")
      #expect(r.finalMode == .single, "\(ctx)")
      if let settled = r.settledInSingle.value {
        #expect(settled >= r.toSingle.value ?? .max, "\(ctx)")
        #expect(after[min(settled, after.count - 1)...].allSatisfy { $0.mode == .single }, "\(ctx)")
      } else {
        Issue.record("never settled in Single: \(ctx)")
      }
    }
  }
}

/// T05: `Parameters.settlingTime` against brute force in all three conventions.
@Suite("T05 settling (analysis engine)")
struct AnalysisEngineSettlingTests {
  @Test func defaults() throws {
    let p = Parameters.report
    let clean = p.restingState(ConstantInput(loss: 0.5))
    let shock = p.restingState(ConstantInput(loss: 20))
    let cases: [(ControllerState, Double, SettlingConvention, Int)] = [
      (clean, 20, .relativeToStep, 55), (clean, 20, .relativeToFinal, 48),
      (shock, 0.5, .relativeToStep, 58), (shock, 0.5, .relativeToFinal, 61),
    ]
    for (s, loss, convention, expected) in cases {
      let t = try p.settlingTime(from: s, input: ConstantInput(loss: loss), convention: convention)
      #expect(t.steps == expected, "L \(loss), \(convention)")
      #expect(t.spectralRadiusEstimate.map { $0 < expected } == true, "the spectral estimate is too low")
    }
  }

  @Test(arguments: Variant.allCases)
  func settlingAgreesWithIteration(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    var checked = 0
    while checked < 150 {
      let p = rng.parameters(variant)
      let s0 = rng.state()
      let (loss, env) = rng.input()
      let u = ConstantInput(loss: loss, env: env)
      let phiStar = ClosedForms().fixedPoint(p, loss: loss, env: env).phi
      guard abs(s0.phi - phiStar) > 1e-3, phiStar > 1e-3 else { continue }
      checked += 1
      for convention in SettlingConvention.allCases {
        let t = try p.settlingTime(from: s0, input: u, convention: convention, epsilon: 0.02)
        let ctx = "seed \(seed), \(p), from \(s0), L \(loss), E \(env), \(convention)"
        guard let steps = t.steps, let cert = t.certifiedFrom else {
          Issue.record("no settling time: \(ctx): \(t.note ?? "")")
          continue
        }
        let run = p.states(from: s0, loss: loss, env: env, count: cert + 1000)
        let last = run.indices.last { abs(run[$0].phi - phiStar) > t.band }
        #expect(
          steps == last.map { $0 + 1 } ?? 0,
          "\(ctx): engine \(steps), brute force \(last.map { $0 + 1 } ?? 0)")
        #expect(steps <= cert, "\(ctx)")
        if let bound = t.upperBound { #expect(steps <= bound, "\(ctx): analytic bound \(bound)") }
      }
    }
  }
}

/// T04: GSL's eigenvalues of the engine's Jacobian are β and 1 − α.
@Suite("T04 spectrum (analysis engine)")
struct AnalysisEngineSpectrumTests {
  @Test(arguments: Variant.allCases)
  func eigenvaluesAreTheDiagonal(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<300 {
      let p = rng.parameters(variant)
      let (loss, env) = rng.input()
      let s = p.spectralAnalysis(ConstantInput(loss: loss, env: env))
      let gsl = (s.eigenvaluesGSL ?? []).map(\.re).sorted(by: >)
      let exact = [p.beta, 1 - p.alpha].sorted(by: >)
      #expect((s.eigenvaluesGSL ?? []).allSatisfy { $0.im == 0 }, "seed \(seed), \(p)")
      #expect(gsl == exact, "seed \(seed), \(p): GSL \(gsl), exact \(exact)")
      // Central differences with h = 1e-6·max(1, |x|): truncation O(h²), rounding O(2⁻⁵³·|f|/h).
      #expect(s.jacobianFiniteDifference.distance(to: s.jacobian) < 1e-8, "seed \(seed), \(p)")
    }
  }
}

/// T08: Brent's threshold of the engine against the closed form where the threshold is beyond the
/// engine's bracket (it doubles up to 1e12).
@Suite("T08 Single threshold (analysis engine)")
struct AnalysisEngineThresholdTests {
  /// The engine's closed-form thresholds (`InputThresholds` without the Brent fields) are the
  /// proofs' (T07, T08), evaluated with the same operations: equal to the last bit.
  @Test(arguments: Variant.allCases)
  func closedFormsAreTheProofs(variant: Variant) throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    let proofs = ClosedForms()
    func number(_ b: InputBound) -> Double? {
      switch b {
      case .value(let v): v
      case .unbounded: .infinity
      case .none: nil
      }
    }
    for _ in 0..<2000 {
      let p = rng.parameters(variant)
      let (loss, env) = (rng.uniform(0, 30), rng.uniform(0, 2))
      let ctx = "seed \(seed), \(p), L \(loss), E \(env)"
      let t = try p.inputThresholds(givenLoss: loss, givenEnv: env, crossCheck: false)
      #expect(number(t.maxLossForSingle) == proofs.maxLossForSingle(p, env: env), "\(ctx)")
      #expect(number(t.minLossForMirror) == proofs.minLossForMirror(p, env: env), "\(ctx)")
      if variant == .report && p.alphaE > 0 {
        #expect(number(t.minEnvForMirror) == proofs.minEnvForMirror(p, loss: loss), "\(ctx)")
      }
    }
  }

  /// With `θ0 = r0/(1 + r0)`, `r0 = 1/2 − 5e-14` (other parameters the report's defaults, E = 0),
  /// T08 gives `L_max = d/(1 − d)`, `d = 2·r0`: about 9.9969e12. Brute force from the default state
  /// agrees: L = 5e12 settles in Single, L = 2e13 in Multi. The engine's closed form says so too,
  /// and (regression) so does its Brent cross-check `maxLossForSingleBrent`, whose bracket once
  /// stopped doubling at 1e12 and reported "unbounded".
  @Test func brentBracketReachesLargeThresholds() throws {
    let r0 = 0.5 - 5e-14
    let p = try Parameters(theta0: r0 / (1 + r0))
    let lMax = try #require(ClosedForms().maxLossForSingle(p, env: 0))
    #expect(abs(lMax - 9.996891514694885e12) < 1e-3)
    for (loss, mode) in [(5e12, Mode.single), (2e13, .multi)] {
      let run = p.states(from: p.initial, loss: loss, env: 0, count: 3000)
      #expect(run.last!.mode == mode, "L \(loss)")
    }
    let t = try p.inputThresholds(givenLoss: 0, givenEnv: 0)
    #expect(t.maxLossForSingle == .value(lMax))
    let brent = try #require(t.maxLossForSingleBrent)
    // Brent solves φ*(L) = θ0 on binary64 values of φ*. Near L ≈ 1e13 the slope
    // dφ*/dL = (1 − α_E)·(1 + L)⁻²·(1 + X)⁻² is about 3e-27, so φ* cannot tell apart losses closer
    // than ulp(θ0)/slope ≈ 2e10 (0.2 %): the cross-check can only agree to that conditioning.
    let x = p.theta0 / (1 - p.theta0)
    let slope = (1 - p.alphaE) / ((1 + lMax) * (1 + lMax)) / ((1 + x) * (1 + x))
    let resolution = 4 * p.theta0.ulp / slope
    #expect(
      brent.number.map { abs($0 - lMax) <= resolution } == true,
      "Brent: \(String(describing: brent.number)), T08: \(lMax), resolution \(resolution)")
  }
}
