#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The adapted network with its work buffers: forward pass, cross-entropy loss and hand-written
/// gradients, all matrix products through ``BLAS/gemm(_:_:_:_:_:_:_:_:_:_:_:_:_:)``.
///
/// Loss, for `n` examples of `P = 11` output positions and 27 classes each:
///
/// ```
/// L = −(1/(n·P)) Σ_i Σ_p log softmax(z_{i,p})[y_{i,p}]
/// ∂L/∂z_{i,p} = (softmax(z_{i,p}) − onehot(y_{i,p})) / (n·P)
/// ```
///
/// Backward through a layer `z = W·x + b + s·B·(A·x)`, `u = A·x`, `s = α/r`:
///
/// ```
/// ∂B = s·∂zᵀ·u     ∂u = s·∂z·B     ∂A = ∂uᵀ·x     ∂x = ∂z·W + ∂u·A     (batched, row-major)
/// ```
///
/// and, when the base itself is trained (pretraining only), `∂W = ∂zᵀ·x`, `∂b = Σ_rows ∂z`.
/// The loss is accumulated in double precision; everything else is single precision.
///
/// A network is a reference type that owns its buffers; use one per thread.
public final class Network {
  public let widths: [Int]
  /// `nil` for the pretraining network (no adapters).
  public let layout: AdapterLayout?
  /// `α/r`.
  public let scale: Float
  /// The most examples one call handles; larger sets are processed in chunks by the helpers.
  public let capacity: Int
  let rank: Int

  // Base weights (copied in) and work buffers.
  let w: [UnsafeMutablePointer<Float>]
  let b: [UnsafeMutablePointer<Float>]
  let x: [UnsafeMutablePointer<Float>]  // x[0] one-hot input, x[1], x[2] hidden, x[3] logits
  let dz: [UnsafeMutablePointer<Float>]  // gradient wrt pre-activation of layer l (index l+1)
  let u: [UnsafeMutablePointer<Float>]
  let du: UnsafeMutablePointer<Float>
  /// `W1ᵀ` (`216 × hidden`): with a frozen base, the product with the one-hot input is a sum of
  /// eight rows of it (a gather) instead of a dense product.
  let w1t: UnsafeMutablePointer<Float>
  var allocations: [UnsafeMutablePointer<Float>] = []

