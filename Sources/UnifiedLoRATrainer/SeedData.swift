/// What every arm of one seed shares: the split, the encoded sets and the pretrained base.
public struct SeedData: Sendable {
  public let seed: UInt64
  public let train: Examples
  /// The training words under the shock's conflicting mapping (``WordTask/reverseAy``).
  public let conflicting: Examples
  /// The first ``RunConfiguration/validationSize`` validation words (clean targets).
  public let validation: Examples
  public let test: Examples
  /// Clean training words for the sharpness measurement.
  public let sharpnessSet: Examples
  public let base: BaseModel
  public let pretraining: Pretraining.Result
  public let wordCounts: (train: Int, validation: Int, test: Int)

  /// Whether the base came from a ``BaseCache`` instead of being pretrained here.
  public let baseFromCache: Bool

  /// Splits `words` with `seed`, encodes the task and pretrains the base on the related tasks
  /// (or takes it from `cache` when it holds the same configuration's base).
  public init(words: [String], seed: UInt64, configuration c: RunConfiguration, cache: BaseCache? = nil)
    throws(DataError)
  {
    let list = try WordList(words: words, seed: seed)
    self.seed = seed
    train = Examples.pigLatin(list.train)
    conflicting = Examples.task(.reverseAy, list.train)
    validation = Examples.pigLatin(Array(list.validation.prefix(c.validationSize)))
    test = Examples.pigLatin(c.testSize > 0 ? Array(list.test.prefix(c.testSize)) : list.test)
    sharpnessSet = Examples.pigLatin(Array(list.train.prefix(c.sharpnessBatch)))
    let key = cache?.key(
      words: list.train, seed: seed, steps: c.pretrainSteps, batchSize: Pretraining.batchSize,
      lr: c.pretrainRate, shape: c.shape)
    if let cache, let key, let cached = cache.load(key, shape: c.shape) {
      pretraining = cached
      baseFromCache = true
    } else {
      pretraining = Pretraining.run(
        words: list.train, seed: seed, steps: c.pretrainSteps, batchSize: Pretraining.batchSize,
        lr: c.pretrainRate, shape: c.shape)
      baseFromCache = false
      if let cache, let key { cache.store(pretraining, key: key) }
    }
    base = pretraining.base
    wordCounts = (list.train.count, list.validation.count, list.test.count)
  }
}
