import Foundation

/// A JSON value, decoded with `JSONDecoder`.
///
/// `JSONDecoder` parses numbers correctly rounded; Linux Foundation's `JSONSerialization` does
/// not (it misreads about half of all shortest-round-trip decimals with 17 significant digits by
/// an ulp or more), which would break the bit-exact replay of a JSON Lines log.
/// `JSONValueTests` checks this on random doubles.
enum JSONValue: Decodable, Hashable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case null
  case object([String: JSONValue])
  case array([JSONValue])

  init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .null
    } else if let b = try? c.decode(Bool.self) {
      self = .bool(b)
    } else if let d = try? c.decode(Double.self) {
      self = .number(d)
    } else if let s = try? c.decode(String.self) {
      self = .string(s)
    } else if let o = try? c.decode([String: JSONValue].self) {
      self = .object(o)
    } else {
      self = .array(try c.decode([JSONValue].self))
    }
  }

  /// The text a diagnostic shows for the value.
  var text: String {
    switch self {
    case .number(let d): d.description
    case .string(let s): s
    case .bool(let b): b ? "true" : "false"
    case .null: "null"
    case .object: "{…}"
    case .array: "[…]"
    }
  }

  /// Decodes one line that must hold a JSON object.
  static func object(_ b: UnsafeBufferPointer<UInt8>, decoder: JSONDecoder, line: Int)
    throws(LogError) -> [String: JSONValue]
  {
    let value: JSONValue
    do {
      value = try decoder.decode(JSONValue.self, from: Data(b))
    } catch {
      throw LogError(line: line, .badJSON("the line does not parse as JSON"))
    }
    guard case .object(let dict) = value else {
      throw LogError(line: line, .badJSON("expected an object {…} on every line"))
    }
    return dict
  }
}
