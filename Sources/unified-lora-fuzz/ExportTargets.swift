import UnifiedLoRA
import UnifiedLoRAAudit
import UnifiedLoRAIO

extension FuzzTarget {
  /// An export log in `format`: the first byte picks the variant, whether to explain and a small
  /// line-length limit; the rest is the log. Read by the audit's reader (then audited) and by the
  /// loss reader: where both accept it, they read the same losses.
  static func export(_ format: LogSchema.Format, _ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    readBoth(format, Array(bytes.dropFirst()), control: control)
  }

  /// A TensorBoard event file. With bit 3 of the first byte clear, the rest is a sequence of
  /// payloads, each after a one-byte length, framed here as TFRecord records with their checksums
  /// (so the fuzzer reaches the protocol buffers behind the CRCs); with it set, the rest is the
  /// file as it is (the framing itself is fuzzed).
  static func tensorboard(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    var body = Array(bytes.dropFirst())
    if control & 8 == 0 {
      var framed: [UInt8] = []
      var i = 0
      while i < body.count {
        let n = min(Int(body[i]), body.count - i - 1)
        framed += LogFormat.framedTFRecord(Array(body[(i + 1)..<(i + 1 + n)]))
        i += 1 + n
      }
      body = framed
    }
    readBoth(.tensorboard, body, control: control)
  }

  /// Any bytes: the detected format is a concrete one, and reading with `auto` (both readers)
  /// gives what reading with the detected format gives, records or error.
  static func formatDetect(_ bytes: [UInt8]) {
    let detected = LogFormat.detect(Array(bytes.prefix(LogFormat.peekLimit)))
    precondition(detected != .auto, "detection left the format undecided")
    let columns = ["step", "loss", "env", "lr"]
    func records(_ format: LogSchema.Format) -> Result<[RunLogRecord], LogError> {
      do throws(LogError) {
        return .success(
          try RunLogReader(.bytes(bytes), format: format, columns: columns, lossColumn: "loss").readAll())
      } catch {
        return .failure(error)
      }
    }
    // Compared by bit pattern (a NaN loss equals itself).
    func inputs(_ format: LogSchema.Format) -> Result<[String], LogError> {
      do throws(LogError) {
        return .success(
          try lossInputs(bytes, LogSchema(format: format)).map {
            "\($0.step) \($0.loss.bitPattern) \($0.env.bitPattern)"
          })
      } catch {
        return .failure(error)
      }
    }
    precondition(records(.auto) == records(detected), "the run-log reader: auto is not \(detected)")
    precondition(inputs(.auto) == inputs(detected), "the loss reader: auto is not \(detected)")
  }

  static func lossInputs(_ body: [UInt8], _ schema: LogSchema) throws(LogError) -> [Input] {
    let reader = try LossLogReader(bytes: body, schema: schema)
    var all: [Input] = []
    var batch: [Input] = []
    while try reader.read(into: &batch, limit: 5) > 0 { all += batch }
    return all
  }

  static func readBoth(_ format: LogSchema.Format, _ body: [UInt8], control: UInt8) {
    let variant: Variant = control & 2 == 0 ? .report : .repo
    let maxLine = control & 16 == 0 ? LogSchema.defaultMaxLineLength : 48
    var columns = AuditColumns(format: format)
    columns.maxLineLength = maxLine
    let inputs = try? lossInputs(body, LogSchema(format: format, maxLineLength: maxLine))
    do {
      let log = try RunLog.load(bytes: body, columns: columns)
      let explain = control & 4 != 0 && log.steps.count <= 16
      let report = Audit.run(log, parameters: Parameters.defaults(variant), explain: explain)
      precondition(
        report.records == (log.isReplayable ? log.steps.count : 0),
        "the report counts other records than the log")
      if let inputs, log.isReplayable {
        precondition(inputs.count == log.steps.count, "the readers disagree on the number of records")
        for (i, s) in zip(inputs, log.steps) {
          precondition(
            i.loss.bitPattern == s.loss.bitPattern, "the readers disagree on the loss of line \(s.line)")
        }
      }
    } catch {
      // A `LogError` (typed throws): a structural fault of the log.
    }
  }
}
