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

  /// The number, or `nil` for text and missing values.
  public var number: Double? {
    if case .number(let v) = self { return v }
    return nil
  }

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
