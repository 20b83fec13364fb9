/// The fixed shapes of the task and the symbol encoding.
///
/// Symbols `0…25` are the letters a…z and `26` is padding. A word is encoded position-wise
/// as `inputLength × alphabet` one-hot (8 × 27 = 216 inputs); a target is `outputLength`
/// symbols (11: the longest Pig-Latin form of an 8-letter word is 8 + "way").
public enum Encoding {
  public static let alphabet = 27
  public static let pad: UInt8 = 26
  public static let inputLength = 8
  public static let outputLength = 11
  public static let inputWidth = inputLength * alphabet
  public static let outputWidth = outputLength * alphabet

  /// The symbols of `word`, padded to `length` (letters beyond `length` are dropped).
  public static func symbols(_ word: String, length: Int) -> [UInt8] {
    var out = [UInt8](repeating: pad, count: length)
    for (i, c) in word.utf8.prefix(length).enumerated() { out[i] = c &- UInt8(ascii: "a") }
    return out
  }

  /// The word a symbol sequence spells (padding removed).
  public static func word(_ symbols: some Sequence<UInt8>) -> String {
    String(decoding: symbols.filter { $0 != pad }.map { $0 + UInt8(ascii: "a") }, as: UTF8.self)
  }
}

/// A set of examples with their input and target symbols, stored flat.
public struct Examples: Sendable, Hashable {
  /// `count × inputLength` input symbols.
  public var inputs: [UInt8]
  /// `count × outputLength` target symbols.
  public var targets: [UInt8]
  public var count: Int { inputs.count / Encoding.inputLength }

  public init(inputs: [UInt8], targets: [UInt8]) {
    precondition(inputs.count / Encoding.inputLength == targets.count / Encoding.outputLength)
    self.inputs = inputs
    self.targets = targets
  }

  /// The Pig-Latin task on `words`.
  public static func pigLatin(_ words: [String]) -> Examples {
    Examples(
      inputs: words.flatMap { Encoding.symbols($0, length: Encoding.inputLength) },
      targets: words.flatMap { Encoding.symbols(PigLatin.translate($0), length: Encoding.outputLength) })
  }

  /// The pretraining task on `words`: copy the word.
  public static func copy(_ words: [String]) -> Examples {
    Examples(
      inputs: words.flatMap { Encoding.symbols($0, length: Encoding.inputLength) },
      targets: words.flatMap { Encoding.symbols($0, length: Encoding.outputLength) })
  }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: some Sequence<Int>) -> Examples {
    var i: [UInt8] = []
    var t: [UInt8] = []
    for k in indices {
      i += inputs[(k * Encoding.inputLength)..<((k + 1) * Encoding.inputLength)]
      t += targets[(k * Encoding.outputLength)..<((k + 1) * Encoding.outputLength)]
    }
    return Examples(inputs: i, targets: t)
  }
}
