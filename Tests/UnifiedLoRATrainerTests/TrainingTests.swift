import Testing
import UnifiedLoRA
import UnifiedLoRASupport

@testable import UnifiedLoRATrainer

/// Small end-to-end runs: a d_model 16 transformer, 20 shared clean steps, then 60 steps with shocks
/// [25,35) and [45,55).
@Suite struct TrainingTests {
  static let words: [String] = {
    var rng = SeededGenerator(seed: 11)
    return (0..<600).map { _ in
      let n = 2 + Int(rng.next() % 7)
      return String(decoding: (0..<n).map { _ in UInt8(97 + rng.next() % 26) }, as: UTF8.self)
    }
  }()

  static var configuration: RunConfiguration {
    var c = RunConfiguration()
    c.steps = 60
    c.batchSize = 8
    c.shape = ModelShape(dModel: 16, heads: 2, layers: 2, ffn: 16)
    c.warmSteps = 20
    c.pretrainSteps = 20
    c.validationSize = 32
    c.testSize = 32
    c.sharpnessBatch = 16
    c.sharpnessCheckpoints = [59]
    c.powerIterations = 5
    c.shocks = (try? ShockSchedule.parse("25:35,45:55")) ?? .none
    return c
  }

  static func run(_ arm: Arm, seed: UInt64, _ c: RunConfiguration = configuration) throws -> RunResult {
    let d = try SeedData(words: words, seed: seed, configuration: c)
    return TrainingRun.run(
      arm: arm, data: d, warm: TrainingRun.warm(data: d, configuration: c), configuration: c)
  }

  @Test func sameSeedSameBits() throws {
    let a = try TrainingTests.run(.unified(env: .signal), seed: 7)
    let b = try TrainingTests.run(.unified(env: .signal), seed: 7)
    #expect(a.records.map(\.loss.bitPattern) == b.records.map(\.loss.bitPattern))
    #expect(a.records == b.records)
    #expect(a.validation == b.validation)
    #expect(a.testExactMatch == b.testExactMatch)
    #expect(a.sharpness == b.sharpness)
    let o = try TrainingTests.run(.unified(env: .signal), seed: 8)
    #expect(o.records.map(\.loss) != a.records.map(\.loss))
  }

  @Test func experimentDoesNotDependOnTheNumberOfJobs() throws {
    var c = TrainingTests.configuration
    c.sharpnessCheckpoints = []
    let arms: [Arm] = [.fixed(2e-3), .plateau]
    let one = try Experiment(arms: arms, seeds: [1, 2], configuration: c, jobs: 1).run(
      wordList: TrainingTests.words)
    let two = try Experiment(arms: arms, seeds: [1, 2], configuration: c, jobs: 2).run(
      wordList: TrainingTests.words)
    #expect(one.runs.map(\.records) == two.runs.map(\.records))
    #expect(one.runs.map(\.arm) == [.fixed(2e-3), .fixed(2e-3), .plateau, .plateau])
    #expect(one.runs.map(\.seed) == [1, 2, 1, 2])
  }

  /// The phase before the first step is not silent: one report per seed made ready, before any
  /// run's step, counting up to the number of seeds.
  @Test func everySeedIsReportedReadyBeforeTheRuns() throws {
    var c = TrainingTests.configuration
    c.sharpnessCheckpoints = []
    let log = Protected<[String]>([])
    _ = try Experiment(arms: [.fixed(2e-3)], seeds: [3, 4, 5], configuration: c, jobs: 2).run(
      wordList: TrainingTests.words,
      progress: { p in log.withLock { $0.append("step \(p.stepsDone)") } },
      prepared: { p in log.withLock { $0.append("ready \(p.seed) \(p.seedsDone)/\(p.seedsTotal)") } })
    let lines = log.current
    let ready = lines.filter { $0.hasPrefix("ready") }
    #expect(ready.count == 3)
    #expect(Set(ready.map { $0.split(separator: " ")[1] }) == ["3", "4", "5"])
    #expect(Set(ready.map { $0.split(separator: " ")[2] }) == ["1/3", "2/3", "3/3"])
    #expect(lines.prefix(3).allSatisfy { $0.hasPrefix("ready") }, "\(lines.prefix(5))")
  }

