import Foundation

/// A 95 % confidence interval and how it was computed.
package struct Interval: Sendable, Hashable, Codable {
  package var estimate: Double
  package var lo: Double
  package var hi: Double
  /// `wilson`, `batch-means`, `rule-of-three`.
  package var method: String
}

/// The interval estimates `tune` and `analyze --noise` print, each at 95 %.
package enum Statistics {
  /// z for a two-sided 95 % interval.
  package static let z = 1.959963984540054

  /// The Wilson score interval for a binomial proportion `x/n` (Wilson 1927):
  ///
  /// ```
  /// p̂ = x/n,  centre = (p̂ + z²/2n)/(1 + z²/n),  half = z/(1 + z²/n)·√(p̂(1 − p̂)/n + z²/4n²)
  /// ```
  ///
  /// Good coverage near 0 and 1 where the normal interval collapses. `n ≥ 1`.
  package static func wilson(_ x: Int, _ n: Int) -> Interval {
    precondition(n >= 1 && x >= 0 && x <= n, "wilson: 0 ≤ x ≤ n, n ≥ 1")
    let nn = Double(n)
    let p = Double(x) / nn
    let z2 = z * z
    let d = 1 + z2 / nn
    let centre = (p + z2 / (2 * nn)) / d
    let half = z / d * (p * (1 - p) / nn + z2 / (4 * nn * nn)).squareRoot()
    // At x = 0 and x = n the bound on that side is exactly 0 or 1 (rounding would leave 1 − ulp).
    let lo = x == 0 ? 0 : max(0, centre - half)
    let hi = x == n ? 1 : min(1, centre + half)
    return Interval(estimate: p, lo: lo, hi: hi, method: "wilson")
  }

  /// The 0.975 quantile of Student's t with `df` degrees of freedom (table for df ≤ 30, then
  /// the Cornish–Fisher expansion `z + (z³ + z)/4df + (5z⁵ + 16z³ + 3z)/96df²`, error < 1e-4).
  package static func t975(_ df: Int) -> Double {
    let table: [Double] = [
      12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145,
      2.131,
      2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ]
    if df >= 1 && df <= 30 { return table[df - 1] }
    let d = Double(max(df, 1))
    let z3 = z * z * z
    return z + (z3 + z) / (4 * d) + (5 * z3 * z * z + 16 * z3 + 3 * z) / (96 * d * d)
  }

  /// The mean of independent batch values (here: one per independent trace, or one per block of
  /// consecutive steps of one long run) with a Student-t interval on the batch means:
  ///
  /// ```
  /// m = Σ yᵢ/B,   s² = Σ (yᵢ − m)²/(B − 1),   m ± t_{0.975, B−1}·s/√B
  /// ```
  ///
  /// Batching makes the steps inside a batch free to be correlated (AR(1) noise, the controller's
  /// memory, the cooldown): only the batches need be (nearly) independent. When every batch is 0
  /// the interval collapses; `zeroCountScale > 0` then gives the rule-of-three bound `3/N` on a
  /// Poisson rate observed 0 times in `N` units, scaled to the quantity's unit (method
  /// `rule-of-three`).
  package static func batchMeans(_ ys: [Double], zeroCountScale: Double = 0) -> Interval {
    precondition(ys.count >= 2, "batchMeans: at least two batches")
    let b = Double(ys.count)
    let m = ys.reduce(0, +) / b
    let s2 = ys.reduce(0) { $0 + ($1 - m) * ($1 - m) } / (b - 1)
    let half = t975(ys.count - 1) * (s2 / b).squareRoot()
    if s2 == 0 && m == 0 && zeroCountScale > 0 {
      return Interval(estimate: 0, lo: 0, hi: 3 * zeroCountScale, method: "rule-of-three")
    }
    return Interval(
      estimate: m, lo: max(m - half, ys.min()! < 0 ? -.infinity : 0), hi: m + half, method: "batch-means")
  }

  /// The empirical `q`-quantile (the ⌈q·n⌉-th smallest value; +∞ for censored values).
  package static func quantile(_ xs: [Double], _ q: Double) -> Double {
    guard !xs.isEmpty else { return .nan }
    let s = xs.sorted()
    let k = min(s.count - 1, max(0, Int((q * Double(s.count)).rounded(.up)) - 1))
    return s[k]
  }

  /// The standard normal upper tail `1 − Φ(x) = erfc(x/√2)/2`.
  package static func normalTail(_ x: Double) -> Double { erfc(x / 2.0.squareRoot()) / 2 }
}