  /// - Parameters:
  ///   - rank: the adapter rank `r` (0: no adapters, for pretraining the base).
  ///   - alpha: the adapter scale numerator `α` (the layer multiplies by `α/r`).
  public init(base: BaseModel, rank: Int, alpha: Double, capacity: Int) {
    precondition(rank >= 0 && capacity >= 1)
    BLAS.configure()
    widths = base.widths
    self.rank = rank
    layout = rank > 0 ? AdapterLayout(rank: rank, widths: base.widths) : nil
    scale = rank > 0 ? Float(alpha / Double(rank)) : 0
    self.capacity = capacity
    var all: [UnsafeMutablePointer<Float>] = []
    func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
      p.initialize(repeating: 0, count: max(n, 1))
      all.append(p)
      return p
    }
    w = (0..<3).map { l in
      let p = alloc(base.weights[l].count)
      base.weights[l].withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
      return p
    }
    b = (0..<3).map { l in
      let p = alloc(base.biases[l].count)
      base.biases[l].withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: $0.count) }
      return p
    }
    x = (0..<4).map { alloc(capacity * base.widths[$0]) }
    dz = (0..<4).map { alloc(capacity * base.widths[$0]) }
    u = (0..<3).map { _ in alloc(capacity * rank) }
    du = alloc(capacity * max(rank, 1))
    let t = alloc(base.widths[0] * base.widths[1])
    for o in 0..<base.widths[1] {
      for i in 0..<base.widths[0] { t[i * base.widths[1] + o] = base.weights[0][o * base.widths[0] + i] }
    }
    w1t = t
    allocations = all
  }

  deinit {
    for p in allocations { p.deallocate() }
  }

  /// The current base weights (changed only by pretraining).
  public var base: BaseModel {
    BaseModel(
      widths: widths,
      weights: (0..<3).map { Array(UnsafeBufferPointer(start: w[$0], count: widths[$0] * widths[$0 + 1])) },
      biases: (0..<3).map { Array(UnsafeBufferPointer(start: b[$0], count: widths[$0 + 1])) })
  }

  /// The mean cross-entropy of `count ≤ capacity` examples, and its gradient with respect to the
  /// adapters (into `gradient`, overwritten) when `gradient` is not nil.
  ///
  /// - Parameters:
  ///   - adapters: the flat adapter vector (``AdapterLayout``); ignored when `rank == 0`.
  ///   - inputs: `count × 8` symbols; targets: `count × 11` symbols.
  ///   - baseGradient: when not nil (pretraining; requires `rank == 0`), receives `∂W` and `∂b` of each layer, flat in
  ///     the order `W1, b1, W2, b2, W3, b3`.
  public func evaluate(
    adapters: UnsafePointer<Float>?, inputs: UnsafePointer<UInt8>, targets: UnsafePointer<UInt8>,
    count n: Int, gradient: UnsafeMutablePointer<Float>?,
    baseGradient: UnsafeMutablePointer<Float>? = nil
  ) -> Double {
    precondition(n >= 1 && n <= capacity)
    precondition(baseGradient == nil || rank == 0, "the base is trained only without adapters")
    let loss = forward(adapters: adapters, inputs: inputs, count: n, targets: targets, wantGradient: gradient != nil || baseGradient != nil)
    if gradient != nil || baseGradient != nil {
      backward(adapters: adapters, inputs: inputs, count: n, gradient: gradient, baseGradient: baseGradient)
    }
    return loss
  }

  /// The number of base parameters (`W` and `b` of all layers).
  public var baseParameterCount: Int {
    (0..<3).reduce(0) { $0 + widths[$1] * widths[$1 + 1] + widths[$1 + 1] }
  }

  /// Adds `delta` (flat `W1, b1, W2, b2, W3, b3`) to the base weights: pretraining's update.
  public func updateBase(_ body: (UnsafeMutablePointer<Float>, Int) -> Void) {
    precondition(rank == 0, "the base is trained only without adapters")
    for l in 0..<3 {
      body(w[l], widths[l] * widths[l + 1])
      body(b[l], widths[l + 1])
    }
  }

  // MARK: - Forward

  func forward(
    adapters: UnsafePointer<Float>?, inputs: UnsafePointer<UInt8>, count n: Int,
    targets: UnsafePointer<UInt8>, wantGradient: Bool
  ) -> Double {
    let a = Encoding.alphabet
    let li = Encoding.inputLength
    // The adapter network's base is frozen: its first layer gathers rows of W1ᵀ and columns of A1
    // for the eight active inputs. The pretraining network (rank 0) uses the dense one-hot product.
    let gather = rank > 0 && adapters != nil
    if !gather {
      let x0 = x[0]
      x0.update(repeating: 0, count: n * widths[0])
      for i in 0..<n {
        for p in 0..<li { x0[i * widths[0] + p * a + Int(inputs[i * li + p])] = 1 }
      }
    }
    for l in 0..<3 {
      let nIn = widths[l], nOut = widths[l + 1]
      let xin = x[l], z = x[l + 1]
      if l == 0 && gather, let adapters, let layout {
        let a1 = adapters + layout.aOffset[0]
        let u0 = u[0]
        for i in 0..<n {
          let zrow = z + i * nOut
          let urow = u0 + i * rank
          zrow.update(repeating: 0, count: nOut)
          urow.update(repeating: 0, count: rank)
          for p in 0..<li {
            let col = p * a + Int(inputs[i * li + p])
            let wrow = w1t + col * nOut
            Kernels.add(zrow, wrow, nOut)
            for k in 0..<rank { urow[k] += a1[k * nIn + col] }
          }
        }
        BLAS.gemm(false, true, n, nOut, rank, scale, u0, rank, adapters + layout.bOffset[0], rank, 1, z, nOut)
      } else {
        BLAS.gemm(false, true, n, nOut, nIn, 1, xin, nIn, w[l], nIn, 0, z, nOut)
        if rank > 0, let adapters, let layout {
          BLAS.gemm(false, true, n, rank, nIn, 1, xin, nIn, adapters + layout.aOffset[l], nIn, 0, u[l], rank)
          BLAS.gemm(false, true, n, nOut, rank, scale, u[l], rank, adapters + layout.bOffset[l], rank, 1, z, nOut)
        }
      }
      for i in 0..<n { Kernels.addBias(z + i * nOut, b[l], nOut, relu: l < 2) }
    }
    // Softmax cross-entropy per position.
    let logits = x[3]
    let g = dz[3]
    let positions = Encoding.outputLength
    let inv = Float(1) / Float(n * positions)
    var total = 0.0
    for i in 0..<n {
      for p in 0..<positions {
        let off = i * widths[3] + p * a
        let zrow = logits + off
        var m = zrow[0]
        for k in 1..<a where zrow[k] > m { m = zrow[k] }
        var s: Float = 0
        let grow = g + off
        for k in 0..<a {
          let e = expf(zrow[k] - m)
          grow[k] = e
          s += e
        }
        let y = Int(targets[i * positions + p])
        total -= Double(zrow[y] - m) - Double(logf(s))
        if wantGradient {
          let r = inv / s
          for k in 0..<a { grow[k] *= r }
          grow[y] -= inv
        }
      }
    }
    return total / Double(n * positions)
  }

  // MARK: - Backward

  func backward(
    adapters: UnsafePointer<Float>?, inputs: UnsafePointer<UInt8>, count n: Int,
    gradient: UnsafeMutablePointer<Float>?, baseGradient: UnsafeMutablePointer<Float>?
  ) {
    var baseOffsets: [Int] = []
    var o = 0
    for l in 0..<3 {
      baseOffsets.append(o)
      o += widths[l] * widths[l + 1] + widths[l + 1]
    }
    for l in stride(from: 2, through: 0, by: -1) {
      let nIn = widths[l], nOut = widths[l + 1]
      let g = dz[l + 1], xin = x[l]
      if let baseGradient {
        let dW = baseGradient + baseOffsets[l]
        BLAS.gemm(true, false, nOut, nIn, n, 1, g, nOut, xin, nIn, 0, dW, nIn)
        let db = dW + nOut * nIn
        db.update(repeating: 0, count: nOut)
        for i in 0..<n {
          let row = g + i * nOut
          for j in 0..<nOut { db[j] += row[j] }
        }
      }
      var haveDU = false
      if rank > 0, let adapters, let layout {
        let bl = adapters + layout.bOffset[l]
        BLAS.gemm(false, false, n, rank, nOut, scale, g, nOut, bl, rank, 0, du, rank)
        haveDU = true
        if let gradient {
          BLAS.gemm(true, false, nOut, rank, n, scale, g, nOut, u[l], rank, 0, gradient + layout.bOffset[l], rank)
          let dA = gradient + layout.aOffset[l]
          if l == 0 {
            // ∂A1 = ∂uᵀ·x with one-hot x: scatter ∂u's rows into the eight active columns.
            let a = Encoding.alphabet, li = Encoding.inputLength
            dA.update(repeating: 0, count: rank * nIn)
            for i in 0..<n {
              for p in 0..<li {
                let col = p * a + Int(inputs[i * li + p])
                for k in 0..<rank { dA[k * nIn + col] += du[i * rank + k] }
              }
            }
          } else {
            BLAS.gemm(true, false, rank, nIn, n, 1, du, rank, xin, nIn, 0, dA, nIn)
          }
        }
      }
      if l > 0 {
        let dx = dz[l]
        BLAS.gemm(false, false, n, nIn, nOut, 1, g, nOut, w[l], nIn, 0, dx, nIn)
        if haveDU, let adapters, let layout {
          BLAS.gemm(false, false, n, nIn, rank, 1, du, rank, adapters + layout.aOffset[l], nIn, 1, dx, nIn)
        }
        // ReLU: x[l] holds the post-activation values; the derivative is 1 where they are > 0.
        Kernels.reluMask(dx, x[l], n * nIn)
      }
    }
  }
}
