import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRATune

@Suite struct NoiseLimitTests {
  /// At the limit, the noisiest loss the generator can draw is still finite, and the limit is the
  /// exact bound rounded down to 3 significant digits (within 1% of it).
  @Test(arguments: [0, 0.5, 1, 20, 1e6, 1e100, 1e300, Double.greatestFiniteMagnitude / 2])
  func theNoisiestLossAtTheLimitIsFinite(_ loss: Double) {
    let sigma = Scenario.noiseLimit(largestLoss: loss)
    #expect(sigma > 0)
    #expect((max(loss, 1) * exp(sigma * Scenario.maxGaussian)).isFinite, "σ = \(sigma), loss \(loss)")
    let exact = (log(Double.greatestFiniteMagnitude) - max(0, log(loss))) / Scenario.maxGaussian
    #expect(sigma <= exact && sigma >= exact * 0.99, "σ = \(sigma), exact \(exact)")
    let digits = sigma / pow(10, floor(log10(sigma)) - 2)
    #expect(abs(digits - digits.rounded()) < 1e-6, "3 significant digits: \(sigma)")
  }

  /// A loss at the largest double leaves no room: only σ = 0, not NaN.
  @Test func theLargestLossLeavesNoNoise() {
    #expect(Scenario.noiseLimit(largestLoss: .greatestFiniteMagnitude) == 0)
    #expect(Scenario.noiseLimit(largestLoss: .infinity) == 0)
  }

  /// Losses at most 1 share the limit of 1 (the logarithm is clamped at 0).
  @Test func smallLossesShareTheLimitOfOne() {
    #expect(Scenario.noiseLimit(largestLoss: 1e-300) == Scenario.noiseLimit(largestLoss: 1))
    #expect(Scenario.noiseLimit(largestLoss: 1) > Scenario.noiseLimit(largestLoss: 2))
  }
}
