#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The transformer (``ModelShape``) with its work buffers: forward pass, cross-entropy loss and
/// hand-written gradients; every matrix product goes through ``BLAS/gemm(_:_:_:_:_:_:_:_:_:_:_:_:_:)``.
///
/// Loss, for `n` sequences and the `P = 11` predicting positions of each (``Encoding``):
///
/// ```
/// L = −(1/(n·P)) Σ_i Σ_p log softmax(z_{i,p})[y_{i,p}]
/// ```
///
/// Backward through a projection with an adapter, `z = a·Wᵀ + s·u·Bᵀ`, `u = a·Aᵀ`, `s = α/r`
/// (rows are tokens):
///
/// ```
/// ∂B = s·∂zᵀ·u     ∂u = s·∂z·B     ∂A = ∂uᵀ·a     ∂a = ∂z·W + ∂u·A
/// ```
///
/// attention per head, `S = q·kᵀ/√d_h` (causal), `P = softmax(S)`, `ctx = P·v`:
///
/// ```
/// ∂P = ∂ctx·vᵀ   ∂v = Pᵀ·∂ctx   ∂S = P ⊙ (∂P − rowsum(∂P ⊙ P)) / √d_h   ∂q = ∂S·k   ∂k = ∂Sᵀ·q
/// ```
///
/// LayerNorm `y = g ⊙ x̂ + b`, `x̂ = (x − μ)·ρ`, `ρ = 1/√(σ² + 1e-5)`:
/// `∂x = ρ·(∂x̂ − mean(∂x̂) − x̂·mean(∂x̂ ⊙ x̂))` with `∂x̂ = g ⊙ ∂y`.
///
/// When the base itself is trained (pretraining, `rank == 0`) its gradient is computed too.
/// The loss is accumulated in double precision; everything else is single precision.
/// A network is a reference type that owns its buffers; use one per thread.
public final class Network {
  public let shape: ModelShape
  public let baseLayout: BaseLayout
  /// `nil` for the pretraining network (no adapters).
  public let layout: AdapterLayout?
  /// `α/r`.
  public let scale: Float
  /// The most sequences one call handles; larger sets are processed in chunks by the helpers.
  public let capacity: Int
  let rank: Int

  let w: UnsafeMutablePointer<Float>  // base parameters
  var allocations: [UnsafeMutablePointer<Float>] = []
  // Activations, per block where indexed.
  let tokens: UnsafeMutablePointer<Int32>
  let hIn: [UnsafeMutablePointer<Float>]  // layers + 1: the residual stream entering each block, and the last
  let hMid: [UnsafeMutablePointer<Float>]
  let a1: [UnsafeMutablePointer<Float>], xhat1: [UnsafeMutablePointer<Float>],
    rstd1: [UnsafeMutablePointer<Float>]
  let a2: [UnsafeMutablePointer<Float>], xhat2: [UnsafeMutablePointer<Float>],
    rstd2: [UnsafeMutablePointer<Float>]
  let q: [UnsafeMutablePointer<Float>], k: [UnsafeMutablePointer<Float>], v: [UnsafeMutablePointer<Float>]
  let probs: [UnsafeMutablePointer<Float>]
  let ctx: [UnsafeMutablePointer<Float>]
  let ffPre: [UnsafeMutablePointer<Float>], ffAct: [UnsafeMutablePointer<Float>]
  /// The feed-forward ReLU pattern (1 on, 0 off) per block, when frozen by
  /// ``freezeActivationPattern()``: the network is then the smooth function of the linear piece
  /// it was on (see ``Sharpness``).
  var frozenPattern: [UnsafeMutablePointer<Float>]?
  var frozenCount = 0
  /// `u = a·Aᵀ` per block and target.
  let loraU: [[UnsafeMutablePointer<Float>]]
  let af: UnsafeMutablePointer<Float>, xhatF: UnsafeMutablePointer<Float>, rstdF: UnsafeMutablePointer<Float>
  let logits: UnsafeMutablePointer<Float>
  // Gradient work buffers.
  let dLogits: UnsafeMutablePointer<Float>
  let dh: UnsafeMutablePointer<Float>, dTmp: UnsafeMutablePointer<Float>, dA: UnsafeMutablePointer<Float>
  let dq: UnsafeMutablePointer<Float>, dk: UnsafeMutablePointer<Float>, dv: UnsafeMutablePointer<Float>
  let dCtx: UnsafeMutablePointer<Float>, dFF: UnsafeMutablePointer<Float>, dU: UnsafeMutablePointer<Float>
  let dP: UnsafeMutablePointer<Float>

