import Foundation
import UnifiedLoRAIO
import UnifiedLoRATrainer

/// The files of `train --out`: one CSV per run and `summary.json`, each written through
/// ``OutputSink`` (a file appears only when complete) into the directory being published.
enum TrainFiles {
  static let csvHeader = "step,loss,shocked,env,ehat,phi,mode,lr,val_loss\n"

  /// Writes every file into `directory`.
  static func write(_ result: Experiment.Result, _ summary: TrainSummary, into directory: URL) throws {
    for r in result.runs {
      let sink = try OutputSink(
        path: directory.appendingPathComponent(TrainSummary.csvName(arm: r.arm, seed: r.seed)).path)
      sink.write(csvHeader)
      var val: [Int: Double] = [:]
      for e in r.validation { val[e.step] = e.loss }
      for rec in r.records {
        sink.write(
          "\(rec.step),\(rec.loss),\(rec.shocked ? 1 : 0),\(rec.env),\(rec.ehat),\(rec.phi),\(rec.mode.rawValue),\(rec.lr),\(val[rec.step].map { "\($0)" } ?? "")\n"
        )
        try sink.recordBoundary()
      }
      try sink.commit()
    }
    let json = try OutputSink(path: directory.appendingPathComponent("summary.json").path)
    json.write(try summary.json())
    try json.commit()
  }
}
