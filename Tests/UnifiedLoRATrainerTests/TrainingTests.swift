import Testing
import UnifiedLoRA
@testable import UnifiedLoRATrainer

/// Small end-to-end runs: hidden width 32, 60 steps, shocks [20,30) and [40,45).
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
    c.hidden = 32
    c.pretrainSteps = 30
    c.validationSize = 64
    c.sharpnessBatch = 64
    c.sharpnessCheckpoints = [59]
    c.powerIterations = 5
    c.probeSteps = 3
    c.shocks = (try? ShockSchedule.parse("20:30,40:45")) ?? .none
    return c
  }

  @Test func sameSeedSameBits() throws {
    let c = TrainingTests.configuration
    let d1 = try SeedData(words: TrainingTests.words, seed: 7, configuration: c)
    let d2 = try SeedData(words: TrainingTests.words, seed: 7, configuration: c)
    let a = TrainingRun.run(arm: .unified(env: .signal), data: d1, configuration: c)
    let b = TrainingRun.run(arm: .unified(env: .signal), data: d2, configuration: c)
    #expect(a.records.map(\.loss.bitPattern) == b.records.map(\.loss.bitPattern))
    #expect(a.records == b.records)
    #expect(a.validation == b.validation)
    #expect(a.testExactMatch == b.testExactMatch)
    #expect(a.sharpness == b.sharpness)
    let other = try SeedData(words: TrainingTests.words, seed: 8, configuration: c)
    let o = TrainingRun.run(arm: .unified(env: .signal), data: other, configuration: c)
    #expect(o.records.map(\.loss) != a.records.map(\.loss))
  }

  @Test func experimentDoesNotDependOnTheNumberOfJobs() throws {
    var c = TrainingTests.configuration
    c.sharpnessCheckpoints = []
    let arms: [Arm] = [.fixed(2e-3), .plateau]
    let one = try Experiment(arms: arms, seeds: [1, 2], configuration: c, jobs: 1).run(wordList: TrainingTests.words)
    let two = try Experiment(arms: arms, seeds: [1, 2], configuration: c, jobs: 2).run(wordList: TrainingTests.words)
    #expect(one.runs.map(\.records) == two.runs.map(\.records))
    #expect(one.runs.map(\.arm) == [.fixed(2e-3), .fixed(2e-3), .plateau, .plateau])
    #expect(one.runs.map(\.seed) == [1, 2, 1, 2])
  }

  @Test func shockScheduleMarksAndCorruptsExactlyTheWindows() throws {
    let s = try ShockSchedule.parse("200:300,500:600")
    #expect(s == .report)
    #expect(!s.contains(199) && s.contains(200) && s.contains(299) && !s.contains(300))
    #expect(s.contains(500) && !s.contains(600))
    #expect(try ShockSchedule.parse("none").windows.isEmpty)
    #expect(throws: DataError("invalid shock window '300:200': expected start:end with 0 ≤ start < end, e.g. 200:300")) {
      try ShockSchedule.parse("300:200")
    }
    #expect(throws: DataError("shock window [100,150) overlaps or precedes the previous one: give windows in increasing order")) {
      try ShockSchedule.parse("200:300,100:150")
    }
    var t1 = [UInt8](repeating: 0, count: 64 * 11), t2 = t1, t3 = t1
    ShockSchedule.corrupt(&t1, seed: 1, step: 5)
    ShockSchedule.corrupt(&t2, seed: 1, step: 5)
    ShockSchedule.corrupt(&t3, seed: 1, step: 6)
    #expect(t1 == t2 && t1 != t3)
    #expect(t1.allSatisfy { $0 < 27 })
    #expect(Set(t1).count > 20)

    let c = TrainingTests.configuration
    let d = try SeedData(words: TrainingTests.words, seed: 3, configuration: c)
    let r = TrainingRun.run(arm: .fixed(2e-3), data: d, configuration: c)
    #expect(r.records.map(\.shocked) == (0..<60).map { (20..<30).contains($0) || (40..<45).contains($0) })
    // Corrupted targets cost more than clean ones right after the shock starts.
    #expect(r.records[20].loss > r.records[19].loss)
  }

  @Test func armsShareDataAndDifferOnlyInTheRate() throws {
    var c = TrainingTests.configuration
    c.sharpnessCheckpoints = []
    let d = try SeedData(words: TrainingTests.words, seed: 4, configuration: c)
    let unified = TrainingRun.run(arm: .unified(env: .none), data: d, configuration: c)
    let fixed = TrainingRun.run(arm: .fixed(c.controller.learningRates.single), data: d, configuration: c)
    // Until the controller leaves Single, the unified arm is the fixed 2e-3 arm, bit for bit.
    let firstSwitch = unified.records.firstIndex { $0.mode != .single } ?? unified.records.count
    #expect(firstSwitch > 0)
    for t in 0..<min(firstSwitch + 1, unified.records.count) {
      #expect(unified.records[t].loss == fixed.records[t].loss)
    }
    #expect(unified.records[0].lr == 2e-3)
  }

  @Test func endToEndMetricsAndChecks() throws {
    let c = TrainingTests.configuration
    let result = try Experiment(
      arms: [.unified(env: .none), .unified(env: .signal), .fixed(1e-4), .plateau], seeds: [1], configuration: c, jobs: 2
    ).run(wordList: TrainingTests.words)
    #expect(result.runs.count == 4)
    for r in result.runs {
      #expect(r.records.count == 60)
      #expect(r.validation.map(\.step) == Array(stride(from: 0, to: 60, by: 5)))
      #expect(r.testExactMatch >= 0 && r.testExactMatch <= 1)
      let m = RunMetrics(r, shocks: c.shocks)
      #expect(m.shocks.count == 2)
      #expect(m.shocks[0].preShock == r.validation.first { $0.step == 15 }?.loss)
      // The controller's dynamics on real losses obey the comparison principle (T06).
      for k in Checks.switches(r, shocks: c.shocks, parameters: c.controller) { #expect(k.inside, "\(r.arm) \(k)") }
      for k in Checks.steadyStates(r, shocks: c.shocks, parameters: c.controller, length: 8, settle: 10) {
        #expect(k.inside, "\(r.arm) \(k)")
        #expect(abs(k.predictedPhi - k.iteratedPhi) < 1e-12)
      }
    }
    let unified = result.runs.filter { if case .unified = $0.arm { true } else { false } }
    #expect(unified.allSatisfy { $0.sharpness.count == 1 && $0.sharpness[0].estimate.lambdaMax > 0 })
    #expect(result.runs.filter { $0.arm == .plateau }.allSatisfy { $0.sharpness.isEmpty })
    #expect(unified[1].records.contains { $0.env > 0 })
    #expect(unified[0].records.allSatisfy { $0.env == 0 })
  }

  @Test func switchBracketIsMonotoneInTheConstantInput() {
    // From the clean fixed point, a higher constant loss leaves Single no later (T06).
    let p = Parameters.report
    var s = p.initial
    for t in 0..<500 { s = p.advance(s, Input(step: t, loss: 0.5)) }
    let fast = Checks.firstSwitch(from: s, at: 500, loss: 1000, env: 5, up: true, p, horizon: 500)
    let slow = Checks.firstSwitch(from: s, at: 500, loss: 1000, env: 0, up: true, p, horizon: 500)
    let never = Checks.firstSwitch(from: s, at: 500, loss: 3, env: 0, up: true, p, horizon: 2000)
    #expect(fast != nil && slow != nil && fast! <= slow!)
    #expect(never == nil)  // L = 3 < 6 settles in Single (T08)
    #expect(abs(Checks.fixedPointPhi(loss: 0.5, env: 0, p) - 1.0 / 7) < 1e-15)
    #expect(abs(Checks.fixedPointPhi(loss: 20, env: 0, p) - 10.0 / 31) < 1e-15)
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
    #expect(try Arm.parse("unified", env: .signal) == .unified(env: .signal))
    #expect(throws: DataError("invalid arm 'fixed:-1': expected unified, unified+signal, fixed:LR (e.g. fixed:2e-3) or plateau")) {
      try Arm.parse("fixed:-1")
    }
  }
}
