import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRATrainer

/// The experiment's configuration rules and the parsers behind `train`'s typed options.
@Suite struct ConfigurationTests {
  @Test func experimentRefusesTheRepoVariant() throws {
    var c = RunConfiguration()
    c.controller = Parameters.defaults(.repo)
    #expect(throws: ExperimentError.unsupportedVariant(.repo)) {
      try Experiment(arms: [.baseline], seeds: [1], configuration: c)
    }
    let message = ExperimentError.unsupportedVariant(.repo).description
    #expect(message.hasPrefix("invalid parameter variant = repo:"))
    #expect(throws: ExperimentError.empty("arms")) {
      try Experiment(arms: [], seeds: [1], configuration: RunConfiguration())
    }
    #expect(throws: ExperimentError.empty("seeds")) {
      try Experiment(arms: [.baseline], seeds: [], configuration: RunConfiguration())
    }
    _ = try Experiment(arms: [.baseline], seeds: [1], configuration: RunConfiguration())
  }

  @Test func armSelectionExpandsUnifiedAndDropsDuplicates() throws {
    let s = try ArmSelection.parse("unified, fixed:5e-4,unified+signal,fixed:5e-4")
    #expect(s.description == "unified,fixed:5e-4,unified+signal")
    #expect(s.arms(unified: [.none, .signal]) == [.unified(env: .none), .unified(env: .signal), .baseline])
    #expect(s.arms(unified: [.none]) == [.unified(env: .none), .baseline, .unified(env: .signal)])
    #expect(ArmSelection.standard.arms(unified: [.none, .signal]).count == 9)
  }

  @Test(arguments: [
    ("fixed:0", "invalid arm 'fixed:0'"), ("fixed:abc", "invalid arm 'fixed:abc'"),
    ("unified,bogus", "invalid arm 'bogus'"), ("", "give at least one arm"), (",", "give at least one arm"),
    ("cosine:2", "invalid arm 'cosine:2'"),
  ])
  func armSelectionRejects(text: String, message: String) {
    #expect {
      try ArmSelection.parse(text)
    } throws: { error in
      (error as? DataError)?.description.contains(message) == true
    }
  }

  @Test func checkpoints() throws {
    #expect(try RunConfiguration.parseCheckpoints("199,299") == [199, 299])
    #expect(try RunConfiguration.parseCheckpoints(" 5 ") == [5])
    #expect(try RunConfiguration.parseCheckpoints("none") == [])
    #expect(try RunConfiguration.parseCheckpoints("") == [])
    for bad in ["1,-2", "a", "1,,2", "1.5", "none,3"] {
      #expect(throws: DataError.self) { try RunConfiguration.parseCheckpoints(bad) }
    }
  }

  @Test func shockSchedules() throws {
    #expect(try ShockSchedule.parse("200:300,500:600") == .report)
    #expect(try ShockSchedule.parse("none").windows.isEmpty)
    for bad in ["300:200", "200:300,250:400", "5", "a:b", "-1:3", "10:10"] {
      #expect(throws: DataError.self) { try ShockSchedule.parse(bad) }
    }
  }

  /// The clean adaptation's rate: from warmRate down a cosine to warmRate × warmFloor.
  @Test func warmRateSchedule() {
    var c = RunConfiguration()
    c.warmSteps = 101
    c.warmRate = 2e-3
    c.warmFloor = 0.05
    #expect(abs(TrainingRun.warmRate(0, c) - 2e-3) < 1e-15)
    #expect(abs(TrainingRun.warmRate(100, c) - 1e-4) < 1e-15)
    #expect(abs(TrainingRun.warmRate(50, c) - 2e-3 * (0.05 + 0.95 * 0.5)) < 1e-15)
    c.warmFloor = 1
    #expect((0..<101).allSatisfy { TrainingRun.warmRate($0, c) == 2e-3 })
  }
}

/// The pretrained-base cache gives the bits pretraining would, and never a damaged or foreign base.
@Suite struct BaseCacheTests {
  @Test func cachedBaseEqualsPretrainedBase() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("base-cache-\(getpid())").path
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let cache = BaseCache(directory: dir, salt: "test")
    let c = TrainingTests.configuration
    let fresh = try SeedData(words: TrainingTests.words, seed: 3, configuration: c, cache: cache)
    #expect(!fresh.baseFromCache)
    let again = try SeedData(words: TrainingTests.words, seed: 3, configuration: c, cache: cache)
    #expect(again.baseFromCache)
    #expect(again.base == fresh.base)
    #expect(again.pretraining.finalLoss == fresh.pretraining.finalLoss)
    #expect(again.pretraining.exactMatch == fresh.pretraining.exactMatch)
    #expect(again.pretraining.pigLatinBefore == fresh.pretraining.pigLatinBefore)
    // Another seed, another salt or other pretraining steps: another key, so no hit.
    #expect(
      !(try SeedData(words: TrainingTests.words, seed: 4, configuration: c, cache: cache)).baseFromCache)
    #expect(
      !(try SeedData(
        words: TrainingTests.words, seed: 3, configuration: c, cache: BaseCache(directory: dir, salt: "other")
      )).baseFromCache)
    var longer = c
    longer.pretrainSteps += 1
    #expect(
      !(try SeedData(words: TrainingTests.words, seed: 3, configuration: longer, cache: cache)).baseFromCache)
    // A truncated weights file is ignored and the base pretrained again (and rewritten).
    let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".f32") }
    for f in files { try Data([0, 1, 2]).write(to: URL(fileURLWithPath: "\(dir)/\(f)")) }
    let damaged = try SeedData(words: TrainingTests.words, seed: 3, configuration: c, cache: cache)
    #expect(!damaged.baseFromCache)
    #expect(damaged.base == fresh.base)
    #expect(try SeedData(words: TrainingTests.words, seed: 3, configuration: c, cache: cache).baseFromCache)
  }
}
