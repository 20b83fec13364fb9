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
/// the symmetric `M = P^{-1/2}·H·P^{-1/2}`, whose largest eigenvalue is found by the Lanczos
/// method with full reorthogonalisation (``Lanczos``).
///
/// **Hessian-vector products.** The feed-forward ReLUs make the loss piecewise smooth: a finite
/// difference of the gradient that crosses an activation kink mixes two pieces, and the operator
/// it defines is neither fixed nor symmetric (before this was handled, none of 20 measurements on
/// the default experiment converged). The product is therefore taken on the linear piece the
/// network is on at `θ`: the ReLU on/off pattern of the sharpness batch is frozen at `θ`
/// (``Network/freezeActivationPattern(count:)``), which makes the loss a smooth function whose
/// Hessian is the loss's Hessian at `θ` — what an exact (R-operator) product computes — and the
/// product is the central difference of the hand-written gradient of that smooth function:
///
/// ```
/// H·x ≈ (∇L̃(θ + h·x/‖x‖) − ∇L̃(θ − h·x/‖x‖))·‖x‖ / (2h),   h = 1e-3
/// ```
///
/// with a truncation error `O(h²)` and no kink term.
///
/// **Convergence.** The estimate (the largest Ritz value `θ`) is accepted only when its *measured*
/// residual, one more product `‖M·y − θ·y‖/|θ|` for the unit Ritz vector `y`, is at most
/// `tolerance`: for a symmetric `M` some eigenvalue then lies within `tolerance·|θ|` of `θ`.
/// Otherwise the estimate is reported as not converged, with its residual and without a value
/// (``Estimate/lambdaMax`` is `nil`).
public enum Sharpness {
  public struct Estimate: Sendable, Hashable, Codable {
    /// The largest eigenvalue of `P⁻¹H`, when the measurement converged; `nil` otherwise.
    public var lambdaMax: Double?
    /// The last Ritz value (the unconfirmed estimate; equals ``lambdaMax`` when converged).
    public var ritzValue: Double
    /// `‖M·y − θ·y‖ / |θ|`, measured with one extra product at the end.
    public var residual: Double
    /// Hessian-vector products used (the Lanczos steps, without the residual's product).
    public var iterations: Int
    public var converged: Bool
  }

  /// - Precondition: `examples.count ≤ network.capacity` (one chunk: the frozen activation pattern
  ///   holds for the sequences it was taken on).
  public static func preconditioned(
    network: Network, adapters: [Float], examples: Examples, optimizer: Optimizer, iterations: Int,
    seed: UInt64, h: Float = 1e-3, tolerance: Double = 1e-2
  ) -> Estimate {
    precondition(examples.count >= 1 && examples.count <= network.capacity)
    let n = adapters.count
    // P^{-1/2} (identity for SGD or before the first step).
    var pinvRoot = [Double](repeating: 1, count: n)
    if optimizer.kind == .adam, optimizer.t > 0 {
      let bc1 = 1 - pow(0.9, Double(optimizer.t))
      let bc2 = 1 - pow(0.999, Double(optimizer.t))
      for i in 0..<n {
        let p = bc1 * ((Double(optimizer.v[i]) / bc2).squareRoot() + 1e-8)
        pinvRoot[i] = 1 / p.squareRoot()
      }
    }
    let hvp = HessianProduct(network: network, adapters: adapters, examples: examples, h: h)
    defer { hvp.finish() }
    // M·v for the symmetric M = P^{-1/2}·H·P^{-1/2}.
    func apply(_ v: [Double]) -> [Double] {
      let hx = hvp.apply((0..<n).map { pinvRoot[$0] * v[$0] })
      return (0..<n).map { pinvRoot[$0] * hx[$0] }
    }
    return Lanczos.largest(dimension: n, iterations: iterations, tolerance: tolerance, seed: seed, apply)
  }
}

/// Hessian-vector products of a network's mean loss over one chunk of examples with respect to the
/// adapters, on the linear piece of the ReLUs at `adapters` (see ``Sharpness``). Call ``finish()``
/// when done: it restores the ReLU network.
final class HessianProduct {
  let network: Network
  let adapters: [Float]
  let examples: Examples
  let h: Float
  private var gp: [Float]
  private var gm: [Float]
  private var shifted: [Float]

  init(network: Network, adapters: [Float], examples: Examples, h: Float) {
    self.network = network
    self.adapters = adapters
    self.examples = examples
    self.h = h
    gp = [Float](repeating: 0, count: adapters.count)
    gm = gp
    shifted = adapters
    // One forward pass at θ sets the pattern.
    _ = network.loss(adapters: adapters, on: examples)
    network.freezeActivationPattern(count: examples.count)
  }

  func finish() { network.thawActivationPattern() }

  /// `H·x` by a central difference of the gradient along `x/‖x‖`.
  func apply(_ x: [Double]) -> [Double] {
    let n = adapters.count
    var xs = 0.0
    for i in 0..<n { xs += x[i] * x[i] }
    let xn = max(xs.squareRoot(), 1e-300)
    for i in 0..<n { shifted[i] = adapters[i] + Float(Double(h) * x[i] / xn) }
    _ = network.lossAndGradient(adapters: shifted, on: examples, gradient: &gp)
    for i in 0..<n { shifted[i] = adapters[i] - Float(Double(h) * x[i] / xn) }
    _ = network.lossAndGradient(adapters: shifted, on: examples, gradient: &gm)
    return (0..<n).map { Double(gp[$0] - gm[$0]) * xn / (2 * Double(h)) }
  }
}

