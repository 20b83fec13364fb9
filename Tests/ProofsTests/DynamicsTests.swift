import Foundation
import Testing
import UnifiedLoRA

/// A random constant input: loss in [0, 30], env 0 or in [0, 8].
extension SeededGenerator {
  mutating func input() -> (loss: Double, env: Double) {
    (uniform(0, 30), next() % 2 == 0 ? 0 : uniform(0, 8))
  }
}

/// T03: fixed point, closed form, error bound.
@Suite("T03 fixed point")
struct T03FixedPointTests {
  @Test func defaultRegimes() throws {
    for f in allFormulas {
      let clean = f.fixedPoint(.report, loss: 0.5, env: 0)
      #expect(abs(clean.ehat - 1.0 / 6) < 1e-15 && abs(clean.phi - 1.0 / 7) < 1e-15, "\(f.name)")
      let shock = f.fixedPoint(.report, loss: 20, env: 0)
      #expect(abs(shock.ehat - 10.0 / 21) < 1e-15 && abs(shock.phi - 10.0 / 31) < 1e-15, "\(f.name)")
      let repo = f.fixedPoint(.repo, loss: 20, env: 0)
      #expect(abs(repo.phi - 20.0 / 21) < 1e-15, "\(f.name)")
      #expect(f.spectralRadius(.report) == 0.9)
    }
  }

  /// Brute force converges to the closed form, inside the error bound at every step.
  @Test(arguments: Variant.allCases)
  func closedFormAgreesWithIteration(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      for _ in 0..<200 {
        let p = rng.parameters(variant)
        let s0 = rng.state()
        let (loss, env) = rng.input()
        let (eStar, phiStar) = f.fixedPoint(p, loss: loss, env: env)
        let rho = f.spectralRadius(p)
        let n = rho == 0 ? 10 : Int(log(1e-17) / log(rho)) * 3 + 50
        let run = p.states(from: s0, loss: loss, env: env, count: n)
        let ctx = "seed \(seed), \(f.name), \(p), from \(s0), L \(loss), E \(env)"
        // |φ_t − φ*| ≤ (1−α)^t |φ0 − φ*| + α S_t |Ê0 − Ê*| (report; repo with β S_t).
        let e = f.envelope(p, from: s0, loss: loss, env: env)
        for (t, s) in run.enumerated() {
          let bound =
            pow(1 - p.alpha, Double(t)) * abs(s0.phi - phiStar) + p.alpha * e.sFactor * e.sum(t)
            * abs(s0.ehat - eStar)
          #expect(abs(s.phi - phiStar) <= bound + 1e-12, "\(ctx), t \(t)")
          #expect(
            abs(s.ehat - eStar - pow(p.beta, Double(t)) * (s0.ehat - eStar)) <= 1e-12 * max(1, eStar),
            "\(ctx), t \(t)")
        }
        #expect(abs(run.last!.ehat - eStar) <= 1e-12 * max(1, eStar), "\(ctx)")
        #expect(abs(run.last!.phi - phiStar) <= 1e-12, "\(ctx)")
      }
    }
  }
}

/// T04: Jacobian by finite differences of the core; the defective case.
@Suite("T04 Jacobian")
struct T04JacobianTests {
  @Test(arguments: Variant.allCases)
  func jacobianMatchesFiniteDifferences(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      for _ in 0..<300 {
        let p = rng.parameters(variant)
        let s = ControllerState(ehat: rng.uniform(0.01, 5), phi: rng.uniform(0.01, 0.99), mode: .single)
        let (loss, env) = rng.input()
        let input = Input(step: 0, loss: loss, env: env)
        let h = 1e-6
        func next(_ de: Double, _ dp: Double) -> ControllerState {
          p.advance(ControllerState(ehat: s.ehat + de, phi: s.phi + dp, mode: s.mode), input)
        }
        let (ep, em) = (next(h, 0), next(-h, 0))
        let (pp, pm) = (next(0, h), next(0, -h))
        let numeric = [
          [(ep.ehat - em.ehat) / (2 * h), (pp.ehat - pm.ehat) / (2 * h)],
          [(ep.phi - em.phi) / (2 * h), (pp.phi - pm.phi) / (2 * h)],
        ]
        let exact = f.jacobian(p, ehat: s.ehat, loss: loss, env: env)
        for i in 0..<2 {
          for j in 0..<2 {
            #expect(
              abs(numeric[i][j] - exact[i][j]) <= 1e-7, "seed \(seed), \(f.name), \(p), \(s), [\(i)][\(j)]")
          }
        }
        // Lower-triangular: the eigenvalues are the diagonal, β and 1 − α.
        #expect(exact[0][1] == 0 && exact[0][0] == p.beta && exact[1][1] == 1 - p.alpha)
        #expect(exact[1][0] > 0)
      }
    }
  }

  /// Defaults: β = 1 − α, so the spectral estimate ⌈ln ε / ln ρ⌉ = 38 is far below the exact 55.
  @Test func defectiveDefaultsSettleSlowerThanTheSpectralEstimate() {
    let p = Parameters.report
    let rho = max(p.beta, 1 - p.alpha)
    #expect(p.beta == 1 - p.alpha)
    let estimate = Int((log(0.02) / log(rho)).rounded(.up))
    #expect(estimate == 38)
    let start = ControllerState(ehat: 1.0 / 6, phi: 1.0 / 7, mode: .single)
    let exact = exactSettlingTime(p, from: start, loss: 20, env: 0, epsilon: 0.02, relativeToStep: true)
    #expect(exact == 55)
  }
}

