import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

// The command line's one output layer: one report format, one table renderer (with its two
// cell-padding helpers), one JSON convention. Every command but `train` prints through it.

/// `table` for people (the default) or `json` (stable keys, documented in the README): the
/// format of every command that prints a report.
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

/// A column-aligned text table.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []

  init(_ header: String...) { self.header = header }

  mutating func add(_ cells: String...) { rows.append(cells) }

  func render(indent: String = "  ") -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
    return all.map { row in
      indent
        + row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padded(widths[i]) }
        .joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}

extension String {
  /// The cell left-aligned in `n` columns (never cut).
  func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
  /// The cell right-aligned in `n` columns (never cut).
  func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}

/// The JSON of every command: keys sorted (camelCase, as the types name them), pretty-printed,
/// slashes unescaped, and the non-finite numbers as the strings "Infinity", "-Infinity" and
/// "NaN" (JSON has no literal for them). The decoder reads the same convention back (`sweep
/// merge`, `tune merge`). One home: `JSONFormat` in UnifiedLoRASupport, shared with the libraries.
enum JSONOutput {
  static var encoder: JSONEncoder { JSONFormat.encoder }
  static var decoder: JSONDecoder { JSONFormat.decoder }
}

/// `value` as the command line's JSON (``JSONOutput``), with a final newline.
func json<T: Encodable>(_ value: T) throws -> String {
  String(decoding: try JSONOutput.encoder.encode(value), as: UTF8.self) + "\n"
}

/// `base`'s JSON with one more key, or one key replaced (nothing when `value` is nil): how the
/// command line adds what only it renders, such as a replaying command line, to a library's
/// report.
struct WithKey<Base: Encodable, Value: Encodable>: Encodable {
  let base: Base
  let key: String
  let value: Value?

  init(_ base: Base, _ key: String, _ value: Value?) {
    self.base = base
    self.key = key
    self.value = value
  }

  func encode(to encoder: any Encoder) throws {
    try base.encode(to: encoder)
    var c = encoder.container(keyedBy: StringCodingKey.self)
    try c.encodeIfPresent(value, forKey: StringCodingKey(stringValue: key))
  }
}
