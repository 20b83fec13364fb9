import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRASupport

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay a loss log through the controller and print one record per step.",
    discussion: """
      Each record is the state after consuming step t and the learning rate for the next optimizer step: step,loss,env,ehat,phi,mode,lr (mode 0 Single, 1 Multi, 2 Mirror). Floats are the shortest decimals that round-trip exactly. The log is streamed: any length runs in constant memory.

      A NaN, infinite or negative value stops the replay with an error naming the step, unless --on-invalid says otherwise: saturate (an invalid loss counts as maximal stress D = 1) or skip (the record leaves the state unchanged). With --output the file appears only when the whole log was replayed; nothing is left half-written.

      When the input is a pipe or a terminal, each record is written as soon as it is computed (--line-buffered), so the replay can run beside a training loop; --no-line-buffered batches the output instead.

      --format summary prints the mode switches with their steps, the records spent in each mode, the peak φ and the modes never reached; --format timeline prints the picture `scenario` prints (mode and φ over time, every switch) for this log (at most \(Simulate.timelineLimit) records).

      --env loss-jump[:lambda=X] replaces E by the measured stress of the losses, E_t = max(0, ln L_t − b_{t−1}) (report variant). --loss-scale N divides every loss by N first. A loss column that looks like a sum over tokens (its name has a component "sum", or the median of its first 100 losses exceeds ln 2^20 ≈ 13.86) draws a warning on standard error: the controller then sees D ≈ 1 whatever training does.

      Examples:
        unified-lora simulate --input run.csv --loss-column train/loss
        unified-lora simulate --variant repo --format jsonl < losses.csv
        unified-lora simulate --input run.csv --env loss-jump --format summary
      """)

  /// The largest log `--format timeline` holds in memory.
  static let timelineLimit = 1_000_000

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case table, csv, jsonl, summary, timeline
  }

  @OptionGroup var parameters: ParameterOptions
  @OptionGroup var log: LogOptions

  @Option(help: "table, csv, jsonl, summary or timeline.")
  var format: Format = .table

  @Option(name: .customLong("env"), help: EnvSource.help, transform: EnvSource.parse)
  var envSource: EnvSource = .column

  @Option(
    name: .customLong("loss-scale"),
    help:
      "Divide every loss by N > 0 before the controller sees it (e.g. the tokens per step of a summed loss).")
  var lossScale: Double?

  @Option(
    name: .customLong("on-invalid"), help: "What an invalid record does: reject (default), saturate or skip.")
  var policy: InputPolicy = .reject

  @Option(
    name: .shortAndLong, help: "Write the trace to this file (atomically) instead of standard output.",
    completion: .file())
  var output: String?

  @Option(
    name: .customLong("max-line-length"),
    help:
      "The longest input line (CSV: record) in bytes; a longer one is an error naming its line (default 1048576, at most 1073741824)."
  )
  var maxLineLength: Int = LogSchema.defaultMaxLineLength

  @Flag(
    name: .customLong("line-buffered"), inversion: .prefixedNo,
    help:
      "Write each record as soon as it is computed (default: on when the input is a pipe or a terminal, off for a file)."
  )
  var lineBuffered: Bool?

  static let maxLineLengthLimit = 1 << 30

  func validate() throws {
    guard maxLineLength >= 1, maxLineLength <= Self.maxLineLengthLimit else {
      throw ValidationError(
        "invalid --max-line-length \(maxLineLength): expected 1 … \(Self.maxLineLengthLimit) bytes")
    }
    if let lossScale, !(lossScale.isFinite && lossScale > 0) {
      throw ValidationError("invalid value loss-scale = \(lossScale): expected a finite number > 0")
    }
    if case .lossJump = envSource, let column = log.envColumn {
      throw ValidationError(
        "--env loss-jump and --env-column \(column) both set E: give one of them")
    }
  }

  func run() throws {
    let p = try parameters.parameters()
    var signal: LossJumpStress?
    if case .lossJump(let s) = envSource {
      try wrap { () throws(ParameterError) in try LossJumpStress.check(p.variant) }
      signal = s
    }
    var adjust = InputAdjustment(
      scale: lossScale, signal: signal,
      check: LossScaleWarning(column: log.lossColumn, scaled: lossScale != nil, parameters: p))
    var schema = log.schema
    schema.maxLineLength = maxLineLength
    try reportingBadInput {
      let reader = try LossLogReader(path: log.input, schema: schema)
      adjust.check = LossScaleWarning(column: reader.lossColumn, scaled: lossScale != nil, parameters: p)
      defer { if let note = reader.skippedNote { StandardError.write(note + "\n") } }
      let sink = try output.map { (path) throws(LogError) in try OutputSink(path: path) } ?? OutputSink()
      do {
        if let traceFormat = TraceFormat(rawValue: format.rawValue) {
          _ = try Simulation.run(
            reader: reader, parameters: p, policy: policy,
            writer: TraceWriter(format: traceFormat, rates: p.learningRates), sink: sink,
            lineBuffered: lineBuffered ?? reader.isLive, transform: { adjust.apply($0) })
        } else {
          try replayWhole(reader: reader, parameters: p, adjust: &adjust, sink: sink)
        }
      } catch let error as LogError {
        // A failed write on standard output is not bad input: the exit status of every command.
        if sink.isStandardOutput, let reason = sink.writeFailure {
          throw UnifiedLoRACommand.standardOutputFailed(reason)
        }
        throw error
      }
    }
    adjust.check.finish()
  }

  /// `summary` and `timeline`: replays the whole log, then prints one account of it.
  private func replayWhole(
    reader: LossLogReader, parameters p: Parameters, adjust: inout InputAdjustment, sink: OutputSink
  ) throws {
    var summary = TraceSummary(parameters: p)
    var records: [Record] = []
    var state = p.initial
    var batch: [Input] = []
    while try discarding(sink, { try reader.read(into: &batch, limit: 16_384) }) > 0 {
      for raw in batch {
        let input = adjust.apply(raw)
        if let next = try discarding(sink, { try p.step(state, input, policy: policy) }) { state = next }
        let r = Record(input, state, p.learningRates)
        if format == .summary {
          summary.add(r)
        } else {
          guard records.count < Simulate.timelineLimit else {
            sink.discard()
            return try badInput(
              "the log has more than \(Simulate.timelineLimit) records, the most the timeline holds; use --format summary"
            )
          }
          records.append(r)
        }
      }
    }
    let source = log.input == "-" ? "standard input" : log.input
    var extras: [String] = []
    if let lossScale { extras.append("loss / \(lossScale)") }
    if case .lossJump(let s) = envSource { extras.append("E = loss-jump (lambda \(s.lambda))") }
    let note = extras.isEmpty ? "" : "  [\(extras.joined(separator: ", "))]"
    if format == .summary {
      sink.write(summary.render(source: source + note))
    } else {
      let header = "replay of \(source)\(note): \(records.count) records, variant \(p.variant)\n"
      let marker = "E>0"
      sink.write(
        Timeline.render(
          records, header: header, parameters: p, marker: marker, marks: { $0.env > 0 }))
    }
    try sink.commit()
  }
}

/// Runs `body`; on an error, discards the sink (no half-written file) and rethrows.
private func discarding<T>(_ sink: OutputSink, _ body: () throws -> T) throws -> T {
  do { return try body() } catch {
    sink.discard()
    throw error
  }
}
