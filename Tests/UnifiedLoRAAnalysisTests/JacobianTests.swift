import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct JacobianTests {
  /// T04: the analytic Jacobian equals finite differences of the core's step at random states,
  /// and its upper-right entry is 0 (Ê' does not depend on φ), which is why the eigenvalues are
  /// the diagonal β and 1 − α.
  @Test(arguments: Variant.allCases)
  func analyticMatchesFiniteDifferences(_ variant: Variant) {
    var d = Draw()
    for _ in 0..<1000 {
      let p = d.parameters(variant)
      let u = d.input()
      let s = ControllerState(ehat: d.logUniform(1e-3, 100), phi: d.uniform(0, 1), mode: .single)
      let j = p.jacobian(at: s, input: u)
      let fd = p.jacobianByFiniteDifferences(at: s, input: u)
      #expect(j.distance(to: fd) <= 1e-6, "seed \(d.seed) \(p) \(u) \(s): \(j.rows) vs \(fd.rows)")
      #expect(fd[0, 1] == 0, "seed \(d.seed): Ê' must not depend on φ")
      #expect(j[0, 0] == p.beta && j[1, 1] == 1 - p.alpha)
    }
  }

  /// T04: GSL's eigenvalues are β and 1 − α (to 1e-12, or ~√ε when the block is defective).
  @Test(arguments: Variant.allCases)
  func eigenvaluesAreTheDiagonal(_ variant: Variant) throws {
    var d = Draw()
    for _ in 0..<1000 {
      let p = d.parameters(variant)
      let u = d.input()
      guard let a = seeded(d, "\(p) \(u)", { p.spectralAnalysis(u) }) else { continue }
      let gsl = (a.eigenvaluesGSL ?? []).map(\.re).sorted(by: >)
      let tol = abs(p.beta - (1 - p.alpha)) < 1e-6 ? 1e-7 : 1e-12
      for (x, y) in zip(gsl, a.eigenvalues) { #expect(abs(x - y) <= tol, "seed \(d.seed) \(p): \(gsl)") }
      for e in a.eigenvaluesGSL ?? [] { #expect(abs(e.im) <= tol, "seed \(d.seed)") }
      #expect(a.spectralRadius == max(p.beta, 1 - p.alpha) && a.stable)
      #expect(a.defective == (p.beta == 1 - p.alpha && a.jacobian[1, 0] != 0))
    }
  }

  /// T04: at the defaults the Jacobian is a Jordan block and the linearized deviation of φ grows
  /// like t·ρ^t: Jᵗ has lower-left entry t·c·ρ^{t−1}, which the iteration reproduces.
  @Test func defaultsAreDefective() throws {
    let p = Parameters.report
    let a = p.spectralAnalysis(ConstantInput(loss: 0.5))
    #expect(a.defective && a.eigenvalues == [0.9, 0.9])
    // Jᵗ by repeated multiplication vs the Jordan closed form.
    let j = a.jacobian
    var m = (a: 1.0, c: 0.0, d: 1.0)
    for t in 1...50 {
      m = (a: m.a * j[0, 0], c: m.c * j[0, 0] + m.d * j[1, 0], d: m.d * j[1, 1])
      let closed = Double(t) * j[1, 0] * power(0.9, Double(t - 1))
      #expect(abs(m.c - closed) <= 1e-12 * max(1, closed))
    }
  }
}
