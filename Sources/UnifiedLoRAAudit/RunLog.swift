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
  public static func reader(path: String, columns: AuditColumns) throws(LogError) -> RunLogReader {
    try RunLogReader(
      path: path, format: columns.format, columns: columns.names, required: columns.required,
      lossColumn: columns.loss, stepColumn: columns.step)
  }

  /// As ``load(path:columns:)``, from bytes in memory.
  public static func load(bytes: [UInt8], columns: AuditColumns) throws(LogError) -> RunLog {
    let reader = try RunLogReader(
      bytes: bytes, format: columns.format, columns: columns.names, required: columns.required,
      lossColumn: columns.loss, stepColumn: columns.step)
    return try load(reader: reader, columns: columns)
  }

  /// At most this many issues of one kind are listed; the rest are counted in one summary issue.
  public static let issueLimit = 20

  /// As ``load(path:columns:)``, from a reader the caller opened (to ask it afterwards what it
  /// skipped).
  public static func load(reader: RunLogReader, columns c: AuditColumns) throws(LogError) -> RunLog {
    let records = try reader.readAll()
    var issues: [LogIssue] = []
    var counts: [LogIssue.Kind: Int] = [:]
    func note(_ issue: LogIssue) {
      counts[issue.kind, default: 0] += 1
      if counts[issue.kind]! <= issueLimit { issues.append(issue) }
    }
    let hasStep = reader.present[0]
    var steps: [LoggedStep] = []
    steps.reserveCapacity(records.count)
    var previous: Int?
    var seen: Set<Int> = []
    for (index, r) in records.enumerated() {
      let v = r.values
      // Step.
      var step = index
      if hasStep {
        switch v[0] {
        // Cells are read as binary64, which holds every integer up to 2^53 exactly; beyond
        // that two different steps could read as one, so they are refused.
        case .number(let x) where x.isFinite && x == x.rounded() && abs(x) <= 0x1p53:
          step = Int(x)
        case .missing:
          note(
            LogIssue(
              .missingValue, line: r.line, column: c.step, fatal: true,
              message: "column '\(c.step)' is empty: every record needs a step"))
          continue
        default:
          note(
            LogIssue(
              .invalidStep, line: r.line, column: c.step, value: v[0].description, fatal: true,
              message: "column '\(c.step)': '\(v[0])' is not an integer step in −2^53 … 2^53"))
          continue
        }
        if let previous {
          if step == previous || seen.contains(step) {
            note(
              LogIssue(
                .duplicateStep, line: r.line, step: step, column: c.step, value: String(step),
                fatal: true, message: "step \(step) appears twice: steps must strictly increase"))
          } else if step < previous {
            note(
              LogIssue(
                .stepOutOfOrder, line: r.line, step: step, column: c.step, value: String(step),
                fatal: true,
                message: "step \(step) comes after step \(previous): steps must strictly increase"))
          } else if step > previous + 1 {
            note(
              LogIssue(
                .stepGap, line: r.line, step: step, column: c.step, value: String(step),
                fatal: false,
                message: (step - previous == 2
                  ? "step \(previous + 1) is missing"
                  : "steps \(previous + 1)…\(step - 1) are missing (\(step - previous - 1) steps)")
                  + "; replayed as logged, the cooldown counts in step numbers"
              ))
          }
        }
        seen.insert(step)
        previous = max(previous ?? step, step)
      }
      // Inputs: required and valid.
      func input(_ k: Int, _ name: String, default d: Double?) -> Double? {
        switch v[k] {
        case .number(let x):
          guard x.isFinite, x >= 0 else {
            note(
              LogIssue(
                .invalidInput, line: r.line, step: step, column: name, value: x.description,
                fatal: true,
                message: "\(name) = \(x) is not a finite number ≥ 0: the controller cannot consume it"))
            return nil
          }
          return x
        case .missing:
          if let d { return d }
          note(
            LogIssue(
              .missingValue, line: r.line, step: step, column: name, fatal: true,
              message: "column '\(name)' is empty: the controller needs it to replay the step"))
          return nil
        case .text(let s):
          note(
            LogIssue(
              .notANumber, line: r.line, step: step, column: name, value: s, fatal: true,
              message: "column '\(name)': '\(s)' is not a number"))
          return nil
        }
      }
      let loss = input(1, c.loss, default: nil)
      let env = input(2, c.env, default: reader.present[2] ? nil : 0)
      // Decisions: optional, checked for form.
      func decision(_ k: Int, _ name: String) -> Double? {
        switch v[k] {
        case .number(let x): return x
        case .missing:
          if reader.present[k] {
            note(
              LogIssue(
                .missingValue, line: r.line, step: step, column: name, fatal: false,
                message: "column '\(name)' is empty: not compared at this step"))
          }
          return nil
        case .text(let s):
          note(
            LogIssue(
              .notANumber, line: r.line, step: step, column: name, value: s, fatal: true,
              message: "column '\(name)': '\(s)' is not a number"))
          return nil
        }
      }
      var mode: Mode?
      switch v[3] {
      case .number(let x):
        if let m = Mode(rawValue: Int(exactly: x) ?? -1) {
          mode = m
        } else {
          note(
            LogIssue(
              .unknownMode, line: r.line, step: step, column: c.mode, value: x.description,
              fatal: true,
              message: "column '\(c.mode)': '\(x)' is not a mode (0, 1, 2, Single, Multi, Mirror)"))
        }
      case .text(let s):
        if let m = Mode.allCases.first(where: { $0.description.lowercased() == s.lowercased() }) {
          mode = m
        } else {
          note(
            LogIssue(
              .unknownMode, line: r.line, step: step, column: c.mode, value: s, fatal: true,
              message: "column '\(c.mode)': '\(s)' is not a mode (0, 1, 2, Single, Multi, Mirror)"))
        }
      case .missing:
        if reader.present[3] {
          note(
            LogIssue(
              .missingValue, line: r.line, step: step, column: c.mode, fatal: false,
              message: "column '\(c.mode)' is empty: not compared at this step"))
        }
      }
      let lr = decision(4, c.lr)
      let phi = decision(5, c.phi)
      let ehat = decision(6, c.ehat)
      guard let loss, let env else { continue }
      steps.append(
        LoggedStep(
          line: r.line, step: step, loss: loss, env: env, mode: mode, lr: lr, phi: phi, ehat: ehat))
    }
    for (kind, n) in counts where n > issueLimit {
      let first = issues.first { $0.kind == kind }!
      issues.append(
        LogIssue(
          kind, line: 0, fatal: first.fatal,
          message: "\(n - issueLimit) more '\(kind.rawValue)' issues not listed (\(n) in all)"))
    }
    // The JSON Lines reader learns which columns exist while reading.
    for (k, field) in [(3, AuditField.mode), (4, .lr), (5, .phi), (6, .ehat)]
    where c.required[k] && !reader.present[k] {
      issues.append(
        LogIssue(
          .missingValue, line: 0, column: c.names[k], fatal: true,
          message: "no record has the column '\(c.names[k])' named by --\(field.rawValue)-column"))
    }
    for k in [0, 2] where c.required[k] && !reader.present[k] {
      issues.append(
        LogIssue(
          .missingValue, line: 0, column: c.names[k], fatal: true,
          message: "no record has the column '\(c.names[k])'"))
    }
    let fields = Set(
      [(3, AuditField.mode), (4, .lr), (5, .phi), (6, .ehat)].filter { reader.present[$0.0] }.map(\.1))
    if fields.isEmpty {
      issues.append(
        LogIssue(
          .noDecisionColumn, line: 0, fatal: true,
          message:
            "the log has no decision column (looked for '\(c.mode)', '\(c.lr)', '\(c.phi)', '\(c.ehat)'): nothing to audit; name them with --mode-column, --lr-column, --phi-column, --ehat-column"
        ))
    }
    return RunLog(steps: steps, fields: fields, issues: issues, columns: c)
  }
}
