import Foundation
import Testing
import UnifiedLoRA

/// T01: the range invariant in exact reals, checked on the binary64 core.
@Suite("T01 range")
struct T01RangeTests {
  /// Ê ∈ [0, max(Ê0, sup X)] and φ ∈ [0, 1) on random traces with moderate inputs, both
  /// variants. (With inputs of order 1e300 binary64 can round φ up to exactly 1.0: that is T02,
  /// checked below with φ ≤ 1.)
  @Test(arguments: Variant.allCases)
  func rangeOnRandomTraces(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for trial in 0..<400 {
      let extreme = trial % 2 == 1
      let p = rng.parameters(variant)
      var s = rng.state()
      var bound = s.ehat
      for t in 0..<300 {
        let loss = extreme && rng.next() % 10 == 0 ? rng.uniform(0, 1e300) : rng.uniform(0, 50)
        let env = rng.next() % 2 == 0 ? 0 : rng.uniform(0, 10)
        let x = ClosedForms().observation(p, loss: loss, env: env)
        bound = max(bound, x)
        s = p.advance(s, Input(step: t, loss: loss, env: env))
        #expect(s.ehat >= 0 && s.ehat <= bound * (1 + 1e-15), "seed \(seed), \(p), t \(t)")
        if extreme {
          #expect(s.phi >= 0 && s.phi <= 1, "seed \(seed), \(p), t \(t)")
        } else {
          #expect(s.phi >= 0 && s.phi < 1, "seed \(seed), \(p), t \(t)")
        }
      }
    }
  }

  /// C1's open interval fails: φ1 = 0 from the default state, and L ≡ E ≡ 0 keeps φ = 0.
  @Test func openIntervalFails() throws {
    let r = try Parameters.report.simulate(losses: [20, 1e300, 0], env: [0, 5, 0])
    #expect(r[0].phi == 0)
    let zero = try Parameters.report.simulate(losses: Array(repeating: 0, count: 1000))
    #expect(zero.allSatisfy { $0.phi == 0 && $0.ehat == 0 })
  }

  /// Repo: φ0 > 0 and α < 1 keep φ in the open interval (the repo defaults satisfy C1).
  @Test func repoOpenIntervalHolds() throws {
    let r = try Parameters.repo.simulate(losses: Array(repeating: 0, count: 2000) + [1e300, 1e300])
    #expect(r.allSatisfy { $0.phi > 0 && $0.phi < 1 })
  }
}

/// T02: the binary64 counterpart.
@Suite("T02 binary64")
struct T02Binary64Tests {
  /// The squashing term the core computes, read off one step with α = 1 (φ' = g(Ê)).
  func squash(_ x: Double) throws -> Double {
    let p = try Parameters(alpha: 1, beta: 0.5)
    return p.advance(ControllerState(ehat: x, phi: 0, mode: .single), Input(step: 0, loss: 0)).phi
  }

  @Test func squashIsOneExactlyFromTheStatedThreshold() throws {
    let p53 = 0x1p53
    #expect(try squash(p53) == 1)
    #expect(try squash(p53.nextDown) < 1)
    #expect(try squash(p53 + 2) < 1)  // odd significand in [2^53, 2^54)
    #expect(try squash(p53 + 4) == 1)  // even significand
    #expect(try squash(0x1p54) == 1)
    #expect(try squash(0x1p54.nextUp) == 1)
    #expect(try squash(.greatestFiniteMagnitude) == 1)
    // Below 2^53 it is < 1, on a sample of every binade and the last 10⁴ doubles.
    var x = p53
    for _ in 0..<10_000 {
      x = x.nextDown
      #expect(try squash(x) < 1, "x = \(x)")
    }
    for e in -20...52 {
      let y = Double(sign: .plus, exponent: e, significand: 1.999999999999)
      #expect(try squash(y) < 1, "x = \(y)")
    }
    // On [2^53, 2^54): 1 exactly iff the significand is even.
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<10_000 {
      let m = rng.next() >> 12
      let y = Double(sign: .plus, exponentBitPattern: 1076, significandBitPattern: m)
      #expect((try squash(y) == 1) == (m % 2 == 0), "seed \(seed), x = \(y)")
    }
  }

  /// α = 0.1: the largest successor of any φ < 1 is 1 − 2⁻⁵³, even with the largest inputs.
  @Test func defaultAlphaNeverReachesOne() throws {
    let p = try Parameters(alphaE: 1)
    var s = ControllerState(ehat: .greatestFiniteMagnitude, phi: 1.0.nextDown, mode: .mirror)
    for t in 0..<5000 {
      s = p.advance(s, Input(step: t, loss: .greatestFiniteMagnitude, env: .greatestFiniteMagnitude))
      #expect(s.phi <= 1.0.nextDown, "t \(t)")
      #expect(s.ehat.isFinite, "t \(t)")
    }
    #expect(s.phi == 1.0.nextDown)
    let repo = Parameters.repo
    var r = ControllerState(ehat: 1, phi: 0, mode: .single)
    for t in 0..<5000 {
      r = repo.advance(r, Input(step: t, loss: .greatestFiniteMagnitude))
      #expect(r.phi < 1 && r.ehat.isFinite, "t \(t)")
    }
  }

  /// α = 0.5 with the squashing term 1 reaches φ = 1.0 after 54 updates from 0.
  @Test func alphaOneHalfReachesOne() throws {
    let p = try Parameters(alpha: 0.5, alphaE: 1)
    var s = ControllerState(ehat: 0x1p60, phi: 0, mode: .single)
    var reached: Int?
    for t in 0..<60 {
      s = p.advance(s, Input(step: t, loss: 0, env: 0x1p60))
      if s.phi == 1 && reached == nil { reached = t + 1 }
      #expect(s.phi <= 1)
    }
    #expect(reached == 54)
  }

  /// No overflow of Ê at the largest inputs for β ∈ [1/2, 1) (proved) and the defaults.
  @Test func ehatDoesNotOverflow() throws {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    let big = Double.greatestFiniteMagnitude
    for i in 0..<20_000 {
      let beta = i == 0 ? 0.9 : (i == 1 ? 0.5 : rng.uniform(0.5, 1))
      guard beta < 1 else { continue }
      let repo = try Parameters(variant: .repo, beta: beta)
      let r = repo.advance(ControllerState(ehat: big, phi: 0.5, mode: .multi), Input(step: 0, loss: big))
      #expect(r.ehat.isFinite && r.ehat <= big, "seed \(seed), β = \(beta)")
      let report = try Parameters(beta: beta, alphaE: rng.uniform(0, 1))
      let s = report.advance(
        ControllerState(ehat: big, phi: 0.5, mode: .multi), Input(step: 0, loss: big, env: big))
      #expect(s.ehat.isFinite, "seed \(seed), β = \(beta), α_E = \(report.alphaE)")
    }
  }

  /// The smallest subnormal loss underflows to a zero observation: φ stays 0 (T02 part 5).
  @Test func subnormalLossUnderflows() throws {
    let r = try Parameters.report.simulate(losses: Array(repeating: .leastNonzeroMagnitude, count: 10))
    #expect(r.allSatisfy { $0.ehat == 0 && $0.phi == 0 })
  }

  /// SPEC §3: fl(1 − 0.9) is not 0.1, fl(1 − 0.1) is 0.9.
  @Test func runTimeComplements() {
    let beta = 0.9
    let alpha = 0.1
    #expect(1 - beta != 0.1)
    #expect(
      (1 - beta).bitPattern == Double(sign: .plus, exponent: -4, significand: 0x1.9999999999998p0).bitPattern)
    #expect(1 - alpha == 0.9)
  }
}
