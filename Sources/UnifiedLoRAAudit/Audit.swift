import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRASupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The outcome of an audit.
public enum AuditVerdict: String, Sendable, Hashable, Codable {
  /// Every logged decision agrees with the replay within the tolerance and every invariant holds.
  case conforms
  /// A logged decision differs, or an invariant fails.
  case doesNotConform = "does-not-conform"
  /// The log cannot be replayed (a fatal ``LogIssue``).
  case badInput = "bad-input"

  /// The process exit status: 0, 1, 2.
  public var exitStatus: Int32 {
    switch self {
    case .conforms: 0
    case .doesNotConform: 1
    case .badInput: 2
    }
  }
}

/// Everything an audit found. Encodes to the `--format json` output of `unified-lora audit`.
public struct AuditReport: Sendable, Hashable, Codable {
  public var verdict: AuditVerdict
  /// One sentence: the finding.
  public var summary: String
  public var records: Int
  public var firstStep: Int?
  public var lastStep: Int?
  /// The decision fields the log has, with the column each was read from.
  public var columns: [String: String]
  public var parameters: Parameters
  public var tolerance: Double
  public var toleranceRule: String
  /// The replay under the reference (nil for bad input).
  public var comparison: Comparison?
  /// Every single change tried, full explanations first, then by mismatched steps (at most 12
  /// listed; `hypothesesTried` counts them all). Empty when the log conforms.
  public var hypotheses: [HypothesisResult]
  public var hypothesesTried: Int
  /// The changes that remove every mismatch.
  public var explainedBy: [String]
  /// Steps that differ alone, with agreeing neighbours, when no change explains the log.
  public var isolatedSteps: [Int]
  public var invariants: [InvariantCheck]
  public var issues: [LogIssue]
}

/// Where an audit reads its records from: a log in memory, or a file read in batches (once for
/// the replay and the invariants, and once more for the hypotheses when the log does not conform).
protocol StepSource {
  /// Hands the replayable records to `body` in batches, in order, until it returns false; then
  /// returns every issue and the decision fields. `body`'s second argument says whether every
  /// record so far was replayable.
  func read(_ body: ([LoggedStep], Bool) -> Bool) throws(LogError) -> (
    issues: [LogIssue], fields: Set<AuditField>
  )

  /// The source to read for a later pass (a stream read once is read again from its copy).
  func secondPass() -> Self
}

extension RunLog: StepSource {
  func secondPass() -> RunLog { self }

  func read(_ body: ([LoggedStep], Bool) -> Bool) throws(LogError) -> (
    issues: [LogIssue], fields: Set<AuditField>
  ) {
    let batch = 65_536
    var lo = 0
    while lo < steps.count {
      let hi = min(steps.count, lo + batch)
      if !body(Array(steps[lo..<hi]), isReplayable) { break }
      lo = hi
    }
    return (issues, fields)
  }
}

/// A log file read in batches of records; each `read` opens it afresh.
struct FileSteps: StepSource {
  var path: String
  let columns: AuditColumns
  /// With `path` standard input: the descriptor its bytes are copied to as the first pass reads
  /// them, and the path that later passes read the copy from.
  var copy: Int32 = -1
  var rereadPath: String? = nil
  /// Records per batch (small values in tests, to cross batch boundaries).
  var batch = 16_384
  /// When set, every loss is divided by it before the controller sees it.
  var lossScale: Double? = nil
  /// When set, each step's env is replaced by this signal measured from the logged losses, in log
  /// order, afresh on every pass (the logged env column is not read).
  var signal: LossJumpStress? = nil
  /// Filled on the first pass: the columns the log has, what the reader skipped, the first losses.
  var info: AuditReadInfo? = nil

  /// Whether the reading runs on a thread of its own, one batch ahead of `body` (``Pipeline``);
  /// false reads and hands on each batch in turn. Both give the same batches, issues and error.
  var pipelined = true

  func secondPass() -> FileSteps {
    guard let rereadPath else { return self }
    var s = self
    s.path = rereadPath
    s.copy = -1
    s.rereadPath = nil
    return s
  }

