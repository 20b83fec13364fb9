import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAudit
import UnifiedLoRAIO
import UnifiedLoRASupport

struct Audit: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Check a training run's log against the reference equations: where, how much and why it differs.",
    discussion: """
      The log (CSV or JSON Lines) has the step, the loss, optionally the external stress, and what the run's own controller decided: the mode (0/1/2 or Single/Multi/Mirror) and/or the learning rate, optionally φ and Ê. Each record is read as the state after consuming its step (SPEC §2). Columns default to step, loss, env, mode, lr, phi, ehat and are used when present; a column named by an option must exist. In JSON Lines a column may be a key path (metrics.loss:sum).

      The audit replays the inputs through the reference equations (--variant and the parameters as in simulate, or --params FILE) and reports the first step where a logged decision differs, with the reference state and the inputs there; the mismatches per field; which single change explains the log fully (cooldown, thresholds swapped or moved, α, β, α_E, the other variant, an update order off by one, the record convention, the learning rates, the initial state); and invariant checks on the logged values (φ range, lr = η[mode], cooldown spacing of the logged switches, switch targets, the φ and Ê recurrences).

      Floats agree when |logged − reference| ≤ τ·max(1, |reference|) (φ, Ê) or ≤ τ·|reference| (lr); the mode must be equal. τ is --tolerance (default 1e-6; 0 asks for exact bits).

      A loss column that looks like a sum over tokens (its name has a component "sum", or the median of its first 100 losses exceeds ln 2^20 ≈ 13.86) draws a warning on standard error, as in simulate; --loss-scale N divides every loss by N first.

      A log with missing steps (a trainer that logs every N steps) is not replayed: the audit decides whether any inputs at the missing steps (losses in --gap-loss-range, default 0:inf; env --gap-env zero or free) give every logged decision, by propagating exact envelopes (T06) of the reachable (Ê, φ) per mode and cooldown age, from step 0 in the initial state. Verdicts: consistent (exit 0; not refuted, the set is an over-approximation), inconsistent at step t with the reason (exit 1, proven), not-this-controller (exit 1: an lr outside the configured map, or more than three lr values, e.g. a cosine schedule). --sparse asks for this on a dense log; a dense log without an env column that does not conform with E ≡ 0 gets a note on standard error with the verdict over any E ≥ 0. --loss-scale divides the logged losses and --gap-loss-range alike; --env loss-jump measures E from the losses, bounded at a missing step by the gap losses (so --gap-env does not apply).

      Exit status: 0 the log conforms, 1 it does not, 2 bad input (a file that cannot be read, a duplicated or out-of-order step, a missing or invalid loss: every problem is listed), 64 a bad flag, 74 the report could not be written to standard output.

      The log is streamed in bounded memory (about 30 MiB for any length); the changes are replayed in a second pass, each until the first record it does not explain (standard input is first copied to an unlinked temporary file for that pass).

      JSON (--format json), stable keys: verdict (conforms | does-not-conform | bad-input), summary, records, firstStep, lastStep, columns, parameters, tolerance, toleranceRule, comparison.{mismatchedSteps, fields[].{field, compared, mismatched, firstMismatchStep}, firstDivergence.{step, line, loss, env, stateBefore, stateAfter, candidate, cooldownElapsed, fields[].{field, logged, reference}}, mismatchSample, isolated}, hypotheses[].{kind, change, explainsFully, agreedSteps, firstDivergenceStep}, hypothesesTried, explainedBy, isolatedSteps, invariants[].{id, theorem, statement, checked, violations, firstViolation.{step, line, detail}, skipped}, issues[].{kind, line, step, column, value, fatal, message}. A key without a value is left out (firstDivergence of a conforming log, comparison of a log that cannot be replayed).

      A sparse audit's JSON: verdict (consistent | inconsistent | not-this-controller | bad-input), summary, records, firstStep, lastStep, missingSteps, envLogged, gapInputs.{lossLow, lossHigh, envZero}, parameters, tolerance, step, reason, exactness, learningRates, issues[], lossScale and envSignal.{lambda, baseline} when given.

      Examples:
        unified-lora audit --input run.csv
        unified-lora audit --input run.jsonl --loss-column metrics.loss:sum --lr-column metrics.lr
        unified-lora audit --input wandb.csv --loss-column train/loss --lr-column train/lr --cooldown 20
        unified-lora audit --input every10.csv --gap-loss-range 0:12 --gap-env zero
      """)

  @OptionGroup var parameters: ParameterOptions
  @OptionGroup var log: LogOptions

  // The columns of the run's own decisions, each optional.
  @Option(name: .customLong("mode-column"), help: logged("mode", "mode")) var modeColumn: String?
  @Option(name: .customLong("lr-column"), help: logged("learning rate", "lr")) var lrColumn: String?
  @Option(name: .customLong("phi-column"), help: logged("φ", "phi")) var phiColumn: String?
  @Option(name: .customLong("ehat-column"), help: logged("Ê", "ehat")) var ehatColumn: String?

  /// The help of a decision column's option: "The logged φ (default: phi, used when present)."
  static func logged(_ what: String, _ column: String) -> ArgumentHelp {
    "The logged \(what) (default: \(column), used when present)."
  }

  @Option(help: "τ ≥ 0: the float tolerance.")
  var tolerance: Double = 1e-6

  @Flag(name: .customLong("no-explain"), help: "Do not search for a change that explains a mismatch.")
  var noExplain = false

  @Option(help: "table (default) or json.")
  var format: ReportFormat = .table

  @Option(
    name: .customLong("max-line-length"),
    help:
      "The longest input line (CSV: record) in bytes; a longer one is an error naming its line (default 1048576, at most 1073741824)."
  )
  var maxLineLength: Int = LogSchema.defaultMaxLineLength

  @Option(name: .customLong("env"), help: EnvSource.help, transform: EnvSource.parse)
  var envSource: EnvSource = .column

  @Option(
    name: .customLong("loss-scale"),
    help: "Divide every loss by N > 0 before the replay (e.g. the tokens per step of a summed loss).")
  var lossScale: Double?

  @Flag(
    help: "Decide consistency over unlogged inputs instead of replaying (automatic when steps are missing).")
  var sparse = false

  @Option(
    name: .customLong("gap-loss-range"),
    help: "LOW:HIGH, the losses a missing step may have had (default 0:inf).")
  var gapLossRange: String = "0:inf"

  @Option(
    name: .customLong("gap-env"),
    help:
      "zero or free (default): the env at a missing step, and at every step when the log has no env column (not with --env loss-jump, which measures it)."
  )
  var gapEnv: GapEnv?

  enum GapEnv: String, ExpressibleByArgument, CaseIterable {
    case zero, free
  }

  func validate() throws {
    if let lossScale, !(lossScale.isFinite && lossScale > 0) {
      throw ValidationError("invalid value loss-scale = \(lossScale): expected a finite number > 0")
    }
    guard maxLineLength >= 1, maxLineLength <= Simulate.maxLineLengthLimit else {
      throw ValidationError(
        "invalid --max-line-length \(maxLineLength): expected 1 … \(Simulate.maxLineLengthLimit) bytes")
    }
    guard tolerance.isFinite, tolerance >= 0 else {
      throw ValidationError("invalid value tolerance = \(tolerance): expected a finite number ≥ 0")
    }
    if gapEnv != nil, case .lossJump = envSource {
      throw ValidationError(
        "--gap-env cannot be combined with --env loss-jump: the env is then measured from the losses, and bounded at a missing step by the losses --gap-loss-range allows"
      )
    }
    _ = try gapInputs()
  }

  func gapInputs() throws -> GapInputs {
    guard let (lo, hi) = GapInputs.lossRange(gapLossRange) else {
      throw ValidationError("invalid value gap-loss-range = \(gapLossRange): expected LOW:HIGH, e.g. 0:inf")
    }
    do {
      return try GapInputs(lossLow: lo, lossHigh: hi, envZero: (gapEnv ?? .free) == .zero)
    } catch {
      throw ValidationError(error.description)
    }
  }

  func run() throws {
    let p = try parameters.parameters()
    var columns = AuditColumns(
      format: log.inputFormat ?? .auto, step: log.stepColumn,
      loss: log.lossColumn, env: log.envColumn, mode: modeColumn, lr: lrColumn, phi: phiColumn,
      ehat: ehatColumn)
    columns.maxLineLength = maxLineLength
    var signal: LossJumpStress?
    if case .lossJump(let s) = envSource {
      // E is measured from the logged losses, in log order; a logged env column is not read.
      try wrap { () throws(ParameterError) in try LossJumpStress.check(p.variant) }
      signal = s
    }
    let gaps = try gapInputs()
    let info = AuditReadInfo()
    let outcome = try reportingBadInput {
      try UnifiedLoRAAudit.Audit.outcome(
        path: log.input, columns: columns, parameters: p, tolerance: Tolerance(tolerance),
        explain: !noExplain,
        gaps: gaps, sparse: sparse, lossScale: lossScale, signal: signal, info: info)
    }
    if let note = info.skippedNote { StandardError.write(note + "\n") }
    // The loss scale, as simulate reads it: divided by --loss-scale, checked for a sum.
    var check = LossScaleWarning(
      column: info.columnNames.count == 7 ? info.columnNames[1] : log.lossColumn, scaled: lossScale != nil,
      parameters: p)
    for loss in info.firstLosses { check.observe(loss) }
    check.finish()
    let report: AuditReport
    switch outcome {
    case .replay(let r, let unloggedEnv):
      report = r
      if let s = unloggedEnv {
        // Said on standard error: the replay read E ≡ 0, which the log does not say.
        let verdict = s.verdict == .inconsistent ? "inconsistent at step \(s.step!)" : s.verdict.rawValue
        StandardError.write(
          "note: the log has no env column and was replayed with E ≡ 0; over any E ≥ 0 its decisions are \(verdict) (audit --sparse for the reason)\n"
        )
      }
    case .sparse(let r):
      return try emit(
        r, table: r.table, summary: r.summary, badInput: r.verdict == .badInput,
        failure: r.verdict == .consistent ? nil : r.verdict.exitStatus)
    }
    try emit(
      report, table: report.table, summary: report.summary, badInput: report.verdict == .badInput,
      failure: report.verdict == .conforms ? nil : report.verdict.exitStatus)
  }

  /// Prints a report in the chosen format; for a log that cannot be read, its summary as the
  /// error on standard error; then exits with `failure` when there is one.
  func emit(
    _ report: some Encodable, table: String, summary: String, badInput: Bool, failure: Int32?
  ) throws {
    switch format {
    case .table: StandardOutput.write(table)
    case .json: StandardOutput.write(try json(report))
    }
    if badInput { StandardError.write("Error: \(summary)\n") }
    if let failure { throw ExitCode(failure) }
  }
}
