import Foundation
import Testing

@testable import UnifiedLoRA

/// Every invalid parameter is a typed error naming the field and the value; the text is a contract.
@Suite struct ParameterValidationTests {
  struct Case: Sendable, CustomTestStringConvertible {
    let build: @Sendable () throws(ParameterError) -> Parameters
    let message: String
    var testDescription: String { message }
  }

  static let cases: [Case] = [
    Case(
      build: { () throws(ParameterError) in try Parameters(alpha: 0) },
      message: "invalid parameter alpha = 0.0: expected a number in (0, 1]"),
    Case(
      build: { () throws(ParameterError) in try Parameters(alpha: 1.5) },
      message: "invalid parameter alpha = 1.5: expected a number in (0, 1]"),
    Case(
      build: { () throws(ParameterError) in try Parameters(alpha: .nan) },
      message: "invalid parameter alpha = nan: expected a number in (0, 1]"),
    Case(
      build: { () throws(ParameterError) in try Parameters(beta: 1) },
      message: "invalid parameter beta = 1.0: expected a number in [0, 1)"),
    Case(
      build: { () throws(ParameterError) in try Parameters(beta: -0.1) },
      message: "invalid parameter beta = -0.1: expected a number in [0, 1)"),
    Case(
      build: { () throws(ParameterError) in try Parameters(alphaE: 2) },
      message: "invalid parameter alpha-e = 2.0: expected a number in [0, 1]"),
    Case(
      build: { () throws(ParameterError) in try Parameters(theta0: 0) },
      message: "invalid parameter theta0 = 0.0: expected a number in (0, 1)"),
    Case(
      build: { () throws(ParameterError) in try Parameters(theta1: 1) },
      message: "invalid parameter theta1 = 1.0: expected a number in (0, 1)"),
    Case(
      build: { () throws(ParameterError) in try Parameters(theta0: 0.7, theta1: 0.3) },
      message: "invalid parameter theta0 = 0.7: expected a number below theta1 = 0.3"),
    Case(
      build: { () throws(ParameterError) in try Parameters(theta0: 0.5, theta1: 0.5) },
      message: "invalid parameter theta0 = 0.5: expected a number below theta1 = 0.5"),
    Case(
      build: { () throws(ParameterError) in try Parameters(cooldown: -1) },
      message: "invalid parameter cooldown = -1: expected an integer ≥ 0"),
    Case(
      build: { () throws(ParameterError) in try Parameters(variant: .repo, cooldown: 5) },
      message: "invalid parameter cooldown = 5: expected 0: the repo variant has no cooldown"),
    Case(
      build: { () throws(ParameterError) in try Parameters(variant: .repo, alphaE: 0.5) },
      message: "invalid parameter alpha-e = 0.5: expected 0: the repo variant has no external stress"),
    Case(
      build: { () throws(ParameterError) in
        try Parameters(learningRates: LearningRates(single: 1e-3, multi: 0, mirror: 1e-4))
      },
      message: "invalid parameter lr.multi = 0.0: expected a finite number > 0"),
    Case(
      build: { () throws(ParameterError) in
        try Parameters(learningRates: LearningRates(single: .infinity, multi: 1, mirror: 1))
      },
      message: "invalid parameter lr.single = inf: expected a finite number > 0"),
    Case(
      build: { () throws(ParameterError) in
        try Parameters(initial: ControllerState(ehat: -1, phi: 0, mode: .single))
      },
      message: "invalid parameter initial.ehat = -1.0: expected a finite number ≥ 0"),
    Case(
      build: { () throws(ParameterError) in
        try Parameters(initial: ControllerState(ehat: 0, phi: 1.5, mode: .single))
      },
      message: "invalid parameter initial.phi = 1.5: expected a number in [0, 1]"),
    Case(
      build: { () throws(ParameterError) in
        try Parameters(initial: ControllerState(ehat: .infinity, phi: 0, mode: .single))
      },
      message: "invalid parameter initial.ehat = inf: expected a finite number ≥ 0"),
  ]

  @Test(arguments: cases)
  func rejected(_ c: Case) {
    #expect { try c.build() } throws: { ($0 as? ParameterError)?.description == c.message }
  }

  @Test func defaultsAreTheSpecs() throws {
    let r = Parameters.report
    #expect([r.alpha, r.beta, r.alphaE, r.theta0, r.theta1] == [0.1, 0.9, 0.5, 0.3, 0.7])
    #expect(r.cooldown == 30)
    #expect([r.learningRates.single, r.learningRates.multi, r.learningRates.mirror] == [2e-3, 5e-4, 1e-4])
    #expect(r.initial == ControllerState(ehat: 0, phi: 0, mode: .single, lastSwitch: nil))
    let q = Parameters.repo
    #expect([q.alpha, q.beta, q.theta0, q.theta1] == [0.1, 0.9, 0.3, 0.7])
    #expect([q.learningRates.single, q.learningRates.multi, q.learningRates.mirror] == [5e-5, 3e-5, 1e-5])
    #expect(q.initial == ControllerState(ehat: 1, phi: 0.5, mode: .multi, lastSwitch: nil))
    // The defaults pass their own validation.
    #expect(try Parameters() == .report)
    #expect(try Parameters(variant: .repo) == .repo)
  }

  @Test func decodingValidates() {
    let json = #"{"variant":"report","alpha":3}"#
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode(Parameters.self, from: Data(json.utf8))
    }
  }
}

