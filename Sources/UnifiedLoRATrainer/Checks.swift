import UnifiedLoRA

/// The analysis' predictions checked against a unified run, computed with the core's own step
/// (``UnifiedLoRA/Parameters/advance(_:_:)``), classifier and cooldown rule, and the closed-form
/// fixed point.
public enum Checks {
  /// (a) One observed mode switch against the latency interval predicted from the bounds of the
  /// observed inputs over its window (T06 comparison principle, T14 latency).
  ///
  /// A window runs from a step `t0` after the previous switch (or step 0) to the switch. From the
  /// controller's actual state at the window's start, the core is iterated with the constant
  /// inputs `(L_max, E_max)` and `(L_min, E_min)` of the window. By monotonicity φ under the
  /// real inputs lies between the two constant-input trajectories at every step of the window,
  /// so the first step at which the candidate mode leaves the current mode in the observed
  /// direction (with the cooldown elapsed) is bracketed: an upward switch no earlier than under
  /// the maxima and no later than under the minima; a downward switch the other way round.
  public struct SwitchCheck: Sendable, Hashable, Codable {
    public var step: Int
    public var from: Mode
    public var to: Mode
    public var windowStart: Int
    public var lossMin: Double
    public var lossMax: Double
    public var envMin: Double
    public var envMax: Double
    public var earliest: Int?
    /// `nil`: the bound trajectory never switches within the horizon (no upper bound).
    public var latest: Int?
    public var inside: Bool
  }