  /// - Parameters:
  ///   - rank: the adapter rank `r` (0: no adapters, for pretraining the base).
  ///   - alpha: the adapter scale numerator `α` (the projection adds `(α/r)·B·A·a`).
  ///   - targets: the projections that carry adapters (ignored when `rank == 0`).
  public init(base: BaseModel, rank: Int, alpha: Double, targets: [AdapterTarget] = [.q, .v], capacity: Int) {
    precondition(rank >= 0 && capacity >= 1)
    BLAS.configure()
    shape = base.shape
    baseLayout = BaseLayout(base.shape)
    self.rank = rank
    layout = rank > 0 ? AdapterLayout(rank: rank, shape: base.shape, targets: targets) : nil
    scale = rank > 0 ? Float(alpha / Double(rank)) : 0
    self.capacity = capacity
    var all: [UnsafeMutablePointer<Float>] = []
    func alloc(_ n: Int) -> UnsafeMutablePointer<Float> {
      let p = UnsafeMutablePointer<Float>.allocate(capacity: max(n, 1))
      p.initialize(repeating: 0, count: max(n, 1))
      all.append(p)
      return p
    }
    let s = base.shape
    let rows = capacity * s.length
    let d = s.dModel
    let layerCount = s.layers
    let wp = alloc(base.parameters.count)
    base.parameters.withUnsafeBufferPointer { wp.update(from: $0.baseAddress!, count: $0.count) }
    w = wp
    tokens = UnsafeMutablePointer<Int32>.allocate(capacity: rows)
    tokens.initialize(repeating: 0, count: rows)
    hIn = (0...layerCount).map { _ in alloc(rows * d) }
    hMid = (0..<layerCount).map { _ in alloc(rows * d) }
    a1 = (0..<layerCount).map { _ in alloc(rows * d) }
    xhat1 = (0..<layerCount).map { _ in alloc(rows * d) }
    rstd1 = (0..<layerCount).map { _ in alloc(rows) }
    a2 = (0..<layerCount).map { _ in alloc(rows * d) }
    xhat2 = (0..<layerCount).map { _ in alloc(rows * d) }
    rstd2 = (0..<layerCount).map { _ in alloc(rows) }
    q = (0..<layerCount).map { _ in alloc(rows * d) }
    k = (0..<layerCount).map { _ in alloc(rows * d) }
    v = (0..<layerCount).map { _ in alloc(rows * d) }
    probs = (0..<layerCount).map { _ in alloc(capacity * s.heads * s.length * s.length) }
    ctx = (0..<layerCount).map { _ in alloc(rows * d) }
    ffPre = (0..<layerCount).map { _ in alloc(rows * s.ffn) }
    ffAct = (0..<layerCount).map { _ in alloc(rows * s.ffn) }
    let nt = rank > 0 ? targets.count : 0
    loraU = (0..<layerCount).map { _ in (0..<nt).map { _ in alloc(rows * rank) } }
    af = alloc(rows * d)
    xhatF = alloc(rows * d)
    rstdF = alloc(rows)
    logits = alloc(rows * s.vocabulary)
    dLogits = alloc(rows * s.vocabulary)
    dh = alloc(rows * d)
    dTmp = alloc(rows * d)
    dA = alloc(rows * d)
    dq = alloc(rows * d)
    dk = alloc(rows * d)
    dv = alloc(rows * d)
    dCtx = alloc(rows * d)
    dFF = alloc(rows * s.ffn)
    dU = alloc(rows * max(rank, 1))
    dP = alloc(s.length * s.length)
    allocations = all
  }

  deinit {
    for p in frozenPattern ?? [] { p.deallocate() }
    for p in allocations { p.deallocate() }
    tokens.deallocate()
  }

  /// The current base weights (changed only by pretraining).
  public var base: BaseModel {
    BaseModel(shape: shape, parameters: Array(UnsafeBufferPointer(start: w, count: baseLayout.count)))
  }

  /// The number of base parameters.
  public var baseParameterCount: Int { baseLayout.count }

  /// Applies `body` to the flat base parameters (pretraining's update).
  public func updateBase(_ body: (UnsafeMutablePointer<Float>, Int) -> Void) {
    precondition(rank == 0, "the base is trained only without adapters")
    body(w, baseLayout.count)
  }

