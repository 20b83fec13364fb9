import Testing

@testable import UnifiedLoRA

/// An exact rational number on `Int128`, enough for a few steps of the equations with dyadic
/// parameters. Overflow traps, so a test that outgrows it fails loudly rather than silently.
struct Rational: Comparable, CustomStringConvertible {
  var num: Int128
  var den: Int128

  init(_ n: Int128, _ d: Int128 = 1) {
    precondition(d != 0)
    let g = Rational.gcd(n < 0 ? -n : n, d < 0 ? -d : d)
    let s: Int128 = d < 0 ? -1 : 1
    num = s * n / g
    den = s * d / g
  }

  static func gcd(_ a: Int128, _ b: Int128) -> Int128 { b == 0 ? max(a, 1) : gcd(b, a % b) }
  static func + (a: Rational, b: Rational) -> Rational {
    Rational(a.num * b.den + b.num * a.den, a.den * b.den)
  }
  static func - (a: Rational, b: Rational) -> Rational {
    Rational(a.num * b.den - b.num * a.den, a.den * b.den)
  }
  static func * (a: Rational, b: Rational) -> Rational { Rational(a.num * b.num, a.den * b.den) }
  static func / (a: Rational, b: Rational) -> Rational { Rational(a.num * b.den, a.den * b.num) }
  static func < (a: Rational, b: Rational) -> Bool { a.num * b.den < b.num * a.den }
  static func == (a: Rational, b: Rational) -> Bool { a.num == b.num && a.den == b.den }
  var magnitude: Rational { num < 0 ? Rational(-num, den) : self }
  var description: String { "\(num)/\(den)" }
}

/// Expected values derived in exact rational arithmetic, independently of the code under test,
/// for the first steps of small traces with dyadic parameters (so that the parameters themselves
/// are exact). The binary64 result must lie within a few ulps of the exact value.
@Suite struct ExactArithmeticTests {
  static let one = Rational(1)

  /// `|x − exact| ≤ k·ulp(exact)`. The exact value is rounded to a double by one division of
  /// its (rounded) numerator and denominator, which costs at most 1.5 ulp of the tolerance.
  func close(_ x: Double, _ exact: Rational, ulps k: Double = 8) -> Bool {
    if exact.num == 0 { return x == 0 }
    let approx = Double(exact.num) / Double(exact.den)
    return abs(x - approx) <= k * approx.ulp
  }

  @Test func reportVariantFirstStepsExactly() throws {
    // α = 1/8, β = 3/4, α_E = 1/2, no cooldown; losses 1, 3, 1/2, 7; env 0, 1/4, 0, 2.
    let p = try Parameters(alpha: 0.125, beta: 0.75, alphaE: 0.5, cooldown: 0)
    let losses: [(Int128, Int128)] = [(1, 1), (3, 1), (1, 2), (7, 1)]
    let envs: [(Int128, Int128)] = [(0, 1), (1, 4), (0, 1), (2, 1)]
    let records = try p.simulate(
      losses: losses.map { Double($0.0) / Double($0.1) }, env: envs.map { Double($0.0) / Double($0.1) })
    let a = Rational(1, 8)
    let b = Rational(3, 4)
    let ae = Rational(1, 2)
    let one = Self.one
    var ehat = Rational(0)
    var phi = Rational(0)
    for k in losses.indices {
      let l = Rational(losses[k].0, losses[k].1)
      let e = Rational(envs[k].0, envs[k].1)
      let d = l / (one + l)
      let x = ae * e + (one - ae) * d
      let newPhi = (one - a) * phi + a * (ehat / (one + ehat))  // the OLD Ê
      ehat = b * ehat + (one - b) * x
      phi = newPhi
      #expect(close(records[k].ehat, ehat), "step \(k): ehat \(records[k].ehat) vs exact \(ehat)")
      #expect(close(records[k].phi, phi), "step \(k): phi \(records[k].phi) vs exact \(phi)")
    }
    // By hand, step 0: D = 1/2, X = 1/4, Ê_1 = 1/16, φ_1 = 0 — all exact in binary64.
    #expect(records[0].ehat == 0.0625)
    #expect(records[0].phi == 0)
  }

  @Test func repoVariantFirstStepsExactly() throws {
    // α = 1/4, β = 1/2; initial Ê = 1, φ = 1/2; losses 3, 0, 5/4, 9.
    let p = try Parameters(variant: .repo, alpha: 0.25, beta: 0.5)
    let losses: [(Int128, Int128)] = [(3, 1), (0, 1), (5, 4), (9, 1)]
    let records = try p.simulate(losses: losses.map { Double($0.0) / Double($0.1) })
    let a = Rational(1, 4)
    let b = Rational(1, 2)
    let one = Self.one
    var ehat = Rational(1)
    var phi = Rational(1, 2)
    for k in losses.indices {
      let l = Rational(losses[k].0, losses[k].1)
      ehat = b * ehat + (one - b) * l  // smoothed first
      phi = (one - a) * phi + a * (ehat / (one + ehat))  // the NEW Ê
      #expect(close(records[k].ehat, ehat), "step \(k): ehat \(records[k].ehat) vs exact \(ehat)")
      #expect(close(records[k].phi, phi), "step \(k): phi \(records[k].phi) vs exact \(phi)")
    }
    // By hand, step 0: Ê = 1/2·1 + 1/2·3 = 2, D = 2/3, φ = 3/4·1/2 + 1/4·2/3 = 3/8 + 1/6 = 13/24.
    #expect(records[0].ehat == 2)
    #expect(close(records[0].phi, Rational(13, 24), ulps: 1))
    #expect(records[0].mode == .multi)
  }
}
