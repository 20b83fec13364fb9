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
  /// The three learning rates' text, 32 bytes each, for the CSV fast path.
  private let lrBytes: (SIMD32<UInt8>, SIMD32<UInt8>, SIMD32<UInt8>)
  private let lrCounts: SIMD3<Int>

  public init(format: TraceFormat, rates: LearningRates) {
    self.format = format
    lrText = Mode.allCases.map { Array(rates[$0].description.utf8) }
    func packed(_ bytes: [UInt8]) -> SIMD32<UInt8> {
      var v = SIMD32<UInt8>()
      for (k, b) in bytes.prefix(32).enumerated() { v[k] = b }
      return v
    }
    lrBytes = (packed(lrText[0]), packed(lrText[1]), packed(lrText[2]))
    lrCounts = SIMD3(lrText[0].count, lrText[1].count, lrText[2].count)
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

  public func write(_ r: Record, into sink: OutputSink) {
    switch format {
    case .csv:
      let m = r.mode.rawValue
      var lr = m == 0 ? lrBytes.0 : m == 1 ? lrBytes.1 : lrBytes.2
      let lrCount = lrCounts[m]
      sink.append(maxBytes: 5 * 32 + 24 + 32 + 8) { p in
        var w = FastFormat.int(r.step, at: p)
        func column(_ x: Double) {
          p[w] = 0x2C
          w += 1
          w += FastFormat.double(x, at: p + w)
        }
        column(r.loss)
        column(r.env)
        column(r.ehat)
        column(r.phi)
        p[w] = 0x2C
        p[w + 1] = UInt8(48 + r.mode.rawValue)
        p[w + 2] = 0x2C
        w += 3
        withUnsafeBytes(of: &lr) { raw in
          (p + w).update(from: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: lrCount)
        }
        w += lrCount
        p[w] = 0x0A
        return w + 1
      }
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
