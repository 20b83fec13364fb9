import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRATrainer

/// The summary of a small experiment: its statistics agree with the runs, and its JSON follows the
/// project's conventions (camelCase keys, non-finite numbers as strings) and decodes back.
@Suite struct TrainSummaryTests {
  static func summary(shocks: String) throws -> (Experiment.Result, TrainSummary) {
    var c = TrainingTests.configuration
    c.sharpnessCheckpoints = []
    c.shocks = try ShockSchedule.parse(shocks)
    let result = try Experiment(
      arms: [.unified(env: .none), .baseline], seeds: [1, 2], configuration: c, jobs: 2
    )
    .run(wordList: TrainingTests.words)
    return (result, TrainSummary(result, command: "test", version: "0"))
  }

  static func keys(_ value: Any, into out: inout Set<String>) {
    if let d = value as? [String: Any] {
      for (k, v) in d {
        out.insert(k)
        keys(v, into: &out)
      }
    } else if let a = value as? [Any] {
      for v in a { keys(v, into: &out) }
    }
  }

  @Test func statisticsComeFromTheRuns() throws {
    let (result, s) = try TrainSummaryTests.summary(shocks: "25:35,45:55")
    #expect(s.arms.map(\.arm) == ["unified", "fixed:5e-4"])
    #expect(s.runs.count == 4)
    let unified = try #require(s.arm("unified"))
    let exact = result.runs.filter { $0.arm == .unified(env: .none) }.map(\.testExactMatch)
    #expect(abs(unified.testExactMatch.mean - exact.reduce(0, +) / 2) < 1e-12)
    // The paired difference is arm − baseline, seed by seed.
    let diff = try #require(unified.pairedVsBaseline.first { $0.quantity.kind == .testExactMatch })
    let base = result.runs.filter { $0.arm == .baseline }.map(\.testExactMatch)
    #expect(abs(diff.difference.mean - (zip(exact, base).map { $0 - $1 }.reduce(0, +) / 2)) < 1e-12)
    #expect(s.arm("fixed:5e-4")?.pairedVsBaseline.isEmpty == true)
    // One Mirror claim and, per shock, an overshoot and a recovery claim, for the one unified arm.
    #expect(
      s.claims.map(\.kind) == [
        .reachesMirror, .smallerOvershoot, .fasterRecovery, .smallerOvershoot, .fasterRecovery,
      ])
    for claim in s.claims where claim.kind != .reachesMirror {
      let e = claim.estimate
      #expect(claim.verdict == (e.high < 0 ? .reproduced : (e.low > 0 ? .contradicted : .notShown)))
    }
    #expect(s.predictionScore.total == result.runs.map(\.predictions.count).reduce(0, +))
    #expect(s.runs[0].csv == "unified-seed1.csv")
  }

  /// The aggregates the tables print come from the runs: the report's table steps (median,
  /// least and greatest over seeds; the mode of most seeds, ties to the first of Single, Multi,
  /// Mirror; the median rate), the clean adaptation's estimates and the base's means.
  @Test func tableAggregatesComeFromTheRuns() throws {
    var (_, s) = try TrainSummaryTests.summary(shocks: "25:35,45:55")
    // The test runs are shorter than the report's steps: nothing to show there.
    #expect(s.tableSteps.map(\.step) == RunMetrics.tableSteps)
    #expect(s.tableSteps.allSatisfy { $0.unified == nil && $0.unifiedMode == nil && $0.baseline == nil })
    // Give the unified runs values at step 200 (two seeds: the median is the middle's mean).
    for (i, r) in s.runs.enumerated() where r.arm == "unified" {
      s.runs[i].metrics.trainLossAt[200] = r.seed == 1 ? 1 : 4
      s.runs[i].metrics.modeAt[200] = r.seed == 1 ? .multi : .single
      s.runs[i].metrics.lrAt[200] = r.seed == 1 ? 2e-3 : 5e-4
    }
    for (i, r) in s.runs.enumerated() where r.arm == "fixed:5e-4" && r.seed == 2 {
      s.runs[i].metrics.trainLossAt[200] = 7
    }
    let row = try #require(s.tableSteps.first)
    #expect(row.unified == Spread([1, 4]) && row.unified?.median == 2.5 && row.unified?.max == 4)
    #expect(row.unifiedMode == .single)
    #expect(row.unifiedLR == (2e-3 + 5e-4) / 2)
    #expect(row.baseline?.median == 7 && row.baseline?.min == 7)
    #expect(Spread([3, nil, 1, 2])?.median == 2 && Spread([nil]) == nil)
    let warm = s.cleanAdaptationEstimates
    let valLosses = s.cleanAdaptation.map(\.valLoss)
    #expect(warm.valLoss.n == 2 && warm.valLoss.mean == valLosses.reduce(0, +) / 2)
    let pig = s.pretraining.map(\.pigLatinBefore)
    #expect(s.pigLatinBeforeAdaptation == pig.reduce(0, +) / Double(pig.count))
    #expect(s.pretrainingExactMatch.map(\.task) == WordTask.pretraining)
  }

  @Test func jsonIsCamelCaseWithNonFiniteAsStringsAndDecodes() throws {
    // The second window lies past the end of the run: its statistics have no value (NaN).
    let (_, s) = try TrainSummaryTests.summary(shocks: "25:35,70:80")
    let text = try s.json()
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    var all: Set<String> = []
    TrainSummaryTests.keys(object, into: &all)
    #expect(all.filter { $0.contains("_") }.isEmpty, "\(all.filter { $0.contains("_") })")
    for key in ["cleanAdaptation", "pairedVsBaseline", "testExactMatch", "predictionScore", "claims"] {
      #expect(all.contains(key), "missing \(key)")
    }
    #expect(text.contains("\"NaN\""))
    let back = try TrainSummary.decoder.decode(TrainSummary.self, from: Data(text.utf8))
    #expect(try back.json() == text)
    #expect(back.arm("unified")?.shocks[1].overshoot.mean.isNaN == true)
  }
}
