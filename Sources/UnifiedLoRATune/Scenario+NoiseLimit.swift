import Foundation
import UnifiedLoRA

extension Scenario {
  /// The largest noise σ for which `loss · exp(σ·z)` is finite for every deviate `z` the
  /// generator can draw (`|z| ≤` ``Scenario/maxGaussian``) and every loss up to `largestLoss`:
  ///
  /// ```
  /// σ_max = (ln Double.greatestFiniteMagnitude − max(0, ln largestLoss)) / (maxGaussian · (1 + 10⁻⁹))
  /// ```
  ///
  /// rounded down to 3 significant digits, safely inside the bound (`scenario --noise` and the
  /// noise of `tune`'s spec are checked against it).
  ///
  /// **Edge cases.** A loss at the largest finite number leaves no room at all: 0 (the
  /// logarithms' rounding must not turn that into NaN). `largestLoss ≤ 1` gives the same limit as
  /// 1 (`ln` is clamped at 0).
  package static func noiseLimit(largestLoss: Double) -> Double {
    let headroom = log(Double.greatestFiniteMagnitude) - max(0, log(largestLoss))
    let exact = headroom / (maxGaussian * (1 + 1e-9))
    guard exact > 0, exact.isFinite else { return 0 }
    let scale = pow(10, floor(log10(exact)) - 2)
    return floor(exact / scale) * scale
  }
}
