/// Pretrains the base network on a different task — copying the word — before it is frozen.
///
/// Full-weight Adam (lr 1e-3, PyTorch defaults otherwise) on the copy task over the training
/// words, batch 64, for `steps` steps, from ``BaseModel/random(seed:hidden:)``. Deterministic for a
/// seed. The Pig-Latin phase then trains only the adapters on top of the returned base.
public enum Pretraining {
  public struct Result: Sendable {
    public let base: BaseModel
    /// The copy-task loss of the last batch and the exact-match accuracy on `check` words.
    public let finalLoss: Double
    public let copyAccuracy: Double
  }

  public static func run(
    words: [String], seed: UInt64, steps: Int = 400, batchSize: Int = 64, lr: Double = 1e-3,
    hidden: Int = 256
  ) -> Result {
    let examples = Examples.copy(words)
    let net = Network(base: .random(seed: seed, hidden: hidden), rank: 0, alpha: 0, capacity: max(batchSize, 256))
    let count = net.baseParameterCount
    var grad = [Float](repeating: 0, count: count)
    var m = [Float](repeating: 0, count: count)
    var v = [Float](repeating: 0, count: count)
    var stream = BatchStream(examples: examples, batchSize: batchSize, seed: seed ^ 0x9E7A)
    var inputs = [UInt8](repeating: 0, count: batchSize * Encoding.inputLength)
    var targets = [UInt8](repeating: 0, count: batchSize * Encoding.outputLength)
    var loss = 0.0
    let b1: Float = 0.9, b2: Float = 0.999, eps: Float = 1e-8
    for t in 1...max(steps, 1) where steps > 0 {
      stream.next(inputs: &inputs, targets: &targets)
      loss = inputs.withUnsafeBufferPointer { ip in
        targets.withUnsafeBufferPointer { tp in
          grad.withUnsafeMutableBufferPointer { gp in
            net.evaluate(
              adapters: nil, inputs: ip.baseAddress!, targets: tp.baseAddress!, count: batchSize,
              gradient: nil, baseGradient: gp.baseAddress!)
          }
        }
      }
      var bc1 = Float(1), bc2 = Float(1)
      for _ in 0..<t {
        bc1 *= b1
        bc2 *= b2
      }
      let stepSize = Float(lr) / (1 - bc1)
      let bc2Root = (1 - bc2).squareRoot()
      var offset = 0
      net.updateBase { p, n in
        for k in 0..<n {
          let g = grad[offset + k]
          m[offset + k] = b1 * m[offset + k] + (1 - b1) * g
          v[offset + k] = b2 * v[offset + k] + (1 - b2) * g * g
          p[k] -= stepSize * m[offset + k] / (v[offset + k].squareRoot() / bc2Root + eps)
        }
        offset += n
      }
    }
    let check = examples.subset(0..<min(512, examples.count))
    return Result(base: net.base, finalLoss: loss, copyAccuracy: net.exactMatch(adapters: nil, on: check))
  }
}
