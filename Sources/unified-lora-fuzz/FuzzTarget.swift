import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRAAudit
import UnifiedLoRAIO

/// The fuzz targets. Each takes arbitrary bytes; every outcome must be a value or a typed error.
/// A crash, a trap, a hang or an error of an unexpected type is a finding; so is a broken
/// invariant (the `precondition`s below): two readers that disagree, a round trip that does not
/// return what it started from.
enum FuzzTarget: String, CaseIterable {
  /// The loss-log reader and the controller, CSV or JSON Lines, through the two-stage pipeline.
  case lossLog = "loss-log"
  /// The JSON Lines readers with key paths: both readers must agree on every value.
  case jsonlPaths = "jsonl-paths"
  /// The audit's run-log reader, its checks and the replay comparison.
  case auditLog = "audit-log"
  /// `sweep merge` on hand-edited CSV and JSON shard files (parse only).
  case sweepHeader = "sweep-header"
  /// `--params` files.
  case params = "params"
  /// The export formats (`ExportTargets.swift`): W&B history and panel CSV, Lightning's
  /// `metrics.csv`, `trainer_state.json`, Tinker JSON Lines, TensorBoard event files.
  case wandb, lightning
  case trainerState = "trainer-state"
  case tinker, tensorboard
  /// Format auto-detection: reading with `auto` is reading with the format detected.
  case formatDetect = "format-detect"

  func run(_ bytes: [UInt8]) {
    switch self {
    case .lossLog: Self.lossLog(bytes)
    case .jsonlPaths: Self.jsonlPaths(bytes)
    case .auditLog: Self.auditLog(bytes)
    case .sweepHeader: Self.sweepHeader(bytes)
    case .params: Self.params(bytes)
    case .wandb: Self.export(.wandb, bytes)
    case .lightning: Self.export(.lightning, bytes)
    case .trainerState: Self.export(.trainerState, bytes)
    case .tinker: Self.export(.tinker, bytes)
    case .tensorboard: Self.tensorboard(bytes)
    case .formatDetect: Self.formatDetect(bytes)
    }
  }

  /// The first byte picks the format (CSV or JSON Lines), the variant, the invalid-input policy
  /// and a small line-length limit; the rest is the log.
  static func lossLog(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let body = Array(bytes.dropFirst())
    let format: LogSchema.Format = control & 1 == 0 ? .csv : .jsonl
    let variant: Variant = control & 2 == 0 ? .report : .repo
    let policy = InputPolicy.allCases[Int(control >> 2 & 3) % InputPolicy.allCases.count]
    let maxLine = control & 16 == 0 ? LogSchema.defaultMaxLineLength : 24
    let schema = LogSchema(format: format, maxLineLength: maxLine)
    let parameters = Parameters.defaults(variant)
    do {
      let reader = try LossLogReader(bytes: body, schema: schema)
      var batch: [Input] = []
      var state = parameters.initial
      while try reader.read(into: &batch, limit: 7) > 0 {
        for input in batch {
          if let next = try parameters.step(state, input, policy: policy) { state = next }
          precondition(!state.phi.isNaN && !state.ehat.isNaN, "NaN in the state after \(input)")
          precondition(state.phi >= 0 && state.phi <= 1, "phi out of range after \(input)")
        }
      }
      // The same bytes through the two-stage pipeline into a discarded sink.
      let again = try LossLogReader(bytes: body, schema: schema)
      let sink = OutputSink(fileDescriptor: -1, capacity: 1 << 30)
      let summary = try Simulation.run(
        reader: again, parameters: parameters, policy: policy,
        writer: TraceWriter(format: .csv, rates: parameters.learningRates), sink: sink,
        batchSize: 5)
      precondition(summary.finalState == state, "the pipeline and the plain replay disagree")
    } catch is LogError {
    } catch is InputError {
    } catch {
      preconditionFailure("unexpected error type: \(error)")
    }
  }

  static let paths = [
    "loss", "env", "step", "metrics.loss", "metrics.loss:sum", "train.loss", "a.b.c", "m.n.step", "",
    ".", "a..b", "x",
  ]

