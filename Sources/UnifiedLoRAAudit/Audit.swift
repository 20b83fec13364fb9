import Dispatch
import UnifiedLoRA

/// The outcome of an audit.
public enum Verdict: String, Sendable, Hashable, Codable {
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
  public var verdict: Verdict
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

/// Replays a run log through the reference equations and says whether, where and why it differs.
///
/// ```swift
/// let log = try RunLog.load(path: "run.csv", columns: AuditColumns())
/// let report = Audit.run(log, parameters: .report)
/// print(report.summary)      // exit with report.verdict.exitStatus
/// ```
public enum Audit {
  /// Replays the log under every hypothesis, on all cores (each replay is independent).
  static func evaluate(_ candidates: [Hypothesis], _ log: RunLog, _ tolerance: Tolerance)
    -> [HypothesisResult]
  {
    final class Slots: @unchecked Sendable {
      // Each index is written by exactly one iteration of concurrentPerform.
      var items: [HypothesisResult?]
      init(_ n: Int) { items = Array(repeating: nil, count: n) }
    }
    let slots = Slots(candidates.count)
    slots.items.withUnsafeMutableBufferPointer { buffer in
      nonisolated(unsafe) let out = buffer
      DispatchQueue.concurrentPerform(iterations: candidates.count) { k in
        let h = candidates[k]
        let r = Comparison.run(log, rule: h.rule, convention: h.convention, tolerance: tolerance)
        out[k] = HypothesisResult(
          kind: h.kind, change: h.change, explainsFully: r.conforms, mismatchedSteps: r.mismatchedSteps,
          firstDivergenceStep: r.firstDivergence?.step)
      }
    }
    return slots.items.map { $0! }
  }

  /// Audits `log` under `parameters` (the reference: the variant's own equations and update order).
  ///
  /// - Parameters:
  ///   - explain: try the single changes of ``Hypothesis/candidates(for:reference:)`` when the log
  ///     does not conform.
  /// - Complexity: O(n) for the replay and the invariants; O(n·h) with `explain`, h ≈ 200 changes.
  public static func run(
    _ log: RunLog, parameters p: Parameters, tolerance: Tolerance = Tolerance(), explain: Bool = true
  ) -> AuditReport {
    let c = log.columns
    let names: [AuditField: String] = [.mode: c.mode, .lr: c.lr, .phi: c.phi, .ehat: c.ehat]
    var report = AuditReport(
      verdict: .badInput, summary: "", records: log.steps.count, firstStep: log.steps.first?.step,
      lastStep: log.steps.last?.step,
      columns: Dictionary(uniqueKeysWithValues: log.fields.map { ($0.rawValue, names[$0]!) }),
      parameters: p, tolerance: tolerance.tau, toleranceRule: Tolerance.rule, comparison: nil,
      hypotheses: [], hypothesesTried: 0, explainedBy: [], isolatedSteps: [], invariants: [],
      issues: log.issues)
    guard log.isReplayable else {
      let fatal = log.issues.filter(\.fatal)
      report.summary =
        "the log cannot be replayed: \(fatal.count) problem\(fatal.count == 1 ? "" : "s"), the first: \(fatal[0])"
      return report
    }
    let reference = UpdateRule(p)
    let comparison = Comparison.run(log, rule: reference, tolerance: tolerance)
    report.comparison = comparison
    report.invariants = InvariantCheck.all(log, p, tolerance: tolerance)
    let broken = report.invariants.filter { !$0.holds }
    let conforms = comparison.conforms && broken.isEmpty
    report.verdict = conforms ? .conforms : .doesNotConform
    let fieldList = AuditField.allCases.filter { log.fields.contains($0) }.map(\.rawValue)
      .joined(separator: ", ")
    if conforms {
      report.summary =
        "conforms: \(log.steps.count) records (\(fieldList)) agree with the \(p.variant) variant within tolerance \(tolerance.tau); every invariant holds"
      return report
    }
    var parts: [String] = []
    if let d = comparison.firstDivergence {
      let what = d.fields.map(\.description).joined(separator: "; ")
      parts.append(
        "first divergence at step \(d.step) (\(what)); \(comparison.mismatchedSteps) mismatched step\(comparison.mismatchedSteps == 1 ? "" : "s")"
      )
    }
    if !broken.isEmpty {
      parts.append("invariants violated: \(broken.map(\.id).joined(separator: ", "))")
    }
    if explain && !comparison.conforms {
      let candidates = Hypothesis.candidates(for: log, reference: p)
      var results = evaluate(candidates, log, tolerance)
      let kinds = Hypothesis.Kind.allCases
      results.sort {
        if $0.explainsFully != $1.explainsFully { return $0.explainsFully }
        if $0.mismatchedSteps != $1.mismatchedSteps { return $0.mismatchedSteps < $1.mismatchedSteps }
        return kinds.firstIndex(of: $0.kind)! < kinds.firstIndex(of: $1.kind)!
      }
      report.hypothesesTried = results.count
      report.explainedBy = results.filter(\.explainsFully).map(\.change)
      report.hypotheses = Array(results.prefix(max(12, min(report.explainedBy.count, 40))))
      if !report.explainedBy.isEmpty {
        let shown = report.explainedBy.prefix(3).joined(separator: "; ")
        let more = report.explainedBy.count > 3 ? " (and \(report.explainedBy.count - 3) more)" : ""
        parts.append("explained fully by: \(shown)\(more)")
      } else if comparison.isolated {
        report.isolatedSteps = comparison.mismatchSample
        parts.append(
          "no single change explains it; step\(comparison.mismatchSample.count == 1 ? "" : "s") \(comparison.mismatchSample.map(String.init).joined(separator: ", ")) \(comparison.mismatchSample.count == 1 ? "differs" : "differ") alone and the replay agrees on both sides: the record was altered after the fact (or written by something else)"
        )
      } else if let best = results.first {
        parts.append(
          "no single change explains it; the closest: \(best.change) (\(best.mismatchedSteps) mismatched steps)"
        )
      }
    }
    report.summary = "does not conform: " + parts.joined(separator: "; ")
    return report
  }
}