/// The largest eigenvalue of a symmetric operator by the Lanczos method with full
/// reorthogonalisation, confirmed by a measured residual (``Sharpness/Estimate``).
enum Lanczos {
  /// - Parameters:
  ///   - apply: the operator `v ↦ M·v` on vectors of `dimension` components.
  ///   - iterations: at most this many products in the Lanczos steps (the residual takes one more).
  ///   - tolerance: the largest accepted `‖M·y − θ·y‖/|θ|`.
  static func largest(
    dimension n: Int, iterations: Int, tolerance: Double, seed: UInt64, _ apply: ([Double]) -> [Double]
  ) -> Sharpness.Estimate {
    var rng = SeededGenerator(seed: seed)
    var q = (0..<n).map { _ in rng.nextGaussian() }
    normalise(&q)
    var basis: [[Double]] = []
    var alpha: [Double] = []
    var beta: [Double] = []  // beta[j]: the coupling of basis j and j + 1
    var theta = Double.nan
    var ritz: [Double] = []
    let most = max(1, min(iterations, n))
    // Lanczos steps until the predicted residual |β_m·s_m| is small (checked every 5 steps).
    for m in 0..<most {
      basis.append(q)
      var w = apply(q)
      let a = dot(w, q)
      alpha.append(a)
      // Full reorthogonalisation (twice is enough, Kahan–Parlett).
      for _ in 0..<2 {
        for b in basis {
          let c = dot(w, b)
          for i in 0..<n { w[i] -= c * b[i] }
        }
      }
      let bnorm = dot(w, w).squareRoot()
      let (t, s) = Tridiagonal.largest(alpha, beta)
      theta = t
      ritz = s
      let predicted = abs(bnorm * (s.last ?? 0)) / max(abs(t), 1e-300)
      if bnorm < 1e-12 * max(abs(t), 1) || m + 1 == most
        || (m >= 4 && m % 5 == 4 && predicted < tolerance / 4)
      {
        break
      }
      beta.append(bnorm)
      q = w.map { $0 / bnorm }
    }
    // The Ritz vector y = Σ s_j·q_j and its measured residual.
    var y = [Double](repeating: 0, count: n)
    for (j, b) in basis.enumerated() { for i in 0..<n { y[i] += ritz[j] * b[i] } }
    normalise(&y)
    let my = apply(y)
    var r2 = 0.0
    for i in 0..<n {
      let e = my[i] - theta * y[i]
      r2 += e * e
    }
    let residual = r2.squareRoot() / max(abs(theta), 1e-300)
    let converged = theta.isFinite && residual <= tolerance
    return Sharpness.Estimate(
      lambdaMax: converged ? theta : nil, ritzValue: theta, residual: residual, iterations: basis.count,
      converged: converged)
  }

  static func dot(_ a: [Double], _ b: [Double]) -> Double {
    var s = 0.0
    for i in a.indices { s += a[i] * b[i] }
    return s
  }

  static func normalise(_ v: inout [Double]) {
    let inv = 1 / max(dot(v, v).squareRoot(), 1e-300)
    for i in v.indices { v[i] *= inv }
  }
}

/// The largest eigenvalue and its unit eigenvector of a symmetric tridiagonal matrix (diagonal
/// `a`, off-diagonal `b`, `b.count == a.count − 1`): bisection on the Sturm sequence for the
/// eigenvalue, then inverse iteration for the vector.
enum Tridiagonal {
  /// The number of eigenvalues below `x` (the negative pivots of `T − x·I`).
  static func countBelow(_ x: Double, _ a: [Double], _ b: [Double]) -> Int {
    var count = 0
    var d = 1.0
    for i in a.indices {
      let off = i > 0 ? b[i - 1] * b[i - 1] : 0
      d = a[i] - x - (i > 0 ? off / d : 0)
      if d == 0 { d = 1e-300 }
      if d < 0 { count += 1 }
    }
    return count
  }

  static func largest(_ a: [Double], _ b: [Double]) -> (Double, [Double]) {
    let k = a.count
    // Gershgorin bounds.
    var lo = Double.infinity
    var hi = -Double.infinity
    for i in 0..<k {
      let r = (i > 0 ? abs(b[i - 1]) : 0) + (i + 1 < k ? abs(b[i]) : 0)
      lo = min(lo, a[i] - r)
      hi = max(hi, a[i] + r)
    }
    // The largest eigenvalue: the smallest x with countBelow(x) == k.
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if mid <= lo || mid >= hi { break }
      if countBelow(mid, a, b) == k { hi = mid } else { lo = mid }
    }
    let lambda = (lo + hi) / 2
    // Inverse iteration: solve (T − (λ + δ)·I)·x = v a few times (Thomas algorithm).
    let shift = lambda + max(abs(lambda), 1) * 1e-10
    var v = [Double](repeating: 1, count: k)
    for _ in 0..<3 {
      var c = [Double](repeating: 0, count: k)
      var d = [Double](repeating: 0, count: k)
      var denom = a[0] - shift
      if denom == 0 { denom = 1e-300 }
      c[0] = k > 1 ? b[0] / denom : 0
      d[0] = v[0] / denom
      for i in 1..<max(k, 1) where i < k {
        var m = (a[i] - shift) - b[i - 1] * c[i - 1]
        if m == 0 { m = 1e-300 }
        c[i] = i + 1 < k ? b[i] / m : 0
        d[i] = (v[i] - b[i - 1] * d[i - 1]) / m
      }
      var x = [Double](repeating: 0, count: k)
      x[k - 1] = d[k - 1]
      for i in stride(from: k - 2, through: 0, by: -1) { x[i] = d[i] - c[i] * x[i + 1] }
      let norm = max(x.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-300)
      v = x.map { $0 / norm }
    }
    return (lambda, v)
  }
}
