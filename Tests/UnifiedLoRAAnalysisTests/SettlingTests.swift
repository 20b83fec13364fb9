import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct SettlingTests {
  /// T05: the settling time is exact for the binary64 trajectory: brute-force iteration far past
  /// the certificate finds every later value inside the band and the value before it outside;
  /// the analytic bound is never below it.
  @Test(arguments: Variant.allCases)
  func settlingMatchesBruteForce(_ variant: Variant) throws {
    var d = Draw()
    for _ in 0..<300 {
      let p = d.parameters(variant, maxBeta: 0.97)
      let u = d.input()
      let start = ControllerState(ehat: d.logUniform(1e-3, 50), phi: d.uniform(0, 0.99), mode: .single)
      let phiStar = p.fixedPoint(u).phi
      for convention in SettlingConvention.allCases {
        let eps = convention == .absolute ? d.logUniform(1e-4, 0.1, zero: 0) : d.uniform(0.005, 0.2)
        guard
          let st = seeded(
            d, "\(p) \(u) \(start) \(convention)",
            {
              try p.settlingTime(from: start, input: u, convention: convention, epsilon: eps)
            })
        else { continue }
        guard let steps = st.steps else {
          #expect(st.band <= 1e-12, "seed \(d.seed): no settling time for a wide band \(st)")
          continue
        }
        let horizon = (st.certifiedFrom ?? 0) + 3000
        let traj = iterate(p, start, u, horizon).map(\.phi)
        let firstOutsideAfter = traj.indices.dropFirst(steps).first { abs(traj[$0] - phiStar) > st.band }
        #expect(
          firstOutsideAfter == nil,
          "seed \(d.seed) \(p) \(u) \(convention): left the band at \(firstOutsideAfter ?? -1) after T = \(steps)"
        )
        if steps > 0 {
          #expect(
            abs(traj[steps - 1] - phiStar) > st.band,
            "seed \(d.seed) \(p) \(u) \(convention): T = \(steps) is not least")
        }
        if let ub = st.upperBound {
          #expect(ub >= steps, "seed \(d.seed) \(p) \(u) \(convention): bound \(ub) < \(steps)")
        }
      }
    }
  }

  /// The defective defaults: the exact settling time (55) exceeds the spectral-radius estimate
  /// (38) by far, in both conventions (SPEC §6, T04, T05).
  @Test func defaultsSettleSlowerThanTheSpectralRadiusSays() throws {
    let p = Parameters.report
    let st = try p.settlingTime(from: p.initial, input: ConstantInput(loss: 0.5), convention: .relativeToStep)
    #expect(st.steps == 55)
    #expect(st.spectralRadiusEstimate == 38)
    let fin = try p.settlingTime(
      from: p.initial, input: ConstantInput(loss: 0.5), convention: .relativeToFinal)
    #expect(fin.steps == 55)  // φ_0 = 0, so both bands are ε·φ*
  }

  /// A band at or below the rounding resolution is reported, not certified.
  @Test func zeroBandHasNoSettlingTime() throws {
    let p = Parameters.report
    let f = p.fixedPoint(ConstantInput(loss: 0.5))
    let st = try p.settlingTime(
      from: ControllerState(ehat: f.ehat, phi: f.phi, mode: .single), input: ConstantInput(loss: 0.5),
      convention: .relativeToStep)
    #expect(st.steps == nil && st.note != nil)
  }
}
