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

  /// Splits `words` with `seed`, encodes the task and pretrains the base on the related tasks.
  public init(words: [String], seed: UInt64, configuration c: RunConfiguration) throws(DataError) {
    let list = try WordList(words: words, seed: seed)
    self.seed = seed
    train = Examples.pigLatin(list.train)
    conflicting = Examples.task(.reverseAy, list.train)
    validation = Examples.pigLatin(Array(list.validation.prefix(c.validationSize)))
    test = Examples.pigLatin(c.testSize > 0 ? Array(list.test.prefix(c.testSize)) : list.test)
    sharpnessSet = Examples.pigLatin(Array(list.train.prefix(c.sharpnessBatch)))
    pretraining = Pretraining.run(
      words: list.train, seed: seed, steps: c.pretrainSteps, lr: c.pretrainRate, shape: c.shape)
    base = pretraining.base
    wordCounts = (list.train.count, list.validation.count, list.test.count)
  }
}
