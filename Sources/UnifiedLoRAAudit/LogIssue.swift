/// Something wrong or notable in a run log, found while loading it for an audit.
///
/// A *fatal* issue makes the log impossible to replay (a duplicated or out-of-order step, a
/// missing or invalid loss); the audit then stops with exit status 2 and lists every issue. A
/// non-fatal issue is reported and the audit goes on: a gap in the step numbers (the cooldown
/// counts in the log's own step units, so a gap is replayed as it is), or a missing decision
/// value (that field is not compared at that step).
public struct LogIssue: Sendable, Hashable, Codable, CustomStringConvertible {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// The same step number appears twice.
    case duplicateStep = "duplicate-step"
    /// A step number smaller than the one before it.
    case stepOutOfOrder = "step-out-of-order"
    /// The step numbers jump by more than one (not fatal).
    case stepGap = "step-gap"
    /// A step value that is not an integer.
    case invalidStep = "invalid-step"
    /// An empty cell, `null` or absent key.
    case missingValue = "missing-value"
    /// Text where a number was expected.
    case notANumber = "not-a-number"
    /// A loss or env outside the equations' domain: NaN, ±∞ or negative.
    case invalidInput = "invalid-input"
    /// A mode that is not 0, 1, 2, Single, Multi or Mirror.
    case unknownMode = "unknown-mode"
    /// The log has none of the decision columns (mode, lr, phi, ehat): nothing to audit.
    case noDecisionColumn = "no-decision-column"
  }

  public var kind: Kind
  /// 1-based line of the log (0 for the whole file).
  public var line: Int
  public var step: Int?
  public var column: String?
  /// The offending text or value, as written.
  public var value: String?
  public var fatal: Bool
  public var message: String

  public init(
    _ kind: Kind, line: Int, step: Int? = nil, column: String? = nil, value: String? = nil,
    fatal: Bool, message: String
  ) {
    self.kind = kind
    self.line = line
    self.step = step
    self.column = column
    self.value = value
    self.fatal = fatal
    self.message = message
  }

  public var description: String {
    let at = line > 0 ? "line \(line)" + (step.map { ", step \($0)" } ?? "") + ": " : ""
    return "\(at)\(message)"
  }
}

extension LogIssue {
  /// The summary of a log that the audit cannot use, e.g. `the log cannot be replayed: 2 problems,
  /// the first: line 3, step 2: …`.
  ///
  /// - Precondition: `fatal` is not empty.
  static func fatalSummary(_ fatal: [LogIssue], cannot what: String) -> String {
    "the log cannot \(what): \(fatal.count) problem\(fatal.count == 1 ? "" : "s"), the first: \(fatal[0])"
  }
}
