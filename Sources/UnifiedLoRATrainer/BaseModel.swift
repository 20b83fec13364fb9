import Foundation
import UnifiedLoRA

/// The shape of the decoder-only transformer.
///
/// Pre-LayerNorm blocks, learned token and position embeddings, causal multi-head attention
/// without biases in its four projections, a ReLU feed-forward layer, a final LayerNorm and an
/// untied output layer with bias:
///
/// ```
/// h₀ = E[token] + P[position]
/// per block:  a = LN₁(h);  q,k,v = a·W_qᵀ, a·W_kᵀ, a·W_vᵀ
///             head j: ctx_j = softmax(q_j·k_jᵀ/√d_h + causal mask)·v_j
///             h ← h + ctx·W_oᵀ;   c = LN₂(h);   h ← h + relu(c·W₁ᵀ + b₁)·W₂ᵀ + b₂
/// logits = LN_f(h)·W_outᵀ + b_out
/// ```
public struct ModelShape: Sendable, Hashable, Codable {
  public var dModel: Int
  public var heads: Int
  public var layers: Int
  public var ffn: Int

  public init(dModel: Int = 64, heads: Int = 4, layers: Int = 2, ffn: Int = 128) {
    self.dModel = dModel
    self.heads = heads
    self.layers = layers
    self.ffn = ffn
  }

  public var headWidth: Int { dModel / heads }
  public var vocabulary: Int { Encoding.vocabulary }
  public var length: Int { Encoding.length }

  /// Whether the shape is usable: positive sizes and `heads` dividing `dModel`.
  public var isValid: Bool {
    dModel >= 1 && heads >= 1 && layers >= 1 && ffn >= 1 && dModel % heads == 0 && dModel <= 4096
      && ffn <= 16384
      && layers <= 64
  }
}

/// Offsets of every base tensor in the flat parameter vector (row-major, `out × in` for weights).
public struct BaseLayout: Sendable, Hashable, Codable {
  public struct Block: Sendable, Hashable, Codable {
    public var ln1g: Int, ln1b: Int, wq: Int, wk: Int, wv: Int, wo: Int
    public var ln2g: Int, ln2b: Int, w1: Int, b1: Int, w2: Int, b2: Int
  }
  public let shape: ModelShape
  public let embedding: Int
  public let position: Int
  public let blocks: [Block]
  public let lnfg: Int, lnfb: Int, wout: Int, bout: Int
  public let count: Int

  public init(_ s: ModelShape) {
    shape = s
    let d = s.dModel
    let f = s.ffn
    let v = s.vocabulary
    var o = 0
    func take(_ n: Int) -> Int {
      defer { o += n }
      return o
    }
    embedding = take(v * d)
    position = take(s.length * d)
    var b: [Block] = []
    for _ in 0..<s.layers {
      b.append(
        Block(
          ln1g: take(d), ln1b: take(d), wq: take(d * d), wk: take(d * d), wv: take(d * d), wo: take(d * d),
          ln2g: take(d), ln2b: take(d), w1: take(f * d), b1: take(f), w2: take(d * f), b2: take(d)))
    }
    blocks = b
    lnfg = take(d)
    lnfb = take(d)
    wout = take(v * d)
    bout = take(v)
    count = o
  }
}

/// The base network's weights: a shape and one flat single-precision vector (``BaseLayout``).
///
/// Made by ``random(seed:shape:)`` and then pretrained by ``Pretraining``; the LoRA phase never
/// changes it.
public struct BaseModel: Sendable, Hashable {
  public let shape: ModelShape
  public var parameters: [Float]

  public init(shape: ModelShape, parameters: [Float]) {
    precondition(parameters.count == BaseLayout(shape).count)
    self.shape = shape
    self.parameters = parameters
  }