  /// (b) Steady-state φ over a clean stretch against the fixed point for the stretch's mean loss
  /// (T03: `φ* = X/(1+X)`, `X = α_E·Ē + (1 − α_E)·L̄/(1+L̄)`), with the band that the settling
  /// analysis gives: the constant-input trajectories from the state `settle` steps before the
  /// stretch under its loss minimum and maximum (T06), which contain the transient.
  public struct SteadyCheck: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    public var meanLoss: Double
    public var meanEnv: Double
    public var predictedPhi: Double
    /// The fixed point found by iterating the core with the constant mean input (cross-check).
    public var iteratedPhi: Double
    public var observedMeanPhi: Double
    public var observedMin: Double
    public var observedMax: Double
    public var bandLow: Double
    public var bandHigh: Double
    public var inside: Bool
  }

  /// The pre-step state of step `t` (the post-state of `t − 1`, or the initial state).
  static func preState(_ r: RunResult, _ t: Int, _ p: Parameters) -> ControllerState {
    guard t > 0 else { return p.initial }
    let rec = r.records[t - 1]
    return ControllerState(ehat: rec.ehat, phi: rec.phi, mode: rec.mode, lastSwitch: rec.lastSwitch)
  }

  /// Every mode switch of a run's controller with its predicted interval.
  ///
  /// The window of a switch starts at the latest regime boundary before it — step 0, a shock's
  /// start or end — or the step after the previous switch, whichever is later, and ends at the
  /// switch. The latency is counted as in SPEC §6: the switch at step `t` after a window starting at
  /// `t0` has latency `k = t − t0 + 1` (the `k`-th update shows the new mode).
  public static func switches(
    _ r: RunResult, shocks: ShockSchedule, parameters p: Parameters, horizon: Int = 2000
  ) -> [SwitchCheck] {
    var out: [SwitchCheck] = []
    var afterSwitch = 0
    var previous = p.initial.mode
    let boundaries = [0] + shocks.windows.flatMap { [$0.lowerBound, $0.upperBound] }
    for rec in r.records where rec.mode != previous {
      let t = rec.step
      let up = rec.mode > previous
      let t0 = max(afterSwitch, boundaries.filter { $0 <= t }.max() ?? 0)
      let window = r.records[t0...t]
      let lmin = window.map(\.loss).min()!
      let lmax = window.map(\.loss).max()!
      let emin = window.map(\.env).min()!
      let emax = window.map(\.env).max()!
      let s0 = preState(r, t0, p)
      let fast = firstSwitch(
        from: s0, at: t0, loss: up ? lmax : lmin, env: up ? emax : emin, up: up, p, horizon: horizon)
      let slow = firstSwitch(
        from: s0, at: t0, loss: up ? lmin : lmax, env: up ? emin : emax, up: up, p, horizon: horizon)
      let inside = (fast.map { $0 <= t } ?? false) && (slow.map { t <= $0 } ?? true)
      out.append(
        SwitchCheck(
          step: t, from: previous, to: rec.mode, windowStart: t0, lossMin: lmin, lossMax: lmax,
          envMin: emin, envMax: emax, earliest: fast, latest: slow, inside: inside))
      previous = rec.mode
      afterSwitch = t + 1
    }
    return out
  }

  /// The first step `t ≥ t0` at which, iterating the core from `s0` with constant input, the
  /// candidate mode `classify(φ_t)` is above (`up`) or below the starting mode and the cooldown
  /// since `s0`'s last switch has elapsed; `nil` within `horizon` steps.
  public static func firstSwitch(
    from s0: ControllerState, at t0: Int, loss: Double, env: Double, up: Bool, _ p: Parameters,
    horizon: Int
  ) -> Int? {
    var s = s0
    for t in t0..<(t0 + horizon) {
      let c = Mode.classify(s.phi, theta0: p.theta0, theta1: p.theta1)
      if (up ? c > s0.mode : c < s0.mode)
        && ReportEquations.cooldownElapsed(at: t, since: s0.lastSwitch, cooldown: p.cooldown)
      {
        return t
      }
      s = p.advance(s, Input(step: t, loss: loss, env: env))
    }
    return nil
  }

  /// The closed-form fixed point φ* for constant input (T03, report variant).
  public static func fixedPointPhi(loss: Double, env: Double, _ p: Parameters) -> Double {
    let d = loss / (1 + loss)
    let x = p.alphaE * env + (1 - p.alphaE) * d
    return x / (1 + x)
  }

  /// Clean stretches: the last `length` steps before each shock and before the end of the run.
  public static func steadyStates(
    _ r: RunResult, shocks: ShockSchedule, parameters p: Parameters, length: Int = 50, settle: Int = 50
  ) -> [SteadyCheck] {
    var ends = shocks.windows.map(\.lowerBound).filter { $0 <= r.records.count }
    ends.append(r.records.count)
    var out: [SteadyCheck] = []
    for end in ends {
      let start = end - length
      guard start - settle >= 0 else { continue }
      if shocks.windows.contains(where: { $0.overlaps((start - settle)..<end) }) { continue }
      let stretch = r.records[start..<end]
      let lossMean = stretch.map(\.loss).reduce(0, +) / Double(length)
      let envMean = stretch.map(\.env).reduce(0, +) / Double(length)
      let lead = r.records[(start - settle)..<end]
      let lmin = lead.map(\.loss).min()!
      let lmax = lead.map(\.loss).max()!
      let emin = lead.map(\.env).min()!
      let emax = lead.map(\.env).max()!
      // Bracket trajectories from the state before the settling window.
      var lo = preState(r, start - settle, p)
      var hi = lo
      var bandLow = Double.infinity
      var bandHigh = -Double.infinity
      for t in (start - settle)..<end {
        lo = p.advance(lo, Input(step: t, loss: lmin, env: emin))
        hi = p.advance(hi, Input(step: t, loss: lmax, env: emax))
        if t >= start {
          bandLow = min(bandLow, lo.phi)
          bandHigh = max(bandHigh, hi.phi)
        }
      }
      var it = p.initial
      for t in 0..<3000 { it = p.advance(it, Input(step: t, loss: lossMean, env: envMean)) }
      let phis = stretch.map(\.phi)
      let mean = phis.reduce(0, +) / Double(length)
      let omin = phis.min()!
      let omax = phis.max()!
      out.append(
        SteadyCheck(
          start: start, end: end, meanLoss: lossMean, meanEnv: envMean,
          predictedPhi: fixedPointPhi(loss: lossMean, env: envMean, p), iteratedPhi: it.phi,
          observedMeanPhi: mean, observedMin: omin, observedMax: omax, bandLow: bandLow, bandHigh: bandHigh,
          inside: omin >= bandLow && omax <= bandHigh))
    }
    return out
  }
}