  @Test func shocksReplaceTheChosenTargets() throws {
    let s = try ShockSchedule.parse("200:300,500:600")
    #expect(s == .report)
    #expect(!s.contains(199) && s.contains(200) && s.contains(299) && !s.contains(300))
    let words = ["string", "apple", "queen", "cat"]  // ("my" would not do: reverse + ay = Pig Latin = "ymay")
    let clean = Examples.pigLatin(words)
    let conflicting = Examples.task(.reverseAy, words)
    var stream = BatchStream(examples: clean, batchSize: 4, seed: 1)
    var batch = BatchBuffers(4)
    stream.next(&batch)
    let before = batch
    var conflict = batch
    Shock(kind: .conflict, fraction: 1).apply(to: &conflict, conflicting: conflicting, seed: 1, step: 5)
    for i in 0..<4 {
      let k = conflict.indices[i]
      #expect(
        Array(conflict.targets[(i * 11)..<((i + 1) * 11)])
          == Array(conflicting.targets[(k * 11)..<((k + 1) * 11)]))
    }
    #expect(conflict.inputs == before.inputs && conflict.markers == before.markers)
    var half = batch
    Shock(kind: .conflict, fraction: 0.5).apply(to: &half, conflicting: conflicting, seed: 1, step: 5)
    let changed = (0..<4).filter {
      half.targets[($0 * 11)..<(($0 + 1) * 11)] != before.targets[($0 * 11)..<(($0 + 1) * 11)]
    }
    #expect(changed.count == 2)
    var noise = batch
    Shock(kind: .noise, fraction: 1).apply(to: &noise, conflicting: conflicting, seed: 1, step: 5)
    #expect(noise.targets != before.targets && noise.targets.allSatisfy { $0 < 27 })
    #expect(WordTask.reverseAy.apply("string") == "gnirtsay")
    #expect(WordTask.rotateTwo.apply("string") == "ringstay")
    #expect(WordTask.dropOnset.apply("string") == "ing")
    #expect(WordTask.dropOnset.apply("nth") == "nth")

