import Testing
import UnifiedLoRA

@testable import UnifiedLoRAIO

/// The allocation-free formatter prints exactly what `description` prints.
@Suite struct FastFormatTests {
  func text(_ x: Double) -> String {
    var buf = [UInt8](repeating: 0, count: 40)
    let n = buf.withUnsafeMutableBufferPointer { FastFormat.double(x, at: $0.baseAddress!) }
    return String(decoding: buf[0..<n], as: UTF8.self)
  }

  @Test(arguments: [
    0.0, -0.0, 1, 0.1, 1.0 / 3, 1e-5, 2e-3, 5e-4, 1e16, 1e17, 123_456_789_012_345_680, .pi,
    .leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, .infinity, -.infinity, .nan,
  ])
  func edgeValues(_ x: Double) {
    #expect(text(x) == x.description)
  }

  @Test func randomBitPatterns() {
    var rng = SeededGenerator(seed: 7)
    for _ in 0..<1_000_000 {
      let x = Double(bitPattern: rng.next())
      if text(x) != x.description {
        Issue.record("\(x.bitPattern): \(text(x)) vs \(x.description) (seed 7)")
        return
      }
    }
  }

  @Test(arguments: [0, 7, -7, 10, 99, 100, Int.max, Int.min, -1_000_000])
  func integers(_ n: Int) {
    var buf = [UInt8](repeating: 0, count: 24)
    let k = buf.withUnsafeMutableBufferPointer { FastFormat.int(n, at: $0.baseAddress!) }
    #expect(String(decoding: buf[0..<k], as: UTF8.self) == String(n))
  }

  /// A CSV record is the columns' descriptions joined by commas.
  @Test func csvRecord() throws {
    let sink = OutputSink(fileDescriptor: -1)
    let w = TraceWriter(format: .csv, rates: .report)
    let r = Record(step: -12, loss: 0.1, env: 0, ehat: 1.0 / 3, phi: 1e-300, mode: .multi, lr: 5e-4)
    w.write(r, into: sink)
    #expect(
      String(decoding: sink.buffer, as: UTF8.self) == "-12,0.1,0.0,0.3333333333333333,1e-300,1,0.0005\n")
  }
}
