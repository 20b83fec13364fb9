import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRATune

@Suite struct NoiseAnalysisTests {
  /// The AR(1) driver is stationary with unit variance and lag-one correlation ρ.
  @Test(arguments: [0.0, 0.5, -0.4, 0.9])
  func driverHasUnitVarianceAndCorrelationRho(_ rho: Double) {
    var d = NoiseModel.Driver(seed: 3, correlation: rho)
    let n = 200_000
    var xs: [Double] = []
    for _ in 0..<n { xs.append(d.next()) }
    let m = xs.reduce(0, +) / Double(n)
    let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n)
    var c = 0.0
    for t in 0..<(n - 1) { c += (xs[t] - m) * (xs[t + 1] - m) }
    c /= Double(n - 1) * v
    #expect(abs(v - 1) < 0.05, "variance \(v)")
    #expect(abs(c - rho) < 0.02, "lag-one correlation \(c)")
  }

  /// `scenario steady` draws exactly the model's losses: level·exp(σ·z) around the level, and
  /// level·max(0, 1 + σ·z) for the Gaussian kind, with the shock's level inside the window.
  @Test(arguments: NoiseModel.Kind.allCases)
  func steadyScenarioIsTheNoiseModel(_ kind: NoiseModel.Kind) {
    var s = Scenario(
      kind: .steady, steps: 50, shocks: [20..<30], cleanLoss: 2, shockLoss: 9, shockEnv: 1.5, noise: 0.4,
      seed: 9)
    s.noiseKind = kind
    s.noiseCorrelation = 0.6
    let model = NoiseModel(kind: kind, sigma: 0.4, correlation: 0.6)
    var d = NoiseModel.Driver(seed: 9, correlation: 0.6)
    for i in s.inputs() {
      let shock = (20..<30).contains(i.step)
      #expect(i.loss == model.loss(level: shock ? 9 : 2, z: d.next()))
      #expect(i.env == (shock ? 1.5 : 0))
    }
  }

  /// The linearised standard deviation (Jacobian + Lyapunov) agrees with the Monte Carlo one for
  /// small noise, white and correlated; the fraction above a far threshold is 0 in both.
  @Test(arguments: [(Variant.report, 0.0), (.report, 0.7), (.repo, 0.0), (.repo, 0.5)])
  func linearisedSDMatchesMonteCarlo(_ v: Variant, _ rho: Double) throws {
    let p = try Parameters(variant: v)
    let a = p.noiseAnalysis(
      level: 0.2, noise: NoiseModel(sigma: 0.1, correlation: rho), steps: 200_000, seed: 4)
    #expect(abs(a.linearisedSD / a.phiSD - 1) < 0.1, "linearised \(a.linearisedSD), Monte Carlo \(a.phiSD)")
    #expect(a.phiMean.lo <= a.phiMean.hi)
    #expect(a.thresholds.first { $0.name == "theta1" }!.fractionAbove.estimate == 0)
  }

  /// Near a threshold, the false-alarm rate is positive and the Gaussian prediction of the
  /// fraction above it is of the Monte Carlo size (within a factor 2).
  @Test func falseAlarmsNearTheThreshold() throws {
    let p = try Parameters(variant: .report, alpha: 0.3, beta: 0.5, alphaE: 0, theta0: 0.34, cooldown: 0)
    let a = p.noiseAnalysis(level: 1, noise: NoiseModel(sigma: 0.3), steps: 200_000, seed: 2)
    let t0 = a.thresholds.first { $0.name == "theta0" }!
    #expect(t0.upcrossingsPer1000.estimate > 1)
    #expect(t0.fractionAbove.estimate > 0.1)
    #expect(
      t0.linearisedFractionAbove > t0.fractionAbove.estimate / 2
        && t0.linearisedFractionAbove < t0.fractionAbove.estimate * 2)
    #expect(a.switchesPer1000.estimate > 0)
  }
}