  /// The mean cross-entropy of `count ≤ capacity` sequences, and its gradient with respect to the
  /// adapters (into `gradient`, overwritten) when `gradient` is not nil.
  ///
  /// - Parameters:
  ///   - adapters: the flat adapter vector (``AdapterLayout``); ignored when `rank == 0`.
  ///   - inputs: `count × 8` symbols; markers: `count`; targets: `count × 11` symbols.
  ///   - baseGradient: when not nil (pretraining; requires `rank == 0`), receives the gradient
  ///     with respect to the base parameters (``BaseLayout``), overwritten.
  public func evaluate(
    adapters: UnsafePointer<Float>?, inputs: UnsafePointer<UInt8>, markers: UnsafePointer<UInt8>,
    targets: UnsafePointer<UInt8>, count n: Int, gradient: UnsafeMutablePointer<Float>?,
    baseGradient: UnsafeMutablePointer<Float>? = nil
  ) -> Double {
    precondition(n >= 1 && n <= capacity)
    precondition(baseGradient == nil || rank == 0, "the base is trained only without adapters")
    let ad = rank > 0 ? adapters : nil
    let want = gradient != nil || baseGradient != nil
    let loss = forward(
      adapters: ad, inputs: inputs, markers: markers, targets: targets, count: n, wantGradient: want)
    if want {
      backward(adapters: ad, count: n, gradient: rank > 0 ? gradient : nil, baseGradient: baseGradient)
    }
    return loss
  }

  /// Freezes the on/off pattern of every feed-forward ReLU as the last forward pass left it (on
  /// its `n` sequences): until ``thawActivationPattern()``, forward and backward passes on the same
  /// sequences compute `pattern ⊙ pre-activation` instead of `max(pre-activation, 0)`. Near the
  /// point of that pass the loss is then the smooth function of the linear piece it was on, whose
  /// Hessian is the loss's Hessian wherever the latter exists (no pre-activation exactly 0): it is
  /// what an exact Hessian-vector product (Pearlmutter's R-operator) differentiates, and finite
  /// differences of its gradient cross no kink.
  public func freezeActivationPattern(count n: Int) {
    precondition(n >= 1 && n <= capacity)
    thawActivationPattern()
    let size = n * shape.length * shape.ffn
    frozenPattern = ffPre.map { pre in
      let p = UnsafeMutablePointer<Float>.allocate(capacity: size)
      for k in 0..<size { p[k] = pre[k] > 0 ? 1 : 0 }
      return p
    }
    frozenCount = n
  }

  /// Back to the ReLU network.
  public func thawActivationPattern() {
    for p in frozenPattern ?? [] { p.deallocate() }
    frozenPattern = nil
    frozenCount = 0
  }

  /// The sizes ``forward(adapters:inputs:markers:targets:count:wantGradient:)`` and
  /// ``backward(adapters:count:gradient:baseGradient:)`` read: the model width, the sequence
  /// length, the vocabulary, and the encoding's input and output lengths.
  private var sizes: (d: Int, seqLen: Int, vocab: Int, li: Int, lo: Int) {
    (shape.dModel, shape.length, shape.vocabulary, Encoding.inputLength, Encoding.outputLength)
  }

  /// The sizes ``attention(_:_:)`` and ``attentionBackward(_:_:)`` read: the model width, the
  /// sequence length, the head width `d_h`, and the score scale `1/√d_h`.
  private var attentionSizes: (d: Int, seqLen: Int, dh: Int, scale: Float) {
    (shape.dModel, shape.length, shape.headWidth, 1 / Float(shape.headWidth).squareRoot())
  }

  /// The row of position `p` of sequence `i`.
  @inline(__always) func row(_ i: Int, _ p: Int) -> Int { i * shape.length + p }

  // MARK: - Forward

