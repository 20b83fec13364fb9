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
    if c.openContainer(closedBy: UInt8(ascii: "}")) { return }
    var matched: [[UInt8]] = []
    while true {
      c.skipBlanks()
      let keyStart = c.i
      let key = try c.keyBytes()
      if depth == 1, keys != nil { keys!.append(String(decoding: key, as: UTF8.self)) }
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
      if try c.endOfItem(closedBy: UInt8(ascii: "}")) { return }
    }
  }

  private mutating func array(_ c: inout JSONCursor, depth: Int) throws(JSONFault) {
    guard depth <= Self.maxDepth else {
      throw JSONFault(offset: c.i, message: "nested deeper than \(Self.maxDepth) levels")
    }
    if c.openContainer(closedBy: UInt8(ascii: "]")) { return }
    while true {
      c.skipBlanks()
      _ = try value(&c, [], depth: depth, keep: false)
      if try c.endOfItem(closedBy: UInt8(ascii: "]")) { return }
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
      guard keep else {
        try c.skipString()
        return .string("")
      }
      return .string(try c.string())
    default:
      switch try c.scalar() {
      case .bool(let v): return .bool(v)
      case .null: return .null
      case .number(let r): return .number(r)
      }
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

  /// At an opening `{` or `[`: moves past it and the blanks after it; true, and past `close`,
  /// when the container is empty.
  mutating func openContainer(closedBy close: UInt8) -> Bool {
    i += 1
    skipBlanks()
    guard peek == close else { return false }
    i += 1
    return true
  }

  /// After a member or an item: past a `,` (false: another follows) or past `close` (true: the
  /// container ends).
  mutating func endOfItem(closedBy close: UInt8) throws(JSONFault) -> Bool {
    skipBlanks()
    switch peek {
    case UInt8(ascii: ","):
      i += 1
      return false
    case close:
      i += 1
      return true
    default:
      throw JSONFault(
        offset: i, message: "expected ',' or '\(Character(Unicode.Scalar(close)))' after a value")
    }
  }

  /// A member's key at `i` and the `:` after it (blanks skipped), as bytes with escapes decoded.
  mutating func keyBytes() throws(JSONFault) -> [UInt8] {
    try keyStart()
    let key = try stringBytes()
    try keyEnd()
    return key
  }

  /// As ``keyBytes()``, as text (valid UTF-8).
  mutating func key() throws(JSONFault) -> String {
    try keyStart()
    let key = try string()
    try keyEnd()
    return key
  }

  private mutating func keyStart() throws(JSONFault) {
    skipBlanks()
    guard peek == UInt8(ascii: "\"") else {
      throw JSONFault(offset: i, message: "expected a key in double quotes")
    }
  }

  private mutating func keyEnd() throws(JSONFault) {
    skipBlanks()
    guard peek == UInt8(ascii: ":") else {
      throw JSONFault(offset: i, message: "expected ':' after a key")
    }
    i += 1
    skipBlanks()
  }

  /// The string at `i` (its opening quote), escapes decoded; it must be valid UTF-8.
  mutating func string() throws(JSONFault) -> String {
    let at = i
    let bytes = try stringBytes()
    guard let s = String(validating: bytes, as: UTF8.self) else {
      throw JSONFault(offset: at, message: "a string that is not valid UTF-8")
    }
    return s
  }

  /// A value that is not a string, an object or an array.
  enum Scalar {
    case bool(Bool)
    case null
    /// A number's text: `NaN`, `Infinity` and `-Infinity` included.
    case number(Range<Int>)
  }

  /// The `true`, `false`, `null` or number at `i`.
  mutating func scalar() throws(JSONFault) -> Scalar {
    let s = i
    switch peek {
    case UInt8(ascii: "t"):
      try literal("true")
      return .bool(true)
    case UInt8(ascii: "f"):
      try literal("false")
      return .bool(false)
    case UInt8(ascii: "n"):
      try literal("null")
      return .null
    case UInt8(ascii: "N"):
      try literal("NaN")
      return .number(s..<i)
    case UInt8(ascii: "I"):
      try literal("Infinity")
      return .number(s..<i)
    default:
      return .number(try number())
    }
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
      _ = try escapedScalar(unclosedAt: i)
    }
  }

  /// The scalar of the escape at `i` (the backslash), a `\u` surrogate pair decoded whole; moves
  /// past it. An unknown escape, an unpaired surrogate and NUL are faults; so is a string that
  /// ends inside the escape (reported at `unclosedAt`).
  private mutating func escapedScalar(unclosedAt: Int) throws(JSONFault) -> UInt32 {
    guard i + 1 < p.count else { throw JSONFault(offset: unclosedAt, message: "a string is not closed") }
    let e = p[i + 1]
    i += 2
    switch e {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): return UInt32(e)
    case UInt8(ascii: "b"): return 0x08
    case UInt8(ascii: "f"): return 0x0C
    case UInt8(ascii: "n"): return 0x0A
    case UInt8(ascii: "r"): return 0x0D
    case UInt8(ascii: "t"): return 0x09
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
      } else if scalar == 0 {
        throw JSONFault(offset: i - 6, message: "a NUL (\\u0000) inside a string: the log is not text")
      }
      return scalar
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
      let scalar = try escapedScalar(unclosedAt: open)
      if scalar < 0x80 {
        out.append(UInt8(scalar))
      } else {
        out.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
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
