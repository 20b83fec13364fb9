import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRATune

@Suite struct NoiseFitTests {
  static func write(_ losses: [Double]) throws -> String {
    let path = NSTemporaryDirectory() + "ulora-fit-\(UUID().uuidString).csv"
    try
      ("step,loss\n" + losses.enumerated().map { "\($0.offset),\($0.element)" }.joined(separator: "\n") + "\n")
      .write(toFile: path, atomically: true, encoding: .utf8)
    return path
  }

  /// A log whose second half is log-normal AR(1) noise around 2 (σ 0.2, ρ 0.5), after a decaying
  /// first half: the fit recovers the level, σ and ρ.
  @Test func recoversALogNormalAR1Model() throws {
    let model = NoiseModel(kind: .lognormal, sigma: 0.2, correlation: 0.5)
    var d = NoiseModel.Driver(seed: 8, correlation: 0.5)
    let n = 40_000
    let losses = (0..<n).map { t in
      model.loss(level: t < n / 2 ? 2 + 30 * exp(-Double(t) / 500) : 2, z: d.next())
    }
    let path = try Self.write(losses)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let f = try NoiseFit.fit(path: path, schema: LogSchema(), kind: .lognormal)
    #expect(f.records == n / 2)
    #expect(abs(f.level / 2 - 1) < 0.02, "level \(f.level)")
    #expect(abs(f.model.sigma / 0.2 - 1) < 0.05, "σ \(f.model.sigma)")
    #expect(abs(f.model.correlation - 0.5) < 0.05, "ρ \(f.model.correlation)")
  }

  @Test func aLossTheModelCannotTakeIsNamed() throws {
    let path = try Self.write([1, 2, 3, 0, 1, 2, 1, 2, 3, 1])
    defer { try? FileManager.default.removeItem(atPath: path) }
    #expect(
      throws: TuneError(
        field: "noise-from", value: "\(path) step 3 loss 0.0",
        requirement: "finite losses > 0 for a log-normal fit")
    ) { try NoiseFit.fit(path: path, schema: LogSchema(), kind: .lognormal) }
    let g = try NoiseFit.fit(path: path, schema: LogSchema(), kind: .gaussian)
    #expect(g.model.kind == .gaussian && g.records == 5)
  }
}
