import PropertyBased
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAProperties

@Suite struct WitnessTests {
  @Test func shortTracesPrintAsPrintf() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    let c = Witness.command(p, Trace(losses: [0, 0, 0], envs: [9, 9, 9]))
    #expect(
      c
        == "printf 'loss,env\\n0,9\\n0,9\\n0,9\\n' | unified-lora simulate --alpha 1 --beta 0 --alpha-e 1 --cooldown 0"
    )
  }

  @Test func runsPrintAsYes() {
    let c = Witness.command(
      .report, Trace.constant(loss: 7, count: 52).appending(loss: 0.5, env: 0, count: 2))
    #expect(c == "{ echo loss; yes 7 | head -n 52; printf '0.5\\n0.5\\n'; } | unified-lora simulate")
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
