/// The symbols of the task and the layout of one sequence.
///
/// Symbols `0…25` are the letters a…z, `26` is padding (it also ends an output), and
/// `27…` are task markers (``WordTask``). One example is a sequence of ``length`` = 19 symbols
/// for the decoder-only transformer:
///
/// ```
/// position  0 … 7        8          9 … 18
///           word + pad   marker     output[0 … 9]        (teacher forcing)
/// predicts                output[0]  output[1 … 10]
/// ```
///
/// so the model predicts the 11 output symbols (the longest Pig-Latin form of an 8-letter word is
/// 8 + "way") at positions 8…18. Because the output is read left to right from its own prefix,
/// greedy decoding reproduces a target exactly iff every teacher-forced arg-max is right, so exact
/// match is measured with one forward pass.
public enum Encoding {
  public static let letters = 26
  public static let pad: UInt8 = 26
  public static let inputLength = 8
  public static let outputLength = 11
  /// Positions of one sequence: word, marker, all outputs but the last.
  public static let length = inputLength + outputLength
  /// The position of the marker (the first predicting position).
  public static let markerPosition = inputLength
  /// Letters, padding and one marker per ``WordTask``.
  public static let vocabulary = 27 + WordTask.allCases.count

  /// The symbols of `word`, padded to `length` (letters beyond `length` are dropped).
  public static func symbols(_ word: String, length: Int) -> [UInt8] {
    var out = [UInt8](repeating: pad, count: length)
    for (i, c) in word.utf8.prefix(length).enumerated() { out[i] = c &- UInt8(ascii: "a") }
    return out
  }

  /// The word a symbol sequence spells (padding and markers removed).
  public static func word(_ symbols: some Sequence<UInt8>) -> String {
    String(decoding: symbols.filter { $0 < pad }.map { $0 + UInt8(ascii: "a") }, as: UTF8.self)
  }
}

/// The word transformations: the base is pretrained on several related ones, the adapters learn
/// Pig Latin, and the conflicting shock is another fixed one.
public enum WordTask: Int, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// `word → word`.
  case copy
  /// `word → drow`.
  case reverse
  /// `word → ord + w + ay` (the first letter moved to the end, then "ay").
  case rotateOne
  /// `word → rd + wo + ay` (the first two letters moved; shorter words as rotateOne).
  case rotateTwo
  /// `word → word + way`.
  case appendWay
  /// `string → ing`: drop the letters before the first vowel (a e i o u; y after the first letter).
  case dropOnset
  /// Pig Latin (``PigLatin``).
  case pigLatin
  /// The conflicting mapping of a shock: `word → drow + ay` (reverse, then "ay").
  case reverseAy

  /// The tasks the base is pretrained on (in equal shares).
  public static let pretraining: [WordTask] = [
    .copy, .reverse, .rotateOne, .rotateTwo, .appendWay, .dropOnset,
  ]

  /// The marker symbol shown at position 8. Pig Latin and its conflicting shock share the marker
  /// of `rotateOne` (the pretraining task closest to it): the adapters must change what the frozen
  /// base does for that marker, and a shock gives conflicting targets for the same inputs.
  public var marker: UInt8 {
    switch self {
    case .pigLatin, .reverseAy: UInt8(27 + WordTask.rotateOne.rawValue)
    default: UInt8(27 + rawValue)
    }
  }

  public var description: String {
    switch self {
    case .copy: "copy"
    case .reverse: "reverse"
    case .rotateOne: "rotate-1+ay"
    case .rotateTwo: "rotate-2+ay"
    case .appendWay: "append-way"
    case .dropOnset: "drop-onset"
    case .pigLatin: "pig-latin"
    case .reverseAy: "reverse+ay"
    }
  }

  /// The output for a lower-case a–z word.
  public func apply(_ word: String) -> String {
    let w = Array(word.utf8)
    func s(_ b: some Sequence<UInt8>) -> String { String(decoding: Array(b), as: UTF8.self) }
    switch self {
    case .copy: return word
    case .reverse: return s(w.reversed())
    case .rotateOne: return w.count < 2 ? word + "ay" : s(w[1...] + w[..<1]) + "ay"
    case .rotateTwo: return w.count < 3 ? WordTask.rotateOne.apply(word) : s(w[2...] + w[..<2]) + "ay"
    case .appendWay: return word + "way"
    case .dropOnset:
      var k = 0
      while k < w.count, !(PigLatin.isVowel(w[k]) || (k > 0 && w[k] == UInt8(ascii: "y"))) { k += 1 }
      return k == w.count ? word : s(w[k...])
    case .pigLatin: return PigLatin.translate(word)
    case .reverseAy: return s(w.reversed()) + "ay"
    }
  }
}

/// A set of examples: input words, markers and target outputs, stored flat.
public struct Examples: Sendable, Hashable {
  /// `count × inputLength` input symbols.
  public var inputs: [UInt8]
  /// One marker per example.
  public var markers: [UInt8]
  /// `count × outputLength` target symbols.
  public var targets: [UInt8]
  public var count: Int { markers.count }

  public init(inputs: [UInt8], markers: [UInt8], targets: [UInt8]) {
    precondition(inputs.count == markers.count * Encoding.inputLength)
    precondition(targets.count == markers.count * Encoding.outputLength)
    self.inputs = inputs
    self.markers = markers
    self.targets = targets
  }

  /// `task` on `words`.
  public static func task(_ task: WordTask, _ words: [String]) -> Examples {
    Examples(
      inputs: words.flatMap { Encoding.symbols($0, length: Encoding.inputLength) },
      markers: Array(repeating: task.marker, count: words.count),
      targets: words.flatMap { Encoding.symbols(task.apply($0), length: Encoding.outputLength) })
  }

  /// The Pig-Latin task on `words`.
  public static func pigLatin(_ words: [String]) -> Examples { task(.pigLatin, words) }

  /// The pretraining mixture: every word under every pretraining task.
  public static func pretraining(_ words: [String]) -> Examples {
    var out = Examples(inputs: [], markers: [], targets: [])
    for t in WordTask.pretraining { out.append(.task(t, words)) }
    return out
  }

  public mutating func append(_ other: Examples) {
    inputs += other.inputs
    markers += other.markers
    targets += other.targets
  }

  /// The examples at `indices`, in that order.
  public func subset(_ indices: some Sequence<Int>) -> Examples {
    var i: [UInt8] = []
    var m: [UInt8] = []
    var t: [UInt8] = []
    for k in indices {
      i += inputs[(k * Encoding.inputLength)..<((k + 1) * Encoding.inputLength)]
      m.append(markers[k])
      t += targets[(k * Encoding.outputLength)..<((k + 1) * Encoding.outputLength)]
    }
    return Examples(inputs: i, markers: m, targets: t)
  }
}
