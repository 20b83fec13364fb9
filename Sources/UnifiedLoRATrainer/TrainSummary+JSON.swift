import Foundation
import UnifiedLoRASupport

extension TrainSummary {
  /// The encoder of `summary.json`: the project's one JSON convention (`JSONFormat`): camelCase
  /// keys as declared, sorted, pretty-printed; non-finite numbers as the strings `"Infinity"`,
  /// `"-Infinity"`, `"NaN"`, so a summary with an infinite or undefined statistic is still
  /// written whole.
  public static var encoder: JSONEncoder { JSONFormat.encoder }

  /// The decoder matching ``encoder``.
  public static var decoder: JSONDecoder { JSONFormat.decoder }

  /// The summary as JSON text (``encoder``), ending in a newline.
  public func json() throws -> String { try JSONFormat.text(self) }
}
