import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAudit

/// The composed step is the core's step when nothing deviates (so every deviation is a change of
/// one thing, not a second implementation).
@Suite struct UpdateRuleTests {
  @Test(arguments: Variant.allCases)
  func composedReferenceIsTheCoreStepBitForBit(_ v: Variant) {
    let seed = UInt64.random(in: 0...UInt64.max)
    let p = Parameters.defaults(v)
    let rule = UpdateRule(p)
    var a = p.initial
    var b = p.initial
    for input in Fixtures.inputs(seed: seed, count: 2000) {
      a = p.advance(a, input)
      b = rule.composedStep(b, input)
      #expect(a.ehat.bitPattern == b.ehat.bitPattern, "seed \(seed), step \(input.step)")
      #expect(a.phi.bitPattern == b.phi.bitPattern, "seed \(seed), step \(input.step)")
      #expect(a.mode == b.mode && a.lastSwitch == b.lastSwitch, "seed \(seed), step \(input.step)")
      if a != b { break }
    }
  }

  /// φ from the new Ê is the repo's reading: from Ê_0 = 0 the first φ is already positive.
  @Test func phiFromNewEhatReadsTheNewValue() {
    let rule = UpdateRule(.report, order: UpdateOrder(phiReadsNewEhat: true, modeReadsNewPhi: false))
    let s = rule.step(Parameters.report.initial, Input(step: 0, loss: 1000))
    #expect(s.phi == 0.1 * (s.ehat / (1 + s.ehat)))
    #expect(Parameters.report.advance(Parameters.report.initial, Input(step: 0, loss: 1000)).phi == 0)
  }

  /// Swapped thresholds: Single below θ1, Mirror from θ1, never Multi.
  @Test func swappedThresholdsSkipMulti() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    let rule = UpdateRule(p, swappedThresholds: true)
    var s = p.initial
    var modes: [Mode] = []
    for (t, e) in [0.5, 0.5, 0.5, 9, 9, 9].enumerated() {
      s = rule.step(s, Input(step: t, loss: 0, env: e))
      modes.append(s.mode)
    }
    // φ_{t+1} = E_{t−1}/(1+E_{t−1}): 0, 1/3, 1/3, 1/3, 0.9, 0.9; the mode reads the old φ.
    #expect(modes == [.single, .single, .single, .single, .single, .mirror])
  }
}

@Suite struct AuditPlantedTests {
  let p = Parameters.report

  func audit(_ steps: [LoggedStep]) throws -> AuditReport {
    Audit.run(try Fixtures.load(Fixtures.csv(steps)), parameters: p)
  }

  @Test func conformingLogConforms() throws {
    let seed = UInt64.random(in: 0...UInt64.max)
    let report = try audit(Fixtures.log(UpdateRule(p), Fixtures.inputs(seed: seed)))
    #expect(report.verdict == .conforms, "seed \(seed): \(report.summary)")
    #expect(report.verdict.exitStatus == 0)
    #expect(report.invariants.allSatisfy { $0.holds }, "seed \(seed)")
    #expect(report.hypothesesTried == 0)
  }

  @Test func wrongCooldownIsFoundAndNamed() throws {
    let seed: UInt64 = 7
    let inputs = Fixtures.inputs(seed: seed)
    let reference = Fixtures.log(UpdateRule(p), inputs)
    let planted = Fixtures.log(UpdateRule(try p.with(cooldown: 20)), inputs)
    let expected = try #require(Fixtures.firstDifference(reference, planted), "seed \(seed): no difference")
    let report = try audit(planted)
    #expect(report.verdict == .doesNotConform)
    #expect(report.comparison?.firstDivergence?.step == expected)
    #expect(report.comparison?.firstDivergence?.fields.map(\.field) == [.mode, .lr])
    #expect(report.comparison?.firstDivergence?.cooldownElapsed == false)
    #expect(report.explainedBy.first == "cooldown = 20 (reference 30)", "\(report.explainedBy)")
    #expect(report.invariants.first { $0.id == "cooldown" }?.holds == false)
    #expect(report.summary.contains("explained fully by: cooldown = 20 (reference 30)"))
  }

