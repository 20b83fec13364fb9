import UnifiedLoRA
import UnifiedLoRASupport

/// The median, least and greatest of a set of values (the seeds that have one).
public struct Spread: Sendable, Hashable {
  public var median: Double
  public var min: Double
  public var max: Double

  /// The spread of the values present; nil when there is none.
  public init?(_ values: [Double?]) {
    let x = values.compactMap { $0 }.sorted()
    guard let first = x.first, let last = x.last else { return nil }
    median = UnifiedLoRASupport.median(ofSorted: x)
    min = first
    max = last
  }
}

/// The aggregates the `train` tables show beside the per-arm statistics: computed from the
/// summary's data, so that the command only formats them.
extension TrainSummary {
  /// One of the report's table steps (Tables 5.2 and 5.3) for the unified arm (E ≡ 0) and the
  /// baseline.
  public struct TableStep: Sendable, Hashable {
    public var step: Int
    /// The unified arm's batch loss at the step over seeds.
    public var unified: Spread?
    /// The mode after the step in most seeds (ties: the first in Single, Multi, Mirror order).
    public var unifiedMode: Mode?
    /// The median over seeds of the rate used at the step.
    public var unifiedLR: Double?
    /// The baseline's batch loss at the step over seeds.
    public var baseline: Spread?
  }

  /// The runs of `arm` in seed order (`nil` where missing).
  public func runs(of arm: String) -> [RunSummary?] { configuration.seeds.map { run(arm, $0) } }

  /// ``RunMetrics/tableSteps``, each with the unified arm's and the baseline's values.
  public var tableSteps: [TableStep] {
    let unified = runs(of: Arm.unified(env: .none).description).map { $0?.metrics }
    let baseline = runs(of: Arm.baseline.description).map { $0?.metrics }
    return RunMetrics.tableSteps.map { t in
      let modes = unified.compactMap { $0?.modeAt[t] }
      let lrs = unified.compactMap { $0?.lrAt[t] }.sorted()
      return TableStep(
        step: t, unified: Spread(unified.map { $0?.trainLossAt[t] }),
        unifiedMode: modes.isEmpty
          ? nil
          : Mode.allCases.max { a, b in modes.filter { $0 == a }.count < modes.filter { $0 == b }.count },
        unifiedLR: lrs.isEmpty ? nil : median(ofSorted: lrs),
        baseline: Spread(baseline.map { $0?.trainLossAt[t] }))
    }
  }

  /// The clean adaptation's results over seeds (mean and bootstrap 95 % CI).
  public struct CleanAdaptationEstimates: Sendable, Hashable {
    public var testExactMatch: Estimate
    public var valLoss: Estimate
    public var trainLossLast50: Estimate
    public var seconds: Estimate
  }

  public var cleanAdaptationEstimates: CleanAdaptationEstimates {
    let c = cleanAdaptation
    return CleanAdaptationEstimates(
      testExactMatch: Estimate(c.map(\.testExactMatch)), valLoss: Estimate(c.map(\.valLoss)),
      trainLossLast50: Estimate(c.map(\.trainLossLast50)), seconds: Estimate(c.map(\.seconds)))
  }

  /// The pretrained base's exact match on each pretraining task, mean over seeds (0 for a seed
  /// without the task), in ``WordTask/pretraining`` order.
  public var pretrainingExactMatch: [(task: WordTask, mean: Double)] {
    WordTask.pretraining.map { t in (t, mean(pretraining.map { $0.exactMatch[t.description] ?? 0 })) }
  }

  /// The frozen base's Pig Latin exact match before adaptation, mean over seeds.
  public var pigLatinBeforeAdaptation: Double { mean(pretraining.map(\.pigLatinBefore)) }

  /// The mean of `v` (0 for none, as the table prints it).
  private func mean(_ v: [Double]) -> Double { v.reduce(0, +) / Double(max(v.count, 1)) }
}
