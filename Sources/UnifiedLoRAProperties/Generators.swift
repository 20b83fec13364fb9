import UnifiedLoRA

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The adversarial alphabet of edge values: zero, the smallest subnormal and normal numbers,
/// the preimages of the default thresholds (`X = 3/7` and `X = 7/3` give `φ* = θ0 = 0.3` and
/// `φ* = θ1 = 0.7`; `L = 6` gives `X = 3/7` with `E = 0`), the point `2^53` where `x/(1+x)`
/// rounds to exactly 1 in binary64, and values up to `1e300`.
public enum EdgeValues {
  public static let all: [Double] = [
    0, .leastNonzeroMagnitude, .leastNormalMagnitude, 1e-300, 1e-17, 0.5, 1, 3.0 / 7, 7.0 / 3, 6, 7,
    20, 18.42, 1e17, 0x1p53, 0x1p53 - 1, 1e300,
  ]
}

/// A kind of generated loss trace.
public enum TraceFamily: String, Sendable, Hashable, Codable, CaseIterable {
  /// A training curve `L_t = c + a·e^{−t/τ}` with multiplicative log-normal noise.
  case decaying
  /// Stationary noise around a level.
  case stationary
  /// Clean noisy training with shock windows of random position, length and height.
  case shocks
  /// Isolated spikes (probability p per step) up to `1e300`.
  case spikes
  /// A slow linear drift up or down.
  case drift
  /// Heavy tails: log-normal with a large σ.
  case logNormal
  /// Heavy tails: Pareto with index in (0.5, 3).
  case pareto
  /// Values drawn from ``EdgeValues/all``, in runs.
  case adversarial
  /// A square wave between two levels (noisy input near a threshold when the levels straddle it).
  case squareWave
}

/// How the external stress `E_t` is generated.
public enum EnvProcess: String, Sendable, Hashable, Codable, CaseIterable {
  /// `E ≡ 0`.
  case off
  /// `E_t ∈ [0, 1]`.
  case bounded
  /// `E_t ≥ 0` unbounded (log-uniform up to 1e300, shock windows).
  case unbounded
}

/// Seeded generators of traces, parameter sets and initial states. Every function takes the
/// generator by `inout`, so a printed seed replays the same values.
public enum Generators {
  static func logUniform(_ lo: Double, _ hi: Double, _ rng: inout SeededGenerator) -> Double {
    exp(log(lo) + rng.nextUnit() * (log(hi) - log(lo)))
  }

  static func int(_ range: ClosedRange<Int>, _ rng: inout SeededGenerator) -> Int {
    Int.random(in: range, using: &rng)
  }

  /// A trace of the given family and length.
  public static func trace(
    _ family: TraceFamily, env: EnvProcess, count n: Int, using rng: inout SeededGenerator
  ) -> Trace {
    var losses = [Double](repeating: 0, count: n)
    var envs = [Double](repeating: 0, count: n)
    let level =
      rng.nextUnit() < 0.3 ? EdgeValues.all.randomElement(using: &rng)! : logUniform(1e-3, 1e3, &rng)
    let sigma = rng.nextUnit() * 0.5
    switch family {
    case .decaying:
      let a = logUniform(0.1, 100, &rng)
      let tau = logUniform(1, Double(max(n, 2)), &rng)
      for t in 0..<n { losses[t] = (level + a * exp(-Double(t) / tau)) * exp(sigma * rng.nextGaussian()) }
    case .stationary:
      for t in 0..<n { losses[t] = level * exp(sigma * rng.nextGaussian()) }
    case .shocks:
      for t in 0..<n { losses[t] = level * exp(sigma * rng.nextGaussian()) }
      for _ in 0..<int(1...3, &rng) where n > 0 {
        let start = int(0...(n - 1), &rng)
        let len = int(1...max(1, n / 3), &rng)
        let height = logUniform(1, 1e300, &rng)
        for t in start..<min(n, start + len) { losses[t] = height * exp(sigma * rng.nextGaussian()) }
      }
    case .spikes:
      let p = logUniform(1e-3, 0.2, &rng)
      for t in 0..<n {
        losses[t] = rng.nextUnit() < p ? logUniform(1, 1e300, &rng) : level * exp(sigma * rng.nextGaussian())
      }
    case .drift:
      let slope = (rng.nextUnit() - 0.5) * 4 * max(level, 1) / Double(max(n, 1))
      for t in 0..<n { losses[t] = max(0, level + slope * Double(t)) * exp(sigma * rng.nextGaussian()) }
    case .logNormal:
      let s = 1 + rng.nextUnit() * 4
      for t in 0..<n { losses[t] = min(1e300, level * exp(s * rng.nextGaussian())) }
    case .pareto:
      let index = 0.5 + rng.nextUnit() * 2.5
      for t in 0..<n {
        var u = rng.nextUnit()
        while u == 0 { u = rng.nextUnit() }
        losses[t] = min(1e300, level * pow(u, -1 / index))
      }
    case .adversarial:
      var t = 0
      while t < n {
        let v = EdgeValues.all.randomElement(using: &rng)!
        let e = rng.nextUnit() < 0.5 ? 0 : EdgeValues.all.randomElement(using: &rng)!
        let run = rng.nextUnit() < 0.5 ? 1 : int(1...max(1, n), &rng)
        for k in t..<min(n, t + run) {
          losses[k] = v
          envs[k] = e
        }
        t += run
      }
      if env == .off { envs = Array(repeating: 0, count: n) }
      return Trace(losses: losses, envs: envs)
    case .squareWave:
      let hi = level * (1 + logUniform(1e-3, 10, &rng))
      let period = int(1...60, &rng)
      for t in 0..<n { losses[t] = (t / period) % 2 == 0 ? level : hi }
    }
    switch env {
    case .off: break
    case .bounded:
      let e0 = rng.nextUnit()
      for t in 0..<n { envs[t] = min(1, max(0, e0 + 0.2 * rng.nextGaussian())) }
    case .unbounded:
      let e0 = logUniform(1e-3, 1e3, &rng)
      for t in 0..<n { envs[t] = min(1e300, e0 * exp(rng.nextGaussian())) }
      for _ in 0..<int(0...2, &rng) where n > 0 {
        let start = int(0...(n - 1), &rng)
        let len = int(1...max(1, n / 3), &rng)
        let height = logUniform(1, 1e300, &rng)
        for t in start..<min(n, start + len) { envs[t] = height }
      }
    }
    return Trace(losses: losses, envs: envs)
  }

