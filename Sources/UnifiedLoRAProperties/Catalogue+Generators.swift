import Foundation
import UnifiedLoRA

// The catalogue's shared generators and checks.
extension Catalogue {
  static func anyParameters(_ rng: inout SeededGenerator) -> Parameters {
    Generators.parameters(rng.nextUnit() < 0.7 ? .report : .repo, using: &rng)
  }

  /// The env processes a trace for `p` is drawn with: `.off` alone for the repo variant, which
  /// reads no E.
  static func envProcesses(for p: Parameters) -> [EnvProcess] {
    p.variant == .repo ? [.off] : EnvProcess.allCases
  }

  /// A constant input drawn for `p`: the loss an edge value with probability `edgeOdds`, else
  /// log-uniform in [1e-4, 1e4]; E = 0 for the repo variant and half of the time, else
  /// log-uniform in the same range.
  static func constantDraw(
    for p: Parameters, edgeOdds: Double, _ rng: inout SeededGenerator
  ) -> (loss: Double, env: Double) {
    let loss =
      rng.nextUnit() < edgeOdds
      ? EdgeValues.all.randomElement(using: &rng)! : Generators.logUniform(1e-4, 1e4, &rng)
    let env = p.variant == .repo || rng.nextUnit() < 0.5 ? 0 : Generators.logUniform(1e-4, 1e4, &rng)
    return (loss, env)
  }

  static func anyCase(_ rng: inout SeededGenerator, _ n: Int) -> Case {
    let p = anyParameters(&rng)
    return Case(parameters: p, trace: Generators.anyTrace(count: n, envs: envProcesses(for: p), using: &rng))
  }

  /// Any valid parameters and trace, drawn by ``anyCase(_:_:)``.
  static let anyValidCase = Invariant.Domain(
    generate: { rng, n in anyCase(&rng, n) }, hypotheses: "any valid parameters and trace",
    premise: { c in c.trace.isValid })

  static func maxInput(_ t: Trace) -> Double { max(t.losses.max() ?? 0, t.envs.max() ?? 0) }

  /// The start of the longest constant suffix of a trace (nil for an empty trace).
  static func constantTailStart(_ t: Trace) -> Int? {
    guard t.count > 0 else { return nil }
    var k = t.count - 1
    while k > 0 && t.losses[k - 1] == t.losses[k] && t.envs[k - 1] == t.envs[k] { k -= 1 }
    return k
  }

  /// For a trace ending in a constant input: where the tail starts, the state there, the tail's
  /// stress and the settle bound of ``ClosedForm/modeSettleRecords(_:from:x:margin:limit:)``.
  static func tail(_ c: Case, _ states: [ControllerState]) -> (start: Int, mode: Mode, records: Int)? {
    guard let k = constantTailStart(c.trace) else { return nil }
    let s = k == 0 ? c.parameters.initial : states[k - 1]
    let x = c.parameters.stressInput(loss: c.trace.losses[k], env: c.trace.envs[k])
    guard
      let (mode, r) = ClosedForm.modeSettleRecords(
        c.parameters, from: s, x: x, margin: margin, limit: 1_000_000)
    else { return nil }
    return (k, mode, r)
  }

  /// A constant `(loss, env)` whose fixed point lies in `band`, drawn for `p`, or nil.
  static func constantInput(in band: Mode, _ p: Parameters, _ rng: inout SeededGenerator) -> (Double, Double)?
  {
    for _ in 0..<40 {
      let (loss, env) = constantDraw(for: p, edgeOdds: 0.2, &rng)
      let phi = ClosedForm.fixedPoint(x: p.stressInput(loss: loss, env: env)).phi
      if Mode.classify(phi, theta0: p.theta0, theta1: p.theta1) == band
        && abs(phi - p.theta0) > margin && abs(phi - p.theta1) > margin
      {
        return (loss, env)
      }
    }
    return nil
  }

  /// A case that ends with a constant input settling in `band`, long enough to be checked.
  static func settlingCase(_ band: Mode, prefix: Bool, _ rng: inout SeededGenerator, _ n: Int) -> Case {
    for _ in 0..<20 {
      var p = anyParameters(&rng)
      if p.alpha < 1e-2, let q = try? p.with(alpha: 0.1) { p = q }
      guard let (loss, env) = constantInput(in: band, p, &rng) else { continue }
      let head =
        prefix
        ? Generators.anyTrace(
          count: Int.random(in: 1...max(1, n / 2), using: &rng),
          envs: envProcesses(for: p), using: &rng) : Trace(losses: [])
      var c = Case(parameters: p, trace: head.appending(loss: loss, env: env, count: 1))
      guard let (_, _, r) = tail(c, c.states), r < 200_000 else { continue }
      c.trace = head.appending(
        loss: loss, env: env, count: r + 1 + Int.random(in: 0...min(n, 50), using: &rng))
      return c
    }
    return Case(parameters: .report, trace: Trace(losses: []))
  }

  /// The check shared by C3, C4 (reach) and C5: after the settle bound, the mode is the band's.
  static func settles(_ c: Case, _ band: Mode) -> String? {
    let states = c.states
    guard let (k, mode, r) = tail(c, states), mode == band else { return nil }
    for t in (k + r)..<states.count where states[t].mode != band {
      return
        "record \(t): mode \(states[t].mode.rawValue), but the constant input from step \(k) settles in \(band) after \(r) records (by step \(k + r))"
    }
    return nil
  }

  static func settlePremise(_ c: Case, _ band: Mode) -> Bool {
    let states = c.states
    guard let (k, mode, r) = tail(c, states) else { return false }
    return mode == band && states.count > k + r
  }
}
