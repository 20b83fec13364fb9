import ArgumentParser
import UnifiedLoRA
import UnifiedLoRAIO

struct Simulate: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Replay a loss log through the controller and print one record per step.",
    discussion: """
      Each record is the state after consuming step t and the learning rate for the next
      optimizer step: step,loss,env,ehat,phi,mode,lr (mode 0 Single, 1 Multi, 2 Mirror). Floats
      are the shortest decimals that round-trip exactly. The log is streamed: any length runs in
      constant memory.

      A NaN, infinite or negative value stops the replay with an error naming the step, unless
      --on-invalid says otherwise: saturate (an invalid loss counts as maximal stress D = 1) or
      skip (the record leaves the state unchanged). With --output the file appears only when the
      whole log was replayed; nothing is left half-written.

      When the input is a pipe or a terminal, each record is written as soon as it is computed
      (--line-buffered), so the replay can run beside a training loop; --no-line-buffered
      batches the output instead.

      Examples:
        unified-lora simulate --input run.csv --loss-column train/loss
        unified-lora simulate --variant repo --format jsonl < losses.csv
      """)

  @OptionGroup var parameters: ParameterOptions
  @OptionGroup var log: LogOptions

  @Option(help: "table, csv or jsonl.")
  var format: TraceFormat = .table

  @Option(name: .customLong("on-invalid"), help: "What an invalid record does: reject (default), saturate or skip.")
  var policy: InputPolicy = .reject

  @Option(name: .shortAndLong, help: "Write the trace to this file (atomically) instead of standard output.")
  var output: String?

  @Option(
    name: .customLong("max-line-length"),
    help: "The longest input line (CSV: record) in bytes; a longer one is an error naming its line (default 1048576, at most 1073741824).")
  var maxLineLength: Int = LogSchema.defaultMaxLineLength

  @Flag(
    name: .customLong("line-buffered"), inversion: .prefixedNo,
    help: "Write each record as soon as it is computed (default: on when the input is a pipe or a terminal, off for a file).")
  var lineBuffered: Bool?

  static let maxLineLengthLimit = 1 << 30

  func run() throws {
    let p = try parameters.parameters()
    guard maxLineLength >= 1, maxLineLength <= Self.maxLineLengthLimit else {
      throw ValidationError(
        "invalid --max-line-length \(maxLineLength): expected 1 … \(Self.maxLineLengthLimit) bytes")
    }
    var schema = log.schema
    schema.maxLineLength = maxLineLength
    try reportingBadInput {
      let reader = try LossLogReader(path: log.input, schema: schema)
      let sink = try output.map { (path) throws(LogError) in try OutputSink(path: path) } ?? OutputSink()
      _ = try Simulation.run(
        reader: reader, parameters: p, policy: policy,
        writer: TraceWriter(format: format, rates: p.learningRates), sink: sink,
        lineBuffered: lineBuffered ?? reader.isLive)
    }
  }
}
