import Testing
import UnifiedLoRATrainer

/// `ReduceLROnPlateau` as PyTorch documents it: "if patience = 2, then we will ignore the first 2
/// epochs with no improvement, and will only decrease the LR after the 3rd epoch if the loss still
/// hasn't improved then"; `new_lr = lr * factor`; rel: `best * (1 − threshold)` (min) /
/// `best * (1 + threshold)` (max); abs: `best ∓ threshold`; cooldown: epochs to wait after a
/// reduction before resuming normal operation; min_lr: a lower bound; eps: a reduction smaller
/// than eps is ignored.
@Suite struct PlateauSchedulerTests {
  func lrs(_ c: PlateauScheduler.Configuration, _ metrics: [Double]) -> [Double] {
    var s = PlateauScheduler(c)
    return metrics.map { s.step($0) }
  }

  @Test func patienceTwoReducesAfterTheThirdBadEpoch() {
    let c = PlateauScheduler.Configuration(initialLR: 1, factor: 0.1, patience: 2)
    #expect(lrs(c, [1, 1, 1, 1, 1]) == [1, 1, 1, 0.1, 0.1])
  }

  @Test func patienceZeroReducesOnTheFirstBadEpoch() {
    let c = PlateauScheduler.Configuration(initialLR: 1, factor: 0.5, patience: 0)
    // The first epoch sets the baseline; the second is worse and reduces at once; the third too.
    #expect(lrs(c, [1, 2, 2]) == [1, 0.5, 0.25])
  }

  @Test func anImprovementResetsTheCount() {
    let c = PlateauScheduler.Configuration(initialLR: 1, factor: 0.5, patience: 1)
    #expect(lrs(c, [5, 5, 4, 4, 4]) == [1, 1, 1, 1, 0.5])
  }

  @Test func relativeThresholdInMinMode() {
    let c = PlateauScheduler.Configuration(
      initialLR: 1, factor: 0.5, patience: 0, threshold: 0.1, thresholdMode: .rel)
    // 95 is not below 100·(1 − 0.1) = 90: a bad epoch; 89 is.
    #expect(lrs(c, [100, 95]) == [1, 0.5])
    #expect(lrs(c, [100, 89]) == [1, 1])
  }

  @Test func absoluteThresholdInMinMode() {
    let c = PlateauScheduler.Configuration(
      initialLR: 1, factor: 0.5, patience: 0, threshold: 2, thresholdMode: .abs)
    #expect(lrs(c, [10, 8.5]) == [1, 0.5])  // not below 10 − 2
    #expect(lrs(c, [10, 7.5]) == [1, 1])
  }

  @Test func maxModeBothThresholds() {
    let rel = PlateauScheduler.Configuration(
      initialLR: 1, mode: .max, factor: 0.5, patience: 0, threshold: 0.1)
    #expect(lrs(rel, [100, 105]) == [1, 0.5])  // not above 110
    #expect(lrs(rel, [100, 111]) == [1, 1])
    let abs = PlateauScheduler.Configuration(
      initialLR: 1, mode: .max, factor: 0.5, patience: 0, threshold: 2, thresholdMode: .abs)
    #expect(lrs(abs, [10, 11]) == [1, 0.5])
    #expect(lrs(abs, [10, 12.5]) == [1, 1])
  }

  @Test func cooldownSuspendsCounting() {
    let c = PlateauScheduler.Configuration(initialLR: 1, factor: 0.5, patience: 0, cooldown: 2)
    // Reduce at epoch 2; epochs 3 and 4 are cooldown (bad epochs not counted); epoch 5 reduces.
    #expect(lrs(c, [1, 1, 1, 1, 1, 1]) == [1, 0.5, 0.5, 0.5, 0.25, 0.25])
  }

  @Test func minLRIsALowerBoundAndEpsIgnoresTinyReductions() {
    let c = PlateauScheduler.Configuration(initialLR: 1, factor: 0.1, patience: 0, minLR: 0.05)
    #expect(lrs(c, [1, 1, 1, 1]) == [1, 0.1, 0.05, 0.05])
    let e = PlateauScheduler.Configuration(initialLR: 1e-8, factor: 0.5, patience: 0, eps: 1e-8)
    #expect(lrs(e, [1, 1]) == [1e-8, 1e-8])  // 1e-8 − 5e-9 is not > eps
  }

  @Test func nanIsNeverAnImprovement() {
    let c = PlateauScheduler.Configuration(initialLR: 1, factor: 0.5, patience: 0)
    #expect(lrs(c, [1, .nan]) == [1, 0.5])
  }
}
