import UnifiedLoRA

/// The replications every configuration is simulated on: `traces` noisy traces of the spec's
/// scenario (``Scenario/Kind/steady``), generated once and shared by all configurations (common
/// random numbers: differences between configurations are not blurred by different draws).
///
/// Trace `j` is `Scenario.inputs()` of ``TuneSpec/scenario(trace:)`` (seed `seed + j`): exactly
/// what `unified-lora scenario steady … --seed <seed + j>` replays.
package struct TuneTraces: Sendable {
  package let count: Int
  package let steps: Int
  /// `D = L/(1 + L)` per step, trace-major (the core's squash, computed once per input).
  let d: [Double]
  /// The raw loss per step, trace-major (the repo variant smooths the raw loss).
  let loss: [Double]
  /// The env per step (the same for every trace: `shockEnv` in the shock window, else 0).
  let env: [Double]

  package init(_ spec: TuneSpec) {
    count = spec.traces
    steps = spec.stepsPerTrace
    var d: [Double] = []
    var loss: [Double] = []
    d.reserveCapacity(count * steps)
    loss.reserveCapacity(count * steps)
    var env: [Double] = []
    for j in 0..<count {
      let inputs = spec.scenario(trace: j).inputs()
      if j == 0 { env = inputs.map(\.env) }
      for i in inputs {
        loss.append(i.loss)
        d.append(ContinuousUpdate.squash(i.loss))
      }
    }
    self.d = d
    self.loss = loss
    self.env = env
  }
}

/// What one configuration did on one trace.
package struct TraceOutcome: Sendable, Hashable {
  /// Mode switches in the clean part (steps `0 ..< C`).
  package var falseSwitches: Int
  /// Updates from the shock's start until the target (the `k`-th update's record is the first in
  /// the target or above); nil if never within the trace.
  package var latency: Int?
  /// Updates from the shock's end until Single; nil if never within the trace.
  package var recovery: Int?
}

/// Runs up to eight configurations of one variant side by side, one per SIMD lane, with the
/// core's lane step (``ContinuousUpdate`` on `SIMD8<Double>` and ``LaneModes``, as the property
/// engine ``LaneEngine`` does): bit-identical to the scalar step, so each trace's outcome is what
/// replaying it with `scenario` prints.
enum TuneLanes {
  typealias V = SIMD8<Double>
  typealias I = SIMD8<Int64>

  /// Per lane (configuration) and per trace, the outcomes.
  static func run(_ ps: [Parameters], spec: TuneSpec, traces: TuneTraces) -> [[TraceOutcome]] {
    precondition(!ps.isEmpty && ps.count <= 8, "one to eight configurations per group")
    precondition(ps.allSatisfy { $0.variant == ps[0].variant }, "one variant per group")
    let lanes = (0..<8).map { ps[min($0, ps.count - 1)] }
    func v(_ f: (Parameters) -> Double) -> V {
      var out = V()
      for k in 0..<8 { out[k] = f(lanes[k]) }
      return out
    }
    let alpha = v(\.alpha)
    let beta = v(\.beta)
    let alphaE = v(\.alphaE)
    let theta0 = v(\.theta0)
    let theta1 = v(\.theta1)
    let cooldown = v { Double($0.cooldown) }
    let start = lanes.map { $0.restingState(spec.clean) }
    let e0 = V(start.map(\.ehat))
    let f0 = V(start.map(\.phi))
    let m0 = V(start.map { Double($0.mode.rawValue) })
    let report = ps[0].variant == .report
    let c = spec.cleanSteps
    let shockEnd = c + spec.shockLength
    let n = traces.steps
    let targetV = V(repeating: Double(spec.target.mode.rawValue))
    let single = V()
    let never = V(repeating: .infinity)
    var out = [[TraceOutcome]](repeating: [], count: ps.count)
    for j in 0..<traces.count {
      var ehat = e0
      var phi = f0
      var mode = m0
      var last = V(repeating: LaneModes.never)
      var falseCount = V()
      var latency = never
      var recovery = never
      let base = j * n
      traces.d.withUnsafeBufferPointer { d in
        traces.loss.withUnsafeBufferPointer { loss in
          traces.env.withUnsafeBufferPointer { env in
            @inline(__always) func step(_ t: Int) -> I {
              let tt = Double(t)
              if report {
                let cand = LaneModes.classify(phi, theta0: theta0, theta1: theta1)
                (ehat, phi) = ContinuousUpdate.report(
                  ehat: ehat, phi: phi, d: V(repeating: d[base + t]), env: V(repeating: env[t]), alpha: alpha,
                  beta: beta, alphaE: alphaE)
                return LaneModes.reportSwitch(
                  mode: &mode, lastSwitch: &last, candidate: cand, at: tt, cooldown: cooldown)
              } else {
                (ehat, phi) = ContinuousUpdate.repo(
                  ehat: ehat, phi: phi, loss: V(repeating: loss[base + t]), alpha: alpha, beta: beta)
                return LaneModes.repoSwitch(
                  mode: &mode, lastSwitch: &last, phi: phi, at: tt, theta0: theta0, theta1: theta1)
              }
            }
            let one = V(repeating: 1)
            for t in 0..<c {
              let s = step(t)
              falseCount += LaneModes.select(s, one, V())
            }
            for t in c..<n {
              _ = step(t)
              let k = V(repeating: Double(t - c + 1))
              let hit = LaneModes.bits(mode .>= targetV) & LaneModes.bits(latency .== never)
              latency = LaneModes.select(hit, k, latency)
              if t >= shockEnd {
                let r = V(repeating: Double(t - shockEnd + 1))
                let back = LaneModes.bits(mode .== single) & LaneModes.bits(recovery .== never)
                recovery = LaneModes.select(back, r, recovery)
              }
            }
          }
        }
      }
      for k in 0..<ps.count {
        out[k].append(
          TraceOutcome(
            falseSwitches: Int(falseCount[k]), latency: latency[k].isFinite ? Int(latency[k]) : nil,
            recovery: recovery[k].isFinite ? Int(recovery[k]) : nil))
      }
    }
    return out
  }
}

extension SIMD8 where Scalar == Double {
  init(_ a: [Double]) {
    self.init()
    for k in 0..<8 { self[k] = a[Swift.min(k, a.count - 1)] }
  }
}
