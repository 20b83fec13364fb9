#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Broken CSV quoting found by ``CSVSplitter``: the byte offset in the record and what is wrong.
struct CSVFault: Error {
  let offset: Int
  let message: String
}

/// The quoting state of a CSV record being read, RFC 4180 with spaces and tabs allowed around a
/// quoted field: a field that starts with `"` (after optional blanks) runs to the next lone `"`,
/// may hold commas, line breaks and doubled quotes `""`, and may be followed only by blanks and a
/// comma or the end of the record. A quote anywhere else is an error.
///
/// ``LineReader`` feeds it the lines of a record to learn whether a line break is inside a
/// quoted field (the record goes on) or ends the record; ``CSVSplitter`` runs the same machine
/// to cut the fields and name the offending column.
struct CSVQuoteState {
  enum State: UInt8 {
    /// Only blanks since the start of the field.
    case fieldStart
    /// In an unquoted field.
    case unquoted
    /// Inside quotes.
    case quoted
    /// A `"` inside quotes: the closing quote, or the first of a doubled `""`.
    case quoteInQuoted
    /// After the closing quote: only blanks, then a comma or the end.
    case closed
    /// A quoting error (the splitter reports it).
    case broken
  }

  var state = State.fieldStart

  /// Whether a line break at this point is inside a quoted field.
  var continuesAtLineBreak: Bool { state == .quoted }

  static let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), space = UInt8(0x20)
  static let tab = UInt8(0x09)

  /// Advances over one byte; returns false at a quoting error.
  @inline(__always)
  mutating func step(_ c: UInt8) -> Bool {
    switch state {
    case .fieldStart:
      if c == Self.quote {
        state = .quoted
      } else if c != Self.space && c != Self.tab && c != Self.comma {
        state = .unquoted
      }
    case .unquoted:
      if c == Self.comma {
        state = .fieldStart
      } else if c == Self.quote {
        state = .broken
        return false
      }
    case .quoted:
      if c == Self.quote { state = .quoteInQuoted }
    case .quoteInQuoted:
      if c == Self.quote {
        state = .quoted
      } else {
        state = .closed
        return step(c)
      }
    case .closed:
      if c == Self.comma {
        state = .fieldStart
      } else if c != Self.space && c != Self.tab {
        state = .broken
        return false
      }
    case .broken:
      return false
    }
    return true
  }

  /// The state after a line break (a lone `"` right before it closes its field).
  mutating func lineBreak() {
    if state == .quoteInQuoted { state = .closed }
  }
}

/// Splits one CSV record into fields (RFC 4180: fields in double quotes may hold commas, line
/// breaks and `""` for one quote), without allocating per field.
///
/// After ``split(_:)``, field `k` is `starts[k] ..< ends[k]` of the record itself, or of
/// ``scratch`` (the unquoted copy) when the record had quotes. One splitter is reused for every
/// record of a log, so its buffers are allocated once.
struct CSVSplitter {
  private(set) var starts: [Int] = []
  private(set) var ends: [Int] = []
  /// The record with its quoting removed, when it had quotes.
  private(set) var scratch: [UInt8] = []

  var count: Int { starts.count }

  /// Splits `b`; returns true when the fields refer to ``scratch`` (the record had quotes).
  /// Throws at a stray quote (`0.5"`), text after a closing quote (`"0"."5"`) or an unterminated
  /// quoted field (`"0.5`), with the offset of the offending byte.
  /// `unquoted`: the caller knows `b` holds no quote (a ``CSVBlock``), so it is not searched for one.
  mutating func split(_ b: UnsafeBufferPointer<UInt8>, unquoted: Bool = false) throws(CSVFault) -> Bool {
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    let quote = CSVQuoteState.quote
    let comma = CSVQuoteState.comma
    guard !unquoted, let base = b.baseAddress, b.count > 0, memchr(base, Int32(quote), b.count) != nil else {
      var s = 0
      while s < b.count, let base = b.baseAddress, let hit = memchr(base + s, Int32(comma), b.count - s) {
        let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        starts.append(s)
        ends.append(i)
        s = i + 1
      }
      starts.append(s)
      ends.append(b.count)
      return false
    }
    scratch.removeAll(keepingCapacity: true)
    var machine = CSVQuoteState()
    var fieldStart = 0
    var openedAt = 0
    for i in 0..<b.count {
      let c = b[i]
      let before = machine.state
      guard machine.step(c) else {
        let why =
          before == .unquoted
          ? "a quote inside an unquoted field (CSV, RFC 4180: a quoted field starts with its quote)"
          : "text after the closing quote of a field (CSV, RFC 4180: a quote inside a quoted field is written \"\")"
        throw CSVFault(offset: i, message: why)
      }
      switch (before, machine.state) {
      case (_, .fieldStart) where c == comma:
        starts.append(fieldStart)
        ends.append(scratch.count)
        fieldStart = scratch.count
      case (.fieldStart, .quoted):
        openedAt = i
        scratch.removeSubrange(fieldStart...)  // blanks before the opening quote
      case (.quoted, .quoted) where c != quote: scratch.append(c)
      case (.quoteInQuoted, .quoted): scratch.append(quote)
      case (.fieldStart, _), (.unquoted, _): scratch.append(c)
      default: break  // the quotes themselves, blanks after a closing quote
      }
    }
    if machine.state == .quoted {
      throw CSVFault(
        offset: openedAt, message: "a quoted field is not closed before the end of the file (CSV, RFC 4180)")
    }
    starts.append(fieldStart)
    ends.append(scratch.count)
    return true
  }

