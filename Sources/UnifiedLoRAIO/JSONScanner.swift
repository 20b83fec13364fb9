/// A value found at a key path of a JSON Lines record. Numbers stay as the range of their text
/// in the line, so that a step is read as an exact integer and a loss correctly rounded, by the
/// same parser as CSV cells.
enum JSONToken: Equatable {
  case number(Range<Int>)
  case string(String)
  case bool(Bool)
  case null
  case object
  case array

  /// The text a diagnostic shows for a value (numbers are shown as written).
  func text(in line: UnsafeBufferPointer<UInt8>) -> String {
    switch self {
    case .number(let r): String(decoding: UnsafeBufferPointer(rebasing: line[r]), as: UTF8.self)
    case .string(let s): s
    case .bool(let b): b ? "true" : "false"
    case .null: "null"
    case .object: "{…}"
    case .array: "[…]"
    }
  }
}

/// A JSON syntax error: the byte offset in the line and what is wrong.
struct JSONFault: Error {
  let offset: Int
  let message: String
  /// Set when the fault is a key that is read appearing twice in one object.
  var duplicateKey: String? = nil
}

/// Checks that one line is a single JSON object (RFC 8259, plus the bare `NaN`, `Infinity` and
/// `-Infinity` that Python's `json` writes) and extracts the values at the requested key paths,
/// without building the rest: memory is the line itself plus the extracted values, whatever the
/// size of the object.
///
/// A path is matched as a whole top-level key first (`train.loss`), then as dot-separated keys
/// into nested objects (`metrics.loss:sum`). A key that is read appearing twice in one object is
/// an error (which value is meant is ambiguous); so is `\u0000` in any string, and nesting
/// deeper than ``maxDepth``.
struct JSONScanner {
  static let maxDepth = 256

  private let whole: [[UInt8]]
  private let parts: [[[UInt8]]]
  /// Per path: the value under the whole key, and the value along the dotted path.
  private var wholeFound: [JSONToken?]
  private var pathFound: [JSONToken?]
  private var keys: [String]? = nil

  init(paths: [String]) {
    whole = paths.map { Array($0.utf8) }
    parts = paths.map { p in p.split(separator: ".", omittingEmptySubsequences: false).map { Array($0.utf8) }
    }
    wholeFound = Array(repeating: nil, count: paths.count)
    pathFound = Array(repeating: nil, count: paths.count)
  }

  /// The value at each path (nil when absent), in the order of the paths.
  mutating func scan(_ line: UnsafeBufferPointer<UInt8>) throws(JSONFault) -> [JSONToken?] {
    for k in wholeFound.indices {
      wholeFound[k] = nil
      pathFound[k] = nil
    }
    var cursor = JSONCursor(p: line)
    cursor.skipBlanks()
    guard cursor.peek == UInt8(ascii: "{") else {
      throw JSONFault(offset: cursor.i, message: "expected an object {…} on every line")
    }
    let top = whole.indices.map { Candidate(path: $0, depth: 0) }
    try object(&cursor, top, depth: 1)
    cursor.skipBlanks()
    if cursor.i < line.count {
      throw JSONFault(offset: cursor.i, message: "text after the object")
    }
    return whole.indices.map { wholeFound[$0] ?? pathFound[$0] }
  }

  /// The top-level keys of a line (for a diagnostic), or an empty list if it does not parse.
  static func topLevelKeys(_ line: UnsafeBufferPointer<UInt8>) -> [String] {
    var s = JSONScanner(paths: [])
    s.keys = []
    var cursor = JSONCursor(p: line)
    cursor.skipBlanks()
    do { try s.object(&cursor, [], depth: 1) } catch { return s.keys ?? [] }
    return s.keys ?? []
  }

  private struct Candidate {
    var path: Int
    var depth: Int
  }

  private mutating func object(_ c: inout JSONCursor, _ candidates: [Candidate], depth: Int) throws(JSONFault)
  {
    guard depth <= Self.maxDepth else {
      throw JSONFault(offset: c.i, message: "nested deeper than \(Self.maxDepth) levels")
    }
    c.i += 1  // {
    c.skipBlanks()
    if c.peek == UInt8(ascii: "}") {
      c.i += 1
      return
    }
    var matched: [[UInt8]] = []
    while true {
      c.skipBlanks()
      guard c.peek == UInt8(ascii: "\"") else {
        throw JSONFault(offset: c.i, message: "expected a key in double quotes")
      }
      let keyStart = c.i
      let key = try c.stringBytes()
      if depth == 1, keys != nil { keys!.append(String(decoding: key, as: UTF8.self)) }
      c.skipBlanks()
      guard c.peek == UInt8(ascii: ":") else {
        throw JSONFault(offset: c.i, message: "expected ':' after a key")
      }
      c.i += 1
      c.skipBlanks()
      var capture: [(path: Int, isWhole: Bool)] = []
      var nested: [Candidate] = []
      for cand in candidates {
        if cand.depth == 0 && key == whole[cand.path] { capture.append((cand.path, true)) }
        let comps = parts[cand.path]
        guard comps.count > 1, cand.depth < comps.count, key == comps[cand.depth] else { continue }
        if cand.depth == comps.count - 1 {
          capture.append((cand.path, false))
        } else {
          nested.append(Candidate(path: cand.path, depth: cand.depth + 1))
        }
      }
      if !capture.isEmpty || !nested.isEmpty {
        if matched.contains(key) {
          let name = String(decoding: key, as: UTF8.self)
          throw JSONFault(offset: keyStart, message: "key '\(name)' appears twice", duplicateKey: name)
        }
        matched.append(key)
      }
      let token = try value(&c, nested, depth: depth, keep: !capture.isEmpty)
      for (path, isWhole) in capture {
        if isWhole { wholeFound[path] = token } else { pathFound[path] = token }
      }
      c.skipBlanks()
      switch c.peek {
      case UInt8(ascii: ","): c.i += 1
      case UInt8(ascii: "}"):
        c.i += 1
        return
      default: throw JSONFault(offset: c.i, message: "expected ',' or '}' after a value")
      }
    }
  }

