import UnifiedLoRA

extension TrainSummary {
  /// Aggregates an experiment's result.
  ///
  /// - Parameters:
  ///   - command: the command line that ran it (printed with the results).
  ///   - version: the program's version.
  public init(_ result: Experiment.Result, command: String, version: String) {
    let e = result.experiment
    let c = e.configuration
    self.command = command
    self.version = version
    seconds = result.seconds
    blas = BLASInfo(
      configuration: BLAS.configuration, sgemmProvider: BLAS.sgemmProvider, threadsPerRun: 1, jobs: e.jobs)
    configuration = Configuration(
      arms: e.arms.map(\.description), seeds: e.seeds, steps: c.steps, batchSize: c.batchSize, rank: c.rank,
      loraAlpha: c.loraAlpha, targets: c.targets, optimizer: c.optimizer,
      model: .init(
        dModel: c.shape.dModel, heads: c.shape.heads, layers: c.shape.layers, ffn: c.shape.ffn,
        vocabulary: Encoding.vocabulary),
      shocks: c.shocks.text, shockKind: c.shock.kind, shockFraction: c.shock.fraction, warmSteps: c.warmSteps,
      warmRate: c.warmRate, warmFloor: c.warmFloor, evalEvery: c.evalEvery, validationSize: c.validationSize,
      testSize: c.testSize, pretrainSteps: c.pretrainSteps, pretrainRate: c.pretrainRate,
      sharpnessAt: c.sharpnessCheckpoints, lanczosSteps: c.powerIterations, controller: c.controller,
      plateau: c.plateau)
    pretraining = e.seeds.compactMap { s in
      result.pretraining[s].map {
        PretrainingSummary(
          seed: s, finalLoss: $0.finalLoss, pigLatinBefore: $0.pigLatinBefore,
          fromCache: result.cachedBases.contains(s),
          exactMatch: Dictionary(uniqueKeysWithValues: $0.exactMatch.map { ($0.key.description, $0.value) }))
      }
    }
    var reference: [UInt64: Double] = [:]
    for (s, w) in result.warm { reference[s] = TrainSummary.referenceLevel(validationLoss: w.validationLoss) }
    cleanAdaptation = e.seeds.compactMap { s in
      result.warm[s].map {
        CleanAdaptation(
          seed: s, steps: $0.steps, testExactMatch: $0.testExactMatch, testLoss: $0.testLoss,
          valLoss: $0.validationLoss, trainLossLast50: $0.finalTrainLoss,
          referenceLevel: reference[s] ?? .nan,
          seconds: $0.seconds)
      }
    }
    let metrics = result.runs.map {
      RunMetrics(
        $0, shocks: c.shocks, initialMode: c.controller.initial.mode,
        reference: reference[$0.seed] ?? .infinity)
    }
    runs = zip(result.runs, metrics).map { r, m in
      RunSummary(
        arm: r.arm.description, seed: r.seed, csv: TrainSummary.csvName(arm: r.arm, seed: r.seed), metrics: m,
        referenceLevel: reference[r.seed] ?? .nan, initialValLoss: r.initialValidationLoss,
        plateauReductions: r.plateauReductions, skipped: r.skipped, seconds: r.seconds,
        predictions: r.predictions, sharpness: r.sharpness)
    }
    let table = MetricsTable(arms: e.arms, seeds: e.seeds, runs: result.runs, metrics: metrics)
    let quantities = TrainSummary.quantities(shocks: c.shocks.windows.count)
    arms = e.arms.map { a in
      ArmSummary(
        arm: a.description, testExactMatch: Estimate(table.values(a) { $0.testExactMatch }),
        finalValLoss: Estimate(table.values(a) { $0.finalValidationLoss }),
        switches: Estimate(table.values(a) { Double($0.switches) }),
        mirrorSeeds: e.seeds.filter { table.metric(a, $0)?.reachedMirror == true }.count,
        trainLossAt: Dictionary(
          uniqueKeysWithValues: RunMetrics.tableSteps.map { t in
            ("\(t)", table.values(a) { $0.trainLossAt[t] })
          }
        ),
        shocks: c.shocks.windows.indices.map { k in
          let w = c.shocks.windows[k]
          return ShockStatistics(
            start: w.lowerBound, end: w.upperBound, spike: Estimate(table.values(a) { $0.shocks[k].spike }),
            lateShockLoss: Estimate(table.values(a) { $0.shocks[k].lateShockLoss }),
            overshoot: Estimate(table.values(a) { $0.shocks[k].overshoot }),
            recoverySteps: Estimate(table.values(a) { Quantity(kind: .recoverySteps, shock: k).value($0) }),
            recovered: e.seeds.filter { table.metric(a, $0)?.shocks[k].recoverySteps != nil }.count)
        },
        pairedVsBaseline: a == Arm.baseline
          ? []
          : quantities.compactMap { q in
            table.paired(a, q.value).map { PairedDifference(quantity: q, difference: $0) }
          })
    }
    var reached: [String: [Double?]] = [:]
    for a in e.arms { reached[a.description] = table.values(a) { $0.reachedMirror ? 1 : 0 } }
    claims = TrainSummary.claims(arms: arms, shocks: c.shocks.windows.count, mirror: reached)
    predictionScore = PredictionScore(result.runs)
    let switchChecks = result.runs.flatMap { Checks.switches($0, shocks: c.shocks, parameters: c.controller) }
    let steadyChecks = result.runs.flatMap {
      Checks.steadyStates($0, shocks: c.shocks, parameters: c.controller)
    }
    consistencyChecks = ConsistencyChecks(
      note: "compare the logged states with their own loss bounds; they cannot fail on any loss sequence",
      switchesInside: switchChecks.filter(\.inside).count, switches: switchChecks.count,
      steadyInside: steadyChecks.filter(\.inside).count, steady: steadyChecks.count)
  }

