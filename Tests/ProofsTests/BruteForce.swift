import Foundation
import UnifiedLoRA

/// Brute-force iteration of the core: everything here calls `Parameters.advance`, the one
/// implementation of the equations.
extension Parameters {
  /// The states after `0, 1, …, n` updates with a constant input at steps `t0, t0 + 1, …`.
  func states(
    from s: ControllerState, loss: Double, env: Double, count n: Int, startingAt t0: Int = 0
  ) -> [ControllerState] {
    var out = [s]
    out.reserveCapacity(n + 1)
    var state = s
    for k in 0..<n {
      state = advance(state, Input(step: t0 + k, loss: loss, env: env))
      out.append(state)
    }
    return out
  }

  /// The states after each input of a sequence (index 0: the start).
  func states(from s: ControllerState, inputs: [Input]) -> [ControllerState] {
    var out = [s]
    var state = s
    for input in inputs {
      state = advance(state, input)
      out.append(state)
    }
    return out
  }
}

/// The number of mode changes along a run (index 0 is the start).
func switchCount(_ states: [ControllerState]) -> Int {
  zip(states, states.dropFirst()).filter { $0.mode != $1.mode }.count
}

/// The least `k ≥ 1` with `states[k].mode == m`, i.e. the latency of SPEC §6.
func latency(_ states: [ControllerState], to m: Mode) -> Int? {
  states.indices.dropFirst().first { states[$0].mode == m }
}

/// Seeds: a new one per run (printed with every failure), or `PROOFS_TEST_SEED` to replay.
enum TestSeed {
  static func make() -> UInt64 {
    if let text = ProcessInfo.processInfo.environment["PROOFS_TEST_SEED"], let v = UInt64(text) {
      return v
    }
    return UInt64.random(in: 0...UInt64.max)
  }
}

extension SeededGenerator {
  mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * nextUnit() }

  /// A random valid parameter set of a variant (the default initial state).
  mutating func parameters(_ variant: Variant) -> Parameters {
    let theta0 = uniform(0.05, 0.8)
    let theta1 = uniform(theta0 + 0.02, 0.98)
    let alpha = uniform(0.02, 1)
    let beta = uniform(0, 0.97)
    do {
      switch variant {
      case .report:
        return try Parameters(
          variant: .report, alpha: alpha, beta: beta, alphaE: uniform(0, 1), theta0: theta0,
          theta1: theta1, cooldown: Int(next() % 61))
      case .repo:
        return try Parameters(
          variant: .repo, alpha: alpha, beta: beta, theta0: theta0, theta1: theta1)
      }
    } catch {
      preconditionFailure("generator produced invalid parameters: \(error)")
    }
  }

  /// A random state in the domain: Ê ∈ [0, 5], φ ∈ [0, 1), any mode, no recent switch.
  mutating func state() -> ControllerState {
    ControllerState(
      ehat: uniform(0, 5), phi: uniform(0, 0.999), mode: Mode(rawValue: Int(next() % 3))!)
  }
}