  private mutating func array(_ c: inout JSONCursor, depth: Int) throws(JSONFault) {
    guard depth <= Self.maxDepth else {
      throw JSONFault(offset: c.i, message: "nested deeper than \(Self.maxDepth) levels")
    }
    c.i += 1  // [
    c.skipBlanks()
    if c.peek == UInt8(ascii: "]") {
      c.i += 1
      return
    }
    while true {
      c.skipBlanks()
      _ = try value(&c, [], depth: depth, keep: false)
      c.skipBlanks()
      switch c.peek {
      case UInt8(ascii: ","): c.i += 1
      case UInt8(ascii: "]"):
        c.i += 1
        return
      default: throw JSONFault(offset: c.i, message: "expected ',' or ']' after a value")
      }
    }
  }

  /// Parses one value; returns its token (strings decoded only when `keep`).
  private mutating func value(_ c: inout JSONCursor, _ nested: [Candidate], depth: Int, keep: Bool)
    throws(JSONFault) -> JSONToken
  {
    guard let b = c.peek else { throw JSONFault(offset: c.i, message: "expected a value") }
    switch b {
    case UInt8(ascii: "{"):
      try object(&c, nested, depth: depth + 1)
      return .object
    case UInt8(ascii: "["):
      try array(&c, depth: depth + 1)
      return .array
    case UInt8(ascii: "\""):
      let at = c.i
      guard keep else {
        try c.skipString()
        return .string("")
      }
      let bytes = try c.stringBytes()
      guard let s = String(validating: bytes, as: UTF8.self) else {
        throw JSONFault(offset: at, message: "a string that is not valid UTF-8")
      }
      return .string(s)
    case UInt8(ascii: "t"):
      try c.literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try c.literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try c.literal("null")
      return .null
    case UInt8(ascii: "N"):
      let s = c.i
      try c.literal("NaN")
      return .number(s..<c.i)
    case UInt8(ascii: "I"):
      let s = c.i
      try c.literal("Infinity")
      return .number(s..<c.i)
    default:
      return .number(try c.number())
    }
  }

}

/// A read position in one JSON text, with the lexical rules shared by the scanner and the tree.
struct JSONCursor {
  let p: UnsafeBufferPointer<UInt8>
  var i = 0

  var peek: UInt8? { i < p.count ? p[i] : nil }

  mutating func skipBlanks() {
    while i < p.count, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
  }

  mutating func literal(_ word: StaticString) throws(JSONFault) {
    let n = word.utf8CodeUnitCount
    let w = UnsafeBufferPointer(start: word.utf8Start, count: n)
    guard i + n <= p.count, (0..<n).allSatisfy({ p[i + $0] == w[$0] }) else {
      throw JSONFault(
        offset: i, message: "expected a value (a number, a string, true, false, null, {…} or […])")
    }
    i += n
  }

  /// A JSON number: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`, or `-Infinity`.
  mutating func number() throws(JSONFault) -> Range<Int> {
    let s = i
    func digits(_ c: inout JSONCursor) -> Int {
      let from = c.i
      while c.i < c.p.count, c.p[c.i] &- 48 < 10 { c.i += 1 }
      return c.i - from
    }
    if peek == UInt8(ascii: "-") {
      i += 1
      if peek == UInt8(ascii: "I") {
        try literal("Infinity")
        return s..<i
      }
    }
    let intStart = i
    let n = digits(&self)
    guard n > 0 else {
      throw JSONFault(
        offset: s, message: "expected a value (a number, a string, true, false, null, {…} or […])")
    }
    if n > 1 && p[intStart] == UInt8(ascii: "0") {
      throw JSONFault(offset: intStart, message: "a number with a leading zero")
    }
    if peek == UInt8(ascii: ".") {
      i += 1
      guard digits(&self) > 0 else { throw JSONFault(offset: i, message: "expected digits after '.'") }
    }
    if let e = peek, e | 0x20 == UInt8(ascii: "e") {
      i += 1
      if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { i += 1 }
      guard digits(&self) > 0 else { throw JSONFault(offset: i, message: "expected digits in the exponent") }
    }
    return s..<i
  }

