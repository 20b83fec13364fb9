import Foundation
import UnifiedLoRA

/// A failure to build the training data: a data error, thrown with what to do about it.
public struct DataError: Error, Sendable, Hashable, CustomStringConvertible {
  public let message: String
  public init(_ message: String) { self.message = message }
  public var description: String { message }
}

/// The words of the task: lower-case a–z words of length 2…8 from a system word list,
/// de-duplicated, sorted, and split into train / validation / test by a seed.
public struct WordList: Sendable, Hashable {
  /// The default location (Debian package `wamerican`).
  public static let defaultPath = "/usr/share/dict/words"
  /// Shortest and longest word kept.
  public static let lengths = 2...8

  public let train: [String]
  public let validation: [String]
  public let test: [String]
  /// The seed of the split.
  public let seed: UInt64

  /// Reads and filters a word list, then splits it with `seed` (fractions 0.8 / 0.1 / 0.1).
  ///
  /// - Throws: ``DataError`` when the file is missing or unreadable (the message says how to
  ///   install it), or when fewer than 100 usable words remain.
  public init(path: String = WordList.defaultPath, seed: UInt64) throws(DataError) {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError(
        "cannot read the word list '\(path)': install it with `apt-get install wamerican` (or run `make bootstrap`), or pass --words FILE"
      )
    }
    try self.init(words: WordList.filter(String(decoding: data, as: UTF8.self)), seed: seed)
  }

  /// Splits already-filtered words (sorted and de-duplicated again here) with `seed`.
  public init(words: [String], seed: UInt64) throws(DataError) {
    let unique = Array(Set(words)).sorted()
    guard unique.count >= 100 else {
      throw DataError(
        "the word list has \(unique.count) usable words (lower-case a–z, length 2–8); at least 100 are needed"
      )
    }
    var rng = SeededGenerator(seed: seed ^ 0x5711_7A17_0000_0001)
    var shuffled = unique
    for i in stride(from: shuffled.count - 1, to: 0, by: -1) {
      let j = Int(rng.next() % UInt64(i + 1))
      shuffled.swapAt(i, j)
    }
    let nVal = unique.count / 10
    let nTest = unique.count / 10
    validation = Array(shuffled[0..<nVal])
    test = Array(shuffled[nVal..<(nVal + nTest)])
    train = Array(shuffled[(nVal + nTest)...])
    self.seed = seed
  }

  /// The lines of `text` that are lower-case a–z words of length 2…8.
  public static func filter(_ text: String) -> [String] {
    var out: [String] = []
    for raw in text.utf8.split(separator: UInt8(ascii: "\n")) {
      var line = raw[...]
      if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
      guard lengths.contains(line.count),
        line.allSatisfy({ $0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z") })
      else { continue }
      out.append(String(decoding: line, as: UTF8.self))
    }
    return out
  }
}
