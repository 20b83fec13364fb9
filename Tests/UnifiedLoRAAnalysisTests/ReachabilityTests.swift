import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct ReachabilityTests {
  /// T06: random input sequences inside the box never take φ above sup or below inf, and the
  /// corner trajectories come within 1e-9 of both (so corners suffice and the bounds are tight).
  @Test(arguments: Variant.allCases)
  func cornersBoundEveryTrajectory(_ variant: Variant) throws {
    var d = Draw()
    for _ in 0..<100 {
      let p = d.parameters(variant, maxBeta: 0.95)
      let a = d.input()
      let b = d.input()
      let box = InputBox(
        loss: min(a.loss, b.loss)...max(a.loss, b.loss), env: min(a.env, b.env)...max(a.env, b.env))
      guard let r = seeded(d, "\(p) \(box)", { try p.reachability(box) }) else { continue }
      // The modes the records show (the initial mode only when a record shows it).
      var modes: Set<Mode> = []
      for _ in 0..<20 {
        var s = p.initial
        for t in 0..<400 {
          let input = Input(
            step: t, loss: d.uniform(box.lossLo, box.lossHi), env: d.uniform(box.envLo, box.envHi))
          s = p.advance(s, input)
          modes.insert(s.mode)
          #expect(
            s.phi <= r.phiSup + 1e-12 && s.phi >= r.phiInf - 1e-12,
            "seed \(d.seed) \(p) \(box): φ = \(s.phi) outside [\(r.phiInf), \(r.phiSup)]")
        }
      }
      let upper = iterate(p, p.initial, box.upperCorner, 5000).map(\.phi)
      let lower = iterate(p, p.initial, box.lowerCorner, 5000).map(\.phi)
      #expect(abs(upper.max()! - r.phiSup) <= 1e-9, "seed \(d.seed) \(p) \(box)")
      #expect(abs(lower.min()! - r.phiInf) <= 1e-9, "seed \(d.seed) \(p) \(box)")
      if r.modesExact { #expect(modes.isSubset(of: Set(r.modes)), "seed \(d.seed) \(p) \(box)") }
    }
  }

  /// T07: the facts about the defaults. With E ≡ 0, sup φ = 1/3 < θ1; with E ∈ [0, 1],
  /// sup φ = 1/2; Mirror needs E > 26/7 at L = 20 and E > 11/3 for any loss; no loss alone.
  @Test func mirrorAtTheDefaults() throws {
    let p = Parameters.report
    let zero = try p.reachability(InputBox(loss: 0...Double.infinity))
    #expect(abs(zero.phiSup - 1.0 / 3) < 1e-15 && zero.modes == [.single, .multi] && zero.modesExact)
    let one = try p.reachability(InputBox(loss: 0...Double.infinity, env: 0...1))
    #expect(abs(one.phiSup - 0.5) < 1e-15 && !one.modes.contains(.mirror))
    let th = try p.inputThresholds(givenLoss: 20, givenEnv: 0)
    #expect(abs(th.minEnvForMirror.number! - 26.0 / 7) < 1e-14)
    #expect(abs(th.minEnvForMirrorBrent!.number! - 26.0 / 7) < 1e-12)
    #expect(th.minLossForMirror == .none && th.minLossForMirrorBrent == InputBound.none)
    let inf = try p.inputThresholds(givenLoss: 1e300, givenEnv: 0)
    #expect(abs(inf.minEnvForMirror.number! - 11.0 / 3) < 1e-14)
    let single = try p.inputThresholds(givenLoss: 0.5, givenEnv: 0)
    #expect(abs(single.maxLossForSingle.number! - 6) < 1e-13)  // T08: L < 6
    #expect(abs(single.maxLossForSingleBrent!.number! - 6) < 1e-9)
  }

  /// T07, T08: closed-form thresholds agree with Brent on the GSL fixed point, and a sustained
  /// input just past each threshold behaves as stated when iterated.
  @Test(arguments: Variant.allCases)
  func thresholdsMatchBrentAndIteration(_ variant: Variant) throws {
    var d = Draw()
    for _ in 0..<150 {
      let p = d.parameters(variant)
      let u = d.input()
      let th: InputThresholds
      do { th = try p.inputThresholds(givenLoss: u.loss, givenEnv: u.env) } catch {
        Issue.record("seed \(d.seed) \(p) \(u): \(error)")
        continue
      }
      let pairs: [(InputBound, InputBound?, (Double) -> ConstantInput, Mode?)] = [
        (th.minEnvForMirror, th.minEnvForMirrorBrent, { ConstantInput(loss: u.loss, env: $0) }, .mirror),
        (th.minLossForMirror, th.minLossForMirrorBrent, { ConstantInput(loss: $0, env: u.env) }, .mirror),
        (th.maxEnvForSingle, th.maxEnvForSingleBrent, { ConstantInput(loss: u.loss, env: $0) }, .single),
        (th.maxLossForSingle, th.maxLossForSingleBrent, { ConstantInput(loss: $0, env: u.env) }, .single),
      ]
      for (closed, brent, input, mode) in pairs {
        guard let brent else { continue }
        switch (closed, brent) {
        case (.value(let a), .value(let b)):
          guard a < 1e9 else { continue }  // Brent brackets up to 1e12 only
          #expect(abs(a - b) <= 1e-7 * max(1, a), "seed \(d.seed) \(p) \(u): \(closed) vs \(brent)")
          let past = mode == .mirror ? a * (1 + 1e-6) + 1e-6 : a * (1 - 1e-6) - 1e-6
          if past >= 0 {
            #expect(
              (p.fixedPoint(input(past)).mode == .single) == (mode == .single),
              "seed \(d.seed) \(p) \(u) past \(past)")
          }
        case (.none, .none), (.unbounded, .unbounded): break
        case (.value(let a), _) where a > 1e9: break
        default: #expect(Bool(false), "seed \(d.seed) \(p) \(u): \(closed) vs \(brent)")
        }
      }
    }
  }

  /// The least shock length for Mirror equals a brute-force scan of shock lengths.
  @Test func minShockLengthMatchesScan() throws {
    var d = Draw()
    var checked = 0
    while checked < 40 {
      let p = d.parameters(.report, maxBeta: 0.9)
      let clean = ConstantInput(loss: d.uniform(0, 1))
      let shock = ConstantInput(loss: d.logUniform(1, 100, zero: 0), env: d.logUniform(1, 20, zero: 0))
      let start = p.restingState(clean)
      guard
        let found = seeded(
          d, "\(p) \(clean) \(shock)",
          {
            try p.minShockLengthForMirror(from: start, shock: shock, clean: clean)
          }), let n = found
      else { continue }
      checked += 1
      func reaches(_ length: Int) -> Bool {
        let a = iterate(p, start, shock, length)
        let b = iterate(p, a.last!, clean, 3000, firstStep: length)
        return (a + b).dropFirst().contains { $0.mode == .mirror }
      }
      #expect(reaches(n), "seed \(d.seed) \(p) \(clean) \(shock): \(n)")
      if n > 1 { #expect(!(1..<n).contains(where: reaches), "seed \(d.seed) \(p) \(clean) \(shock): \(n)") }
    }
  }
}