/// The exact settling time by iteration up to the certified horizon of T05.
func exactSettlingTime(
  _ p: Parameters, from s: ControllerState, loss: Double, env: Double, epsilon: Double,
  relativeToStep: Bool, formulas f: any TheoremFormulas = ClosedForms()
) -> Int? {
  let phiStar = f.fixedPoint(p, loss: loss, env: env).phi
  let band = epsilon * (relativeToStep ? abs(s.phi - phiStar) : abs(phiStar))
  guard let cert = f.certifiedSettlingTime(p, from: s, loss: loss, env: env, band: band) else {
    return nil
  }
  let run = p.states(from: s, loss: loss, env: env, count: cert)
  let last = run.indices.last { abs(run[$0].phi - phiStar) > band }
  return last.map { $0 + 1 } ?? 0
}

/// T05: envelope, settling times.
@Suite("T05 settling")
struct T05SettlingTests {
  @Test func defaults() {
    let f = ClosedForms()
    let p = Parameters.report
    let clean = ControllerState(ehat: 1.0 / 6, phi: 1.0 / 7, mode: .single)
    let shockStar = f.fixedPoint(p, loss: 20, env: 0).phi
    #expect(exactSettlingTime(p, from: clean, loss: 20, env: 0, epsilon: 0.02, relativeToStep: true) == 55)
    #expect(
      f.certifiedSettlingTime(p, from: clean, loss: 20, env: 0, band: 0.02 * abs(1.0 / 7 - shockStar)) == 56)
    #expect(exactSettlingTime(p, from: clean, loss: 20, env: 0, epsilon: 0.02, relativeToStep: false) == 48)
    #expect(f.certifiedSettlingTime(p, from: clean, loss: 20, env: 0, band: 0.02 * shockStar) == 50)
    let shock = ControllerState(ehat: 10.0 / 21, phi: 10.0 / 31, mode: .multi)
    #expect(exactSettlingTime(p, from: shock, loss: 0.5, env: 0, epsilon: 0.02, relativeToStep: true) == 58)
    #expect(exactSettlingTime(p, from: shock, loss: 0.5, env: 0, epsilon: 0.02, relativeToStep: false) == 61)
  }

  /// The envelope contains the trajectory; the exact settling time is ≤ the certified one and the
  /// band is never left afterwards (checked 1000 steps past the certificate).
  @Test(arguments: Variant.allCases)
  func envelopeAndSettling(variant: Variant) {
    let seed = TestSeed.make()
    var rng = SeededGenerator(seed: seed)
    for f in allFormulas {
      var checked = 0
      while checked < 150 {
        let p = rng.parameters(variant)
        let s0 = rng.state()
        let (loss, env) = rng.input()
        let phiStar = f.fixedPoint(p, loss: loss, env: env).phi
        guard abs(s0.phi - phiStar) > 1e-3, phiStar > 1e-3 else { continue }
        checked += 1
        let ctx = "seed \(seed), \(f.name), \(p), from \(s0), L \(loss), E \(env)"
        let e = f.envelope(p, from: s0, loss: loss, env: env)
        for relative in [true, false] {
          let band = 0.02 * (relative ? abs(s0.phi - phiStar) : phiStar)
          let cert = f.certifiedSettlingTime(p, from: s0, loss: loss, env: env, band: band)!
          let run = p.states(from: s0, loss: loss, env: env, count: cert + 1000)
          for (j, s) in run.enumerated() {
            let u = s.phi - phiStar
            #expect(e.lo(j) - 1e-12 <= u && u <= e.hi(j) + 1e-12, "\(ctx), j \(j)")
            #expect(abs(u) <= e.upper(j) + 1e-12, "\(ctx), j \(j)")
          }
          let exact = exactSettlingTime(
            p, from: s0, loss: loss, env: env, epsilon: 0.02, relativeToStep: relative, formulas: f)!
          #expect(exact <= cert, "\(ctx)")
          #expect(run[exact...].allSatisfy { abs($0.phi - phiStar) <= band }, "\(ctx)")
          if exact > 0 { #expect(abs(run[exact - 1].phi - phiStar) > band, "\(ctx)") }
        }
      }
    }
  }
}
