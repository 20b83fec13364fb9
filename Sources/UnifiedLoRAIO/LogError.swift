/// A malformed loss log: the description names the line (1-based, the header is line 1 of a
/// CSV file), the column when there is one, the offending text, and what was expected.
///
/// Text taken from the file is echoed cut to ``Echo/limit`` characters, with control characters
/// escaped and the full length stated, so that a 100 MB cell or a 10⁷-column header gives a
/// one-line message.
public struct LogError: Error, Sendable, Hashable, CustomStringConvertible {
  public enum Kind: Sendable, Hashable {
    /// The file has no header line (CSV) or no record at all.
    case empty
    /// A column named by an option is not in the header (or a JSON object lacks the key).
    case missingColumn(String, available: [String])
    /// A column named by an option appears twice in the CSV header (1-based field numbers), or a
    /// key that is read appears twice in one JSON object (`first` and `second` are then 0).
    case duplicateColumn(String, first: Int, second: Int)
    /// A row has a different number of fields than the header.
    case ragged(expected: Int, found: Int)
    /// A field is not a number.
    case notANumber(column: String, text: String)
    /// A step field is a number but not an integer in the supported range.
    case notAnInteger(column: String, text: String)
    /// A field is empty.
    case missingValue(column: String)
    /// A JSON value that is read is `null`.
    case nullValue(column: String)
    /// The step column does not strictly increase.
    case stepOrder(previous: Int, found: Int)
    /// A JSON Lines line is not a JSON object.
    case badJSON(String)
    /// Broken CSV quoting (RFC 4180) at a 1-based byte column of the line.
    case badQuote(column: Int, String)
    /// A NUL byte at a 1-based byte column of the line.
    case nulByte(column: Int)
    /// A line (a record, for CSV with quoted line breaks) longer than the limit, in bytes.
    case lineTooLong(limit: Int)
    /// A CSV quoted field opened on the line runs on past the line-length limit.
    case unclosedQuote(limit: Int)
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
      let hint = Echo.nearest(name, in: available).map { "the nearest is '\(Echo.cut($0))'; " } ?? ""
      return
        "\(at)no column '\(Echo.cut(name))' (columns: \(Echo.list(available))); \(hint)name the right one with --loss-column/--env-column/--step-column"
    case .duplicateColumn(let name, let first, let second):
      if first > 0 {
        return
          "\(at)column '\(Echo.cut(name))' appears twice in the header (fields \(first) and \(second)): which one is meant is ambiguous"
      }
      return "\(at)key '\(Echo.cut(name))' appears twice in one object: which value is meant is ambiguous"
    case .ragged(let expected, let found):
      return "\(at)\(found) fields where the header has \(expected)"
    case .notANumber(let column, let text):
      return "\(at)column '\(Echo.cut(column))': '\(Echo.cut(text))' is not a number"
    case .notAnInteger(let column, let text):
      return
        "\(at)column '\(Echo.cut(column))': '\(Echo.cut(text))' is not an integer step (steps are integers in −2^62 … 2^62)"
    case .missingValue(let column):
      return "\(at)column '\(Echo.cut(column))' is empty"
    case .nullValue(let column):
      return "\(at)column '\(Echo.cut(column))' is null: every record needs a value there"
    case .stepOrder(let previous, let found):
      return "\(at)step \(found) does not follow step \(previous): steps must strictly increase"
    case .badJSON(let why):
      return "\(at)not a JSON object: \(why)"
    case .badQuote(let column, let why):
      return "\(at)column \(column): \(why)"
    case .nulByte(let column):
      return "\(at)column \(column): a NUL byte: the log is not text"
    case .lineTooLong(let limit):
      return "\(at)the line is longer than \(limit) bytes (the limit; raise it with --max-line-length)"
    case .unclosedQuote(let limit):
      return
        "\(at)a quoted field opened on this line is not closed within \(limit) bytes (CSV, RFC 4180: a quote inside a field is written \"\"; the limit is --max-line-length)"
    case .io(let why):
      return "\(at)\(why)"
    }
  }
}

/// How a diagnostic echoes text from a file: cut to a readable length, control characters
/// escaped, the full length said when it was cut.
public enum Echo {
  /// Characters shown of one echoed value.
  public static let limit = 60
  /// Names shown of a list (the header's columns, the keys of an object).
  public static let listLimit = 20

  /// `text` as a diagnostic shows it: at most ``limit`` characters, with `\0`, `\t`, `\n`, `\r`
  /// and other control characters escaped; a longer text is cut and followed by
  /// `… (N bytes)`.
  public static func cut(_ text: String) -> String {
    var out = ""
    var shown = 0
    var truncated = false
    for scalar in text.unicodeScalars {
      if shown == limit {
        truncated = true
        break
      }
      switch scalar {
      case "\0": out += "\\0"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default:
        if scalar.value < 0x20 || scalar.value == 0x7F {
          out += "\\u{\(String(scalar.value, radix: 16))}"
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
      shown += 1
    }
    return truncated ? out + "… (\(text.utf8.count) bytes)" : out
  }

  /// `message` with every run of more than 4 × ``limit`` characters free of spaces, quotes and
  /// line breaks cut as ``cut(_:)`` cuts a value: the last guard for messages that echo a
  /// flag's value or a path whole (the parser's own among them; a 100 KB `--claims` value made
  /// a 100 KB message). Shorter runs, and so every ordinary message, are unchanged.
  public static func cutLongRuns(_ message: String) -> String {
    var out = ""
    var run = ""
    func flush() {
      out += run.unicodeScalars.count > 4 * limit ? cut(run) : run
      run = ""
    }
    for c in message {
      if c == " " || c == "'" || c == "\"" || c == "\n" {
        flush()
        out.append(c)
      } else {
        run.append(c)
      }
    }
    flush()
    return out
  }

  /// A list of names, each cut, at most ``listLimit`` of them, then how many more there are.
  public static func list(_ names: [String]) -> String {
    if names.isEmpty { return "none" }
    let shown = names.prefix(listLimit).map { "'\(cut($0))'" }.joined(separator: ", ")
    return names.count > listLimit ? shown + ", … (\(names.count) in all)" : shown
  }

  /// The name of `candidates` nearest to `name` by edit distance, when it is close enough to be
  /// a plausible typo (at most a third of the name's length, at least 1) and not `name` itself.
  /// Only the first 10,000 candidates of at most 256 characters are compared (bounded work).
  public static func nearest(_ name: String, in candidates: [String]) -> String? {
    let a = Array(name.unicodeScalars)
    guard !a.isEmpty, a.count <= 256 else { return nil }
    let allowed = max(1, a.count / 3)
    var best: (String, Int)?
    for c in candidates.prefix(10_000) where c != name {
      let b = Array(c.unicodeScalars)
      guard b.count <= 256, abs(b.count - a.count) <= allowed else { continue }
      let d = distance(a, b)
      if d <= allowed, best == nil || d < best!.1 { best = (c, d) }
    }
    return best?.0
  }

  /// Levenshtein distance (insertions, deletions, substitutions), ignoring ASCII case.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
    func fold(_ s: Unicode.Scalar) -> UInt32 {
      s.value >= 65 && s.value <= 90 ? s.value + 32 : s.value
    }
    var previous = Array(0...b.count)
    var current = Array(repeating: 0, count: b.count + 1)
    for i in 1...max(a.count, 1) where !a.isEmpty {
      current[0] = i
      for j in stride(from: 1, through: b.count, by: 1) {
        let cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
      }
      swap(&previous, &current)
    }
    return previous[b.count]
  }
}
