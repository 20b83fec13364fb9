import UnifiedLoRA

/// Streams a loss log through the equations into a trace: read a batch, step it, format it.
///
/// Memory is constant in the length of the log (one batch of inputs and one output buffer).
public enum Simulation {
  /// Summary of a finished run.
  public struct Summary: Sendable, Hashable {
    public var records: Int
    public var finalState: ControllerState
  }

  /// Replays every input of `reader` and writes one record per input to `sink`.
  ///
  /// - Throws: ``LogError`` for a malformed log, ``InputError`` for an invalid record under the
  ///   policy. Records before the error have been written to `sink` but not committed: a file
  ///   sink is discarded, so no half-written file remains.
  public static func run(
    reader: LossLogReader, parameters: Parameters, policy: InputPolicy = .reject,
    writer: TraceWriter, sink: OutputSink, batchSize: Int = 16_384
  ) throws -> Summary {
    var state = parameters.initial
    var batch: [Input] = []
    batch.reserveCapacity(batchSize)
    var count = 0
    writer.header(into: sink)
    while try reader.read(into: &batch, limit: batchSize) > 0 {
      for input in batch {
        if let next = try parameters.step(state, input, policy: policy) { state = next }
        writer.write(Record(input, state, parameters.learningRates), into: sink)
      }
      count += batch.count
      try sink.recordBoundary()
    }
    try sink.commit()
    return Summary(records: count, finalState: state)
  }
}