  @Test func swappedThresholdsAreFoundAndNamed() throws {
    let seed: UInt64 = 11
    let inputs = Fixtures.inputs(seed: seed)
    let planted = Fixtures.log(UpdateRule(p, swappedThresholds: true), inputs)
    let expected = try #require(Fixtures.firstDifference(Fixtures.log(UpdateRule(p), inputs), planted))
    let report = try audit(planted)
    #expect(report.verdict == .doesNotConform)
    #expect(report.comparison?.firstDivergence?.step == expected)
    let full = report.hypotheses.filter(\.explainsFully)
    #expect(full.map(\.kind) == [.swappedThresholds], "\(report.explainedBy)")
  }

  @Test(arguments: [
    UpdateOrder(phiReadsNewEhat: true, modeReadsNewPhi: false),
    UpdateOrder(phiReadsNewEhat: false, modeReadsNewPhi: true),
    UpdateOrder(phiReadsNewEhat: true, modeReadsNewPhi: true),
  ])
  func updateOrderOffByOneIsFoundAndNamed(_ order: UpdateOrder) throws {
    let seed: UInt64 = 3
    let inputs = Fixtures.inputs(seed: seed)
    let planted = Fixtures.log(UpdateRule(p, order: order), inputs)
    let expected = try #require(Fixtures.firstDifference(Fixtures.log(UpdateRule(p), inputs), planted))
    let report = try audit(planted)
    #expect(report.verdict == .doesNotConform)
    #expect(report.comparison?.firstDivergence?.step == expected)
    let full = report.hypotheses.filter(\.explainsFully)
    #expect(full.map(\.change) == ["update order: \(order)"], "\(report.explainedBy)")
  }

  @Test func tamperedStepIsIsolated() throws {
    let seed: UInt64 = 5
    var log = Fixtures.log(UpdateRule(p), Fixtures.inputs(seed: seed))
    // A step deep inside a stretch with no switch within 40 steps either side.
    let k = try #require(
      (40..<(log.count - 40)).first { k in
        (k - 40...k + 40).allSatisfy { log[$0].mode == log[k].mode }
      })
    log[k].mode = log[k].mode == .single ? .multi : .single
    let report = try audit(log)
    #expect(report.verdict == .doesNotConform)
    #expect(report.comparison?.firstDivergence?.step == log[k].step)
    #expect(report.comparison?.mismatchedSteps == 1)
    #expect(report.explainedBy.isEmpty, "\(report.explainedBy)")
    #expect(report.isolatedSteps == [log[k].step])
    #expect(report.summary.contains("record was altered"))
    // The mode no longer matches the logged lr.
    #expect(report.invariants.first { $0.id == "lr-map" }?.violations == 1)
  }

  @Test func tamperedPhiBreaksRangeAndRecurrence() throws {
    var log = Fixtures.log(UpdateRule(p), Fixtures.inputs(seed: 1, count: 200))
    log[100].phi = 1.5
    let report = try audit(log)
    #expect(report.comparison?.firstDivergence?.step == 100)
    #expect(report.invariants.first { $0.id == "phi-range" }?.firstViolation?.step == 100)
    let recurrence = try #require(report.invariants.first { $0.id == "phi-recurrence" })
    #expect(recurrence.violations == 2)  // φ_100 from φ_99, and φ_101 from φ_100
    #expect(report.isolatedSteps == [100])
  }

  @Test func otherVariantIsNamed() throws {
    let inputs = Fixtures.inputs(seed: 2, count: 300)
    let report = try audit(Fixtures.log(UpdateRule(.repo), inputs))
    #expect(report.explainedBy == ["variant repo with its defaults"])
  }

  @Test func logWrittenOneLineLateIsNamed() throws {
    let inputs = Fixtures.inputs(seed: 4, count: 600)
    var s = p.initial
    let late = inputs.enumerated().map { k, input -> LoggedStep in
      let before = s
      s = p.advance(s, input)
      return LoggedStep(
        line: k + 2, step: input.step, loss: input.loss, env: input.env, mode: before.mode,
        lr: p.learningRates[before.mode], phi: before.phi, ehat: before.ehat)
    }
    let report = try audit(late)
    #expect(report.hypotheses.filter(\.explainsFully).map(\.kind) == [.recordConvention])
  }
}