  /// The first two bytes pick the loss, env and step key paths; the rest is a JSON Lines log.
  /// Where the fast loss reader accepts the log, the run-log reader must read the same values.
  static func jsonlPaths(_ bytes: [UInt8]) {
    guard bytes.count >= 2 else { return }
    let loss = paths[Int(bytes[0] & 15) % paths.count]
    let env = paths[Int(bytes[0] >> 4) % paths.count]
    let step = paths[Int(bytes[1] & 15) % paths.count]
    let maxLine = bytes[1] & 16 == 0 ? LogSchema.defaultMaxLineLength : 40
    let body = Array(bytes.dropFirst(2))
    var fast: [Input]?
    do {
      let reader = try LossLogReader(
        bytes: body,
        schema: LogSchema(format: .jsonl, loss: loss, env: env, step: step, maxLineLength: maxLine))
      var all: [Input] = []
      var batch: [Input] = []
      while try reader.read(into: &batch, limit: 3) > 0 { all += batch }
      fast = all
    } catch {
      // Typed throws: a `LogError`, by construction.
    }
    do {
      let records = try RunLogReader(
        .bytes(body), format: .jsonl, columns: [loss, env, step], maxLineLength: maxLine
      ).readAll()
      guard let fast else { return }
      precondition(records.count == fast.count, "the readers disagree on the number of records")
      for (r, input) in zip(records, fast) {
        // An integer literal beyond 2^53 is text to the run-log reader (it may be a step).
        if case .text(let t) = r.values[0],
          t.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-" || $0 == "+") })
        {
          continue
        }
        precondition(r.values[0] == .number(input.loss), "the readers disagree on the loss at line \(r.line)")
        if case .number(let e) = r.values[1] {
          precondition(e.bitPattern == input.env.bitPattern, "env at line \(r.line)")
        }
        if case .number(let s) = r.values[2], abs(s) < 0x1p53 {
          precondition(Double(input.step) == s, "step at line \(r.line)")
        }
      }
    } catch {
      // The run-log reader refuses only what the loss reader refuses too.
      precondition(fast == nil, "the run-log reader refused a log the loss reader read: \(error)")
    }
  }

  /// The first byte picks the format, the variant and whether to explain; the rest is a run
  /// log, audited (with the hypothesis search when asked and the log is short).
  static func auditLog(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let format: LogSchema.Format = control & 1 == 0 ? .csv : .jsonl
    let variant: Variant = control & 2 == 0 ? .report : .repo
    let body = Array(bytes.dropFirst())
    do {
      let log = try RunLog.load(bytes: body, columns: AuditColumns(format: format))
      // The hypothesis search replays the log about 200 times: on short logs only, so that a
      // million inputs run in minutes.
      let explain = control & 4 != 0 && log.steps.count <= 16
      let report = Audit.run(log, parameters: Parameters.defaults(variant), explain: explain)
      // A log that cannot be replayed reports no records; any other reports every record.
      precondition(
        report.records == (log.isReplayable ? log.steps.count : 0),
        "the report counts other records than the log")
    } catch {
      // A `LogError` (typed throws): a structural fault of the log.
    }
  }

  /// The bytes are one to three shard files separated by 0x01; the first byte says CSV or JSON.
  static func sweepHeader(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let parts = bytes.dropFirst().split(separator: 0x01, omittingEmptySubsequences: false).prefix(3)
    let texts = parts.enumerated().map {
      (name: "shard\($0.offset).csv", text: String(decoding: $0.element, as: UTF8.self))
    }
    if control & 1 == 0 {
      do {
        let merged = try SweepFile.mergeCSV(texts)
        precondition(merged.hasPrefix("# unified-lora sweep"), "a merged file without the sweep header")
      } catch {}
    } else {
      var files: [(name: String, file: SweepFile)] = []
      for (k, part) in parts.enumerated() {
        guard let f = try? JSONDecoder().decode(SweepFile.self, from: Data(part)) else { return }
        files.append(("shard\(k).json", f))
      }
      guard !files.isEmpty else { return }
      do { _ = try SweepFile.merge(files) } catch {}
    }
  }

  /// A parameter file: accepted files give valid parameters that survive a JSON round trip.
  static func params(_ bytes: [UInt8]) {
    do {
      let p = try ParameterFile.decode(bytes)
      let again = try ParameterFile.decode([UInt8](JSONEncoder().encode(p)))
      precondition(again == p, "a parameter file does not survive a round trip")
    } catch is ParameterFile.Error {
    } catch {
      preconditionFailure("unexpected error: \(error)")
    }
  }
}
