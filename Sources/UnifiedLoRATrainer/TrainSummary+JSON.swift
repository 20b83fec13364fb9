import Foundation

extension TrainSummary {
  /// The encoder of `summary.json`: camelCase keys as declared, sorted, pretty-printed;
  /// non-finite numbers as the strings `"Infinity"`, `"-Infinity"`, `"NaN"` (the project's one
  /// convention), so a summary with an infinite or undefined statistic is still written whole.
  public static var encoder: JSONEncoder {
    let e = JSONEncoder()
    e.outputFormatting = [.prettyPrinted, .sortedKeys]
    e.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return e
  }

  /// The decoder matching ``encoder``.
  public static var decoder: JSONDecoder {
    let d = JSONDecoder()
    d.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
    return d
  }

  /// The summary as JSON text (``encoder``), ending in a newline.
  public func json() throws -> String {
    String(decoding: try TrainSummary.encoder.encode(self), as: UTF8.self) + "\n"
  }
}