    let r = try TrainingTests.run(.fixed(2e-3), seed: 3)
    #expect(r.records.map(\.shocked) == (0..<60).map { (25..<35).contains($0) || (45..<55).contains($0) })
  }

  @Test func armsShareTheBranchAndDifferOnlyInTheRate() throws {
    var c = TrainingTests.configuration
    c.sharpnessCheckpoints = []
    let unified = try TrainingTests.run(.unified(env: .none), seed: 4, c)
    let fixed = try TrainingTests.run(.fixed(c.controller.learningRates.single), seed: 4, c)
    let low = try TrainingTests.run(.fixed(1e-4), seed: 4, c)
    // Every arm starts from the same adapters and sees the same batches.
    #expect(unified.records[0].loss == low.records[0].loss)
    #expect(low.records[1].loss != fixed.records[1].loss)
    // Until the controller leaves Single, the unified arm is the fixed 2e-3 arm, bit for bit.
    let firstSwitch = unified.records.firstIndex { $0.mode != .single } ?? unified.records.count
    for t in 0..<min(firstSwitch + 1, unified.records.count) {
      #expect(unified.records[t].loss == fixed.records[t].loss)
    }
  }

  @Test func endToEndMetricsPredictionsAndChecks() throws {
    let c = TrainingTests.configuration
    let arms: [Arm] = [
      .unified(env: .none), .unified(env: .signal), .fixed(5e-4), .plateau, .clip(5e-4), .skip(5e-4),
      .cosine(2e-3),
    ]
    let result = try Experiment(arms: arms, seeds: [1], configuration: c, jobs: 2).run(
      wordList: TrainingTests.words)
    #expect(result.runs.count == arms.count)
    for r in result.runs {
      #expect(r.records.count == 60)
      #expect(r.validation.map(\.step) == Array(stride(from: 0, to: 60, by: 5)))
      #expect(r.testExactMatch >= 0 && r.testExactMatch <= 1)
      let m = RunMetrics(r, shocks: c.shocks, initialMode: .single, reference: 1)
      #expect(m.shocks.count == 2)
      #expect(m.shocks[0].preShock == r.validation.first { $0.step == 20 }?.loss)
      #expect(m.shocks[0].stretch == 10 && m.shocks[1].stretch == 5)
      // One prediction, for the second shock, made at its start.
      #expect(r.predictions.count == 1)
      #expect(r.predictions.first?.madeAt == 45)
      for k in Checks.switches(r, shocks: c.shocks, parameters: c.controller) {
        #expect(k.inside, "\(r.arm) \(k)")
      }
    }
    let unified = result.runs.filter(\.arm.isUnified)
    // A measurement is a number only when it converged, and then its residual is within tolerance.
    #expect(unified.allSatisfy { $0.sharpness.count == 1 })
    for k in unified.flatMap(\.sharpness) {
      #expect(k.estimate.ritzValue.isFinite)
      #expect((k.estimate.lambdaMax != nil) == k.estimate.converged)
      #expect(k.estimate.converged == (k.estimate.residual <= 1e-2))
    }
    #expect(result.runs.filter { $0.arm == .plateau }.allSatisfy { $0.sharpness.isEmpty })
    #expect(unified[0].records.allSatisfy { $0.env == 0 })
    let cosine = result.runs.first { $0.arm == .cosine(2e-3) }!
    #expect(cosine.records[0].lr == 2e-3 && cosine.records[59].lr < 2.1e-5)
  }

  @Test func predictionIsTheControllerOnTheFirstShocksLosses() throws {
    // Feeding the second shock exactly the first shock's losses must reproduce the prediction.
    var c = TrainingTests.configuration
    c.steps = 100
    c.shocks = try ShockSchedule.parse("10:40,50:80")
    var records: [StepRecord] = []
    var ctl = Controller(parameters: c.controller, policy: .saturate)
    let losses = (0..<50).map { t in (10..<40).contains(t) ? 1000.0 : 0.01 }
    for (t, l) in losses.enumerated() {
      _ = try? ctl.update(loss: l, env: 0)
      records.append(
        StepRecord(
          step: t, loss: l, shocked: false, env: 0, ehat: 0, phi: ctl.state.phi, mode: ctl.state.mode, lr: 0,
          lastSwitch: nil))
    }
    let p = try #require(TrainingRun.predict(at: 50, records: records, controller: ctl, signal: nil, c: c))
    #expect(p.stretch == 50..<90)
    var replay = ctl
    var expected: [SwitchPrediction.Switch] = []
    var previous = replay.state.mode
    for j in 0..<40 {
      _ = try? replay.update(loss: losses[10 + j], env: 0)
      if replay.state.mode != previous {
        expected.append(.init(step: 50 + j, to: replay.state.mode))
        previous = replay.state.mode
      }
    }
    #expect(p.predicted == expected)
    #expect(!expected.isEmpty)  // L = 1000 > 6 for 30 steps drives E ≡ 0 into Multi
    #expect(TrainingRun.predict(at: 49, records: records, controller: ctl, signal: nil, c: c) == nil)
  }

  @Test func switchCountStartsFromTheInitialMode() {
    #expect(RunMetrics.switchCount([.multi, .multi, .single], initial: .multi) == 1)
    #expect(RunMetrics.switchCount([.multi, .multi, .single], initial: .single) == 2)
    #expect(RunMetrics.switchCount([], initial: .mirror) == 0)
    #expect(RunMetrics.switchCount([.mirror, .multi, .mirror], initial: .mirror) == 2)
  }

  @Test func bootstrapIntervalContainsTheMeanAndNarrowsWithAgreement() {
    let e = Estimate([1, 2, 3, 4, 5, nil])
    #expect(e.mean == 3 && e.n == 5 && e.missing == 1)
    #expect(e.low < 3 && e.high > 3 && e.low >= 1 && e.high <= 5)
    #expect(Estimate([1, 2, 3, 4, 5]) == Estimate([1, 2, 3, 4, 5]))  // seeded: reproducible
    let tight = Estimate([3, 3, 3, 3])
    #expect(tight.low == 3 && tight.high == 3)
    #expect(Estimate([1, 2]).below(3) && !Estimate([1, 4]).below(3))
  }

  @Test func lossJumpSignal() {
    var s = LossJumpSignal()
    #expect(s.update(loss: 1) == 0)
    #expect(s.update(loss: 1) == 0)
    let jump = s.update(loss: 10)
    #expect(abs(jump - 2.302585092994046) < 1e-12)  // ln 10 above a baseline of ln 1
    #expect(s.update(loss: 0.5) == 0)
  }

  @Test func armParsing() throws {
    #expect(try Arm.parse("fixed:2e-3") == .fixed(2e-3))
    #expect(try Arm.parse("fixed:5e-4").description == "fixed:5e-4")
    #expect(try Arm.parse("clip:5e-4") == .clip(5e-4))
    #expect(try Arm.parse("skip:1e-3").description == "skip:1e-3")
    #expect(try Arm.parse("cosine:2e-3") == .cosine(2e-3))
    #expect(try Arm.parse("unified", env: .signal) == .unified(env: .signal))
    #expect(throws: DataError.self) { try Arm.parse("fixed:-1") }
    #expect(throws: DataError.self) { try Arm.parse("fixed:2") }
    #expect(throws: DataError.self) { try Arm.parse("warp:1e-3") }
    #expect(try AdapterTarget.parse("v,q") == [.q, .v])
    #expect(throws: DataError.self) { try AdapterTarget.parse("q,x") }
    #expect(throws: DataError.self) { try AdapterTarget.parse("q,q") }
  }
}
