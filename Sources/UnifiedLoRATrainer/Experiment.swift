import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

/// The comparison: every arm on every seed, the same data, base and initialisation per seed.
public struct Experiment: Sendable {
  public var arms: [Arm]
  public var seeds: [UInt64]
  public var configuration: RunConfiguration
  /// Concurrent runs (each single-threaded); default: the number of active processors.
  public var jobs: Int
  /// Where pretrained bases are looked up and stored (nil: always pretrain).
  public var baseCache: BaseCache?

  /// - Throws: ``ExperimentError`` when the configuration asks for what the trainer does not do:
  ///   a controller of the repo variant (the unified arms run the report variant, whose external
  ///   stress and cooldown the arms, the predictions and the checks rely on), or no arm or seed.
  public init(
    arms: [Arm], seeds: [UInt64], configuration: RunConfiguration, jobs: Int? = nil,
    baseCache: BaseCache? = nil
  ) throws(ExperimentError) {
    guard configuration.controller.variant == .report else {
      throw .unsupportedVariant(configuration.controller.variant)
    }
    guard !arms.isEmpty else { throw .empty("arms") }
    guard !seeds.isEmpty else { throw .empty("seeds") }
    self.arms = arms
    self.seeds = seeds
    self.configuration = configuration
    self.jobs = max(1, jobs ?? ProcessInfo.processInfo.activeProcessorCount)
    self.baseCache = baseCache
  }

  /// Progress of a running experiment: steps done over all runs, and the run that reported.
  public struct Progress: Sendable {
    public var stepsDone: Int
    public var stepsTotal: Int
    public var arm: Arm
    public var seed: UInt64
    public var runsDone: Int
    public var runsTotal: Int
  }

  /// A seed made ready before the runs: its base pretrained (or read from the cache) and its clean
  /// adaptation done — the long first phase, reported so that it is not silent.
  public struct Preparation: Sendable {
    public var seed: UInt64
    public var fromCache: Bool
    public var seedsDone: Int
    public var seedsTotal: Int
  }

  public struct Result: Sendable {
    public var experiment: Experiment
    /// Per seed, the clean adaptation every arm starts from.
    public var warm: [UInt64: WarmStart]
    /// In the order arms × seeds (arm-major), whatever order they ran in.
    public var runs: [RunResult]
    public var pretraining: [UInt64: Pretraining.Result]
    /// The seeds whose base came from the ``BaseCache``.
    public var cachedBases: Set<UInt64>
    public var seconds: Double
  }

  /// Runs everything. The word list is read once; each seed's base is pretrained once (in
  /// parallel), then the runs are spread over ``jobs`` threads. The result does not depend on
  /// `jobs` or on scheduling: every run is single-threaded and seeded.
  ///
  /// - Throws: ``DataError`` for a missing or too small word list.
  public func run(
    words path: String = WordList.defaultPath, progress: (@Sendable (Progress) -> Void)? = nil,
    announce: (@Sendable (Arm, UInt64, SwitchPrediction) -> Void)? = nil,
    prepared: (@Sendable (Preparation) -> Void)? = nil
  ) throws(DataError) -> Result {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw DataError(
        "cannot read the word list '\(path)': install it with `apt-get install wamerican` (or run `make bootstrap`), or pass --words FILE"
      )
    }
    return try run(
      wordList: WordList.filter(String(decoding: data, as: UTF8.self)), progress: progress,
      announce: announce,
      prepared: prepared)
  }

  /// Runs everything on already-filtered words.
  public func run(
    wordList words: [String], progress: (@Sendable (Progress) -> Void)? = nil,
    announce: (@Sendable (Arm, UInt64, SwitchPrediction) -> Void)? = nil,
    prepared: (@Sendable (Preparation) -> Void)? = nil
  ) throws(DataError) -> Result {
    BLAS.configure()
    let clock = ContinuousClock()
    let start = clock.now
    _ = try WordList(words: words, seed: 0)  // validates the list once, with a typed error
    let c = configuration
    let cache = baseCache
    let preparation = ProgressCounter(total: seeds.count)
    let seedData = Parallel.map(0..<seeds.count, threads: max(1, jobs), chunk: 1) {
      i -> (SeedData, WarmStart)? in
      // Cannot fail: the list was validated above and the split does not depend on the seed's size.
      guard let d = try? SeedData(words: words, seed: seeds[i], configuration: c, cache: cache) else {
        return nil
      }
      let w = TrainingRun.warm(data: d, configuration: c)
      let now = preparation.add(1)
      prepared?(.init(seed: d.seed, fromCache: d.baseFromCache, seedsDone: now.done, seedsTotal: seeds.count))
      return (d, w)
    }
    let prepared = seedData.compactMap { $0 }
    guard prepared.count == seeds.count else { throw DataError("could not prepare the data of every seed") }
    let ready = prepared.map(\.0)
    let warm = prepared.map(\.1)
    let jobsList = arms.flatMap { arm in ready.indices.map { (arm, $0) } }
    let total = jobsList.count * c.steps
    let counter = ProgressCounter(total: total)
    let runs = Parallel.map(0..<jobsList.count, threads: max(1, jobs), chunk: 1) { k in
      let (arm, s) = jobsList[k]
      var last = 0
      let r = TrainingRun.run(
        arm: arm, data: ready[s], warm: warm[s], configuration: c,
        progress: { done in
          let now = counter.add(done - last)
          last = done
          progress?(
            .init(
              stepsDone: now.done, stepsTotal: total, arm: arm, seed: ready[s].seed, runsDone: now.finished,
              runsTotal: jobsList.count))
        },
        announce: { announce?(arm, ready[s].seed, $0) })
      let now = counter.add(c.steps - last, finished: 1)
      progress?(
        .init(
          stepsDone: now.done, stepsTotal: total, arm: arm, seed: ready[s].seed, runsDone: now.finished,
          runsTotal: jobsList.count))
      return r
    }
    var pre: [UInt64: Pretraining.Result] = [:]
    for d in ready { pre[d.seed] = d.pretraining }
    let cached = Set(ready.filter(\.baseFromCache).map(\.seed))
    let d = clock.now - start
    var warmBySeed: [UInt64: WarmStart] = [:]
    for (d, w) in prepared { warmBySeed[d.seed] = w }
    return Result(
      experiment: self, warm: warmBySeed, runs: runs, pretraining: pre, cachedBases: cached,
      seconds: Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
  }
}

/// A configuration the experiment refuses, named by its field and value.
public enum ExperimentError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The controller's variant is not the report's.
  case unsupportedVariant(Variant)
  /// A list that must not be empty (`arms`, `seeds`) is.
  case empty(String)

  public var description: String {
    switch self {
    case .unsupportedVariant(let v):
      "invalid parameter variant = \(v.rawValue): the trainer runs the report variant (it has the external stress and the cooldown the checks use)"
    case .empty(let field): "invalid value \(field): give at least one"
    }
  }
}