  /// Checks a string starting at the opening quote without keeping it (a value that is not
  /// read: no copy, whatever its length).
  mutating func skipString() throws(JSONFault) {
    let open = i
    i += 1
    while true {
      // To the next quote, backslash or control character.
      while i < p.count, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\"), p[i] >= 0x20 { i += 1 }
      guard i < p.count else { throw JSONFault(offset: open, message: "a string is not closed") }
      if p[i] == UInt8(ascii: "\"") {
        i += 1
        return
      }
      if p[i] < 0x20 {
        throw JSONFault(offset: i, message: "a control character inside a string (write it as an escape)")
      }
      try checkEscape()
    }
  }

  /// Checks one escape at `i` (the backslash) and moves past it.
  private mutating func checkEscape() throws(JSONFault) {
    guard i + 1 < p.count else { throw JSONFault(offset: i, message: "a string is not closed") }
    let e = p[i + 1]
    i += 2
    switch e {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
      UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      return
    case UInt8(ascii: "u"):
      let scalar = try hex4(at: i - 2)
      if scalar >= 0xD800 && scalar < 0xDC00 {
        guard i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
          throw JSONFault(offset: i - 6, message: "an unpaired surrogate escape")
        }
        i += 2
        let low = try hex4(at: i - 2)
        guard low >= 0xDC00 && low < 0xE000 else {
          throw JSONFault(offset: i - 6, message: "an unpaired surrogate escape")
        }
      } else if scalar >= 0xDC00 && scalar < 0xE000 {
        throw JSONFault(offset: i - 6, message: "an unpaired surrogate escape")
      } else if scalar == 0 {
        throw JSONFault(offset: i - 6, message: "a NUL (\\u0000) inside a string: the log is not text")
      }
    default:
      throw JSONFault(offset: i - 2, message: "an unknown escape inside a string")
    }
  }

  /// A string starting at the opening quote: its bytes with escapes decoded.
  mutating func stringBytes() throws(JSONFault) -> [UInt8] {
    let open = i
    i += 1
    var out: [UInt8] = []
    var runStart = i
    while true {
      guard i < p.count else { throw JSONFault(offset: open, message: "a string is not closed") }
      let b = p[i]
      if b == UInt8(ascii: "\"") {
        out.append(contentsOf: p[runStart..<i])
        i += 1
        return out
      }
      if b < 0x20 {
        throw JSONFault(offset: i, message: "a control character inside a string (write it as an escape)")
      }
      if b != UInt8(ascii: "\\") {
        i += 1
        continue
      }
      out.append(contentsOf: p[runStart..<i])
      guard i + 1 < p.count else { throw JSONFault(offset: open, message: "a string is not closed") }
      let e = p[i + 1]
      i += 2
      switch e {
      case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
      case UInt8(ascii: "b"): out.append(0x08)
      case UInt8(ascii: "f"): out.append(0x0C)
      case UInt8(ascii: "n"): out.append(0x0A)
      case UInt8(ascii: "r"): out.append(0x0D)
      case UInt8(ascii: "t"): out.append(0x09)
      case UInt8(ascii: "u"):
        var scalar = try hex4(at: i - 2)
        if scalar >= 0xD800 && scalar < 0xDC00 {
          guard i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") else {
            throw JSONFault(offset: i - 6, message: "an unpaired surrogate escape")
          }
          i += 2
          let low = try hex4(at: i - 2)
          guard low >= 0xDC00 && low < 0xE000 else {
            throw JSONFault(offset: i - 6, message: "an unpaired surrogate escape")
          }
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        } else if scalar >= 0xDC00 && scalar < 0xE000 {
          throw JSONFault(offset: i - 6, message: "an unpaired surrogate escape")
        }
        if scalar == 0 {
          throw JSONFault(offset: i - 6, message: "a NUL (\\u0000) inside a string: the log is not text")
        }
        out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
      default:
        throw JSONFault(offset: i - 2, message: "an unknown escape inside a string")
      }
      runStart = i
    }
  }

  private mutating func hex4(at escape: Int) throws(JSONFault) -> UInt32 {
    guard i + 4 <= p.count else {
      throw JSONFault(offset: escape, message: "a \\u escape needs four hex digits")
    }
    var v: UInt32 = 0
    for k in 0..<4 {
      let h = p[i + k]
      let d: UInt8
      switch h {
      case 48...57: d = h - 48
      case 65...70: d = h - 55
      case 97...102: d = h - 87
      default: throw JSONFault(offset: escape, message: "a \\u escape needs four hex digits")
      }
      v = v << 4 | UInt32(d)
    }
    i += 4
    return v
  }
}
