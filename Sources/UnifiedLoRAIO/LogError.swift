/// A malformed loss log: the description names the line (1-based, the header is line 1 of a
/// CSV file), the column when there is one, the offending text, and what was expected.
public struct LogError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// The file has no header line (CSV) or no record at all.
    case empty
    /// A column named by an option is not in the header (or a JSON object lacks the key).
    case missingColumn(String, available: [String])
    /// A row has a different number of fields than the header.
    case ragged(expected: Int, found: Int)
    /// A field is not a number (or not an integer for the step column).
    case notANumber(column: String, text: String)
    /// A field is empty.
    case missingValue(column: String)
    /// The step column does not strictly increase.
    case stepOrder(previous: Int, found: Int)
    /// A JSON Lines line is not a JSON object.
    case badJSON(String)
    /// The file could not be opened or read.
    case io(String)
  }

  /// 1-based line number; 0 when the error concerns the whole file.
  public let line: Int
  public let kind: Kind

  public init(line: Int, _ kind: Kind) {
    self.line = line
    self.kind = kind
  }

  public var description: String {
    let at = line > 0 ? "line \(line): " : ""
    switch kind {
    case .empty:
      return "\(at)the log is empty: expected a header line and at least one record"
    case .missingColumn(let name, let available):
      let list = available.isEmpty ? "none" : available.map { "'\($0)'" }.joined(separator: ", ")
      return "\(at)no column '\(name)' (columns: \(list)); name the right one with --loss-column/--env-column/--step-column"
    case .ragged(let expected, let found):
      return "\(at)\(found) fields where the header has \(expected)"
    case .notANumber(let column, let text):
      return "\(at)column '\(column)': '\(text)' is not a number"
    case .missingValue(let column):
      return "\(at)column '\(column)' is empty"
    case .stepOrder(let previous, let found):
      return "\(at)step \(found) does not follow step \(previous): steps must strictly increase"
    case .badJSON(let why):
      return "\(at)not a JSON object: \(why)"
    case .io(let why):
      return "\(at)\(why)"
    }
  }
}
