import Foundation
import UnifiedLoRA
import UnifiedLoRAIO

/// A clean level and noise model fitted from a loss log ("noise like this log").
package struct NoiseFit: Sendable, Hashable, Codable {
  package var level: Double
  package var model: NoiseModel
  /// Records used (the second half of the log: the first half is taken as warm-up).
  package var records: Int

  /// Fits `kind` to the second half of the log's losses (the first half is the training curve's
  /// descent, not noise around a level):
  ///
  /// ```
  /// lognormal: y = ln L,  level = exp(mean y),  σ = sd(y)
  /// gaussian:  y = L,     level = mean y,       σ = sd(y)/level
  /// ρ = Σ (y_t − ȳ)(y_{t+1} − ȳ) / Σ (y_t − ȳ)²     (lag-one autocorrelation, clamped to ±0.99)
  /// ```
  ///
  /// - Throws: ``LogError`` from the reader; ``TuneError`` naming the line of a loss that is not
  ///   finite and > 0 (log-normal) or ≥ 0 (Gaussian), or a log with fewer than 8 records.
  package static func fit(path: String, schema: LogSchema, kind: NoiseModel.Kind) throws -> NoiseFit {
    let reader = try LossLogReader(path: path, schema: schema)
    var batch: [Input] = []
    var losses: [Double] = []
    while try reader.read(into: &batch, limit: 65_536) > 0 {
      for i in batch {
        guard i.loss.isFinite, kind == .lognormal ? i.loss > 0 : i.loss >= 0 else {
          throw TuneError(
            field: "noise-from", value: "\(path) step \(i.step) loss \(i.loss)",
            requirement: kind == .lognormal ? "finite losses > 0 for a log-normal fit" : "finite losses ≥ 0")
        }
        losses.append(i.loss)
        guard losses.count <= 50_000_000 else {
          throw TuneError(field: "noise-from", value: path, requirement: "at most 50000000 records")
        }
      }
    }
    guard losses.count >= 8 else {
      throw TuneError(
        field: "noise-from", value: "\(path) (\(losses.count) records)", requirement: "at least 8 records")
    }
    let tail = Array(losses[(losses.count / 2)...])
    let y = kind == .lognormal ? tail.map { log($0) } : tail
    let n = Double(y.count)
    let mean = y.reduce(0, +) / n
    let ss = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
    let sd = (ss / (n - 1)).squareRoot()
    var cross = 0.0
    for t in 0..<(y.count - 1) { cross += (y[t] - mean) * (y[t + 1] - mean) }
    let rho = ss > 0 ? max(-0.99, min(0.99, cross / ss)) : 0
    let level = kind == .lognormal ? exp(mean) : mean
    let sigma = kind == .lognormal ? sd : (level > 0 ? sd / level : 0)
    return NoiseFit(
      level: level, model: NoiseModel(kind: kind, sigma: sigma, correlation: rho), records: tail.count)
  }
}
