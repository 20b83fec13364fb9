import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis

/// How often φ sits above, and crosses, one threshold under noise.
package struct ThresholdRate: Sendable, Hashable, Codable {
  /// `theta0`, `theta1` or `custom`.
  package var name: String
  package var theta: Double
  /// The fraction of steps with `φ ≥ θ` (batch means).
  package var fractionAbove: Interval
  /// Up-crossings `φ_t < θ ≤ φ_{t+1}` per 1000 steps (batch means): the rate of false alarms a
  /// controller with this threshold and no cooldown would raise.
  package var upcrossingsPer1000: Interval
  /// `1 − Φ((θ − φ*)/s)` with the linearised standard deviation `s`: the Gaussian prediction of
  /// ``fractionAbove``.
  package var linearisedFractionAbove: Double
}

/// The distribution of φ under a stated noise model around a clean level (T03, T04).
package struct NoiseAnalysis: Sendable, Codable {
  package var level: Double
  package var env: Double
  package var noise: NoiseModel
  package var seed: UInt64
  /// Measured steps, after `burnIn` steps from the clean fixed point; cut into `batches` batches.
  package var steps: Int
  package var burnIn: Int
  package var batches: Int
  /// φ* of the noise-free level (T03).
  package var fixedPointPhi: Double
  /// The mean of φ (batch means over consecutive batches).
  package var phiMean: Interval
  /// The standard deviation of φ over all measured steps (Monte Carlo).
  package var phiSD: Double
  /// The same by batch means of each batch's standard deviation.
  package var phiSDInterval: Interval
  /// Empirical quantiles of φ: q and value.
  package var quantiles: [[Double]]
  /// The stationary standard deviation of the linearised system (Jacobian + AR(1) input).
  package var linearisedSD: Double
  /// The configured controller's own mode switches per 1000 steps (batch means).
  package var switchesPer1000: Interval
  package var thresholds: [ThresholdRate]
  package var method: String
}

extension Parameters {
  /// The distribution of φ when the loss is `noise` around `level` (and E ≡ `env`):
  ///
  /// - **Monte Carlo:** the core's step from the clean resting state, `burnIn = ⌈10/(1 − ρ)⌉`
  ///   steps (ρ = max(β, 1 − α, |noise ρ|), T04's rate), then `steps` steps cut into `batches`
  ///   consecutive batches; means, fractions and rates with Student-t intervals on the batch
  ///   means (the batches are long compared with the correlation time, so nearly independent).
  /// - **Linearised:** around the fixed point, `(δÊ, δφ)_{t+1} = J·(δÊ, δφ)_t + b·δL_t` with `J`
  ///   the Jacobian (``jacobian(at:input:)``, T04), `b = ∂(Ê', φ')/∂L` by central differences of
  ///   the core's step, and `δL_t = level·σ·z_t` (the first-order noise); with the AR(1) `z` as a
  ///   third state the stationary covariance solves the Lyapunov equation `P = M·P·Mᵀ + G·Gᵀ`
  ///   (Smith's doubling). Exact for the linear part; first order in σ for the two squashes.
  ///
  /// - Precondition: `steps ≥ batches ≥ 2`, `noise` valid, `level`, `env` finite ≥ 0.
  package func noiseAnalysis(
    level: Double, env: Double = 0, noise: NoiseModel, steps: Int, batches: Int = 20, seed: UInt64,
    thresholds extra: [Double] = []
  ) -> NoiseAnalysis {
    precondition(steps >= batches && batches >= 2, "noiseAnalysis: steps ≥ batches ≥ 2")
    let u = ConstantInput(loss: level, env: env)
    let start = restingState(u)
    let rho = max(beta, 1 - alpha, abs(noise.correlation))
    let burnIn = Int(min(1e6, (10 / max(1 - rho, 1e-6)).rounded(.up)))
    var driver = NoiseModel.Driver(seed: seed, correlation: noise.correlation)
    var s = start
    var t = 0
    func next() {
      s = advance(s, Input(step: t, loss: noise.loss(level: level, z: driver.next()), env: env))
      t += 1
    }
    for _ in 0..<burnIn { next() }
    var named: [(String, Double)] = [("theta0", theta0), ("theta1", theta1)]
    for x in extra { named.append(("custom", x)) }
    let per = steps / batches
    var phis: [Double] = []
    phis.reserveCapacity(per * batches)
    var bMean: [Double] = []
    var bSD: [Double] = []
    var bSwitch: [Double] = []
    var bAbove = [[Double]](repeating: [], count: named.count)
    var bCross = [[Double]](repeating: [], count: named.count)
    for _ in 0..<batches {
      var sum = 0.0
      var sq = 0.0
      var switches = 0
      var above = [Int](repeating: 0, count: named.count)
      var cross = [Int](repeating: 0, count: named.count)
      for _ in 0..<per {
        let before = s
        next()
        if s.mode != before.mode { switches += 1 }
        sum += s.phi
        sq += s.phi * s.phi
        phis.append(s.phi)
        for (k, th) in named.enumerated() {
          if s.phi >= th.1 { above[k] += 1 }
          if before.phi < th.1 && s.phi >= th.1 { cross[k] += 1 }
        }
      }
      let n = Double(per)
      let m = sum / n
      bMean.append(m)
      bSD.append(max(0, sq / n - m * m).squareRoot())
      bSwitch.append(Double(switches) * 1000 / n)
      for k in named.indices {
        bAbove[k].append(Double(above[k]) / n)
        bCross[k].append(Double(cross[k]) * 1000 / n)
      }
    }
    let all = Double(phis.count)
    let mean = phis.reduce(0, +) / all
    let sd = (phis.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (all - 1)).squareRoot()
    let sorted = phis.sorted()
    let qs = [0.001, 0.01, 0.05, 0.5, 0.95, 0.99, 0.999].map { q in
      [q, sorted[min(sorted.count - 1, Int((q * all).rounded(.up)) - 1)]]
    }
    let lin = linearisedPhiSD(level: level, env: env, noise: noise)
    let fp = fixedPoint(u).phi
    let unit = 1000 / Double(per * batches)
    let rates = named.indices.map { k in
      ThresholdRate(
        name: named[k].0, theta: named[k].1,
        fractionAbove: Statistics.batchMeans(bAbove[k], zeroCountScale: 1 / all),
        upcrossingsPer1000: Statistics.batchMeans(bCross[k], zeroCountScale: unit),
        linearisedFractionAbove: lin > 0
          ? Statistics.normalTail((named[k].1 - fp) / lin) : (fp >= named[k].1 ? 1 : 0))
    }
    return NoiseAnalysis(
      level: level, env: env, noise: noise, seed: seed, steps: per * batches, burnIn: burnIn,
      batches: batches,
      fixedPointPhi: fp, phiMean: Statistics.batchMeans(bMean), phiSD: sd,
      phiSDInterval: Statistics.batchMeans(bSD),
      quantiles: qs, linearisedSD: lin, switchesPer1000: Statistics.batchMeans(bSwitch, zeroCountScale: unit),
      thresholds: rates,
      method:
        "Monte Carlo: the core's step from the clean fixed point, \(burnIn) burn-in steps, then \(per * batches) steps in \(batches) consecutive batches; 95% intervals by batch means (Student t; rule of three when nothing was seen). Linearised: Jacobian (T04) and ∂(Ê', φ')/∂L at the fixed point, AR(1) input, stationary Lyapunov equation; first order in σ."
    )
  }