  func forward(
    adapters: UnsafePointer<Float>?, inputs: UnsafePointer<UInt8>, markers: UnsafePointer<UInt8>,
    targets: UnsafePointer<UInt8>, count n: Int, wantGradient: Bool
  ) -> Double {
    let s = shape
    let (d, seqLen, vocab, li, lo) = sizes
    let rows = n * seqLen
    // Tokens and embeddings.
    for i in 0..<n {
      for p in 0..<li { tokens[row(i, p)] = Int32(inputs[i * li + p]) }
      tokens[row(i, li)] = Int32(markers[i])
      for p in 0..<(lo - 1) { tokens[row(i, li + 1 + p)] = Int32(targets[i * lo + p]) }
    }
    let h0 = hIn[0]
    for r in 0..<rows {
      let t = r % seqLen
      let e = w + baseLayout.embedding + Int(tokens[r]) * d
      let pe = w + baseLayout.position + t * d
      let out = h0 + r * d
      for j in 0..<d { out[j] = e[j] + pe[j] }
    }
    for l in 0..<s.layers {
      let b = baseLayout.blocks[l]
      Kernels.layerNorm(hIn[l], a1[l], xhat1[l], rstd1[l], w + b.ln1g, w + b.ln1b, rows, d)
      project(l, .q, a1[l], w + b.wq, q[l], rows, adapters)
      project(l, .k, a1[l], w + b.wk, k[l], rows, adapters)
      project(l, .v, a1[l], w + b.wv, v[l], rows, adapters)
      attention(l, n)
      project(l, .o, ctx[l], w + b.wo, hMid[l], rows, adapters)
      Kernels.add(hMid[l], hIn[l], rows * d)
      Kernels.layerNorm(hMid[l], a2[l], xhat2[l], rstd2[l], w + b.ln2g, w + b.ln2b, rows, d)
      BLAS.gemm(false, true, rows, s.ffn, d, 1, a2[l], d, w + b.w1, d, 0, ffPre[l], s.ffn)
      for r in 0..<rows { Kernels.addBias(ffPre[l] + r * s.ffn, w + b.b1, s.ffn, relu: false) }
      if let frozenPattern {
        precondition(n == frozenCount, "a frozen activation pattern holds for the sequences it was taken on")
        Kernels.multiply(ffAct[l], ffPre[l], frozenPattern[l], rows * s.ffn)
      } else {
        Kernels.relu(ffAct[l], ffPre[l], rows * s.ffn)
      }
      let next = hIn[l + 1]
      next.update(from: hMid[l], count: rows * d)
      BLAS.gemm(false, true, rows, d, s.ffn, 1, ffAct[l], s.ffn, w + b.w2, s.ffn, 1, next, d)
      for r in 0..<rows { Kernels.addBias(next + r * d, w + b.b2, d, relu: false) }
    }
    Kernels.layerNorm(hIn[s.layers], af, xhatF, rstdF, w + baseLayout.lnfg, w + baseLayout.lnfb, rows, d)
    // Logits only at the predicting positions: P rows per sequence, starting at the marker.
    var total = 0.0
    let inv = Float(1) / Float(n * lo)
    if wantGradient { dLogits.update(repeating: 0, count: rows * vocab) }
    for i in 0..<n {
      let r0 = row(i, li)
      BLAS.gemm(
        false, true, lo, vocab, d, 1, af + r0 * d, d, w + baseLayout.wout, d, 0, logits + r0 * vocab, vocab)
      for p in 0..<lo {
        let z = logits + (r0 + p) * vocab
        Kernels.addBias(z, w + baseLayout.bout, vocab, relu: false)
        var m = z[0]
        for c in 1..<vocab where z[c] > m { m = z[c] }
        var sum: Float = 0
        for c in 0..<vocab { sum += expf(z[c] - m) }
        let y = Int(targets[i * lo + p])
        total -= Double(z[y] - m) - Double(logf(sum))
        if wantGradient {
          let g = dLogits + (r0 + p) * vocab
          let rs = inv / sum
          for c in 0..<vocab { g[c] = expf(z[c] - m) * rs }
          g[y] -= inv
        }
      }
    }
    return total / Double(n * lo)
  }

  /// `out = x·Wᵀ (+ s·(x·Aᵀ)·Bᵀ when target `t` carries an adapter)`, `rows × d`.
  func project(
    _ l: Int, _ t: AdapterTarget, _ x: UnsafePointer<Float>, _ wt: UnsafePointer<Float>,
    _ out: UnsafeMutablePointer<Float>, _ rows: Int, _ adapters: UnsafePointer<Float>?
  ) {
    let d = shape.dModel
    BLAS.gemm(false, true, rows, d, d, 1, x, d, wt, d, 0, out, d)
    if let adapters, let layout, let ti = layout.index(t) {
      let u = loraU[l][ti]
      BLAS.gemm(false, true, rows, rank, d, 1, x, d, adapters + layout.aOffset[l][ti], d, 0, u, rank)
      BLAS.gemm(false, true, rows, d, rank, scale, u, rank, adapters + layout.bOffset[l][ti], rank, 1, out, d)
    }
  }

