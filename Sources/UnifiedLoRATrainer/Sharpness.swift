import UnifiedLoRA

/// The sharpness of the clean loss with respect to the adapter parameters.
///
/// The largest eigenvalue of the Hessian `H = ∇²L(θ)` by power iteration on Hessian-vector
/// products, each a central finite difference of the hand-written gradient:
///
/// ```
/// H·v ≈ (∇L(θ + h·v) − ∇L(θ − h·v)) / (2h),   ‖v‖ = 1,  h = 1e-3
/// λ_k = vₖᵀ·H·vₖ,   v_{k+1} = H·vₖ / ‖H·vₖ‖
/// ```
///
/// For plain gradient descent `θ ← θ − η∇L`, the quadratic model is stable iff `η < 2/λ_max`; the
/// divergence probes test that prediction on the actual (non-quadratic) loss.
public enum Sharpness {
  public struct Estimate: Sendable, Hashable, Codable {
    /// The Rayleigh quotient of the last iterate: the estimate of `λ_max`.
    public var lambdaMax: Double
    /// `|λ_k − λ_{k−1}| / |λ_k|` at the last iteration (convergence indicator).
    public var relativeChange: Double
    public var iterations: Int
    /// When the eigenvalue of largest magnitude was negative: that eigenvalue (the shift used).
    public var lambdaMostNegative: Double?
  }

  /// Power iteration from a seeded random start, until the Rayleigh quotient changes by less
  /// than `tolerance` (relative) between iterations or `iterations` is reached (the estimate's
  /// `relativeChange` then says how far from converged it is). Plain power iteration finds the eigenvalue of
  /// largest magnitude; when that one is negative (a saddle, typical right after a shock), a
  /// second run on `H − λ_neg·I` (all eigenvalues ≥ 0) finds `λ_max − λ_neg`, and `λ_max` is
  /// reported with `lambdaMostNegative` set.
  public static func largestEigenvalue(
    network: Network, adapters: [Float], examples: Examples, iterations: Int, seed: UInt64,
    h: Float = 1e-3, tolerance: Double = 1e-3
  ) -> Estimate {
    var first = power(
      network: network, adapters: adapters, examples: examples, iterations: iterations, seed: seed, shift: 0, h: h,
      tolerance: tolerance)
    guard first.lambdaMax < 0 else { return first }
    let shift = first.lambdaMax
    var second = power(
      network: network, adapters: adapters, examples: examples, iterations: iterations, seed: seed ^ 1, shift: shift, h: h,
      tolerance: tolerance)
    second.lambdaMax += shift
    second.lambdaMostNegative = shift
    second.iterations += first.iterations
    first = second
    return first
  }

  static func power(
    network: Network, adapters: [Float], examples: Examples, iterations: Int, seed: UInt64, shift: Double,
    h: Float, tolerance: Double
  ) -> Estimate {
    let n = adapters.count
    var rng = SeededGenerator(seed: seed)
    var v = (0..<n).map { _ in Float(rng.nextGaussian()) }
    normalise(&v)
    var lambda = 0.0, previous = 0.0, change = 1.0
    var gp = [Float](repeating: 0, count: n), gm = gp
    var shifted = adapters
    let sigma = Float(shift)
    var used = 0
    for k in 0..<max(iterations, 1) {
      used = k + 1
      for i in 0..<n { shifted[i] = adapters[i] + h * v[i] }
      _ = network.lossAndGradient(adapters: shifted, on: examples, gradient: &gp)
      for i in 0..<n { shifted[i] = adapters[i] - h * v[i] }
      _ = network.lossAndGradient(adapters: shifted, on: examples, gradient: &gm)
      var hv = [Float](repeating: 0, count: n)
      var dot = 0.0
      for i in 0..<n {
        hv[i] = (gp[i] - gm[i]) / (2 * h) - sigma * v[i]
        dot += Double(hv[i]) * Double(v[i])
      }
      previous = lambda
      lambda = dot
      if k > 0 { change = abs(lambda - previous) / max(abs(lambda), 1e-300) }
      v = hv
      normalise(&v)
      if k >= 4 && change < tolerance { break }
    }
    return Estimate(lambdaMax: lambda, relativeChange: change, iterations: used, lambdaMostNegative: nil)
  }

  /// Full-batch gradient descent on `examples` for `steps` steps at `lr`; returns the loss before
  /// and after (a non-finite or larger final loss is a divergence).
  public static func probe(
    network: Network, adapters: [Float], examples: Examples, lr: Double, steps: Int
  ) -> (before: Double, after: Double) {
    var theta = adapters
    var grad = [Float](repeating: 0, count: adapters.count)
    let before = network.lossAndGradient(adapters: theta, on: examples, gradient: &grad)
    var loss = before
    for s in 0..<steps {
      if s > 0 { loss = network.lossAndGradient(adapters: theta, on: examples, gradient: &grad) }
      guard loss.isFinite else { return (before, loss) }
      let eta = Float(lr)
      for i in theta.indices { theta[i] -= eta * grad[i] }
    }
    return (before, network.loss(adapters: theta, on: examples))
  }

  static func normalise(_ v: inout [Float]) {
    var s = 0.0
    for x in v { s += Double(x) * Double(x) }
    let inv = Float(1 / max(s.squareRoot(), 1e-300))
    for i in v.indices { v[i] *= inv }
  }
}