  func read(_ body: ([LoggedStep], Bool) -> Bool) throws(LogError) -> (
    issues: [LogIssue], fields: Set<AuditField>
  ) {
    guard pipelined else {
      var going = true
      var result: (issues: [LogIssue], fields: Set<AuditField>)?
      try produce { item in
        switch item {
        case .batch(let steps, let state):
          if going { going = body(steps, !state.loader.fatal) }
          if !going && !state.loader.fatal {
            result = state.finish(info)
            return false
          }
        case .end(let state): result = state.finish(info)
        }
        return true
      }
      return result!
    }
    // The reader runs one batch ahead, so each batch carries the loader's state after it: when
    // `body` stops, what is reported is what a read that stopped there would report, and an
    // error in a batch after the stop is never seen.
    var going = true
    var result: Result<(issues: [LogIssue], fields: Set<AuditField>), LogError>?
    let source = self
    Pipeline.run(
      capacity: 2,
      produce: { (send: (Result<Item, LogError>) -> Bool) in
        do throws(LogError) {
          try source.produce { send(.success($0)) }
        } catch {
          _ = send(.failure(error))
        }
      },
      consume: { item in
        switch item {
        case .failure(let e):
          result = .failure(e)
          return false
        case .success(.batch(let steps, let state)):
          if going { going = body(steps, !state.loader.fatal) }
          if !going && !state.loader.fatal {
            result = .success(state.finish(info))
            return false
          }
          return true
        case .success(.end(let state)):
          result = .success(state.finish(info))
          return false
        }
      })
    return try result!.get()
  }

  /// What the reading hands on: a batch of replayable steps with the state after it, then the
  /// state at the end.
  enum Item: Sendable {
    case batch([LoggedStep], State)
    case end(State)
  }

  /// The checks' state after a batch, and what the reader knew then.
  struct State: Sendable {
    var loader: RunLogLoader
    var present: [Bool]
    var columnNames: [String]
    var skippedNote: String?

    /// The issues and fields of a read that ends here; fills `info` on the first pass.
    func finish(_ info: AuditReadInfo?) -> (issues: [LogIssue], fields: Set<AuditField>) {
      info?.finish(columnNames: columnNames, skippedNote: skippedNote)
      return loader.finish(present: present)
    }
  }

  /// Reads the log to its end (or until `send` returns false), handing on each batch of
  /// replayable steps with the state after it, then the final state.
  func produce(_ send: (Item) -> Bool) throws(LogError) {
    let c = columns
    let reader = try RunLog.reader(path: path, columns: c, copyTo: copy)
    var loader = RunLogLoader(columns: c)
    var cells: [Cell] = []
    var texts: [String] = []
    var lines: [Int] = []
    var measuring = signal
    let width = c.names.count
    func state() -> State {
      State(
        loader: loader, present: reader.present, columnNames: (0..<width).map { reader.columnName($0) },
        skippedNote: reader.skippedNote)
    }
    while try reader.read(cells: &cells, texts: &texts, lines: &lines, limit: batch) > 0 {
      var steps: [LoggedStep] = []
      steps.reserveCapacity(lines.count)
      let present = reader.present
      cells.withUnsafeBufferPointer { all in
        for (k, line) in lines.enumerated() {
          let v = UnsafeBufferPointer(rebasing: all[(k * width)..<((k + 1) * width)])
          guard var s = loader.accept(line: line, v, texts: texts, present: present) else { continue }
          if let lossScale { s.loss /= lossScale }
          if measuring != nil { s = measuring!.measure(s) }
          info?.observe(s.loss)
          steps.append(s)
        }
      }
      // A log that cannot be replayed is still read to the end, for every issue (a listing
      // bounded by the issue limit); otherwise reading stops when the consumer is done.
      if !send(.batch(steps, state())) { return }
    }
    _ = send(.end(state()))
  }
}

/// What the first pass of a streamed audit learned about the file besides its records: the column
/// names the log has (an export's chosen `train/loss`, `learning_rate`, …), what the reader
/// skipped (rows with no loss), and the first losses as the controller sees them.
public final class AuditReadInfo: @unchecked Sendable {
  // Written only by the sequential first pass, read after the audit returns.
  public private(set) var columnNames: [String] = []
  public private(set) var skippedNote: String?
  public private(set) var firstLosses: [Double] = []
  public static let lossSample = 100
  private var done = false

  public init() {}

  func observe(_ loss: Double) {
    if !done && firstLosses.count < AuditReadInfo.lossSample { firstLosses.append(loss) }
  }

  func finish(_ reader: RunLogReader) {
    finish(columnNames: (0..<7).map { reader.columnName($0) }, skippedNote: reader.skippedNote)
  }

  func finish(columnNames: [String], skippedNote: String?) {
    guard !done else { return }
    done = true
    self.columnNames = columnNames
    self.skippedNote = skippedNote
  }
}

