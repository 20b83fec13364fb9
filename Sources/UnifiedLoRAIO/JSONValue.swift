/// A whole JSON document as a tree (small documents: parameter files). Objects keep their keys
/// in order; a key twice in one object is an error, as it is in a log line.
enum JSONValue: Hashable {
  case number(Double)
  case string(String)
  case bool(Bool)
  case null
  case object([(key: String, value: JSONValue)])
  case array([JSONValue])

  static func == (a: JSONValue, b: JSONValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
    case (.string(let x), .string(let y)): x == y
    case (.bool(let x), .bool(let y)): x == y
    case (.null, .null): true
    case (.object(let x), .object(let y)):
      x.count == y.count && zip(x, y).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    case (.array(let x), .array(let y)): x == y
    default: false
    }
  }

  func hash(into h: inout Hasher) {
    switch self {
    case .number(let x): h.combine(x.bitPattern)
    case .string(let s): h.combine(s)
    case .bool(let b): h.combine(b)
    case .null: h.combine(0)
    case .object(let o):
      for (k, v) in o {
        h.combine(k)
        h.combine(v)
      }
    case .array(let a): h.combine(a)
    }
  }

  /// The value under `key`, when this is an object that has it.
  subscript(key: String) -> JSONValue? {
    guard case .object(let o) = self else { return nil }
    return o.first { $0.key == key }?.value
  }

  /// Parses one JSON text (RFC 8259; `NaN` and `Infinity` are accepted as numbers, `\u0000` is
  /// not accepted in strings, nesting is at most ``JSONScanner/maxDepth`` deep).
  static func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONFault) -> JSONValue {
    var c = JSONCursor(p: bytes)
    c.skipBlanks()
    let v = try value(&c, depth: 0)
    c.skipBlanks()
    if c.i < bytes.count { throw JSONFault(offset: c.i, message: "text after the value") }
    return v
  }

  private static func value(_ c: inout JSONCursor, depth: Int) throws(JSONFault) -> JSONValue {
    guard depth < JSONScanner.maxDepth else {
      throw JSONFault(offset: c.i, message: "nested deeper than \(JSONScanner.maxDepth) levels")
    }
    guard let b = c.peek else { throw JSONFault(offset: c.i, message: "expected a value") }
    switch b {
    case UInt8(ascii: "{"):
      var members: [(key: String, value: JSONValue)] = []
      var seen: Set<String> = []
      if c.openContainer(closedBy: UInt8(ascii: "}")) { return .object(members) }
      while true {
        c.skipBlanks()
        let at = c.i
        let key = try c.key()
        guard seen.insert(key).inserted else {
          throw JSONFault(offset: at, message: "key '\(key)' appears twice", duplicateKey: key)
        }
        members.append((key, try value(&c, depth: depth + 1)))
        if try c.endOfItem(closedBy: UInt8(ascii: "}")) { return .object(members) }
      }
    case UInt8(ascii: "["):
      var items: [JSONValue] = []
      if c.openContainer(closedBy: UInt8(ascii: "]")) { return .array(items) }
      while true {
        c.skipBlanks()
        items.append(try value(&c, depth: depth + 1))
        if try c.endOfItem(closedBy: UInt8(ascii: "]")) { return .array(items) }
      }
    case UInt8(ascii: "\""): return .string(try c.string())
    default:
      switch try c.scalar() {
      case .bool(let v): return .bool(v)
      case .null: return .null
      case .number(let r):
        let raw = UnsafeBufferPointer(rebasing: c.p[r])
        // An integer literal binary64 cannot hold (a step beyond 2^53) keeps its text, read
        // exactly where an integer is meant; as a double it would silently become a neighbour.
        if NumberParsing.isInexactInteger(raw) { return .string(String(decoding: raw, as: UTF8.self)) }
        return .number(NumberParsing.double(raw)!)
      }
    }
  }
}
