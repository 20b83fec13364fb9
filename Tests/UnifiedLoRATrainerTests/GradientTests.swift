#if canImport(Glibc)
  import Glibc
#endif
import Testing
import UnifiedLoRA
@testable import UnifiedLoRATrainer

/// Hand-written gradients against central finite differences of the loss, on a small network
/// (hidden width 24, rank 3) with random non-zero adapters so every term of the backward pass
/// contributes. The step h = 1e-3 is small enough not to cross ReLU kinks for these points (at
/// 1e-2 some components do, and the difference quotient is off by 30 %) and large enough for the
/// single-precision loss: the tolerance is 1 % relative plus 2e-4 absolute.
@Suite struct GradientTests {
  static func setup(seed: UInt64) -> (Network, [Float], Examples) {
    let words = ["string", "queen", "apple", "rhythm", "my", "squeal", "yellow", "nth"]
    let base = BaseModel.random(seed: seed, hidden: 24)
    let net = Network(base: base, rank: 3, alpha: 6, capacity: 8)
    var rng = SeededGenerator(seed: seed)
    let adapters = (0..<net.layout!.count).map { _ in Float(rng.nextGaussian() * 0.3) }
    return (net, adapters, Examples.pigLatin(words))
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func adapterGradientMatchesFiniteDifferences(seed: UInt64) {
    let (net, adapters, ex) = GradientTests.setup(seed: seed)
    var grad = [Float](repeating: 0, count: adapters.count)
    _ = net.lossAndGradient(adapters: adapters, on: ex, gradient: &grad)
    let layout = net.layout!
    // Indices in every A and B block.
    var indices: [Int] = []
    for l in 0..<3 {
      indices += [layout.aOffset[l], layout.aOffset[l] + 7, layout.bOffset[l], layout.bOffset[l] + 5]
    }
    var rng = SeededGenerator(seed: seed ^ 99)
    for _ in 0..<20 { indices.append(Int(rng.next() % UInt64(adapters.count))) }
    let h: Float = 1e-3
    var checked = 0
    for i in indices {
      var p = adapters
      p[i] += h
      let lp = net.loss(adapters: p, on: ex)
      p[i] -= 2 * h
      let lm = net.loss(adapters: p, on: ex)
      let fd = (lp - lm) / Double(2 * h)
      let g = Double(grad[i])
      #expect(abs(fd - g) <= 0.01 * max(abs(fd), abs(g)) + 2e-4, "seed \(seed) index \(i): analytic \(g), finite difference \(fd)")
      checked += 1
    }
    #expect(checked >= 32)
  }

  @Test func baseGradientMatchesFiniteDifferences() {
    let words = ["string", "queen", "apple", "rhythm"]
    let base = BaseModel.random(seed: 5, hidden: 16)
    let net = Network(base: base, rank: 0, alpha: 0, capacity: 4)
    let ex = Examples.copy(words)
    var grad = [Float](repeating: 0, count: net.baseParameterCount)
    let loss = ex.inputs.withUnsafeBufferPointer { ip in
      ex.targets.withUnsafeBufferPointer { tp in
        grad.withUnsafeMutableBufferPointer { gp in
          net.evaluate(adapters: nil, inputs: ip.baseAddress!, targets: tp.baseAddress!, count: 4, gradient: nil, baseGradient: gp.baseAddress!)
        }
      }
    }
    #expect(loss.isFinite)
    // Flat order W1, b1, W2, b2, W3, b3: check a few entries of each block.
    let w = base.widths
    var offsets: [Int] = []
    var o = 0
    for l in 0..<3 {
      offsets += [o + 3, o + w[l] * w[l + 1] + 1]
      o += w[l] * w[l + 1] + w[l + 1]
    }
    let h: Float = 1e-3
    for i in offsets {
      func perturbed(_ d: Float) -> Double {
        var b = base
        var k = i
        for l in 0..<3 {
          let nw = w[l] * w[l + 1]
          if k < nw { b.weights[l][k] += d; break }
          k -= nw
          if k < w[l + 1] { b.biases[l][k] += d; break }
          k -= w[l + 1]
        }
        return Network(base: b, rank: 0, alpha: 0, capacity: 4).loss(adapters: nil, on: ex)
      }
      let fd = (perturbed(h) - perturbed(-h)) / Double(2 * h)
      let g = Double(grad[i])
      #expect(abs(fd - g) <= 0.01 * max(abs(fd), abs(g)) + 2e-4, "base index \(i): analytic \(g), finite difference \(fd)")
    }
  }

  @Test func zeroBMeansTheAdaptedNetworkEqualsTheBase() {
    let base = BaseModel.random(seed: 9, hidden: 24)
    let net = Network(base: base, rank: 4, alpha: 8, capacity: 8)
    let ex = Examples.pigLatin(["string", "apple"])
    let adapters = net.layout!.initial(seed: 9)
    let plain = Network(base: base, rank: 0, alpha: 0, capacity: 8)
    #expect(net.loss(adapters: adapters, on: ex) == plain.loss(adapters: nil, on: ex))
  }

  @Test func sgemmComesFromOpenBLAS() {
    #expect(BLAS.sgemmProvider.contains("openblas"), "cblas_sgemm from \(BLAS.sgemmProvider)")
  }

  @Test func sharpnessOfAKnownQuadraticDirectionIsPositiveAndConverges() {
    let (net, adapters, ex) = GradientTests.setup(seed: 4)
    let e = Sharpness.largestEigenvalue(network: net, adapters: adapters, examples: ex, iterations: 30, seed: 1)
    #expect(e.lambdaMax > 0 && e.lambdaMax.isFinite)
    #expect(e.relativeChange < 0.05, "λ \(e.lambdaMax), change \(e.relativeChange)")
  }
}

@Suite struct OptimizerTests {
  /// The eight-lane Adam update gives the scalar formula's bits (PyTorch's form, see `Optimizer`).
  @Test func adamLanesEqualTheScalarFormula() {
    var rng = SeededGenerator(seed: 21)
    let n = 21
    var p = (0..<n).map { _ in Float(rng.nextGaussian()) }
    let start = p
    var opt = Optimizer(kind: .adam, count: n)
    var ms = [Float](repeating: 0, count: n), vs = ms, ps = start
    for t in 1...3 {
      let g = (0..<n).map { _ in Float(rng.nextGaussian()) }
      opt.step(&p, gradient: g, lr: 1e-2)
      let b1: Float = 0.9, b2: Float = 0.999, eps: Float = 1e-8
      let stepSize = Float(1e-2 / (1 - pow(0.9, Double(t))))
      let bc2Root = Float((1 - pow(0.999, Double(t))).squareRoot())
      for k in 0..<n {
        ms[k] = b1 * ms[k] + (1 - b1) * g[k]
        vs[k] = b2 * vs[k] + (1 - b2) * g[k] * g[k]
        ps[k] -= stepSize * ms[k] / (vs[k].squareRoot() / bc2Root + eps)
      }
    }
    #expect(p.map(\.bitPattern) == ps.map(\.bitPattern))
    #expect(p != start)
  }

  @Test func sgdIsThePlainStep() {
    var p: [Float] = [1, -2, 3]
    var opt = Optimizer(kind: .sgd, count: 3)
    opt.step(&p, gradient: [0.5, 0.25, -1], lr: 0.1)
    let eta: Float = 0.1
    let expected: [Float] = [1 - eta * 0.5, -2 - eta * 0.25, 3 - eta * -1]
    #expect(p == expected)
  }
}