/// Replays a run log through the reference equations and says whether, where and why it differs.
///
/// ```swift
/// let report = try Audit.run(path: "run.csv", columns: AuditColumns(), parameters: .report)
/// print(report.summary)      // exit with report.verdict.exitStatus
/// ```
///
/// A file is streamed: memory stays bounded whatever its length (batches of records, the first
/// 50 mismatched steps, at most ``RunLog/issueLimit`` issues of a kind). The replay, the
/// invariants and the statistics the changes are drawn from take one pass; the changes, when
/// the log does not conform, a second one in which all of them advance together over each batch
/// on all cores, each stopping at the first record it does not explain.
public enum Audit {
  /// Audits the log at `path` (`-` for standard input; it, or another stream such as a FIFO, is
  /// copied to a temporary file as it is read when the changes may need a second pass).
  ///
  /// - Throws: ``LogError`` when the file's structure is broken (see ``RunLog/load(path:columns:)``).
  ///   - lossScale: when set, every loss is divided by it first.
  ///   - signal: when set, E is this measured signal of the logged losses (see ``LossJumpStress``),
  ///     not the logged env column.
  ///   - info: filled with what the first pass learned (column names, skipped rows, first losses).
  public static func run(
    path: String, columns: AuditColumns, parameters p: Parameters, tolerance: Tolerance = Tolerance(),
    explain: Bool = true, lossScale: Double? = nil, signal: LossJumpStress? = nil, info: AuditReadInfo? = nil
  ) throws(LogError) -> AuditReport {
    try run(
      path: path, columns: columns, parameters: p, tolerance: tolerance, explain: explain,
      lossScale: lossScale,
      signal: signal, info: info, copyTo: -1)
  }

  /// As the public `run(path:…)`; with `copyTo`, standard input's bytes are copied there as they
  /// are read (by a caller that reads the stream again afterwards).
  static func run(
    path: String, columns: AuditColumns, parameters p: Parameters, tolerance: Tolerance,
    explain: Bool, lossScale: Double?, signal: LossJumpStress?, info: AuditReadInfo?, copyTo: Int32
  ) throws(LogError) -> AuditReport {
    var steps = FileSteps(path: path, columns: columns, lossScale: lossScale, signal: signal, info: info)
    steps.copy = copyTo
    var spooled: Int32 = -1
    defer { if spooled >= 0 { close(spooled) } }
    if explain && copyTo < 0 && !isRegularFile(path) {
      if isStreamPath(path) {
        // Copied as the first pass reads it: an error is reported as soon as it is read, even
        // on a stream that never ends.
        spooled = try temporaryFile(for: path)
        steps.copy = spooled
        steps.rereadPath = "/proc/self/fd/\(spooled)"
      } else {
        spooled = try spool(path, columns: columns)
        steps.path = "/proc/self/fd/\(spooled)"
      }
    }
    return try run(steps, columns: columns, parameters: p, tolerance: tolerance, explain: explain)
  }

  /// Audits `log` under `parameters` (the reference: the variant's own equations and update order).
  ///
  /// - Parameters:
  ///   - explain: try the single changes of ``Hypothesis/candidates(for:reference:)`` when the log
  ///     does not conform.
  /// - Complexity: O(n) for the replay and the invariants; O(n·h) at most with `explain`, h ≈ 200
  ///   changes, each stopping at its first unexplained record.
  public static func run(
    _ log: RunLog, parameters p: Parameters, tolerance: Tolerance = Tolerance(), explain: Bool = true
  ) -> AuditReport {
    do {
      return try run(log, columns: log.columns, parameters: p, tolerance: tolerance, explain: explain)
    } catch {
      preconditionFailure("a log in memory cannot fail to read: \(error)")
    }
  }

