import Foundation

/// The project's one JSON convention, for every file and every command's output: keys sorted
/// (camelCase, as the types name them), pretty-printed, slashes unescaped, and the non-finite
/// numbers as the strings `"Infinity"`, `"-Infinity"` and `"NaN"` (JSON has no literal for
/// them). The decoder reads the same convention back.
package enum JSONFormat {
  /// The spellings of `+∞`, `−∞` and NaN.
  package static let positiveInfinity = "Infinity"
  package static let negativeInfinity = "-Infinity"
  package static let nan = "NaN"

  /// A new encoder with the convention (JSONEncoder is a class: each caller gets its own).
  package static var encoder: JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
    return e
  }

  /// A new decoder reading the convention.
  package static var decoder: JSONDecoder {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: positiveInfinity, negativeInfinity: negativeInfinity, nan: nan)
    return d
  }

  /// `value` as JSON text with the convention, ending in a newline.
  package static func text<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
  }
}
