import Testing
import UnifiedLoRA

@testable import UnifiedLoRATrainer

#if canImport(Glibc)
  import Glibc
#endif

/// Hand-written gradients against central finite differences of the loss, on a small transformer
/// (d_model 8, 2 heads, 2 layers, ffn 12) with adapters of rank 3 on all four attention
/// projections set to random non-zero values, so every term of the backward pass contributes
/// (attention, both LayerNorms per block, the final one, the feed-forward layers, embeddings).
/// Tolerance: 1 % relative plus 2e-4 absolute at step h = 1e-3. Where a feed-forward ReLU changes
/// sign between θ − h and θ + h the loss has a kink inside the interval and the difference quotient
/// mixes two slopes: such an index is not compared (the test expects most to be compared).
@Suite struct GradientTests {
  static let shape = ModelShape(dModel: 8, heads: 2, layers: 2, ffn: 12)
  static let words = ["string", "queen", "apple", "rhythm", "my", "squeal", "yellow", "nth"]

  /// A random base whose LayerNorm gains and biases are not 1 and 0 (so their gradients matter).
  static func base(seed: UInt64) -> BaseModel {
    var b = BaseModel.random(seed: seed, shape: shape)
    var rng = SeededGenerator(seed: seed ^ 0x77)
    for i in b.parameters.indices { b.parameters[i] += Float(rng.nextGaussian() * 0.1) }
    return b
  }

  static func setup(seed: UInt64) -> (Network, [Float], Examples) {
    let net = Network(base: base(seed: seed), rank: 3, alpha: 6, targets: [.q, .k, .v, .o], capacity: 8)
    var rng = SeededGenerator(seed: seed)
    let adapters = (0..<net.layout!.count).map { _ in Float(rng.nextGaussian() * 0.3) }
    return (net, adapters, Examples.pigLatin(words))
  }

  static func close(_ fd: Double, _ g: Double) -> Bool { abs(fd - g) <= 0.01 * max(abs(fd), abs(g)) + 2e-4 }

