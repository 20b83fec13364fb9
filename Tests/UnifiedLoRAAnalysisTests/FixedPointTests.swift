import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct FixedPointTests {
  /// T03: closed form = GSL hybrids on step(x) − x, to 1e-12 (relative to max(1, |x|)), over
  /// thousands of random parameter sets, inputs and starting points, both variants.
  @Test(arguments: Variant.allCases)
  func closedFormAgreesWithGSL(_ variant: Variant) throws {
    var d = Draw()
    for _ in 0..<2000 {
      let p = d.parameters(variant)
      let u = d.input()
      let f = p.fixedPoint(u)
      guard let g = seeded(d, "\(p) \(u)", { try p.fixedPointNumerically(u) }) else { continue }
      let tol = 1e-12 * max(1, abs(f.ehat))
      #expect(abs(f.ehat - g.ehat) <= tol, "seed \(d.seed) \(p) \(u): \(f) vs \(g)")
      #expect(abs(f.phi - g.phi) <= 1e-12, "seed \(d.seed) \(p) \(u): \(f) vs \(g)")
      if f.mode != g.mode {
        // Only possible when φ* sits within 1e-12 of a threshold.
        #expect(min(abs(f.phi - p.theta0), abs(f.phi - p.theta1)) < 1e-12, "seed \(d.seed)")
      }
    }
  }

  /// T03: brute-force iteration of the core converges to the closed form.
  @Test(arguments: Variant.allCases)
  func iterationConvergesToClosedForm(_ variant: Variant) {
    var d = Draw()
    for _ in 0..<300 {
      let p = d.parameters(variant, maxBeta: 0.95)
      let u = d.input()
      let f = p.fixedPoint(u)
      let last = iterate(p, p.initial, u, 2000).last!
      #expect(abs(last.ehat - f.ehat) <= 1e-9 * max(1, f.ehat), "seed \(d.seed) \(p) \(u)")
      #expect(abs(last.phi - f.phi) <= 1e-9, "seed \(d.seed) \(p) \(u)")
    }
  }

  /// The values the README quotes (SPEC §6 regimes, defaults).
  @Test func defaultRegimes() {
    let clean = Parameters.report.fixedPoint(ConstantInput(loss: 0.5))
    #expect(abs(clean.ehat - 1.0 / 6) < 1e-16 && abs(clean.phi - 1.0 / 7) < 1e-16 && clean.mode == .single)
    let shock = Parameters.report.fixedPoint(ConstantInput(loss: 20))
    #expect(abs(shock.ehat - 10.0 / 21) < 1e-15 && abs(shock.phi - 10.0 / 31) < 1e-15 && shock.mode == .multi)
    #expect(Parameters.repo.fixedPoint(ConstantInput(loss: 20)).mode == .mirror)
  }

  /// A function GSL cannot evaluate is a thrown GSLError, never an abort.
  @Test func gslFailureIsAnError() {
    #expect(throws: GSLError.self) {
      _ = try MultiRoot.solve(from: [1, 1]) { _ in [.nan, 1] }
    }
    #expect(throws: GSLError.self) {
      _ = try MultiRoot.solve(from: [1, 1], maxIterations: 3) { v in [v[0] * v[0] + 1, v[1]] }
    }
  }
}
