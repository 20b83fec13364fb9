import CSV
import Foundation
import UnifiedLoRA
import UnifiedLoRAIO

/// `simulate` end to end (parse, step, format) on a CSV log of `rows` rows, and the parse rate of
/// the CSV library in the environment (CSV.swift) on the same file for comparison.
enum SimulateBench {
  static func run(rows: Int) {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(rows).csv").path
    if !FileManager.default.fileExists(atPath: path) { write(rows: rows, to: path) }
    let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    print("log: \(rows) rows, \(size / 1_000_000) MB at \(path)")

    // Parse only.
    let (parsed, parseSeconds) = timed { () -> Double in
      let reader = try! LossLogReader(path: path, schema: LogSchema())
      var batch: [Input] = []
      var sum = 0.0
      while try! reader.read(into: &batch, limit: 16_384) > 0 { for i in batch { sum += i.loss } }
      return sum
    }
    check(parsed > 0, "parsed losses")
    print("parse csv: \(fmt(Double(rows) / parseSeconds / 1e6)) M rows/s")

    // End to end, as `unified-lora simulate --format csv --input FILE > /dev/null` does.
    for variant in Variant.allCases {
      let devnull = open("/dev/null", O_WRONLY)
      let cpu0 = cpuSeconds()
      let (summary, seconds) = timed { () -> Simulation.Summary in
        let reader = try! LossLogReader(path: path, schema: LogSchema())
        let p = Parameters.defaults(variant)
        return try! Simulation.run(
          reader: reader, parameters: p, writer: TraceWriter(format: .csv, rates: p.learningRates),
          sink: OutputSink(fileDescriptor: devnull))
      }
      let cpu = cpuSeconds() - cpu0
      close(devnull)
      check(summary.records == rows, "every row replayed")
      print(
        "simulate[\(variant)] csv→csv: \(fmt(Double(rows) / seconds / 1e6)) M rows/s end to end (\(fmt(seconds)) s wall, \(fmt(cpu)) s CPU on 2 threads = \(fmt(cpu * 1e9 / Double(rows), 0)) ns CPU/row), peak RSS \(fmt(peakRSSMiB(), 1)) MiB"
      )
    }

    // The CSV library, for the record of why the reader is hand-written.
    let libraryRows = min(rows, 1_000_000)
    let (count, librarySeconds) = timed { () -> Int in
      let stream = InputStream(fileAtPath: path)!
      let reader = try! CSVReader(stream: stream, hasHeaderRow: true)
      var n = 0
      var sum = 0.0
      while n < libraryRows, let row = reader.next() {
        sum += Double(row[1])!
        n += 1
      }
      check(sum > 0, "library parsed losses")
      return n
    }
    print(
      "parse csv with CSV.swift (first \(count) rows): \(fmt(Double(count) / librarySeconds / 1e6)) M rows/s")
  }

  /// A realistic loss log: step,loss,env with a decaying noisy loss and shock windows.
  static func write(rows: Int, to path: String) {
    let sink = try! OutputSink(path: path)
    sink.write("step,loss,env\n")
    var rng = SeededGenerator(seed: 2024)
    for t in 0..<rows {
      let shock = (t % 1000) >= 200 && (t % 1000) < 300
      let base = shock ? 20.0 : 0.5 + 2.5 * exp(-Double(t % 1000) / 80)
      let loss = base * exp(0.15 * rng.nextGaussian())
      let env = shock ? 4.0 : 0.0
      // Six significant digits, as training logs usually print.
      sink.write("\(t),\(String(format: "%.6g", loss)),\(env == 0 ? "0" : "4")\n")
      try! sink.recordBoundary()
    }
    try! sink.commit()
  }
}