  static func run(
    _ source: some StepSource, columns c: AuditColumns, parameters p: Parameters, tolerance: Tolerance,
    explain: Bool
  ) throws(LogError) -> AuditReport {
    let names: [AuditField: String] = [.mode: c.mode, .lr: c.lr, .phi: c.phi, .ehat: c.ehat]
    let reference = UpdateRule(p)
    var comparison = Comparison.Accumulator(rule: reference, tolerance: tolerance)
    var invariants = InvariantCheck.Accumulator(p, tolerance: tolerance)
    var stats = LogStatistics(initial: p.initial.mode)
    var records = 0
    var firstStep: Int?
    var lastStep: Int?
    let (issues, fields) = try source.read { batch, replayable in
      guard replayable else { return false }
      for s in batch {
        comparison.add(s)
        invariants.add(s)
        stats.add(s)
      }
      records += batch.count
      if firstStep == nil { firstStep = batch.first?.step }
      lastStep = batch.last?.step ?? lastStep
      return true
    }
    var report = AuditReport(
      verdict: .badInput, summary: "", records: records, firstStep: firstStep, lastStep: lastStep,
      columns: Dictionary(uniqueKeysWithValues: fields.map { ($0.rawValue, names[$0]!) }),
      parameters: p, tolerance: tolerance.tau, toleranceRule: Tolerance.rule, comparison: nil,
      hypotheses: [], hypothesesTried: 0, explainedBy: [], isolatedSteps: [], invariants: [],
      issues: issues)
    let fatal = issues.filter(\.fatal)
    guard fatal.isEmpty else {
      report.records = 0
      report.firstStep = nil
      report.lastStep = nil
      report.summary = LogIssue.fatalSummary(fatal, cannot: "be replayed")
      return report
    }
    let compared = comparison.result(fields: fields)
    report.comparison = compared
    report.invariants = invariants.result(fields: fields)
    let broken = report.invariants.filter { !$0.holds }
    let conforms = compared.conforms && broken.isEmpty
    report.verdict = conforms ? .conforms : .doesNotConform
    let fieldList = AuditField.allCases.filter { fields.contains($0) }.map(\.rawValue)
      .joined(separator: ", ")
    if conforms {
      report.summary =
        "conforms: \(records) records (\(fieldList)) agree with the \(p.variant) variant within tolerance \(tolerance.tau); every invariant holds"
      return report
    }
    var parts: [String] = []
    if let d = compared.firstDivergence {
      let what = d.fields.map(\.description).joined(separator: "; ")
      parts.append(
        "first divergence at step \(d.step) (\(what)); \(compared.mismatchedSteps) mismatched step\(compared.mismatchedSteps == 1 ? "" : "s")"
      )
    }
    if !broken.isEmpty {
      parts.append("invariants violated: \(broken.map(\.id).joined(separator: ", "))")
    }
    if explain && !compared.conforms {
      let candidates = Hypothesis.candidates(stats, reference: p)
      var results = try evaluate(candidates, source.secondPass(), tolerance)
      let kinds = Hypothesis.Kind.allCases
      results.sort {
        if $0.explainsFully != $1.explainsFully { return $0.explainsFully }
        if $0.agreedSteps != $1.agreedSteps { return $0.agreedSteps > $1.agreedSteps }
        return kinds.firstIndex(of: $0.kind)! < kinds.firstIndex(of: $1.kind)!
      }
      report.hypothesesTried = results.count
      report.explainedBy = results.filter(\.explainsFully).map(\.change)
      report.hypotheses = Array(results.prefix(max(12, min(report.explainedBy.count, 40))))
      if !report.explainedBy.isEmpty {
        let shown = report.explainedBy.prefix(3).joined(separator: "; ")
        let more = report.explainedBy.count > 3 ? " (and \(report.explainedBy.count - 3) more)" : ""
        parts.append("explained fully by: \(shown)\(more)")
      } else if compared.isolated {
        report.isolatedSteps = compared.mismatchSample
        parts.append(
          "no single change explains it; step\(compared.mismatchSample.count == 1 ? "" : "s") \(compared.mismatchSample.map(String.init).joined(separator: ", ")) \(compared.mismatchSample.count == 1 ? "differs" : "differ") alone and the replay agrees on both sides: the record was altered after the fact (or written by something else)"
        )
      } else if let best = results.first {
        parts.append(
          "no single change explains it; the closest: \(best.change) (agrees for \(best.agreedSteps) records, to step \(best.firstDivergenceStep.map { String($0 - 1) } ?? "-"))"
        )
      }
    }
    report.summary = "does not conform: " + parts.joined(separator: "; ")
    return report
  }

  /// One change being replayed: its state, how many records agreed, where it stopped.
  struct Run: Sendable {
    let rule: UpdateRule
    let convention: RecordConvention
    var state: ControllerState
    var agreed = 0
    var stoppedAt: Int?

    init(_ h: Hypothesis) {
      rule = h.rule
      convention = h.convention
      state = h.rule.parameters.initial
    }

    /// Advances over `batch` until the first record that disagrees.
    mutating func advance(_ batch: [LoggedStep], _ tolerance: Tolerance) {
      guard stoppedAt == nil else { return }
      let rates = rule.parameters.learningRates
      for s in batch {
        let after = rule.step(state, s.input)
        let ref = convention == .afterStep ? after : state
        guard Comparison.agrees(s, ref, rates, tolerance) else {
          stoppedAt = s.step
          return
        }
        state = after
        agreed += 1
      }
    }
  }

