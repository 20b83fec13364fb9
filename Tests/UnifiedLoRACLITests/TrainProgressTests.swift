import Testing

@testable import UnifiedLoRACLI

/// `train`'s ETA is paced by the steps timed since the first step report, so a long preparation
/// (pretraining, clean adaptation) before the first step does not inflate it.
@Suite struct TrainProgressTests {
  @Test func etaIsPacedByTheTimedSteps() {
    // 100 steps in 10 s: 0.1 s a step, 900 steps left.
    #expect(abs(TrainProgress.remaining(elapsed: 10, done: 100, left: 900) - 90) < 1e-9)
    // Nothing timed yet: no estimate rather than an infinite one.
    #expect(TrainProgress.remaining(elapsed: 0, done: 0, left: 900) == 0)
    #expect(TrainProgress.remaining(elapsed: 5, done: 0, left: 900) == 0)
    #expect(TrainProgress.remaining(elapsed: 10, done: 100, left: 0) == 0)
  }
}