/// Invalid inputs: an error naming step, field and value; the state is untouched; policies.
@Suite struct InputValidationTests {
  static let bad: [(Double, Double, InputError.Field)] = [
    (.nan, 0, .loss), (.infinity, 0, .loss), (-.infinity, 0, .loss), (-1, 0, .loss), (-0.5, 0, .loss),
    (1, .nan, .env), (1, -2, .env), (1, .infinity, .env),
  ]

  @Test(arguments: Variant.allCases)
  func rejectedWithStepFieldAndValue(variant: Variant) throws {
    let p = Parameters.defaults(variant)
    for (loss, env, field) in Self.bad {
      let input = Input(step: 41, loss: loss, env: env)
      #expect(throws: InputError(step: 41, field: field, value: field == .loss ? loss : env)) {
        try p.step(p.initial, input)
      }
    }
    let e = InputError(step: 7, field: .loss, value: -0.5)
    #expect(
      e.description == "step 7: loss = -0.5 is not a finite number ≥ 0; the controller state is unchanged")
  }

  @Test func controllerStateUntouchedOnError() throws {
    var c = Controller(parameters: .report)
    for l in [1.0, 2, 3] { try c.update(loss: l) }
    let before = c
    #expect(throws: InputError.self) { try c.update(loss: .nan) }
    #expect(c == before)  // state and step counter unchanged
    #expect(throws: InputError.self) { try c.update(loss: 1, env: -1) }
    #expect(c == before)
  }

  @Test(arguments: Variant.allCases)
  func skipLeavesStateAndNeverNaN(variant: Variant) throws {
    var c = Controller(parameters: .defaults(variant), policy: .skip)
    try c.update(loss: 2)
    let s = c.state
    for bad in [Double.nan, .infinity, -3] {
      try c.update(loss: bad)
      #expect(c.state == s)
    }
    #expect(c.nextStep == 4)
  }

  @Test func saturateIsMaximalStress() throws {
    // Report: the invalid loss is replaced by D = 1, exactly as a loss whose D rounds to 1.
    let p = Parameters.report
    let s0 = ControllerState(ehat: 0.2, phi: 0.1, mode: .single)
    let saturated = try #require(try p.step(s0, Input(step: 0, loss: .nan), policy: .saturate))
    let huge = try #require(try p.step(s0, Input(step: 0, loss: 1e300)))  // 1e300/(1+1e300) == 1
    #expect(saturated == huge)
    #expect(!saturated.phi.isNaN && !saturated.ehat.isNaN)
    // Repo: Ê unchanged, φ ← (1 − α)φ + α.
    let q = Parameters.repo
    let r = try #require(try q.step(q.initial, Input(step: 0, loss: .infinity), policy: .saturate))
    #expect(r.ehat == q.initial.ehat)
    #expect(r.phi == (1 - 0.1) * 0.5 + 0.1 * 1)
    // An invalid env is still rejected under saturate.
    #expect(throws: InputError(step: 3, field: .env, value: -1)) {
      try p.step(s0, Input(step: 3, loss: .nan, env: -1), policy: .saturate)
    }
  }

  /// The published file would turn one NaN into NaN for ever (and Mirror for ever); the core never does.
  @Test func publishedBehaviourOnNaNIsNotReproduced() throws {
    let q = Parameters.repo
    var s = q.initial
    s = q.advance(s, Input(step: 0, loss: .nan))  // the unchecked step, as the published file
    #expect(s.phi.isNaN && s.mode == .mirror)
    #expect(throws: InputError.self) { try q.step(q.initial, Input(step: 0, loss: .nan)) }
  }
}

/// The training-loop wrapper: update returns the learning rate, reset, save and resume.
@Suite struct ControllerTests {
  @Test func updateReturnsTheRateOfTheNewMode() throws {
    var c = Controller(parameters: .repo)
    #expect(c.learningRate == 3e-5)
    let lr = try c.update(loss: 1000)
    #expect(lr == c.parameters.learningRates[c.state.mode])
    #expect(c.nextStep == 1)
  }

  @Test(arguments: Variant.allCases)
  func saveAndResumeIsBitExact(variant: Variant) throws {
    var rng = SeededGenerator(seed: 99)
    let losses = (0..<2000).map { _ in 30 * rng.nextUnit() * rng.nextUnit() }
    let envs = (0..<2000).map { _ in rng.nextUnit() < 0.1 ? 8 * rng.nextUnit() : 0 }
    var straight = Controller(parameters: .defaults(variant))
    var lrs: [Double] = []
    for k in losses.indices { lrs.append(try straight.update(loss: losses[k], env: envs[k])) }

    var first = Controller(parameters: .defaults(variant))
    var resumedLRs: [Double] = []
    for k in 0..<777 { resumedLRs.append(try first.update(loss: losses[k], env: envs[k])) }
    let saved = try JSONEncoder().encode(first)
    var resumed = try JSONDecoder().decode(Controller.self, from: saved)
    #expect(resumed == first)
    for k in 777..<losses.count { resumedLRs.append(try resumed.update(loss: losses[k], env: envs[k])) }
    #expect(resumedLRs == lrs)
    #expect(resumed.state.phi.bitPattern == straight.state.phi.bitPattern)
    #expect(resumed.state.ehat.bitPattern == straight.state.ehat.bitPattern)
    #expect(resumed == straight)
  }

  @Test func resetReturnsToTheInitialState() throws {
    var c = Controller(parameters: .report)
    for _ in 0..<100 { try c.update(loss: 50, env: 9) }
    #expect(c.state != Parameters.report.initial)
    c.reset()
    #expect(c.state == Parameters.report.initial)
    #expect(c.nextStep == 0)
  }
}