  /// The stationary standard deviation of φ of the system linearised at the fixed point of
  /// `level` (see ``noiseAnalysis(level:env:noise:steps:batches:seed:thresholds:)``).
  package func linearisedPhiSD(level: Double, env: Double = 0, noise: NoiseModel) -> Double {
    let u = ConstantInput(loss: level, env: env)
    let s = restingState(u)
    let j = jacobian(at: s, input: u)
    let h = 1e-6 * max(1, level)
    let lo = max(0, level - h)
    let hi = level + h
    let a = advance(s, Input(step: 0, loss: hi, env: env))
    let b = advance(s, Input(step: 0, loss: lo, env: env))
    let b0 = (a.ehat - b.ehat) / (hi - lo)
    let b1 = (a.phi - b.phi) / (hi - lo)
    let c = level * noise.linearScale
    let r = noise.correlation
    var m: [[Double]] = [[r, 0, 0], [b0 * c, j[0, 0], j[0, 1]], [b1 * c, j[1, 0], j[1, 1]]]
    var p: [[Double]] = [[1 - r * r, 0, 0], [0, 0, 0], [0, 0, 0]]
    func mul(_ x: [[Double]], _ y: [[Double]]) -> [[Double]] {
      (0..<3).map { i in (0..<3).map { k in (0..<3).reduce(0) { $0 + x[i][$1] * y[$1][k] } } }
    }
    func transpose(_ x: [[Double]]) -> [[Double]] { (0..<3).map { i in (0..<3).map { x[$0][i] } } }
    // Smith's doubling: P_{k+1} = P_k + M_k·P_k·M_kᵀ, M_{k+1} = M_k²; after k rounds P sums 2^k terms.
    for _ in 0..<64 {
      let add = mul(mul(m, p), transpose(m))
      p = (0..<3).map { i in (0..<3).map { p[i][$0] + add[i][$0] } }
      m = mul(m, m)
      if m.joined().allSatisfy({ abs($0) < 1e-300 }) { break }
    }
    return max(0, p[2][2]).squareRoot()
  }
}
