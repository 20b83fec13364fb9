import UnifiedLoRA
import UnifiedLoRAIO

/// One step of a run log: the inputs the run's controller consumed and what it logged.
///
/// The logged values follow the trace convention of SPEC §2: the record of step `t` holds the state
/// after consuming step `t` — `Ê_{t+1}`, `φ_{t+1}`, `M_{t+1}` — and `η[M_{t+1}]`, the learning rate of
/// the next optimizer step. `nil` means the log has no such column or the cell is empty.
public struct LoggedStep: Sendable, Hashable {
  public var line: Int
  public var step: Int
  public var loss: Double
  public var env: Double
  public var mode: Mode?
  public var lr: Double?
  public var phi: Double?
  public var ehat: Double?

  public init(
    line: Int = 0, step: Int, loss: Double, env: Double = 0, mode: Mode? = nil, lr: Double? = nil,
    phi: Double? = nil, ehat: Double? = nil
  ) {
    self.line = line
    self.step = step
    self.loss = loss
    self.env = env
    self.mode = mode
    self.lr = lr
    self.phi = phi
    self.ehat = ehat
  }

  public var input: Input { Input(step: step, loss: loss, env: env) }
}

extension LossJumpStress {
  /// A logged step with its env replaced by the measured `E_t` (see ``measure(_:)``).
  public mutating func measure(_ step: LoggedStep) -> LoggedStep {
    var out = step
    out.env = measure(step.input).env
    return out
  }
}

/// A run log loaded for an audit: its steps, which decision fields it has, and every issue found.
public struct RunLog: Sendable, Hashable {
  public var steps: [LoggedStep]
  /// The decision fields that at least one record has.
  public var fields: Set<AuditField>
  public var issues: [LogIssue]
  /// The column names in use (for reports).
  public var columns: AuditColumns

  public init(
    steps: [LoggedStep], fields: Set<AuditField>? = nil, issues: [LogIssue] = [],
    columns: AuditColumns = AuditColumns()
  ) {
    self.steps = steps
    self.fields =
      fields
      ?? Set(
        AuditField.allCases.filter { f in steps.contains { $0.value(f) != nil } })
    self.issues = issues
    self.columns = columns
  }

  /// Whether an issue prevents the replay.
  public var isReplayable: Bool { !issues.contains(where: \.fatal) }

  /// Reads and checks a log. Structural errors (unreadable file, ragged CSV row, a line that is
  /// not JSON) throw ``LogError``; everything else becomes a ``LogIssue``.
  public static func load(path: String, columns: AuditColumns) throws(LogError) -> RunLog {
    try load(reader: reader(path: path, columns: columns), columns: columns)
  }

  /// The reader ``load(path:columns:)`` uses (to ask it afterwards what it skipped).
  /// With `copyTo`, standard input's bytes are copied there as they are read.
  public static func reader(path: String, columns: AuditColumns, copyTo: Int32 = -1) throws(LogError)
    -> RunLogReader
  {
    try RunLogReader(
      .path(path), format: columns.format, columns: columns.names, required: columns.required,
      maxLineLength: columns.maxLineLength, lossColumn: columns.loss, stepColumn: columns.step,
      copyTo: copyTo)
  }

  /// As ``load(path:columns:)``, from bytes in memory.
  public static func load(bytes: [UInt8], columns: AuditColumns) throws(LogError) -> RunLog {
    let reader = try RunLogReader(
      .bytes(bytes), format: columns.format, columns: columns.names, required: columns.required,
      maxLineLength: columns.maxLineLength, lossColumn: columns.loss, stepColumn: columns.step)
    return try load(reader: reader, columns: columns)
  }

  /// At most this many issues of one kind are listed; the rest are counted in one summary issue.
  public static let issueLimit = 20

  /// As ``load(path:columns:)``, from a reader the caller opened (to ask it afterwards what it
  /// skipped).
  public static func load(reader: RunLogReader, columns c: AuditColumns) throws(LogError) -> RunLog {
    var loader = RunLogLoader(columns: c)
    var steps: [LoggedStep] = []
    var batch: [RunLogRecord] = []
    while try reader.read(into: &batch, limit: 65_536) > 0 {
      for r in batch {
        if let s = loader.accept(r, present: reader.present) { steps.append(s) }
      }
    }
    let (issues, fields) = loader.finish(present: reader.present)
    return RunLog(steps: steps, fields: fields, issues: issues, columns: c)
  }
}

