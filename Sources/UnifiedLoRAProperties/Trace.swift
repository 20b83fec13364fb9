import UnifiedLoRA

/// A finite input trace: one loss and one external stress per step, steps `0, 1, 2, …`.
public struct Trace: Sendable, Hashable, Codable {
  public var losses: [Double]
  public var envs: [Double]

  public init(losses: [Double], envs: [Double]? = nil) {
    precondition(envs == nil || envs!.count == losses.count, "losses and envs differ in length")
    self.losses = losses
    self.envs = envs ?? Array(repeating: 0, count: losses.count)
  }

  public var count: Int { losses.count }

  /// The inputs, steps `0 ..< count`.
  public var inputs: [Input] {
    losses.indices.map { Input(step: $0, loss: losses[$0], env: envs[$0]) }
  }

  /// Whether every value is finite and ≥ 0 (the domain of SPEC §4).
  public var isValid: Bool {
    losses.allSatisfy { $0 >= 0 && $0.isFinite } && envs.allSatisfy { $0 >= 0 && $0.isFinite }
  }

  /// The first `n` steps.
  public func prefix(_ n: Int) -> Trace {
    Trace(losses: Array(losses.prefix(n)), envs: Array(envs.prefix(n)))
  }

  /// This trace followed by `n` steps of the constant input `(loss, env)`.
  public func appending(loss: Double, env: Double, count n: Int) -> Trace {
    Trace(
      losses: losses + Array(repeating: loss, count: n), envs: envs + Array(repeating: env, count: n))
  }

  /// A constant trace.
  public static func constant(loss: Double, env: Double = 0, count n: Int) -> Trace {
    Trace(losses: [], envs: []).appending(loss: loss, env: env, count: n)
  }
}

extension Parameters {
  /// The states after each step of `trace`, through the core's unchecked step
  /// (``Parameters/advance(_:_:)``), starting from `initial` (default: the parameters' own).
  ///
  /// Precondition: the trace is valid (finite, ≥ 0); the generators only produce valid traces.
  public func states(_ trace: Trace, from initial: ControllerState? = nil) -> [ControllerState] {
    var s = initial ?? self.initial
    var out: [ControllerState] = []
    out.reserveCapacity(trace.count)
    for t in 0..<trace.count {
      s = advance(s, Input(step: t, loss: trace.losses[t], env: trace.envs[t]))
      out.append(s)
    }
    return out
  }

  /// The stress input `X_t` the continuous update reads at step `t` (report: `α_E·E + (1 − α_E)·D`;
  /// repo: the raw loss, which Ê smooths directly), computed by the core's own functions.
  /// (The core's ``Parameters/stress(loss:env:)``, the formula's one home.)
  @inlinable
  public func stressInput(loss: Double, env: Double) -> Double { stress(loss: loss, env: env) }
}
