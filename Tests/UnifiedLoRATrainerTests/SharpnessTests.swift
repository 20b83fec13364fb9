import Testing
import UnifiedLoRA

@testable import UnifiedLoRATrainer

/// The Hessian-vector products and the Lanczos method behind Adam's preconditioned sharpness.
@Suite struct SharpnessTests {
  /// A random orthogonal matrix (a product of Householder reflections), rows as arrays.
  static func orthogonal(_ n: Int, seed: UInt64) -> [[Double]] {
    var rng = SeededGenerator(seed: seed)
    var q = (0..<n).map { i in (0..<n).map { $0 == i ? 1.0 : 0.0 } }
    for _ in 0..<4 {
      var u = (0..<n).map { _ in rng.nextGaussian() }
      let norm = Lanczos.dot(u, u).squareRoot()
      u = u.map { $0 / norm }
      // q ← q·(I − 2uuᵀ)
      for r in 0..<n {
        let c = Lanczos.dot(q[r], u)
        for j in 0..<n { q[r][j] -= 2 * c * u[j] }
      }
    }
    return q
  }

  /// `M = Qᵀ·diag(λ)·Q` applied to `v`.
  static func symmetric(_ q: [[Double]], _ lambda: [Double]) -> ([Double]) -> [Double] {
    { v in
      let n = v.count
      let qv = (0..<n).map { Lanczos.dot(q[$0], v) }
      var out = [Double](repeating: 0, count: n)
      for r in 0..<n { for j in 0..<n { out[j] += q[r][j] * lambda[r] * qv[r] } }
      return out
    }
  }

  /// On a symmetric matrix with a known spectrum (top eigenvalue 100, the next 60, the rest in
  /// [−5, 40]), Lanczos finds 100 and confirms it with its measured residual.
  @Test func lanczosFindsTheLargestEigenvalueOfAKnownSymmetricMatrix() {
    let n = 60
    var rng = SeededGenerator(seed: 5)
    var lambda = (0..<n).map { _ in -5 + 45 * Double(rng.next() % 1000) / 1000 }
    lambda[17] = 100
    lambda[3] = 60
    let m = SharpnessTests.symmetric(SharpnessTests.orthogonal(n, seed: 9), lambda)
    let e = Lanczos.largest(dimension: n, iterations: 40, tolerance: 1e-6, seed: 2, m)
    #expect(e.converged)
    #expect(abs((e.lambdaMax ?? 0) - 100) < 1e-6, "λ \(String(describing: e.lambdaMax))")
    #expect(e.residual <= 1e-6 && e.iterations <= 40)
    // Too few steps for a 1e-9 residual: no value.
    let short = Lanczos.largest(dimension: n, iterations: 2, tolerance: 1e-9, seed: 2, m)
    #expect(!short.converged && short.lambdaMax == nil && short.residual > 1e-9)
  }

  /// An operator that is not a fixed symmetric matrix (the same matrix plus fresh noise at every
  /// product, like finite differences that cross kinks) is reported as not converged.
  @Test func lanczosReportsAnOperatorThatIsNotAFixedSymmetricMatrix() {
    let n = 60
    var lambda = (0..<n).map { Double($0 % 30) }
    lambda[0] = 100
    let m = SharpnessTests.symmetric(SharpnessTests.orthogonal(n, seed: 3), lambda)
    var rng = SeededGenerator(seed: 8)
    let noisy: ([Double]) -> [Double] = { v in m(v).map { $0 + 2 * rng.nextGaussian() } }
    let e = Lanczos.largest(dimension: n, iterations: 40, tolerance: 1e-2, seed: 2, noisy)
    #expect(!e.converged && e.lambdaMax == nil, "residual \(e.residual)")
    #expect(e.residual > 1e-2)
  }

  /// The product on the frozen linear piece at a smooth point: along a direction where no ReLU
  /// changes sign within ±h, it equals the central difference of the ReLU network's own gradient
  /// (an independent computation: no frozen pattern, whose gradient `GradientTests` checks against
  /// differences of the loss). A second difference of the single-precision loss itself is not
  /// used: at a step small enough for the quadratic term to dominate, its rounding does.
  @Test func hessianProductMatchesFiniteDifferencesAtASmoothPoint() {
    let (net, adapters, ex) = GradientTests.setup(seed: 6)
    let n = adapters.count
    let count = ex.count * Encoding.length * GradientTests.shape.ffn
    func signs() -> [Bool] {
      (0..<GradientTests.shape.layers).flatMap { l in (0..<count).map { net.ffPre[l][$0] > 0 } }
    }
    let h: Float = 1e-3
    var rng = SeededGenerator(seed: 12)
    var smooth = 0
    for _ in 0..<6 {
      var x = (0..<n).map { _ in rng.nextGaussian() }
      Lanczos.normalise(&x)
      // The ReLU network's gradient at θ ± h·x, and whether any sign changed.
      _ = net.loss(adapters: adapters, on: ex)
      let s0 = signs()
      var gp = [Float](repeating: 0, count: n)
      var gm = gp
      let plus = (0..<n).map { adapters[$0] + Float(Double(h) * x[$0]) }
      let minus = (0..<n).map { adapters[$0] - Float(Double(h) * x[$0]) }
      _ = net.lossAndGradient(adapters: plus, on: ex, gradient: &gp)
      let sp = signs()
      _ = net.lossAndGradient(adapters: minus, on: ex, gradient: &gm)
      guard sp == s0 && signs() == s0 else { continue }
      smooth += 1
      let fd = (0..<n).map { Double(gp[$0] - gm[$0]) / (2 * Double(h)) }
      let hvp = HessianProduct(network: net, adapters: adapters, examples: ex, h: h)
      let hx = hvp.apply(x)
      hvp.finish()
      let scale = max(Lanczos.dot(fd, fd).squareRoot(), 1e-6)
      #expect(scale > 1e-3, "a non-trivial product")
      for i in 0..<n { #expect(abs(hx[i] - fd[i]) <= 1e-6 * scale + 1e-9, "component \(i)") }
    }
    #expect(smooth >= 2, "only \(smooth) of 6 directions crossed no kink")
  }

  /// Across kinks, the products on the frozen piece form a symmetric operator: `uᵀ·H·v = vᵀ·H·u`.
  @Test func hessianProductIsSymmetric() {
    let (net, adapters, ex) = GradientTests.setup(seed: 7)
    let n = adapters.count
    var rng = SeededGenerator(seed: 4)
    // A step large enough for ±h to cross many kinks (a product that mixed the ReLU network's
    // pieces would not be symmetric), small enough for the truncation error to stay below 1e-3.
    let hvp = HessianProduct(network: net, adapters: adapters, examples: ex, h: 1e-2)
    defer { hvp.finish() }
    for _ in 0..<4 {
      var u = (0..<n).map { _ in rng.nextGaussian() }
      var v = (0..<n).map { _ in rng.nextGaussian() }
      Lanczos.normalise(&u)
      Lanczos.normalise(&v)
      let hu = hvp.apply(u)
      let hv = hvp.apply(v)
      let a = Lanczos.dot(u, hv)
      let b = Lanczos.dot(v, hu)
      let size = max(Lanczos.dot(hu, hu).squareRoot(), Lanczos.dot(hv, hv).squareRoot())
      #expect(abs(a - b) <= 1e-3 * size, "uᵀHv \(a), vᵀHu \(b)")
    }
  }
}