  /// The common recovery level of a seed: twice the clean validation loss of the converged model
  /// every arm of the seed starts from, at least 0.01.
  public static func referenceLevel(validationLoss: Double) -> Double { max(2 * validationLoss, 0.01) }

  /// The quantities compared with the baseline: overshoot and recovery per shock, then the final
  /// test exact match and validation loss.
  public static func quantities(shocks: Int) -> [Quantity] {
    (0..<shocks).flatMap { k in
      [Quantity(kind: .overshoot, shock: k), Quantity(kind: .recoverySteps, shock: k)]
    } + [Quantity(kind: .testExactMatch), Quantity(kind: .finalValLoss)]
  }

  /// The summary of one arm by its name.
  public func arm(_ name: String) -> ArmSummary? { arms.first { $0.arm == name } }

  /// The run of an arm and seed.
  public func run(_ arm: String, _ seed: UInt64) -> RunSummary? {
    runs.first { $0.arm == arm && $0.seed == seed }
  }
}

/// The metrics of an experiment's runs, looked up by arm and seed.
struct MetricsTable {
  let arms: [Arm]
  let seeds: [UInt64]
  let byKey: [Arm: [UInt64: RunMetrics]]

  init(arms: [Arm], seeds: [UInt64], runs: [RunResult], metrics: [RunMetrics]) {
    self.arms = arms
    self.seeds = seeds
    var d: [Arm: [UInt64: RunMetrics]] = [:]
    for (r, m) in zip(runs, metrics) { d[r.arm, default: [:]][r.seed] = m }
    byKey = d
  }

  func metric(_ arm: Arm, _ seed: UInt64) -> RunMetrics? { byKey[arm]?[seed] }

  /// Per-seed values of `f` for `arm`, in seed order.
  func values(_ arm: Arm, _ f: (RunMetrics) -> Double?) -> [Double?] {
    seeds.map { s in metric(arm, s).flatMap(f) }
  }

  /// Per-seed paired differences `f(arm) − f(baseline)`; `nil` without the baseline arm.
  func paired(_ arm: Arm, _ f: (RunMetrics) -> Double?) -> Estimate? {
    guard arms.contains(Arm.baseline) else { return nil }
    return Estimate(
      seeds.map { s in
        guard let a = metric(arm, s).flatMap(f), let b = metric(Arm.baseline, s).flatMap(f) else {
          return nil
        }
        return a - b
      })
  }
}

extension TrainSummary.PredictionScore {
  init(_ runs: [RunResult]) {
    var total = 0
    var modes = 0
    var mirror = 0
    var errors: [Double?] = []
    for r in runs {
      for p in r.predictions {
        total += 1
        if p.predicted.map(\.to) == p.observed.map(\.to) {
          modes += 1
          for (x, y) in zip(p.predicted, p.observed) { errors.append(Double(abs(x.step - y.step))) }
        }
        if p.predictedMirror == p.observedMirror { mirror += 1 }
      }
    }
    self.init(total: total, modesMatched: modes, mirrorMatched: mirror, switchStepError: Estimate(errors))
  }
}