  /// A freshly initialised base: embeddings normal with sd 0.02, weight matrices uniform in
  /// `±1/√in` (PyTorch's `nn.Linear` default), LayerNorm gains 1, biases 0.
  public static func random(seed: UInt64, shape: ModelShape = ModelShape()) -> BaseModel {
    let layout = BaseLayout(shape)
    var rng = SeededGenerator(seed: seed ^ 0xBA5E_0000_0000_0001)
    var p = [Float](repeating: 0, count: layout.count)
    let d = shape.dModel
    let f = shape.ffn
    func normal(_ at: Int, _ n: Int, sd: Double) {
      for i in 0..<n { p[at + i] = Float(rng.nextGaussian() * sd) }
    }
    func uniform(_ at: Int, _ n: Int, fanIn: Int) {
      let bound = 1 / Double(fanIn).squareRoot()
      for i in 0..<n { p[at + i] = Float((2 * rng.nextUnit() - 1) * bound) }
    }
    func ones(_ at: Int, _ n: Int) { for i in 0..<n { p[at + i] = 1 } }
    normal(layout.embedding, shape.vocabulary * d, sd: 0.02)
    normal(layout.position, shape.length * d, sd: 0.02)
    for b in layout.blocks {
      ones(b.ln1g, d)
      ones(b.ln2g, d)
      for w in [b.wq, b.wk, b.wv, b.wo] { uniform(w, d * d, fanIn: d) }
      uniform(b.w1, f * d, fanIn: d)
      uniform(b.w2, d * f, fanIn: f)
    }
    ones(layout.lnfg, d)
    uniform(layout.wout, shape.vocabulary * d, fanIn: d)
    return BaseModel(shape: shape, parameters: p)
  }
}

/// An attention projection that can carry a LoRA adapter.
public enum AdapterTarget: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
  case q, k, v, o

  public static func < (a: AdapterTarget, b: AdapterTarget) -> Bool {
    allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
  }

  /// Parses `q,v` (any of q, k, v, o; each at most once).
  public static func parse(_ text: String) throws(DataError) -> [AdapterTarget] {
    var out: [AdapterTarget] = []
    for part in text.split(separator: ",") {
      let name = part.trimmingCharacters(in: .whitespaces)
      guard let t = AdapterTarget(rawValue: name) else {
        throw DataError(
          "invalid LoRA target '\(name)' in '\(text)': expected a comma-separated subset of q, k, v, o")
      }
      guard !out.contains(t) else {
        throw DataError("invalid LoRA targets '\(text)': '\(name)' is given twice")
      }
      out.append(t)
    }
    guard !out.isEmpty else {
      throw DataError("invalid LoRA targets '\(text)': give at least one of q, k, v, o")
    }
    return out.sorted()
  }
}

/// Where each adapter matrix lives in the flat trainable vector.
///
/// For each block and each target projection `W` (`d × d`): `A` is `r × d` and `B` is `d × r`,
/// row-major, stored block by block in the order of ``targets``. The projection computes
/// `a·Wᵀ + (α/r)·(a·Aᵀ)·Bᵀ`.
public struct AdapterLayout: Sendable, Hashable, Codable {
  public let rank: Int
  public let shape: ModelShape
  public let targets: [AdapterTarget]
  /// `aOffset[block][target index]`, `bOffset[block][target index]`.
  public let aOffset: [[Int]]
  public let bOffset: [[Int]]
  /// The number of trainable parameters.
  public let count: Int

  public init(rank: Int, shape: ModelShape, targets: [AdapterTarget]) {
    precondition(rank >= 1 && !targets.isEmpty)
    self.rank = rank
    self.shape = shape
    self.targets = targets
    let d = shape.dModel
    var a: [[Int]] = []
    var b: [[Int]] = []
    var o = 0
    for _ in 0..<shape.layers {
      var ab: [Int] = []
      var bb: [Int] = []
      for _ in targets {
        ab.append(o)
        o += rank * d
        bb.append(o)
        o += d * rank
      }
      a.append(ab)
      b.append(bb)
    }
    aOffset = a
    bOffset = b
    count = o
  }

  /// The index of `t` in ``targets``, or nil.
  public func index(_ t: AdapterTarget) -> Int? { targets.firstIndex(of: t) }

  /// The initial adapters: `A` uniform in `±1/√d` (PEFT's Kaiming-uniform), `B = 0`, so the
  /// adapted network starts equal to the base.
  public func initial(seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed ^ 0xADA9_0000_0000_0002)
    var v = [Float](repeating: 0, count: count)
    let d = shape.dModel
    let bound = 1 / Double(d).squareRoot()
    for l in 0..<shape.layers {
      for k in targets.indices {
        for i in 0..<(rank * d) { v[aOffset[l][k] + i] = Float((2 * rng.nextUnit() - 1) * bound) }
      }
    }
    return v
  }
}
