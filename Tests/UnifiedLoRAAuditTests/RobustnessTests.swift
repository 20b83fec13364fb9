import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// Whatever the bytes, loading and auditing a log returns a value or a `LogError`: never a crash.
@Suite struct RobustnessTests {
  static let alphabet = Array("0123456789.,-+eEnaifNI \"\n\r{}[]:tsplmodrhcv_/\t".utf8)

  @Test func randomBytesNeverCrash() {
    let seed = UInt64.random(in: 0...UInt64.max)
    var rng = SeededGenerator(seed: seed)
    let header = Array("step,loss,env,ehat,phi,mode,lr\n".utf8)
    for k in 0..<400 {
      let n = Int(rng.next() % 300)
      var bytes = k % 2 == 0 ? header : Array("{\"step\":".utf8)
      for _ in 0..<n { bytes.append(Self.alphabet[Int(rng.next() % UInt64(Self.alphabet.count))]) }
      for format in LogSchema.Format.allCases {
        do {
          let log = try RunLog.load(bytes: bytes, columns: AuditColumns(format: format))
          let report = Audit.run(log, parameters: .report)
          #expect(
            report.verdict == (log.isReplayable ? report.verdict : .badInput), "seed \(seed), case \(k)")
        } catch {
          // A structural error is a value with a message, never a crash.
          #expect(!error.description.isEmpty, "seed \(seed), case \(k)")
        }
      }
    }
  }

  /// Steps near the integer limits, huge and subnormal values: diagnosed, not trapped.
  @Test func extremeValues() throws {
    let text = """
      step,loss,mode,phi,lr
      9007199254740990,1e308,0,1e-320,0.002
      9007199254740991,5e-324,2,nan,inf
      9.9e300,0,0,0,0.002
      """
    let log = try RunLog.load(bytes: Array(text.utf8), columns: AuditColumns())
    #expect(log.issues.map(\.kind) == [.invalidStep])
    #expect(
      log.issues[0].description == "line 4: column 'step': '9.9e+300' is not an integer step in −2^53 … 2^53")
    let report = Audit.run(log, parameters: .report)
    #expect(report.verdict == .badInput)
    // Without the bad step the log replays, and the NaN φ and infinite lr are plain mismatches.
    let ok = try RunLog.load(
      bytes: Array(text.split(separator: "\n").dropLast().joined(separator: "\n").utf8),
      columns: AuditColumns())
    let r = Audit.run(ok, parameters: .report)
    #expect(r.verdict == .doesNotConform)
    #expect(r.invariants.first { $0.id == "phi-range" }?.violations == 1)
  }
}
