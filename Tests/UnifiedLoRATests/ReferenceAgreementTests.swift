import Foundation
import Testing

@testable import UnifiedLoRA

/// Bit-for-bit agreement with an independent Python statement of both variants
/// (`Tests/reference/controller_reference.py`; Python floats are binary64, one rounding per
/// operation, no fused multiply-add), on random traces of thousands of steps.
@Suite struct ReferenceAgreementTests {
  static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("reference/controller_reference.py")

  static var python: String? {
    for p in ["/usr/bin/python3", "/usr/local/bin/python3"]
    where FileManager.default.isExecutableFile(atPath: p) {
      return p
    }
    return nil
  }

  func reference(_ args: [String], _ inputs: [Input]) throws -> [(UInt64, UInt64, Int)] {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: Self.python!)
    p.arguments = [Self.script.path] + args
    let inPipe = Pipe()
    let outPipe = Pipe()
    p.standardInput = inPipe
    p.standardOutput = outPipe
    try p.run()
    // Losses are passed as exact hexadecimal-free decimals (shortest round-trip).
    let text = inputs.map { "\($0.loss),\($0.env)" }.joined(separator: "\n") + "\n"
    let writer = Thread {
      inPipe.fileHandleForWriting.write(Data(text.utf8))
      try? inPipe.fileHandleForWriting.close()
    }
    writer.start()
    let out = outPipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return String(decoding: out, as: UTF8.self).split(separator: "\n").map { line in
      let f = line.split(separator: ",")
      return (Self.hexBits(f[0]), Self.hexBits(f[1]), Int(f[2])!)
    }
  }

  /// Parses Python's `float.hex()` output exactly.
  static func hexBits(_ s: Substring) -> UInt64 {
    Double(String(s))!.bitPattern
  }

  static func firstMismatch(_ mine: [Record], _ ref: [(UInt64, UInt64, Int)]) -> Int? {
    for k in mine.indices where k < ref.count {
      let (e, f, m) = ref[k]
      if mine[k].ehat.bitPattern != e { return k }
      if mine[k].phi.bitPattern != f { return k }
      if mine[k].mode.rawValue != m { return k }
    }
    return nil
  }

  func randomTrace(seed: UInt64, count: Int) -> [Input] {
    var rng = SeededGenerator(seed: seed)
    // Regimes of 150 steps at one level (so every mode is visited), with noise, exact zeros,
    // spikes and external-stress bursts.
    let levels = [0.05, 0.5, 2.0, 20.0]
    var level = 0.5
    return (0..<count).map { t in
      if t % 150 == 0 { level = levels[Int(rng.next() % 4)] }
      let u = rng.nextUnit()
      let loss: Double =
        u < 0.05 ? 0 : u < 0.053 ? 1e3 * rng.nextUnit() : level * _exp(0.5 * rng.nextGaussian())
      let env: Double = rng.nextUnit() < 0.2 ? 6 * rng.nextUnit() : 0
      return Input(step: t, loss: loss, env: env)
    }
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func reportVariantBitForBit(seed: UInt64) throws {
    try #require(Self.python != nil, "python3 is needed for the reference implementation")
    let inputs = randomTrace(seed: seed, count: 5000)
    let p = try Parameters(alpha: 0.1, beta: 0.9, alphaE: 0.5, cooldown: 30)
    let mine = try Replay(inputs, parameters: p).records()
    let ref = try reference(["report", "0.1", "0.9", "0.5", "0.3", "0.7", "30"], inputs)
    #expect(ref.count == mine.count)
    let firstMismatch = Self.firstMismatch(mine, ref)
    #expect(firstMismatch == nil, "seed \(seed): first mismatch at step \(firstMismatch ?? -1)")
    #expect(Set(mine.map(\.mode)).count >= 2, "seed \(seed): the trace should exercise switches")
  }

  @Test(arguments: [UInt64(4), 5, 6])
  func repoVariantBitForBit(seed: UInt64) throws {
    try #require(Self.python != nil, "python3 is needed for the reference implementation")
    let inputs = randomTrace(seed: seed, count: 5000)
    let mine = try Replay(inputs, parameters: .repo).records()
    let ref = try reference(["repo"], inputs)
    #expect(ref.count == mine.count)
    let firstMismatch = Self.firstMismatch(mine, ref)
    #expect(firstMismatch == nil, "seed \(seed): first mismatch at step \(firstMismatch ?? -1)")
    #expect(Set(mine.map(\.mode)).count == 3, "seed \(seed): the trace should visit every mode")
  }
}
