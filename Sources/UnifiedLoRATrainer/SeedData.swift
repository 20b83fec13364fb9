/// What every arm of one seed shares: the split, the encoded sets and the pretrained base.
public struct SeedData: Sendable {
  public let seed: UInt64
  public let train: Examples
  /// The first ``RunConfiguration/validationSize`` validation words (clean targets).
  public let validation: Examples
  public let test: Examples
  /// Clean training words for the sharpness measurement and the divergence probes.
  public let sharpnessSet: Examples
  public let base: BaseModel
  public let pretraining: Pretraining.Result
  public let wordCounts: (train: Int, validation: Int, test: Int)

  /// Splits `words` with `seed`, encodes the task and pretrains the base on the copy task.
  public init(words: [String], seed: UInt64, configuration c: RunConfiguration) throws(DataError) {
    let list = try WordList(words: words, seed: seed)
    self.seed = seed
    train = Examples.pigLatin(list.train)
    validation = Examples.pigLatin(Array(list.validation.prefix(c.validationSize)))
    test = Examples.pigLatin(list.test)
    sharpnessSet = Examples.pigLatin(Array(list.train.prefix(c.sharpnessBatch)))
    pretraining = Pretraining.run(words: list.train, seed: seed, steps: c.pretrainSteps, hidden: c.hidden)
    base = pretraining.base
    wordCounts = (list.train.count, list.validation.count, list.test.count)
  }
}
