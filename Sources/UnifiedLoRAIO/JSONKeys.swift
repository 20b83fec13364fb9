/// The check every JSON document the tool reads whole goes through before it is decoded: a key
/// given twice in one object is an error naming the key and its line.
///
/// `JSONDecoder` keeps one of the two values without a word, so a spec or a parameter file with
/// `"noise": 0.1, … "noise": 0.3` would silently run with one of them.
public enum JSONKeys {
  /// A key that appears twice in one object: the key, the 1-based line and byte column of its
  /// second occurrence.
  public struct Duplicate: Error, Sendable, Hashable, CustomStringConvertible {
    public let key: String
    public let line: Int
    public let column: Int

    /// `line 3: key 'noise' appears twice in one object: which value is meant is ambiguous`.
    public var description: String {
      "line \(line): key '\(Echo.cut(key))' appears twice in one object: which value is meant is ambiguous"
    }
  }

  /// Throws ``Duplicate`` for the first key of `bytes` (a JSON text, a byte-order mark allowed)
  /// that appears twice in one object, nested objects included. Any other fault of the text is
  /// left to the decoder, which has its own words for it.
  ///
  /// - Complexity: O(n) in the length of the text.
  public static func checkUnique(_ bytes: [UInt8]) throws(Duplicate) {
    let skip = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    do {
      _ = try bytes.withUnsafeBufferPointer { (p) throws(JSONFault) in
        try JSONValue.parse(UnsafeBufferPointer(rebasing: p[skip...]))
      }
    } catch {
      guard let key = error.duplicateKey else { return }
      let (line, column) = position(of: skip + error.offset, in: bytes)
      throw Duplicate(key: key, line: line, column: column)
    }
  }

  /// The 1-based line and byte column of byte `offset` of `bytes`.
  static func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var lineStart = 0
    for k in 0..<min(offset, bytes.count) where bytes[k] == 0x0A {
      line += 1
      lineStart = k + 1
    }
    return (line, offset - lineStart + 1)
  }
}