  /// Calls `body(offset, probabilities)` for every sequence `i < n` and head of block `l`: the
  /// offset of the head's first column in the sequence's rows of `q`, `k`, `v`, `ctx`, and its
  /// `length × length` attention probabilities.
  func forEachHead(_ l: Int, _ n: Int, _ body: (Int, UnsafeMutablePointer<Float>) -> Void) {
    let s = shape
    let seqLen = s.length
    for i in 0..<n {
      for h in 0..<s.heads {
        body(i * seqLen * s.dModel + h * s.headWidth, probs[l] + (i * s.heads + h) * seqLen * seqLen)
      }
    }
  }

  func attention(_ l: Int, _ n: Int) {
    let (d, seqLen, dh, sc) = attentionSizes
    forEachHead(l, n) { off, prob in
      BLAS.gemm(false, true, seqLen, seqLen, dh, sc, q[l] + off, d, k[l] + off, d, 0, prob, seqLen)
      for r in 0..<seqLen {
        let pr = prob + r * seqLen
        var m = pr[0]
        for c in 0...r where pr[c] > m { m = pr[c] }
        var sum: Float = 0
        for c in 0...r {
          let e = expf(pr[c] - m)
          pr[c] = e
          sum += e
        }
        let invSum = 1 / sum
        for c in 0...r { pr[c] *= invSum }
        for c in (r + 1)..<seqLen { pr[c] = 0 }
      }
      BLAS.gemm(false, false, seqLen, dh, seqLen, 1, prob, seqLen, v[l] + off, d, 0, ctx[l] + off, d)
    }
  }

  // MARK: - Backward

  func backward(
    adapters: UnsafePointer<Float>?, count n: Int, gradient: UnsafeMutablePointer<Float>?,
    baseGradient gw: UnsafeMutablePointer<Float>?
  ) {
    let s = shape
    let (d, seqLen, vocab, li, lo) = sizes
    let f = s.ffn
    let rows = n * seqLen
    if let gw { gw.update(repeating: 0, count: baseLayout.count) }
    if let gradient, let layout { gradient.update(repeating: 0, count: layout.count) }
    // Output layer: only the predicting rows have a gradient.
    dh.update(repeating: 0, count: rows * d)
    for i in 0..<n {
      let r0 = row(i, li)
      BLAS.gemm(
        false, false, lo, d, vocab, 1, dLogits + r0 * vocab, vocab, w + baseLayout.wout, d, 0, dA + r0 * d, d)
      if let gw {
        BLAS.gemm(
          true, false, vocab, d, lo, 1, dLogits + r0 * vocab, vocab, af + r0 * d, d, 1, gw + baseLayout.wout,
          d)
        for p in 0..<lo { Kernels.add(gw + baseLayout.bout, dLogits + (r0 + p) * vocab, vocab) }
      }
      Kernels.layerNormBackward(
        dA + r0 * d, xhatF + r0 * d, rstdF + r0, w + baseLayout.lnfg, dh + r0 * d, lo, d,
        gw.map { $0 + baseLayout.lnfg }, gw.map { $0 + baseLayout.lnfb }, accumulate: false)
    }
    for l in stride(from: s.layers - 1, through: 0, by: -1) {
      let b = baseLayout.blocks[l]
      // Feed-forward: h_{l+1} = hMid + relu(a2·W1ᵀ + b1)·W2ᵀ + b2; dh holds ∂h_{l+1}.
      if let gw {
        BLAS.gemm(true, false, d, f, rows, 1, dh, d, ffAct[l], f, 1, gw + b.w2, f)
        for r in 0..<rows { Kernels.add(gw + b.b2, dh + r * d, d) }
      }
      BLAS.gemm(false, false, rows, f, d, 1, dh, d, w + b.w2, f, 0, dFF, f)
      if let frozenPattern {
        Kernels.multiply(dFF, dFF, frozenPattern[l], rows * f)
      } else {
        Kernels.reluMask(dFF, ffPre[l], rows * f)
      }
      if let gw {
        BLAS.gemm(true, false, f, d, rows, 1, dFF, f, a2[l], d, 1, gw + b.w1, d)
        for r in 0..<rows { Kernels.add(gw + b.b1, dFF + r * f, f) }
      }
      BLAS.gemm(false, false, rows, d, f, 1, dFF, f, w + b.w1, d, 0, dA, d)
      // dh ← ∂hMid = dh + LN₂ᵀ(dA)
      Kernels.layerNormBackward(
        dA, xhat2[l], rstd2[l], w + b.ln2g, dh, rows, d, gw.map { $0 + b.ln2g }, gw.map { $0 + b.ln2b },
        accumulate: true)
      // Attention output projection: hMid = h_l + ctx·W_oᵀ.
      dCtx.update(repeating: 0, count: rows * d)
      projectBackward(l, .o, dh, ctx[l], w + b.wo, dCtx, rows, adapters, gradient, gw.map { $0 + b.wo })
      attentionBackward(l, n)
      dA.update(repeating: 0, count: rows * d)
      projectBackward(l, .q, dq, a1[l], w + b.wq, dA, rows, adapters, gradient, gw.map { $0 + b.wq })
      projectBackward(l, .k, dk, a1[l], w + b.wk, dA, rows, adapters, gradient, gw.map { $0 + b.wk })
      projectBackward(l, .v, dv, a1[l], w + b.wv, dA, rows, adapters, gradient, gw.map { $0 + b.wv })
      // With a frozen base, nothing below block 0's first LayerNorm is trained.
      if l == 0 && gw == nil { break }
      Kernels.layerNormBackward(
        dA, xhat1[l], rstd1[l], w + b.ln1g, dh, rows, d, gw.map { $0 + b.ln1g }, gw.map { $0 + b.ln1b },
        accumulate: true)
    }
    if let gw {
      for r in 0..<rows {
        Kernels.add(gw + baseLayout.embedding + Int(tokens[r]) * d, dh + r * d, d)
        Kernels.add(gw + baseLayout.position + (r % seqLen) * d, dh + r * d, d)
      }
    }
  }

