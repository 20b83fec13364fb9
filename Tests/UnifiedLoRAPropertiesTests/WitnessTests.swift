import PropertyBased
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAProperties

@Suite struct WitnessTests {
  /// A replay states only what differs from the variant's defaults, in the fields' order, and
  /// the defaults with those settings are the parameters again.
  @Test func replaySettingsAreTheDifferencesFromTheDefaults() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    let r = SimulateReplay(p, Trace(losses: [0, 0, 0], envs: [9, 9, 9]))
    #expect(r.settings == [.alpha(1), .beta(0), .alphaE(1), .cooldown(0)])
    #expect(r.envs == [9, 9, 9])
    #expect(SimulateReplay(.report, .constant(loss: 7, count: 2)).settings.isEmpty)
    let repo = try Parameters(variant: .repo, theta1: 0.8)
    #expect(repo.settingsDifferingFromDefaults == [.variant(.repo), .theta1(0.8)])
  }

  /// C6 compares two initial states: its counterexample replays the trace from both.
  @Test func twoRunCounterexamplesHaveTwoReplays() throws {
    let inv = try #require(Catalogue.all.first { $0.id == "C6" })
    let other = ControllerState(ehat: 5, phi: 0.5, mode: .multi)
    let c = Case(parameters: .report, trace: .constant(loss: 1, count: 3), otherInitial: other)
    let w = Counterexample(invariant: inv, case: c, seed: 1, index: 0)
    #expect(w.replays.count == 2)
    #expect(w.replays[1].settings == [.initialEhat(5), .initialPhi(0.5), .initialMode(.multi)])
  }

  @Test func shrinkerReducesToTheSimplestValue() throws {
    let inv = try #require(Catalogue.all.first { $0.id == "C3.claim" })
    let start = Case(parameters: .report, trace: .constant(loss: 9.876543, count: 400))
    let w = Shrinker.shrink(start, inv)
    #expect(w.trace.losses.first == 7)
    #expect(w.trace.count < 400)
    #expect(inv.counterexample(w) != nil)
  }

  /// Unit-level laws with swift-property-based: one step of the core keeps the range (C1) and is
  /// monotone in the input up to rounding (T06), over the whole valid domain.
  @Test func oneStepKeepsTheRange() async {
    await propertyCheck(
      input: Gen.double(in: 1e-9...1), Gen.double(in: 0..<1), Gen.double(in: 0...1),
      Gen.double(in: 0...1e300),
      Gen.double(in: 0...1), Gen.double(in: 0...1e300)
    ) { alpha, beta, phi, ehat, alphaE, loss in
      let (e, f) = ContinuousUpdate.report(
        ehat: ehat, phi: phi, d: ContinuousUpdate.squash(loss), env: loss, alpha: alpha, beta: beta,
        alphaE: alphaE)
      #expect(e >= 0 && e.isFinite)
      #expect(f >= 0 && f <= 1)
    }
  }

  @Test func oneStepIsMonotoneUpToRounding() async {
    await propertyCheck(
      input: Gen.double(in: 1e-3...1), Gen.double(in: 0..<1), Gen.double(in: 0...1e6), Gen.double(in: 0...1e6)
    ) { alpha, beta, l1, l2 in
      let (lo, hi) = (min(l1, l2), max(l1, l2))
      let a = ContinuousUpdate.repo(ehat: 1, phi: 0.5, loss: lo, alpha: alpha, beta: beta)
      let b = ContinuousUpdate.repo(ehat: 1, phi: 0.5, loss: hi, alpha: alpha, beta: beta)
      #expect(a.ehat <= b.ehat * (1 + 1e-15) && a.phi <= b.phi + 1e-15)
    }
  }
}
