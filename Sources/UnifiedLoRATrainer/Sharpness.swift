import UnifiedLoRA

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Adam's preconditioned sharpness of the clean loss with respect to the adapters.
///
/// Adam's update is `θ ← θ − η·P⁻¹·m̂` with the diagonal preconditioner
/// `P = (1 − β₁ᵗ)·diag(√v̂ + ε)` (Cohen et al., "Adaptive gradient methods at the edge of
/// stability"); on a quadratic with Hessian `H` and frozen `P` it is stable iff the largest
/// eigenvalue of `P⁻¹H` is below `(2 + 2β₁)/((1 − β₁)·η)` (38/η for β₁ = 0.9). `P⁻¹H` is similar to
/// the symmetric `P^{-1/2}·H·P^{-1/2}`, whose largest eigenvalue is found by power iteration on
/// Hessian-vector products, each a central finite difference of the hand-written gradient:
///
/// ```
/// H·x ≈ (∇L(θ + h·x/‖x‖) − ∇L(θ − h·x/‖x‖))·‖x‖ / (2h),   h = 1e-3
/// ```
///
/// The iteration stops when the Rayleigh quotient changes by less than `tolerance` (relative to
/// the estimate) over 3 consecutive iterations; otherwise the estimate is reported as not converged.
public enum Sharpness {
  public struct Estimate: Sendable, Hashable, Codable {
    /// The Rayleigh quotient of the last iterate.
    public var lambdaMax: Double
    /// `|λ_k − λ_{k−1}| / |λ_k|` at the last iteration.
    public var relativeChange: Double
    public var iterations: Int
    public var converged: Bool
  }

  public static func preconditioned(
    network: Network, adapters: [Float], examples: Examples, optimizer: Optimizer, iterations: Int,
    seed: UInt64,
    h: Float = 1e-3, tolerance: Double = 1e-3
  ) -> Estimate {
    let n = adapters.count
    // P^{-1/2} (identity for SGD or before the first step).
    var pinvRoot = [Float](repeating: 1, count: n)
    if optimizer.kind == .adam, optimizer.t > 0 {
      let bc1 = 1 - pow(0.9, Double(optimizer.t))
      let bc2 = 1 - pow(0.999, Double(optimizer.t))
      for i in 0..<n {
        let p = bc1 * ((Double(optimizer.v[i]) / bc2).squareRoot() + 1e-8)
        pinvRoot[i] = Float(1 / p.squareRoot())
      }
    }
    // M·v for the symmetric M = P^{-1/2}·H·P^{-1/2}.
    var gp = [Float](repeating: 0, count: n)
    var gm = gp
    var shifted = adapters
    func apply(_ v: [Float]) -> [Float] {
      var x = [Float](repeating: 0, count: n)
      var xs = 0.0
      for i in 0..<n {
        x[i] = pinvRoot[i] * v[i]
        xs += Double(x[i]) * Double(x[i])
      }
      let xn = Float(max(xs.squareRoot(), 1e-30))
      for i in 0..<n { shifted[i] = adapters[i] + h * x[i] / xn }
      _ = network.lossAndGradient(adapters: shifted, on: examples, gradient: &gp)
      for i in 0..<n { shifted[i] = adapters[i] - h * x[i] / xn }
      _ = network.lossAndGradient(adapters: shifted, on: examples, gradient: &gm)
      return (0..<n).map { pinvRoot[$0] * (gp[$0] - gm[$0]) * xn / (2 * h) }
    }
    // Stage 1: ‖M·v‖ → the largest |eigenvalue| μ (whatever its sign). Stage 2: power iteration on
    // M + μ·I, whose eigenvalues are ≥ 0 with the largest at λ_max + μ, so a negative eigenvalue
    // of the same size (a saddle, common after a shock) cannot make the iteration flip.
    var rng = SeededGenerator(seed: seed)
    var v = (0..<n).map { _ in Float(rng.nextGaussian()) }
    normalise(&v)
    var mu = 0.0
    let first = min(20, max(iterations / 3, 1))
    for _ in 0..<first {
      let mv = apply(v)
      mu = mv.reduce(0.0) { $0 + Double($1) * Double($1) }.squareRoot()
      v = mv
      normalise(&v)
    }
    var rho = 0.0
    var change = 1.0
    var used = first
    var calm = 0
    for k in 0..<max(iterations - first, 1) {
      used += 1
      let mv = apply(v)
      var w = [Float](repeating: 0, count: n)
      var dot = 0.0
      for i in 0..<n {
        w[i] = mv[i] + Float(mu) * v[i]
        dot += Double(w[i]) * Double(v[i])
      }
      let previous = rho
      rho = dot
      if k > 0 { change = abs(rho - previous) / max(abs(rho - mu), 1e-300) }
      calm = change < tolerance ? calm + 1 : 0
      v = w
      normalise(&v)
      if calm >= 3 { break }
    }
    return Estimate(lambdaMax: rho - mu, relativeChange: change, iterations: used, converged: calm >= 3)
  }

  static func normalise(_ v: inout [Float]) {
    var s = 0.0
    for x in v { s += Double(x) * Double(x) }
    let inv = Float(1 / max(s.squareRoot(), 1e-300))
    for i in v.indices { v[i] *= inv }
  }
}
