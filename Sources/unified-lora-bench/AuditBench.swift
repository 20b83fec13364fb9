import Foundation
import UnifiedLoRA
import UnifiedLoRAAudit
import UnifiedLoRAIO

/// `audit` end to end on run logs written by the reference itself: a conforming log of `rows`
/// rows (the replay, the invariants and the statistics in one streamed pass), and a log written
/// with cooldown 20 audited against the default 30 (the same pass, then the hypothesis search),
/// each against one replay alone (`--no-explain`). Run it alone (`--only audit`) for a peak RSS
/// that is the audit's own.
enum AuditBench {
  static func run(rows: Int) {
    let conforming = log(rows: rows, cooldown: 30)
    var cpu0 = cpuSeconds()
    let (report, seconds) = timed {
      try! Audit.run(path: conforming, columns: AuditColumns(), parameters: .report)
    }
    check(report.verdict == .conforms && report.records == rows, "the reference's own log conforms")
    print(
      "audit conforming log: \(rows) rows in \(fmt(seconds)) s = \(fmt(Double(rows) / seconds / 1e6)) M rows/s (\(fmt((cpuSeconds() - cpu0) * 1e9 / Double(rows), 0)) ns CPU/row), peak RSS \(fmt(peakRSSMiB(), 1)) MiB"
    )

    let planted = log(rows: rows, cooldown: 20)
    cpu0 = cpuSeconds()
    let (replay, replaySeconds) = timed {
      try! Audit.run(path: planted, columns: AuditColumns(), parameters: .report, explain: false)
    }
    check(replay.verdict == .doesNotConform, "a cooldown of 20 does not conform to 30")
    let replayCPU = cpuSeconds() - cpu0
    cpu0 = cpuSeconds()
    let (explained, searchSeconds) = timed {
      try! Audit.run(path: planted, columns: AuditColumns(), parameters: .report)
    }
    check(explained.explainedBy.contains("cooldown = 20 (reference 30)"), "the planted cooldown is found")
    let searchCPU = cpuSeconds() - cpu0
    print(
      "audit non-conforming log: one replay \(fmt(replaySeconds)) s; with the search over \(explained.hypothesesTried) changes \(fmt(searchSeconds)) s = \(fmt(searchSeconds / replaySeconds))× one replay in wall time, \(fmt(searchCPU / replayCPU))× in CPU time (\(fmt(replayCPU)) → \(fmt(searchCPU)) s); peak RSS \(fmt(peakRSSMiB(), 1)) MiB"
    )
  }

  /// A log of `rows` records of the report variant with `cooldown`, written by `simulate`'s own
  /// code path (step,loss,env,ehat,phi,mode,lr); kept in the temporary directory for reruns.
  static func log(rows: Int, cooldown: Int) -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent(
      "bench-audit-\(rows)-\(cooldown).csv"
    ).path
    if FileManager.default.fileExists(atPath: path) { return path }
    let input = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(rows).csv").path
    if !FileManager.default.fileExists(atPath: input) { SimulateBench.write(rows: rows, to: input) }
    let p = try! Parameters(cooldown: cooldown)
    let summary = try! Simulation.run(
      reader: LossLogReader(path: input, schema: LogSchema()), parameters: p,
      writer: TraceWriter(format: .csv, rates: p.learningRates), sink: OutputSink(path: path))
    check(summary.records == rows, "the audit log has every row")
    return path
  }
}

/// Streaming output: the `scenario --format csv` path (a generated trace replayed and formatted
/// record by record) for `rows` steps, in constant memory.
enum StreamBench {
  static func run(rows: Int) {
    let devnull = open("/dev/null", O_WRONLY)
    defer { close(devnull) }
    let scenario = Scenario(kind: .reportShocks, steps: rows, seed: 0)
    let (count, seconds) = timed { () -> Int in
      let sink = OutputSink(fileDescriptor: devnull)
      let writer = TraceWriter(format: .csv, rates: Parameters.report.learningRates)
      var records = Replay(scenario.stream, parameters: .report).makeIterator()
      var n = 0
      writer.header(into: sink)
      while let r = records.next() {
        writer.write(r, into: sink)
        try! sink.recordBoundary()
        n += 1
      }
      try! sink.commit()
      return n
    }
    check(count == rows, "every step streamed")
    print(
      "scenario stream csv: \(rows) steps in \(fmt(seconds)) s = \(fmt(Double(rows) / seconds / 1e6)) M steps/s, peak RSS \(fmt(peakRSSMiB(), 1)) MiB"
    )
  }
}