  /// Replays the log under every hypothesis in one more pass: each batch is shared by all the
  /// changes still running, split across the cores; the pass ends when every change has stopped.
  static func evaluate(_ candidates: [Hypothesis], _ source: some StepSource, _ tolerance: Tolerance)
    throws(LogError) -> [HypothesisResult]
  {
    var runs = candidates.map(Run.init)
    let workers = max(1, min(candidates.count, Parallel.defaultThreads))
    // One chunk per worker: each batch is shared by every change still running.
    let chunk = max(1, (runs.count + workers - 1) / workers)
    _ = try source.read { batch, _ in
      let current = runs
      runs = Parallel.map(current.indices, threads: workers, chunk: chunk) { k in
        var r = current[k]
        r.advance(batch, tolerance)
        return r
      }
      return runs.contains { $0.stoppedAt == nil }
    }
    return zip(candidates, runs).map { h, r in
      HypothesisResult(
        kind: h.kind, change: h.change, explainsFully: r.stoppedAt == nil, agreedSteps: r.agreed,
        firstDivergenceStep: r.stoppedAt)
    }
  }

  static func isRegularFile(_ path: String) -> Bool {
    guard path != "-" else { return false }
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Copies a stream (standard input, a FIFO) to a temporary file, so that it can be read twice,
  /// and returns its descriptor. The file is unlinked at once (it is read again through
  /// `/proc/self/fd`), so nothing is left behind however the process ends.
  /// The longest line a spooled input may have in the formats read whole or as binary records
  /// (`trainer_state.json`, TensorBoard): 256 MiB.
  static let documentLineLimit = 1 << 28

  /// An empty temporary file for a copy of `path`, unlinked at once (it is read again through
  /// `/proc/self/fd`), so that nothing is left behind however the process ends.
  static func temporaryFile(for path: String) throws(LogError) -> Int32 {
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array("\(dir)/unified-lora-audit-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      let what = path == "-" ? "standard input" : "'\(path)'"
      throw LogError(
        line: 0, .io("cannot make a temporary copy of \(what) in \(dir): \(String(cString: strerror(errno)))")
      )
    }
    let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    unlink(temp)
    return fd
  }

  /// Copies `path` (standard input for `-`) to an unlinked temporary file for the second pass.
  /// A line longer than the format allows stops the copy with an error naming the line, so a stream
  /// without line breaks (`/dev/zero`) fails at once instead of filling the disk.
  static func spool(_ path: String, columns: AuditColumns) throws(LogError) -> Int32 {
    let input = path == "-" ? 0 : open(path, O_RDONLY | O_CLOEXEC)
    guard input >= 0 else {
      throw LogError(line: 0, .io("cannot read '\(path)': \(String(cString: strerror(errno)))"))
    }
    defer { if path != "-" { close(input) } }
    let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    let fd = try temporaryFile(for: path)
    var done = false
    defer { if !done { close(fd) } }
    let size = 1 << 20
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16)
    defer { buffer.deallocate() }
    var line = 1
    var lineLength = 0
    var spoolLineLimit: Int?
    while true {
      let n = Glibc.read(input, buffer, size)
      if n == 0 { break }
      if n < 0 {
        if errno == EINTR { continue }
        throw LogError(line: 0, .io("cannot read '\(path)': \(String(cString: strerror(errno)))"))
      }
      let bytes = UnsafeRawBufferPointer(start: buffer, count: n)
      if spoolLineLimit == nil {
        let format =
          columns.format == .auto
          ? LogFormat.detect(Array(bytes.prefix(LogFormat.peekLimit))) : columns.format
        spoolLineLimit =
          format == .tensorboard || format == .trainerState ? documentLineLimit : columns.maxLineLength
      }
      let limit = spoolLineLimit!
      var start = 0
      while let k = bytes[start...].firstIndex(of: 0x0A) {
        line += 1
        lineLength = 0
        start = k + 1
      }
      lineLength += n - start
      if lineLength > limit {
        throw LogError(line: line, .lineTooLong(limit: limit))
      }
      var off = 0
      while off < n {
        let w = Glibc.write(fd, buffer + off, n - off)
        if w < 0 {
          if errno == EINTR { continue }
          let reason = String(cString: strerror(errno))
          throw LogError(line: 0, .io("cannot make a temporary copy of '\(path)' in \(dir): \(reason)"))
        }
        off += w
      }
    }
    done = true
    return fd
  }
}
