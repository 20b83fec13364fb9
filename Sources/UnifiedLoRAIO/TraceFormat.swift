import UnifiedLoRA

/// How traces are printed: a table for people, CSV or JSON Lines for machines.
public enum TraceFormat: String, Sendable, Hashable, CaseIterable, Codable {
  case table
  case csv
  case jsonl
}

/// Formats records, one line each, into an ``OutputSink``.
///
/// Floats are printed as the shortest decimal that round-trips exactly (Swift's `description`),
/// the mode as its number 0/1/2. Columns: `step,loss,env,ehat,phi,mode,lr`.
public struct TraceWriter {
  public let format: TraceFormat
  private let lrText: [[UInt8]]

  public init(format: TraceFormat, rates: LearningRates) {
    self.format = format
    lrText = Mode.allCases.map { Array(rates[$0].description.utf8) }
  }

  public func header(into sink: OutputSink) {
    switch format {
    case .csv: sink.write("step,loss,env,ehat,phi,mode,lr\n")
    case .table:
      sink.write(TraceWriter.pad(["step", "loss", "env", "ehat", "phi", "mode", "lr"]))
    case .jsonl: break
    }
  }

  static let widths = [8, 24, 24, 24, 24, 6, 8]

  static func pad(_ cells: [String]) -> String {
    var line = ""
    for (k, cell) in cells.enumerated() {
      let w = widths[k]
      if k > 0 { line += " " }
      line += String(repeating: " ", count: max(0, w - cell.count)) + cell
    }
    return line + "\n"
  }

  @inline(__always)
  private func number(_ x: Double, _ sink: OutputSink) {
    if x == 0 && x.sign == .plus {
      sink.write(byte: UInt8(ascii: "0"))
      sink.write(byte: UInt8(ascii: "."))
      sink.write(byte: UInt8(ascii: "0"))
    } else {
      sink.write(x.description)
    }
  }

  public func write(_ r: Record, into sink: OutputSink) {
    switch format {
    case .csv:
      sink.write(String(r.step))
      sink.write(byte: 0x2C)
      number(r.loss, sink)
      sink.write(byte: 0x2C)
      number(r.env, sink)
      sink.write(byte: 0x2C)
      number(r.ehat, sink)
      sink.write(byte: 0x2C)
      number(r.phi, sink)
      sink.write(byte: 0x2C)
      sink.write(byte: UInt8(48 + r.mode.rawValue))
      sink.write(byte: 0x2C)
      lrText[r.mode.rawValue].withUnsafeBufferPointer { sink.write($0) }
      sink.write(byte: 0x0A)
    case .jsonl:
      sink.write(
        "{\"step\":\(r.step),\"loss\":\(r.loss),\"env\":\(r.env),\"ehat\":\(r.ehat),\"phi\":\(r.phi),\"mode\":\(r.mode.rawValue),\"lr\":\(r.lr)}\n"
      )
    case .table:
      sink.write(
        TraceWriter.pad([
          String(r.step), r.loss.description, r.env.description, r.ehat.description,
          r.phi.description, String(r.mode.rawValue), r.lr.description,
        ]))
    }
  }
}
