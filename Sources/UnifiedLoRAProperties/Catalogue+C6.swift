import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

// C6: the state is (Ê, φ, mode, last switch) (T11).
extension Catalogue {
  static func sameBits(_ a: ControllerState, _ b: ControllerState) -> Bool {
    a.ehat.bitPattern == b.ehat.bitPattern && a.phi.bitPattern == b.phi.bitPattern && a.mode == b.mode
      && a.lastSwitch == b.lastSwitch
  }

  static let c6 = Invariant(
    .theorem("C6", .t11),
    "the future is a function of (Ê, φ, M, s): a run resumed from a saved (JSON) state, the Replay records and a Controller's updates all reproduce the run bit for bit",
    over: anyValidCase,
    counterexample: { c in
      let p = c.parameters
      let states = c.states
      let k = c.trace.count / 2
      let mid = k == 0 ? p.initial : states[k - 1]
      guard let data = try? JSONFormat.encoder.encode(mid),
        let saved = try? JSONFormat.decoder.decode(ControllerState.self, from: data)
      else {
        return "the state \(mid) does not survive a JSON round trip"
      }
      var s = saved
      for t in k..<c.trace.count {
        s = p.advance(s, Input(step: t, loss: c.trace.losses[t], env: c.trace.envs[t]))
        if !sameBits(s, states[t]) {
          return "record \(t): resumed from step \(k) gives \(s), the run gives \(states[t])"
        }
      }
      var controller = Controller(parameters: p)
      let records = (try? Replay(c.trace.inputs, parameters: p).records()) ?? []
      guard records.count == states.count else { return "Replay stopped early" }
      for t in 0..<c.trace.count {
        _ = try? controller.update(loss: c.trace.losses[t], env: c.trace.envs[t])
        if !sameBits(controller.state, states[t]) {
          return "record \(t): Controller gives \(controller.state), the run gives \(states[t])"
        }
        if records[t].phi.bitPattern != states[t].phi.bitPattern
          || records[t].ehat.bitPattern != states[t].ehat.bitPattern || records[t].mode != states[t].mode
        {
          return "record \(t): Replay differs from the run"
        }
      }
      return nil
    })

  static let c6Claim = Invariant(
    .refutation("C6.claim", .t11),
    "the report: the controller is stateless across steps except for φ (same φ, same inputs ⇒ same learning rates)",
    generate: { rng, n in
      var a = Generators.initialState(.report, using: &rng)
      a.lastSwitch = nil
      var b = a
      if rng.nextUnit() < 0.5 {
        b.ehat = Generators.logUniform(1e-3, 1e6, &rng)
      } else {
        b.mode = Mode.allCases.randomElement(using: &rng)!
      }
      let p = (try? Parameters.report.with(initial: a)) ?? .report
      return Case(
        parameters: p, trace: Generators.anyTrace(count: n, envs: [.off, .bounded], using: &rng),
        otherInitial: b)
    },
    given: "the report's defaults; two initial states with the same φ (s = −∞), the same valid trace",
    premise: { c in
      guard let b = c.otherInitial, c.trace.isValid else { return false }
      let a = c.parameters.initial
      return a.phi == b.phi && a != b && a.lastSwitch == nil && b.lastSwitch == nil
        && (try? c.parameters.with(initial: .reportInitial)) == .report && (try? b.validate()) != nil
    },
    counterexample: { c in
      guard let b = c.otherInitial else { return nil }
      let p = c.parameters
      let x = p.states(c.trace)
      let y = p.states(c.trace, from: b)
      for t in 0..<x.count where p.learningRates[x[t].mode] != p.learningRates[y[t].mode] {
        return
          "record \(t): lr \(p.learningRates[x[t].mode]) from \(p.initial) but \(p.learningRates[y[t].mode]) from \(b), with the same φ0 = \(b.phi)"
      }
      return nil
    })
}