  /// A trace of a random family and env process.
  public static func anyTrace(
    count n: Int, envs: [EnvProcess] = EnvProcess.allCases, using rng: inout SeededGenerator
  ) -> Trace {
    trace(
      TraceFamily.allCases.randomElement(using: &rng)!, env: envs.randomElement(using: &rng)!, count: n,
      using: &rng)
  }

  /// A parameter set over the whole valid domain of SPEC §4, with the defaults and the edges
  /// (α = 1, β = 0, α_E ∈ {0, 1}, N_s = 0) mixed in on purpose.
  public static func parameters(_ variant: Variant, using rng: inout SeededGenerator) -> Parameters {
    func pick(_ edges: [Double], _ draw: () -> Double) -> Double {
      rng.nextUnit() < 0.35 ? edges.randomElement(using: &rng)! : draw()
    }
    let d = Parameters.defaults(variant)
    if rng.nextUnit() < 0.15 { return d }
    let alpha = pick([1, 0.1, 0.5, 1e-3]) { max(Double.leastNormalMagnitude, 1 - rng.nextUnit()) }
    let beta = pick([0, 0.9, 0.5, 0.999]) { rng.nextUnit() }
    let alphaE = variant == .repo ? 0 : pick([0, 0.5, 1]) { rng.nextUnit() }
    var a = pick([0.3, 0.1, 0.5]) { rng.nextUnit() }
    var b = pick([0.7, 0.9, 0.5]) { rng.nextUnit() }
    if a > b { swap(&a, &b) }
    if !(a > 0 && b < 1 && a < b) { (a, b) = (0.3, 0.7) }
    let cooldown =
      variant == .repo
      ? 0 : (rng.nextUnit() < 0.4 ? [0, 1, 30].randomElement(using: &rng)! : int(0...60, &rng))
    let initial = initialState(variant, using: &rng)
    // Every value above is inside the domain, so the checked initializer cannot fail; fall back
    // to the defaults rather than trap if it ever did.
    return
      (try? Parameters(
        variant: variant, alpha: alpha, beta: beta, alphaE: alphaE, theta0: a, theta1: b,
        cooldown: cooldown, initial: initial)) ?? d
  }

  /// An initial state: the variant's default, or Ê ∈ [0, 1e300], φ ∈ [0, 1] (edges included), any mode.
  public static func initialState(_ variant: Variant, using rng: inout SeededGenerator) -> ControllerState {
    if rng.nextUnit() < 0.4 { return Parameters.defaults(variant).initial }
    let ehat = rng.nextUnit() < 0.3 ? EdgeValues.all.randomElement(using: &rng)! : logUniform(1e-6, 1e6, &rng)
    let phi = rng.nextUnit() < 0.3 ? [0, 1, 0.3, 0.7].randomElement(using: &rng)! : rng.nextUnit()
    return ControllerState(ehat: ehat, phi: phi, mode: Mode.allCases.randomElement(using: &rng)!)
  }
}
