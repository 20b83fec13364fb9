import PropertyBased
import Testing

@testable import UnifiedLoRA

/// Unit-level laws of the core over generated traces (swift-property-based shrinks failures;
/// the seed of a failure is printed by the library).
@Suite struct CorePropertyTests {
  /// Losses and env values including the edges: 0, subnormals, huge values.
  static let edges: [Double] = [
    0, .leastNonzeroMagnitude, 3.0 / 7, 7.0 / 3, 6, 1e17, 1e300, .greatestFiniteMagnitude,
  ]
  static let value = Gen<Double>.oneOf(
    Gen.double(in: 0...5),
    Gen.double(in: 0...1e6),
    Gen.int(in: 0...(edges.count - 1)).map { edges[$0] })
  static let trace = zip(value, value).array(of: 1...60)
  static let params = zip(
    Gen.double(in: 0.001...1), Gen.double(in: 0...0.999), Gen.double(in: 0...1), Gen.int(in: 0...40))

  /// T01 in binary64, as far as the core guarantees it: φ ∈ [0, 1], Ê finite and ≥ 0, never NaN.
  @Test func stateStaysInRange() async {
    await propertyCheck(count: 300, input: Self.trace, Self.params) { trace, q in
      let p = try! Parameters(alpha: q.0, beta: q.1, alphaE: q.2, cooldown: q.3)
      var s = p.initial
      for (k, (l, e)) in trace.enumerated() {
        s = p.advance(s, Input(step: k, loss: l, env: e))
        #expect(s.phi >= 0 && s.phi <= 1)
        #expect(s.ehat >= 0 && s.ehat.isFinite)
      }
    }
  }

  /// The learning rate of every record is the map of its mode.
  @Test func learningRateIsTheMapOfTheMode() async {
    await propertyCheck(count: 200, input: Self.trace) { trace in
      for variant in Variant.allCases {
        let p = Parameters.defaults(variant)
        let records = try! p.simulate(losses: trace.map(\.0), env: trace.map(\.1))
        for r in records { #expect(r.lr == p.learningRates[r.mode]) }
      }
    }
  }

  /// Replay is deterministic and the Controller wrapper agrees with Replay.
  @Test func controllerAgreesWithReplay() async {
    await propertyCheck(count: 200, input: Self.trace) { trace in
      let p = Parameters.report
      let records = try! p.simulate(losses: trace.map(\.0), env: trace.map(\.1))
      var c = Controller(parameters: p)
      for (k, (l, e)) in trace.enumerated() {
        let lr = try! c.update(loss: l, env: e)
        #expect(lr == records[k].lr)
        #expect(c.state.phi.bitPattern == records[k].phi.bitPattern)
      }
    }
  }
}
