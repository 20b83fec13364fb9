import UnifiedLoRA

/// The frozen base network: three dense layers `216 → 256 → 256 → 297` with ReLU between them.
///
/// ```
/// h1 = relu(W1·x + b1),  h2 = relu(W2·h1 + b2),  logits = W3·h2 + b3
/// ```
///
/// Weights are row-major `out × in` in single precision. A base is made by
/// ``random(seed:hidden:)`` (Kaiming-uniform weights, zero biases) and then pretrained on the copy
/// task by ``Pretraining``; the LoRA phase never changes it.
public struct BaseModel: Sendable, Hashable {
  /// Layer widths `[216, hidden, hidden, 297]`.
  public let widths: [Int]
  /// `weights[l]` is `widths[l+1] × widths[l]`, row-major.
  public var weights: [[Float]]
  /// `biases[l]` has `widths[l+1]` entries.
  public var biases: [[Float]]

  public init(widths: [Int], weights: [[Float]], biases: [[Float]]) {
    precondition(widths.count == 4 && weights.count == 3 && biases.count == 3)
    for l in 0..<3 {
      precondition(weights[l].count == widths[l] * widths[l + 1] && biases[l].count == widths[l + 1])
    }
    self.widths = widths
    self.weights = weights
    self.biases = biases
  }

  /// A freshly initialised base: weights uniform in `±1/√in` (PyTorch's `nn.Linear` default,
  /// Kaiming-uniform with `a = √5`), biases zero.
  public static func random(seed: UInt64, hidden: Int = 256) -> BaseModel {
    let widths = [Encoding.inputWidth, hidden, hidden, Encoding.outputWidth]
    var rng = SeededGenerator(seed: seed ^ 0xBA5E_0000_0000_0001)
    var weights: [[Float]] = []
    for l in 0..<3 {
      let bound = 1 / Double(widths[l]).squareRoot()
      weights.append((0..<(widths[l] * widths[l + 1])).map { _ in Float((2 * rng.nextUnit() - 1) * bound) })
    }
    return BaseModel(widths: widths, weights: weights, biases: (1...3).map { [Float](repeating: 0, count: widths[$0]) })
  }
}

/// Where each adapter matrix lives in the flat trainable vector.
///
/// For layer `l` with input width `n_l` and output width `m_l`: `A_l` is `r × n_l` and `B_l` is
/// `m_l × r`, row-major, stored in the order `A1, B1, A2, B2, A3, B3`. The layer computes
/// `W_l·x + b_l + (α/r)·B_l·A_l·x`.
public struct AdapterLayout: Sendable, Hashable, Codable {
  public let rank: Int
  public let widths: [Int]
  /// Offsets of `A_l` and `B_l` in the flat vector.
  public let aOffset: [Int]
  public let bOffset: [Int]
  /// The number of trainable parameters.
  public let count: Int

  public init(rank: Int, widths: [Int]) {
    precondition(rank >= 1 && widths.count == 4)
    self.rank = rank
    self.widths = widths
    var a: [Int] = []
    var b: [Int] = []
    var o = 0
    for l in 0..<3 {
      a.append(o)
      o += rank * widths[l]
      b.append(o)
      o += widths[l + 1] * rank
    }
    aOffset = a
    bOffset = b
    count = o
  }

  /// The initial adapters: `A` uniform in `±1/√n` (PEFT's Kaiming-uniform), `B = 0`, so the
  /// adapted network starts equal to the base.
  public func initial(seed: UInt64) -> [Float] {
    var rng = SeededGenerator(seed: seed ^ 0xADA9_0000_0000_0002)
    var v = [Float](repeating: 0, count: count)
    for l in 0..<3 {
      let bound = 1 / Double(widths[l]).squareRoot()
      for i in 0..<(rank * widths[l]) { v[aOffset[l] + i] = Float((2 * rng.nextUnit() - 1) * bound) }
    }
    return v
  }
}