/// The checks of ``RunLog/load(path:columns:)`` one record at a time, in bounded memory: the
/// step order, the inputs' validity and the decisions' form, with at most
/// ``RunLog/issueLimit`` issues of a kind listed.
struct RunLogLoader {
  let c: AuditColumns
  var issues: [LogIssue] = []
  var counts: [LogIssue.Kind: Int] = [:]
  var index = 0
  var previous: Int?
  /// The last ``recentLimit`` step numbers (a ring), to tell a repeated step from one out of
  /// order; searched only when a step goes backwards.
  var recent: [Int] = []
  var recentNext = 0
  static let recentLimit = 4096
  /// Whether a fatal issue was found so far.
  var fatal = false

  init(columns: AuditColumns) { c = columns }

  mutating func note(_ issue: LogIssue) {
    counts[issue.kind, default: 0] += 1
    if issue.fatal { fatal = true }
    if counts[issue.kind]! <= RunLog.issueLimit { issues.append(issue) }
  }

  mutating func remember(_ step: Int) {
    if recent.count < Self.recentLimit {
      recent.append(step)
    } else {
      recent[recentNext] = step
      recentNext = (recentNext + 1) % Self.recentLimit
    }
  }

  /// The step of record `r`, or nil when the record cannot be replayed (its issues noted).
  mutating func accept(_ r: RunLogRecord, present: [Bool]) -> LoggedStep? {
    r.values.withUnsafeBufferPointer { accept(line: r.line, $0, present: present) }
  }

  /// As ``accept(_:present:)`` for the record of `line` whose values are `v` (one per column).
  mutating func accept(line: Int, _ v: UnsafeBufferPointer<FieldValue>, present: [Bool]) -> LoggedStep? {
    accept(line: line, present: present) { v[$0] }
  }

  /// As ``accept(_:present:)`` for the record of `line` whose cells are `v` (one per column), their
  /// texts in `texts`.
  mutating func accept(line: Int, _ v: UnsafeBufferPointer<Cell>, texts: [String], present: [Bool])
    -> LoggedStep?
  {
    accept(line: line, present: present) { v[$0].value(texts) }
  }