  /// Backward of ``project``: adds `∂z·W (+ ∂u·A)` into `dx`, and the adapter (and base) gradients.
  func projectBackward(
    _ l: Int, _ t: AdapterTarget, _ dz: UnsafePointer<Float>, _ x: UnsafePointer<Float>,
    _ wt: UnsafePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, _ rows: Int, _ adapters: UnsafePointer<Float>?,
    _ gradient: UnsafeMutablePointer<Float>?, _ gw: UnsafeMutablePointer<Float>?
  ) {
    let d = shape.dModel
    BLAS.gemm(false, false, rows, d, d, 1, dz, d, wt, d, 1, dx, d)
    if let gw { BLAS.gemm(true, false, d, d, rows, 1, dz, d, x, d, 1, gw, d) }
    if let adapters, let layout, let ti = layout.index(t) {
      let a = adapters + layout.aOffset[l][ti]
      let bm = adapters + layout.bOffset[l][ti]
      BLAS.gemm(false, false, rows, rank, d, scale, dz, d, bm, rank, 0, dU, rank)
      if let gradient {
        BLAS.gemm(
          true, false, d, rank, rows, scale, dz, d, loraU[l][ti], rank, 0, gradient + layout.bOffset[l][ti],
          rank)
        BLAS.gemm(true, false, rank, d, rows, 1, dU, rank, x, d, 0, gradient + layout.aOffset[l][ti], d)
      }
      BLAS.gemm(false, false, rows, d, rank, 1, dU, rank, a, d, 1, dx, d)
    }
  }

  /// From `dCtx` to `dq`, `dk`, `dv`.
  func attentionBackward(_ l: Int, _ n: Int) {
    let (d, seqLen, dh, sc) = attentionSizes
    forEachHead(l, n) { off, prob in
      BLAS.gemm(false, true, seqLen, seqLen, dh, 1, dCtx + off, d, v[l] + off, d, 0, dP, seqLen)
      BLAS.gemm(true, false, seqLen, dh, seqLen, 1, prob, seqLen, dCtx + off, d, 0, dv + off, d)
      for r in 0..<seqLen {
        let pr = prob + r * seqLen
        let gr = dP + r * seqLen
        var dot: Float = 0
        for c in 0...r { dot += gr[c] * pr[c] }
        for c in 0...r { gr[c] = pr[c] * (gr[c] - dot) * sc }
        for c in (r + 1)..<seqLen { gr[c] = 0 }
      }
      BLAS.gemm(false, false, seqLen, dh, seqLen, 1, dP, seqLen, k[l] + off, d, 0, dq + off, d)
      BLAS.gemm(true, false, seqLen, dh, seqLen, 1, dP, seqLen, q[l] + off, d, 0, dk + off, d)
    }
  }
}
