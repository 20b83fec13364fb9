import UnifiedLoRA
import UnifiedLoRAIO

/// Drives the log reader and the controller with arbitrary bytes.
///
/// The first byte picks the format (CSV or JSON Lines), the variant and the invalid-input
/// policy; the rest is the log. Every outcome must be a value: records, a `LogError` or an
/// `InputError`. A crash, a trap or a NaN in a state that a replay returned is a finding.
enum FuzzTarget {
  static func run(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let body = Array(bytes.dropFirst())
    let format: LogSchema.Format = control & 1 == 0 ? .csv : .jsonl
    let variant: Variant = control & 2 == 0 ? .report : .repo
    let policy = InputPolicy.allCases[Int(control >> 2) % InputPolicy.allCases.count]
    let parameters = Parameters.defaults(variant)
    do {
      let reader = try LossLogReader(bytes: body, schema: LogSchema(format: format))
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
      let again = try LossLogReader(bytes: body, schema: LogSchema(format: format))
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
}