  /// The checks of a record whose value in column `k` is `v(k)`.
  @inline(__always)
  mutating func accept(line: Int, present: [Bool], _ v: (Int) -> FieldValue) -> LoggedStep? {
    // The column names are read only for a message: copying them for every record cost a
    // reference-counting step per name.
    func name(_ k: Int) -> String { c.names[k] }
    defer { index += 1 }
    // Step.
    var step = index
    /// Notes an issue with this record's cell in column `k`; `message` is given the column's name.
    func flag(
      _ kind: LogIssue.Kind, column k: Int, value: String? = nil, fatal: Bool,
      _ message: (_ column: String) -> String
    ) {
      let name = name(k)
      note(
        LogIssue(
          kind, line: line, step: step, column: name, value: value, fatal: fatal, message: message(name)))
    }
    if present[0] {
      switch v(0) {
      // Cells are read as binary64, which holds every integer up to 2^53 exactly; beyond
      // that two different steps could read as one, so they are refused.
      case .number(let x) where x.isFinite && x == x.rounded() && abs(x) <= 0x1p53:
        step = Int(x)
      case .missing:
        note(
          LogIssue(
            .missingValue, line: line, column: c.step, fatal: true,
            message: "column '\(c.step)' is empty: every record needs a step"))
        return nil
      default:
        note(
          LogIssue(
            .invalidStep, line: line, column: c.step, value: v(0).description, fatal: true,
            message: "column '\(c.step)': '\(v(0))' is not an integer step in −2^53 … 2^53"))
        return nil
      }
      if let previous {
        if step == previous || (step < previous && recent.contains(step)) {
          flag(.duplicateStep, column: 0, value: String(step), fatal: true) { _ in
            "step \(step) appears twice: steps must strictly increase"
          }
        } else if step < previous {
          flag(.stepOutOfOrder, column: 0, value: String(step), fatal: true) { _ in
            "step \(step) comes after step \(previous): steps must strictly increase"
          }
        } else if step > previous + 1 {
          flag(.stepGap, column: 0, value: String(step), fatal: false) { _ in
            (step - previous == 2
              ? "step \(previous + 1) is missing"
              : "steps \(previous + 1)…\(step - 1) are missing (\(step - previous - 1) steps)")
              + "; replayed as logged, the cooldown counts in step numbers"
          }
        }
      }
      remember(step)
      previous = max(previous ?? step, step)
    }
    /// The number in column `k`: text is a fatal issue, an empty cell gives `empty()`.
    func number(_ k: Int, empty: () -> Double?) -> Double? {
      switch v(k) {
      case .number(let x): return x
      case .missing: return empty()
      case .text(let s):
        flag(.notANumber, column: k, value: s, fatal: true) { "column '\($0)': '\(s)' is not a number" }
        return nil
      }
    }
    /// An empty cell in a decision column the log has: noted, and not compared at this step.
    func emptyDecision(_ k: Int) -> Double? {
      if present[k] {
        flag(.missingValue, column: k, fatal: false) { "column '\($0)' is empty: not compared at this step" }
      }
      return nil
    }
    // Inputs: required and valid.
    func input(_ k: Int, default d: Double?) -> Double? {
      let value = number(k) {
        if let d { return d }
        flag(.missingValue, column: k, fatal: true) {
          "column '\($0)' is empty: the controller needs it to replay the step"
        }
        return nil
      }
      guard let x = value else { return nil }
      guard x.isFinite, x >= 0 else {
        flag(.invalidInput, column: k, value: x.description, fatal: true) {
          "\($0) = \(x) is not a finite number ≥ 0: the controller cannot consume it"
        }
        return nil
      }
      return x
    }
    let loss = input(1, default: nil)
    let env = input(2, default: present[2] ? nil : 0)
    // Decisions: optional, checked for form.
    func decision(_ k: Int) -> Double? {
      number(k) { emptyDecision(k) }
    }
    /// A mode cell that names no mode, as written (a number as Swift prints it).
    func unknownMode(_ text: String) {
      flag(.unknownMode, column: 3, value: text, fatal: true) {
        "column '\($0)': '\(text)' is not a mode (0, 1, 2, Single, Multi, Mirror)"
      }
    }
    var mode: Mode?
    switch v(3) {
    case .number(let x):
      mode = Mode(rawValue: Int(exactly: x) ?? -1)
      if mode == nil { unknownMode(x.description) }
    case .text(let s):
      mode = Mode.allCases.first { $0.description.lowercased() == s.lowercased() }
      if mode == nil { unknownMode(s) }
    case .missing:
      _ = emptyDecision(3)
    }
    let lr = decision(4)
    let phi = decision(5)
    let ehat = decision(6)
    guard let loss, let env else { return nil }
    return LoggedStep(
      line: line, step: step, loss: loss, env: env, mode: mode, lr: lr, phi: phi, ehat: ehat)
  }

  /// Every issue (with the per-kind summaries and the file-level checks) and the decision fields
  /// the log has.
  func finish(present: [Bool]) -> (issues: [LogIssue], fields: Set<AuditField>) {
    let c = self.c
    var issues = self.issues
    for (kind, n) in counts where n > RunLog.issueLimit {
      let first = issues.first { $0.kind == kind }!
      issues.append(
        LogIssue(
          kind, line: 0, fatal: first.fatal,
          message: "\(n - RunLog.issueLimit) more '\(kind.rawValue)' issues not listed (\(n) in all)"))
    }
    // The JSON Lines reader learns which columns exist while reading.
    for (k, field) in [(3, AuditField.mode), (4, .lr), (5, .phi), (6, .ehat)]
    where c.required[k] && !present[k] {
      issues.append(
        LogIssue(
          .missingValue, line: 0, column: c.names[k], fatal: true,
          message: "no record has the column '\(c.names[k])' named by --\(field.rawValue)-column"))
    }
    for k in [0, 2] where c.required[k] && !present[k] {
      issues.append(
        LogIssue(
          .missingValue, line: 0, column: c.names[k], fatal: true,
          message: "no record has the column '\(c.names[k])'"))
    }
    let fields = Set(
      [(3, AuditField.mode), (4, .lr), (5, .phi), (6, .ehat)].filter { present[$0.0] }.map(\.1))
    if fields.isEmpty {
      issues.append(
        LogIssue(
          .noDecisionColumn, line: 0, fatal: true,
          message:
            "the log has no decision column (looked for '\(c.mode)', '\(c.lr)', '\(c.phi)', '\(c.ehat)'): nothing to audit; name them with --mode-column, --lr-column, --phi-column, --ehat-column"
        ))
    }
    return (issues, fields)
  }
}
