import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

/// One test per wrong answer that a review found (issue "every printed answer right for every
/// configuration"), each built from the quoted case; the differential test
/// (`DifferentialTests`) covers the class on random configurations.
@Suite struct AnswerRegressionTests {
  /// Brute force, independent of the engine: the states after each update from `s`.
  static func run(_ p: Parameters, _ s: ControllerState, _ inputs: [(Double, Double)], from t0: Int = 0)
    -> [ControllerState]
  {
    var out: [ControllerState] = []
    var x = s
    for (k, (l, e)) in inputs.enumerated() {
      x = p.advance(x, Input(step: t0 + k, loss: l, env: e))
      out.append(x)
    }
    return out
  }

  /// Item 1: a shock that never leaves Single is in Single for good from recovery update 1.
  @Test func settledInSingleWhenTheShockNeverLeavesSingle() throws {
    let p = try Parameters(variant: .repo, alpha: 0.02, beta: 0.91, theta0: 0.62, theta1: 0.79)
    let r = try p.shockResponse(clean: ConstantInput(loss: 0.5), shock: ConstantInput(loss: 20), length: 3)
    let states = Self.run(
      p, r.start, Array(repeating: (20, 0), count: 3) + Array(repeating: (0.5, 0), count: 500))
    #expect(states.allSatisfy { $0.mode == .single })
    #expect(r.settledInSingle == .steps(1))
    #expect(r.toSingle == .steps(1))
  }