  /// The fields of `b` as strings, each trimmed of spaces and tabs (header lines, text cells).
  mutating func strings(_ b: UnsafeBufferPointer<UInt8>) throws(CSVFault) -> [String] {
    let quoted = try split(b)
    return (0..<count).map { k in
      let bytes = quoted ? Array(scratch[starts[k]..<ends[k]]) : Array(b[starts[k]..<ends[k]])
      return String(decoding: bytes, as: UTF8.self).trimmingSpaces
    }
  }
}

extension CSVSplitter {
  /// ``split(_:)`` for a record of a log whose header has `width` columns: broken quoting and a
  /// wrong number of fields are ``LogError``s located from `line`, the record's first line.
  /// Returns whether the fields refer to ``scratch``.
  mutating func record(_ b: UnsafeBufferPointer<UInt8>, width: Int, line: Int, unquoted: Bool = false)
    throws(LogError) -> Bool
  {
    let quoted: Bool
    do {
      quoted = try split(b, unquoted: unquoted)
    } catch {
      throw LogError(error, in: b, firstLine: line)
    }
    guard count == width else { throw LogError(line: line, .ragged(expected: width, found: count)) }
    return quoted
  }
}

extension CSVSplitter {
  /// ``record(_:width:line:)``, then appends to `out` the cells (``FieldValue/cell(_:)``) of the
  /// fields at `indices`, in that order; an index of -1 (a column the log lacks) is `.missing`.
  mutating func cells(
    _ b: UnsafeBufferPointer<UInt8>, width: Int, line: Int, indices: [Int], into out: inout [FieldValue]
  ) throws(LogError) {
    let quoted = try record(b, width: width, line: line)
    func append(from source: UnsafeBufferPointer<UInt8>) {
      for k in indices {
        out.append(
          k < 0 ? .missing : FieldValue.cell(UnsafeBufferPointer(rebasing: source[starts[k]..<ends[k]])))
      }
    }
    if quoted {
      scratch.withUnsafeBufferPointer { append(from: $0) }
    } else {
      append(from: b)
    }
  }
}

extension LogError {
  /// Broken quoting in the record `b` that starts at line `firstLine`, located by line and column.
  init(_ fault: CSVFault, in b: UnsafeBufferPointer<UInt8>, firstLine: Int) {
    let at = position(of: fault.offset, in: b, firstLine: firstLine)
    self.init(line: at.line, .badQuote(column: at.column, fault.message))
  }
}

extension LineReader {
  /// The first record that is not blank, as a CSV header: its fields, trimmed
  /// (``CSVSplitter/strings(_:)``), and the line it starts on. No such record is `.empty`.
  mutating func header(_ splitter: inout CSVSplitter) throws(LogError) -> (fields: [String], line: Int) {
    while true {
      let got: ([String], Int)?? = try nextLine { (b, n) throws(LogError) -> ([String], Int)? in
        if NumberParsing.trim(b).isEmpty { return nil }
        do throws(CSVFault) {
          return (try splitter.strings(b), n)
        } catch {
          throw LogError(error, in: b, firstLine: n)
        }
      }
      guard let record = got else { throw LogError(line: 0, .empty) }
      if let record { return record }
    }
  }
}

/// The 1-based line and byte column of `offset` in a record that starts at line `firstLine`
/// (a quoted field may hold line breaks).
func position(of offset: Int, in b: UnsafeBufferPointer<UInt8>, firstLine: Int) -> (line: Int, column: Int) {
  var line = firstLine
  var lineStart = 0
  for i in 0..<min(offset, b.count) where b[i] == 0x0A {
    line += 1
    lineStart = i + 1
  }
  return (line, offset - lineStart + 1)
}

extension CSVSplitter {
  /// As ``cells(_:width:line:indices:into:)``, appending ``Cell``s to `out` and their texts to
  /// `texts`; `unquoted` as in ``split(_:unquoted:)``.
  mutating func cells(
    _ b: UnsafeBufferPointer<UInt8>, width: Int, line: Int, indices: [Int], into out: inout [Cell],
    texts: inout [String], unquoted: Bool = false
  ) throws(LogError) {
    let quoted = try record(b, width: width, line: line, unquoted: unquoted)
    func append(from source: UnsafeBufferPointer<UInt8>) {
      starts.withUnsafeBufferPointer { starts in
        ends.withUnsafeBufferPointer { ends in
          for k in indices {
            out.append(
              k < 0
                ? .missing
                : Cell.parse(UnsafeBufferPointer(rebasing: source[starts[k]..<ends[k]]), texts: &texts))
          }
        }
      }
    }
    if quoted {
      scratch.withUnsafeBufferPointer { append(from: $0) }
    } else {
      append(from: b)
    }
  }
}