  @Test(arguments: [UInt64(1), 2, 3])
  func adapterGradientMatchesFiniteDifferences(seed: UInt64) {
    let (net, adapters, ex) = GradientTests.setup(seed: seed)
    var grad = [Float](repeating: 0, count: adapters.count)
    _ = net.lossAndGradient(adapters: adapters, on: ex, gradient: &grad)
    let layout = net.layout!
    var indices: [Int] = []
    for l in 0..<GradientTests.shape.layers {
      for k in layout.targets.indices {
        indices += [
          layout.aOffset[l][k], layout.aOffset[l][k] + 7, layout.bOffset[l][k], layout.bOffset[l][k] + 5,
        ]
      }
    }
    var rng = SeededGenerator(seed: seed ^ 99)
    for _ in 0..<20 { indices.append(Int(rng.next() % UInt64(adapters.count))) }
    var nonZero = 0
    var kinks = 0
    let h: Float = 1e-3
    let count = ex.count * Encoding.length * GradientTests.shape.ffn
    func signs() -> [Bool] {
      (0..<GradientTests.shape.layers).flatMap { l in (0..<count).map { net.ffPre[l][$0] > 0 } }
    }
    for i in indices {
      var p = adapters
      p[i] += h
      let lp = net.loss(adapters: p, on: ex)
      let sp = signs()
      p[i] -= 2 * h
      let lm = net.loss(adapters: p, on: ex)
      if signs() != sp {
        kinks += 1
        continue
      }
      let fd = (lp - lm) / Double(2 * h)
      let g = Double(grad[i])
      if abs(g) > 1e-3 { nonZero += 1 }
      #expect(GradientTests.close(fd, g), "seed \(seed) index \(i): analytic \(g), finite difference \(fd)")
    }
    #expect(
      indices.count - kinks >= 20,
      "only \(indices.count - kinks) of \(indices.count) indices away from a kink")
    #expect(nonZero >= indices.count / 2)
  }

  @Test func baseGradientMatchesFiniteDifferences() {
    let base = GradientTests.base(seed: 5)
    let layout = BaseLayout(GradientTests.shape)
    let net = Network(base: base, rank: 0, alpha: 0, capacity: 8)
    let ex = Examples.pretraining(Array(GradientTests.words.prefix(3)))
    var grad = [Float](repeating: 0, count: net.baseParameterCount)
    var total = 0.0
    // The set has 18 examples: two chunks of at most 8 plus one of 2, gradients weighted by size.
    var chunkGrad = grad
    var start = 0
    while start < ex.count {
      let n = min(8, ex.count - start)
      let part = ex.subset(start..<(start + n))
      let l = part.inputs.withUnsafeBufferPointer { ip in
        part.markers.withUnsafeBufferPointer { mp in
          part.targets.withUnsafeBufferPointer { tp in
            chunkGrad.withUnsafeMutableBufferPointer { gp in
              net.evaluate(
                adapters: nil, inputs: ip.baseAddress!, markers: mp.baseAddress!, targets: tp.baseAddress!,
                count: n,
                gradient: nil, baseGradient: gp.baseAddress!)
            }
          }
        }
      }
      total += l * Double(n)
      for k in grad.indices { grad[k] += chunkGrad[k] * Float(n) / Float(ex.count) }
      start += n
    }
    #expect(total.isFinite)
    let b = layout.blocks
    var offsets = [
      layout.embedding + 3, layout.embedding + 27 * 8 + 2, layout.position + 9 * 8 + 1, layout.lnfg + 2,
      layout.lnfb + 1, layout.wout + 5, layout.bout + 4,
    ]
    for blk in b {
      offsets += [
        blk.ln1g + 1, blk.ln1b + 2, blk.wq + 3, blk.wk + 10, blk.wv + 17, blk.wo + 21, blk.ln2g + 4,
        blk.ln2b + 5, blk.w1 + 6, blk.b1 + 7, blk.w2 + 8, blk.b2 + 3,
      ]
    }
    let h: Float = 1e-3
    for i in offsets {
      func perturbed(_ d: Float) -> Double {
        var p = base
        p.parameters[i] += d
        return Network(base: p, rank: 0, alpha: 0, capacity: 8).loss(adapters: nil, on: ex)
      }
      let fd = (perturbed(h) - perturbed(-h)) / Double(2 * h)
      let g = Double(grad[i])
      #expect(GradientTests.close(fd, g), "base index \(i): analytic \(g), finite difference \(fd)")
    }
  }

  @Test func zeroBMeansTheAdaptedNetworkEqualsTheBase() {
    let base = GradientTests.base(seed: 9)
    let net = Network(base: base, rank: 4, alpha: 8, targets: [.q, .v], capacity: 8)
    let ex = Examples.pigLatin(["string", "apple"])
    let adapters = net.layout!.initial(seed: 9)
    let plain = Network(base: base, rank: 0, alpha: 0, capacity: 8)
    #expect(net.loss(adapters: adapters, on: ex) == plain.loss(adapters: nil, on: ex))
  }

  @Test func exactMatchEqualsGreedyDecoding() {
    // Greedy decoding, one symbol at a time from the model's own prefix, reproduces a target iff
    // every teacher-forced arg-max is right; checked on random adapters against an explicit decoder.
    let (net, adapters, _) = GradientTests.setup(seed: 6)
    let ex = Examples.pigLatin(GradientTests.words)
    var agree = 0
    for i in 0..<ex.count {
      let one = ex.subset([i])
      var decoded = [UInt8](repeating: Encoding.pad, count: Encoding.outputLength)
      for p in 0..<Encoding.outputLength {
        let probe = Examples(inputs: one.inputs, markers: one.markers, targets: decoded)
        _ = net.loss(adapters: adapters, on: probe)
        let z = net.logits + (net.row(0, Encoding.inputLength) + p) * Encoding.vocabulary
        var best = 0
        for c in 1..<Encoding.vocabulary where z[c] > z[best] { best = c }
        decoded[p] = UInt8(best)
      }
      let greedy = decoded == one.targets
      let teacher = net.exactMatch(adapters: adapters, on: one) == 1
      if greedy == teacher { agree += 1 }
    }
    #expect(agree == ex.count)
  }

  @Test func sgemmComesFromOpenBLAS() {
    #expect(BLAS.sgemmProvider.contains("openblas"), "cblas_sgemm from \(BLAS.sgemmProvider)")
  }

  @Test func preconditionedSharpnessReportsConvergence() {
    let (net, adapters, ex) = GradientTests.setup(seed: 4)
    var opt = Optimizer(kind: .adam, count: adapters.count)
    var p = adapters
    var g = [Float](repeating: 0, count: p.count)
    for _ in 0..<5 {
      _ = net.lossAndGradient(adapters: p, on: ex, gradient: &g)
      opt.step(&p, gradient: g, lr: 1e-3)
    }
    // On the frozen linear piece the operator is a fixed symmetric matrix: with enough steps the
    // measurement converges; a value is reported only with a measured residual within tolerance.
    for steps in [2, 40] {
      let e = Sharpness.preconditioned(
        network: net, adapters: p, examples: ex, optimizer: opt, iterations: steps, seed: 1)
      #expect(e.ritzValue.isFinite && e.residual.isFinite)
      #expect(e.converged == (e.residual <= 1e-2))
      #expect(e.lambdaMax == (e.converged ? e.ritzValue : nil))
      #expect(e.iterations <= steps)
      if steps == 40 { #expect(e.converged, "residual \(e.residual) after \(e.iterations) products") }
    }
    // The network is the ReLU network again afterwards.
    #expect(net.frozenPattern == nil)
    // A tolerance no measurement can meet: never a number.
    let strict = Sharpness.preconditioned(
      network: net, adapters: p, examples: ex, optimizer: opt, iterations: 10, seed: 1, tolerance: 0)
    #expect(!strict.converged && strict.lambdaMax == nil && strict.residual > 0)
  }

  /// The tridiagonal eigen-solver of the Lanczos step against closed forms.
  @Test func tridiagonalLargestEigenpair() {
    // [[2, 1], [1, 2]]: eigenvalues 1 and 3, the top eigenvector (1, 1)/√2.
    let (l2, v2) = Tridiagonal.largest([2, 2], [1])
    #expect(abs(l2 - 3) < 1e-12)
    #expect(abs(abs(v2[0]) - 0.5.squareRoot()) < 1e-9 && abs(v2[0] - v2[1]) < 1e-9)
    // The second-difference matrix (2 on the diagonal, −1 beside it), n = 7: 2 − 2·cos(7π/8).
    let n = 7
    let (l, v) = Tridiagonal.largest(Array(repeating: 2, count: n), Array(repeating: -1, count: n - 1))
    #expect(abs(l - (2 - 2 * cos(Double(n) * Double.pi / Double(n + 1)))) < 1e-10)
    // T·v = λ·v.
    for i in 0..<n {
      let tv = 2 * v[i] - (i > 0 ? v[i - 1] : 0) - (i + 1 < n ? v[i + 1] : 0)
      #expect(abs(tv - l * v[i]) < 1e-8)
    }
    // A 1 × 1 matrix, and a negative spectrum.
    #expect(Tridiagonal.largest([-4], []).0 == -4 || abs(Tridiagonal.largest([-4], []).0 + 4) < 1e-12)
    #expect(abs(Tridiagonal.largest([-3, -3], [1]).0 + 2) < 1e-12)
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
    var ms = [Float](repeating: 0, count: n)
    var vs = ms
    var ps = start
    for t in 1...3 {
      let g = (0..<n).map { _ in Float(rng.nextGaussian()) }
      opt.step(&p, gradient: g, lr: 1e-2)
      let b1: Float = 0.9
      let b2: Float = 0.999
      let eps: Float = 1e-8
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
