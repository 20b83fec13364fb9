/// One cell of a run log as it was written: a number, some other text, or nothing.
///
/// The multi-column reader does not decide what is an error: a missing value or a word where a
/// number was expected is handed to the consumer, which can name the step and the column.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
  /// A number (NaN and ±∞ included: `nan`, `inf` and JSON's bare `NaN`/`Infinity` parse).
  case number(Double)
  /// Text that is not a number (`Multi`, `true`, a nested object printed as text).
  case text(String)
  /// An empty CSV cell, a JSON `null`, or a key absent from the line.
  case missing

  /// The value as a diagnostic shows it: text is cut to ``Echo/limit`` characters with its
  /// length, and control characters are escaped (``Echo/cut(_:)``).
  public var description: String {
    switch self {
    case .number(let v): v.description
    case .text(let s): Echo.cut(s)
    case .missing: "(missing)"
    }
  }

  // Equal by bit pattern, so that a NaN cell equals itself in tests.
  public static func == (a: FieldValue, b: FieldValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): x.bitPattern == y.bitPattern
    case (.text(let x), .text(let y)): x == y
    case (.missing, .missing): true
    default: false
    }
  }

  public func hash(into h: inout Hasher) {
    switch self {
    case .number(let v): h.combine(v.bitPattern)
    case .text(let s): h.combine(s)
    case .missing: h.combine(0)
    }
  }
}

/// A cell of a batch read by ``RunLogReader/read(cells:texts:lines:limit:)``: a number or
/// nothing held inline, text by its index into the batch's texts. A trivial value (no reference
/// counting), so that the millions of cells of a log are copied and freed as plain memory; a
/// ``FieldValue`` holds its text itself and costs a reference-counting step per copy.
package enum Cell: Sendable, Hashable {
  case number(Double)
  case missing
  /// The index of the cell's text in the batch's texts.
  case text(Int)

  /// The cell as a ``FieldValue``, its text taken from `texts`.
  @inlinable
  package func value(_ texts: [String]) -> FieldValue {
    switch self {
    case .number(let x): .number(x)
    case .missing: .missing
    case .text(let k): .text(texts[k])
    }
  }

  /// The cell of `v`, its text appended to `texts`.
  @inline(__always)
  package static func from(_ v: FieldValue, texts: inout [String]) -> Cell {
    switch v {
    case .number(let x): return .number(x)
    case .missing: return .missing
    case .text(let s):
      texts.append(s)
      return .text(texts.count - 1)
    }
  }

  /// ``FieldValue/cell(_:)`` of the raw bytes of a field, a text appended to `texts`.
  @inline(__always)
  static func parse(_ raw: UnsafeBufferPointer<UInt8>, texts: inout [String]) -> Cell {
    let f = NumberParsing.trim(raw)
    if f.isEmpty { return .missing }
    if let v = FieldValue.number(trimmed: f) { return .number(v) }
    texts.append(String(decoding: f, as: UTF8.self))
    return .text(texts.count - 1)
  }
}
