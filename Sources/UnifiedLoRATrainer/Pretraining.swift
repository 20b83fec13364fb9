#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Pretrains the base transformer on related word transformations — copy, reverse, rotate by one
/// or two letters + "ay", append "way", drop the onset (``WordTask/pretraining``) — before it is
/// frozen.
///
/// Full-weight Adam (PyTorch's betas and ε) on the mixture over the training words, batch 64,
/// learning rate warmed up linearly over the first 5 % of the steps to `lr`, then cosine-decayed
/// to `lr/10`. Deterministic for a seed. The Pig-Latin phase then trains only the adapters.
public enum Pretraining {
  public struct Result: Sendable {
    public let base: BaseModel
    /// The mixture's loss of the last batch, and the exact match on up to 512 words per task.
    public let finalLoss: Double
    public let exactMatch: [WordTask: Double]
    /// Pig Latin's exact match of the base alone (before any adapter training).
    public let pigLatinBefore: Double
    public var copyAccuracy: Double { exactMatch[.copy] ?? 0 }
  }

  /// The pretraining batch size.
  public static let batchSize = 64

  public static func run(
    words: [String], seed: UInt64, steps: Int = 2000, batchSize: Int = Pretraining.batchSize,
    lr: Double = 3e-3,
    shape: ModelShape = ModelShape()
  ) -> Result {
    let examples = Examples.pretraining(words)
    let net = Network(
      base: .random(seed: seed, shape: shape), rank: 0, alpha: 0, capacity: max(batchSize, 128))
    let count = net.baseParameterCount
    var grad = [Float](repeating: 0, count: count)
    var optimizer = Optimizer(kind: .adam, count: count)
    var stream = BatchStream(examples: examples, batchSize: batchSize, seed: seed ^ 0x9E7A)
    var batch = BatchBuffers(batchSize)
    var loss = 0.0
    var parameters = net.base.parameters
    let warm = max(1, steps / 20)
    for t in 0..<steps {
      stream.next(&batch)
      loss = batch.inputs.withUnsafeBufferPointer { ip in
        batch.markers.withUnsafeBufferPointer { mp in
          batch.targets.withUnsafeBufferPointer { tp in
            grad.withUnsafeMutableBufferPointer { gp in
              net.evaluate(
                adapters: nil, inputs: ip.baseAddress!, markers: mp.baseAddress!, targets: tp.baseAddress!,
                count: batchSize, gradient: nil, baseGradient: gp.baseAddress!)
            }
          }
        }
      }
      let rate =
        t < warm
        ? lr * Double(t + 1) / Double(warm)
        : lr * (0.1 + 0.9 * 0.5 * (1 + cos(Double.pi * Double(t - warm) / Double(max(1, steps - warm)))))
      optimizer.step(&parameters, gradient: grad, lr: rate)
      net.updateBase { p, n in
        parameters.withUnsafeBufferPointer { p.update(from: $0.baseAddress!, count: n) }
      }
    }
    var accuracy: [WordTask: Double] = [:]
    let check = Array(words.prefix(512))
    for task in WordTask.pretraining {
      accuracy[task] = net.exactMatch(adapters: nil, on: .task(task, check))
    }
    let before = net.exactMatch(adapters: nil, on: .pigLatin(check))
    return Result(base: net.base, finalLoss: loss, exactMatch: accuracy, pigLatinBefore: before)
  }
}