  /// Item 2: GSL failures are notes; the closed forms are printed.
  @Test(arguments: [
    ("repo", 0.1, 0.9, 0.5, 0.5, 0.0, 1e8, 0.0),
    ("report", 0.1, 0.9, 0.5, 1e8, 0.0, 20, 0.0),
    ("report", 0.1, 0.9, 0.5, 0.5, 0.0, 2e6, 0.0),
    ("report", 0.1, 0.0, 0.5, 0.5, 0.0, 1e6, 0.0),
    ("report", 0.1, 0.9, 1.0, 0.5, 1e16, 20, 0.0),
  ])
  func gslFailureIsANote(
    _ v: String, _ alpha: Double, _ beta: Double, _ alphaE: Double, _ loss: Double, _ env: Double,
    _ shockLoss: Double, _ shockEnv: Double
  ) throws {
    let variant = Variant(rawValue: v)!
    let p = try Parameters(
      variant: variant, alpha: alpha, beta: beta, alphaE: variant == .repo ? nil : alphaE)
    let r = try p.analysis(
      AnalysisRequest(
        clean: ConstantInput(loss: loss, env: env), shock: ConstantInput(loss: shockLoss, env: shockEnv)))
    for g in r.regimes.values {
      #expect(g.fixedPoint == p.fixedPoint(g.input))
      #expect((g.fixedPointGSL == nil) == g.notes.contains { $0.contains("fixed point not available") })
    }
    #expect(
      r.regimes.values.allSatisfy { $0.fixedPointGSL != nil }
        || r.notes.contains { $0.hasPrefix("GSL cross-check") })
  }

  /// Item 2: an initial Ê of 1e300 makes GSL's solver fail; the report is still printed.
  @Test func hugeInitialStateStillAnswers() throws {
    let p = try Parameters(initial: ControllerState(ehat: 1e300, phi: 0, mode: .single))
    let r = try p.analysis(AnalysisRequest())
    #expect(r.fixedPoint.phi == 1.0 / 7 || abs(r.fixedPoint.phi - 1.0 / 7) < 1e-16)
    #expect(r.notes.contains { $0.hasPrefix("GSL cross-check") })
  }

  /// Item 3: with M_0 = Mirror and φ_0 = 0 the first update leaves Mirror: not reached.
  @Test func initialMirrorIsNotReached() throws {
    let p = try Parameters(initial: ControllerState(ehat: 0, phi: 0, mode: .mirror))
    let reach = try p.reachability(InputBox(loss: 0...Double.infinity))
    #expect(!reach.modes.contains(.mirror) && reach.modesExact)
    let c = try p.claims(ClaimsRequest())
    #expect(c.answers[0].answer.hasPrefix("no"), "\(c.answers[0].answer)")
    #expect(c.claims[3].verdict == .refuted)
  }

  /// Item 4: C1 from the published controller's start holds, in binary64 too; the other state is
  /// reported separately.
  @Test func c1IsJudgedFromTheConfiguredState() throws {
    let c = try Parameters.repo.claims(ClaimsRequest())
    let c1 = c.claims[0]
    #expect(c1.verdict == .holds)
    #expect(c1.initialState == Parameters.repo.initial)
    for w in c1.witnesses { #expect(w.shows.contains("another initial state")) }
    // The binary64 run of the least input from (1, 0.5) stays positive (20,000 zero losses).
    var s = Parameters.repo.initial
    for t in 0..<20_000 {
      s = Parameters.repo.advance(s, Input(step: t, loss: 0))
      #expect(s.phi > 0)
      if s.phi == 0 { break }
    }
    let p = try Parameters(variant: .repo, initial: ControllerState(ehat: 1, phi: 0.5, mode: .multi))
    #expect(try p.claims(ClaimsRequest()).claims[0].verdict == .holds)
    // From the report's default state φ = 0 in the first record: refuted with a witness.
    let r = try Parameters.report.claims(ClaimsRequest()).claims[0]
    #expect(r.verdict == .refuted && !r.witnesses.isEmpty)
  }

  /// Item 5: the repo state is (Ê, φ), with no cooldown.
  @Test func repoC6Text() throws {
    let c6 = try Parameters.repo.claims(ClaimsRequest()).claims[5]
    let text = (c6.conditions + c6.findings).joined(separator: " ")
    #expect(!text.contains("N_s") && !text.contains("(Ê, φ, M, s)"))
    #expect(text.contains("(Ê, φ)"))
  }

  /// Item 6: a refutation always has a witness; with one reachable mode, C2 holds vacuously.
  @Test func refutationCarriesAWitness() throws {
    let p = try Parameters(variant: .repo, theta0: 0.9, theta1: 0.95)
    let c = try p.claims(ClaimsRequest(box: InputBox(loss: 0...1)))
    for claim in c.claims where claim.verdict == .refuted {
      #expect(!claim.witnesses.isEmpty, "\(claim.id)")
    }
    #expect(c.claims[1].verdict == .holds)
  }

  /// Item 8: the stated count is the number of changes of the mode column.
  @Test func witnessCountsAreWhatTheCommandShows() throws {
    let c = try Parameters.report.claims(ClaimsRequest())
    for claim in c.claims {
      for w in claim.witnesses {
        guard let n = Int(w.shows.split(separator: " ").first ?? ""), w.shows.contains("mode changes") else {
          continue
        }
        let recs = Parameters.report.replay(w)
        #expect(recs.modeSwitchCount() == n, "\(claim.id): \(w.shows)")
      }
    }
  }

  /// Item 9: α_E = 1: a loss spike alone gives X = 0, not X < 0.
  @Test func noFalseStrictInequality() throws {
    let p = try Parameters(alphaE: 1, theta0: 0.4, theta1: 0.45)
    let c = try p.claims(ClaimsRequest(box: InputBox(loss: 0...Double.infinity, env: 0...1)))
    let text = c.claims[3].conditions.joined(separator: " ")
    #expect(!text.contains("X < 1 − α_E = 0.0"))
    #expect(text.contains("gives X = 0"))
  }

  /// Item 10: thresholds exactly (6, 26/7, 11/3) and in binary64 (the least double reaching the
  /// mode, checked here by running the step on it and on its neighbour).
  @Test func thresholdsExactAndBinary64() throws {
    let p = Parameters.report
    let th = try p.inputThresholds(givenLoss: 20, givenEnv: 0)
    #expect(th.minEnvForMirrorValue?.exact == "26/7")
    let low = try p.inputThresholds(givenLoss: 0.5, givenEnv: 0)
    #expect(low.maxLossForSingleValue?.exact == "6")
    let v = p.thresholdValue(
      .minEnvForMirror, given: .infinity, bound: p.lowerEnv(limit: p.mirrorLimit, d: 1))
    #expect(v?.exact == "11/3")
    // The binary64 value: reaches Mirror from rest; its lower neighbour does not. E =
    // 3.714285714285715 (> 26/7) does not: φ stalls below θ1 (the review's case).
    let e = try #require(th.minEnvForMirrorValue?.binary64)
    func limit(_ env: Double) -> Double {
      var s = ControllerState(ehat: 0, phi: 0, mode: .single)
      for t in 0..<100_000 { s = p.advance(s, Input(step: t, loss: 20, env: env)) }
      return s.phi
    }
    #expect(limit(e) >= 0.7 && limit(e.nextDown) < 0.7)
    #expect(limit(3.714285714285715) < 0.7)
    let l = try #require(low.maxLossForSingleValue?.binary64)
    func limitL(_ loss: Double) -> Double {
      var s = ControllerState(ehat: 0, phi: 0, mode: .single)
      for t in 0..<100_000 { s = p.advance(s, Input(step: t, loss: loss, env: 0)) }
      return s.phi
    }
    #expect(limitL(l) < 0.3 && limitL(l.nextUp) >= 0.3)
  }

  /// Item 11: the peak of φ includes a late one-ulp rise above the start.
  @Test func peakIncludesALateRise() throws {
    let p = try Parameters(variant: .repo, alpha: 0.17431868989517302, beta: 0.5, theta0: 0.97, theta1: 0.99)
    let r = try p.shockResponse(
      clean: ConstantInput(loss: 1.989944981313985), shock: ConstantInput(loss: 0.3394833661556806),
      length: 91)
    var best = r.start.phi
    var s = r.start
    for t in 0..<5000 {
      s = p.advance(s, Input(step: t, loss: t < 91 ? 0.3394833661556806 : 1.989944981313985))
      best = max(best, s.phi)
    }
    #expect(r.peakPhi == best, "peak \(r.peakPhi) vs brute force \(best)")
    #expect(r.peakPhi >= 0.6655456852050395)
  }

  /// Item 13: C4 is about the spike's fixed point: φ_0 = 0.8 alone does not make it hold.
  @Test func c4IsAboutTheFixedPoint() throws {
    let p = try Parameters(initial: ControllerState(ehat: 0, phi: 0.8, mode: .single))
    let c4 = try p.claims(ClaimsRequest()).claims[3]
    #expect(c4.verdict == .refuted)
    #expect(c4.findings.contains { $0.contains("only because φ starts high") })
  }

  /// Item 13: repo C5: the published controller returns to its pre-shock mode Multi at update 131.
  @Test func repoC5RecoveryIsThePreShockMode() throws {
    let c5 = try Parameters.repo.claims(ClaimsRequest()).claims[4]
    #expect(c5.verdict == .holdsUnderConditions)
    #expect(c5.findings.contains { $0.contains("pre-shock mode Multi at recovery update 31") })
  }

  /// Issue 13: settling time at ρ = 0 (α = 1, β = 0) from (5, 0.142857): U(0) is tiny but
  /// φ_1 = g(5) is far away, so the settling time relative to the final value is 2, not 0.
  @Test func settlingAtRhoZero() throws {
    let p = try Parameters(alpha: 1, beta: 0)
    let s = ControllerState(ehat: 5, phi: 0.142857, mode: .single)
    let t = try p.settlingTime(from: s, input: ConstantInput(loss: 0.5), convention: .relativeToFinal)
    #expect(t.steps == 2)
  }

  /// Issue 13: at ρ = 0 with N_s = 0 from (9, 1/7, Multi) the modes run Multi, Single, Mirror,
  /// Single: the recovery latency is 1 but Single is kept only from update 3.
  @Test func recoveryAtRhoZero() throws {
    let p = try Parameters(alpha: 1, beta: 0, cooldown: 0)
    let s = ControllerState(ehat: 9, phi: 1.0 / 7, mode: .multi)
    let modes = Self.run(p, s, Array(repeating: (0.5, 0), count: 5)).map(\.mode)
    #expect(Array(modes.prefix(3)) == [.single, .mirror, .single])
    #expect(try p.latency(to: .single, from: s, input: ConstantInput(loss: 0.5)) == .steps(1))
    #expect(try p.latency(to: .mirror, from: s, input: ConstantInput(loss: 0.5)) == .steps(2))
  }

  /// Issue 13: an initial cooldown lock (s_0 = −1) holds Single while φ_0 = 0.8 decays: sup φ > θ1
  /// but Mirror is never reached under L = 20, E = 0.
  @Test func mirrorUnderAnInitialCooldownLock() throws {
    let p = try Parameters(initial: ControllerState(ehat: 0, phi: 0.8, mode: .single, lastSwitch: -1))
    let reach = try p.reachability(InputBox(loss: 20...20))
    #expect(reach.phiSup >= 0.8)
    #expect(!reach.modes.contains(.mirror) && !reach.modesPossible.contains(.mirror))
    let states = Self.run(p, p.initial, Array(repeating: (20, 0), count: 2000))
    #expect(!states.contains { $0.mode == .mirror })
  }

  /// The one home of switch counting: changes between consecutive records, plus the switch into
  /// the first record only when the initial mode is given.
  @Test func switchCounting() {
    let modes: [Mode] = [.mirror, .mirror, .single, .multi, .multi]
    #expect(ModeSwitches.count(of: modes) == 2)
    #expect(ModeSwitches.count(of: modes, from: .mirror) == 2)
    #expect(ModeSwitches.count(of: modes, from: .single) == 3)
    #expect(ModeSwitches.indices(of: modes, from: .single) == [0, 2, 3])
    #expect(ModeSwitches.count(of: [Mode](), from: .single) == 0)
  }

  /// Item 7: sweep grids are the decimals typed, and count axes reject non-integers.
  @Test func sweepGrid() throws {
    let a = try SweepAxis(name: "alpha", spec: "0.1:0.5:5")
    #expect(Array(a.values) == [0.1, 0.2, 0.3, 0.4, 0.5])
    #expect(Array(try SweepAxis(name: "beta", spec: "0.3:0.4:3").values) == [0.3, 0.35, 0.4])
    #expect(throws: SweepError.self) { try SweepAxis(name: "shock-length", spec: "52.5") }
    #expect(throws: SweepError.self) { try SweepAxis(name: "cooldown", spec: "0:100:4") }
    #expect(Array(try SweepAxis(name: "cooldown", spec: "0:90:4").values) == [0, 30, 60, 90])
  }
}
