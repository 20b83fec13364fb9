import Foundation
import UnifiedLoRA

/// The numeric consequences of the theorems in `Proofs/`, one requirement per formula.
///
/// The tests in this target check an implementation of this protocol against the core
/// (brute-force iteration of ``Parameters/advance(_:_:)``). ``ClosedForms`` below is the
/// implementation written straight from the proofs; another implementation (for example the
/// analysis engine) is checked by the same tests by conforming to this protocol and being added
/// to ``allFormulas``.
protocol TheoremFormulas: Sendable {
  /// A name for failure messages.
  var name: String { get }

  /// The constant observation that enters Ê: `X = α_E·E + (1 − α_E)·L/(1+L)` (report), `L` (repo).
  func observation(_ p: Parameters, loss: Double, env: Double) -> Double

  /// T03: the unique fixed point `(Ê*, φ*) = (X, X/(1+X))` for a constant input.
  func fixedPoint(_ p: Parameters, loss: Double, env: Double) -> (ehat: Double, phi: Double)

  /// T04: the Jacobian of the `(Ê, φ)` map at `state`, row-major `[[∂Ê'/∂Ê, ∂Ê'/∂φ], [∂φ'/∂Ê, ∂φ'/∂φ]]`.
  func jacobian(_ p: Parameters, ehat: Double, loss: Double, env: Double) -> [[Double]]

  /// T03/T04: the spectral radius `ρ = max(β, 1 − α)`.
  func spectralRadius(_ p: Parameters) -> Double

  /// T05: the two-sided envelope of `φ_j − φ*` for a constant input from `state`.
  func envelope(_ p: Parameters, from state: ControllerState, loss: Double, env: Double) -> Envelope

  /// T05: the certified settling time `T_cert` for a band `b > 0` (nil when `b ≤ 0`).
  func certifiedSettlingTime(
    _ p: Parameters, from state: ControllerState, loss: Double, env: Double, band: Double
  ) -> Int?

  /// T07: the supremum of φ over every loss and `E ∈ [0, envMax]` from a state with
  /// `Ê0 ≤ sup X`: `max(φ0, g(α_E·envMax + 1 − α_E))` (report); 1 for repo (unbounded loss).
  func phiSupremum(_ p: Parameters, envMax: Double) -> Double

  /// The relative accuracy of the input thresholds (T07, T08) this implementation computes: 0
  /// when they are formulas evaluated in binary64, the root finder's stopping tolerance when they
  /// are found numerically.
  var thresholdRelativeAccuracy: Double { get }

  /// T07: the least sustained E that reaches Mirror at a constant loss (an infimum, not attained);
  /// nil when E has no effect (α_E = 0, or the repo variant).
  func minEnvForMirror(_ p: Parameters, loss: Double) -> Double?

  /// T07: the least sustained loss that reaches Mirror at a constant env (infimum); nil when none does.
  func minLossForMirror(_ p: Parameters, env: Double) -> Double?

  /// T08: the supremum of sustained losses that settle in Single at a constant env:
  /// `+∞` when every loss does, nil when none does.
  func maxLossForSingle(_ p: Parameters, env: Double) -> Double?

  /// T09: the recovery bound on the latency to Single for a constant low-stress input from `state`
  /// (`K + max(N_s, 1)` report, `max(K, 1)` repo); nil when the input is not low-stress.
  func recoveryBound(_ p: Parameters, from state: ControllerState, loss: Double, env: Double) -> Int?

  /// T12: the most mode switches a constant input can cause (any state), and from a rest state.
  var maxSwitchesConstantInput: Int { get }
  var maxSwitchesFromRest: Int { get }

  /// T13: α at or below this value cannot jump over the Multi band in one step (any input).
  func noSkipAlphaBound(_ p: Parameters) -> Double

  /// T14: bounds `(j⁻, j⁺)` on the first `j` with `φ_j ≥ θ` after a step to a constant input.
  /// `upper` nil: the envelope cannot show a crossing; `lower` nil: a crossing is excluded.
  func crossingBounds(
    _ p: Parameters, from state: ControllerState, loss: Double, env: Double, theta: Double
  ) -> (lower: Int?, upper: Int?)

  /// T14: the exact report latencies to Multi and Mirror for a rising step from Single, given the
  /// crossing indices `j_θ0`, `j_θ1` (nil: never) and `gap = s_{t0} + N_s − t0 + 1` (nil: s = −∞).
  func detectionLatencies(_ p: Parameters, crossMulti: Int?, crossMirror: Int?, gap: Int?)
    -> (multi: Int?, mirror: Int?)
}

extension TheoremFormulas {
  /// `|value − exact| < max(absolute, thresholdRelativeAccuracy·|exact|)`: a threshold agrees with
  /// its exact value to the test's absolute tolerance, or to the accuracy the method states.
  func close(_ value: Double, _ exact: Double, _ absolute: Double) -> Bool {
    abs(value - exact) < max(absolute, thresholdRelativeAccuracy * abs(exact))
  }
}

/// T05's envelope: `lo_j ≤ φ_j − φ* ≤ hi_j`, with `U(j) ≥ |φ_j − φ*|` non-increasing for `j ≥ tm`.
struct Envelope: Sendable {
  let alpha, rho, u0, chord, tangent, sFactor: Double
  let tm: Int

  let beta: Double

  func lo(_ j: Int) -> Double {
    pow(1 - alpha, Double(j)) * u0 + alpha * sFactor * sum(j) * chord
  }
  func hi(_ j: Int) -> Double {
    pow(1 - alpha, Double(j)) * u0 + alpha * sFactor * sum(j) * tangent
  }
  /// `U(j) = ρ^j |u0| + α K j ρ^{j−1}`, `K = max(|Γ|, |Θ|)`.
  func upper(_ j: Int) -> Double {
    let k = max(abs(chord), abs(tangent)) * sFactor
    let term = j == 0 ? 0 : Double(j) * pow(rho, Double(j - 1))
    return pow(rho, Double(j)) * abs(u0) + alpha * k * term
  }
  /// `U⁺(j)` with only the positive parts: an upper bound of `hi_j`.
  func upperPositive(_ j: Int) -> Double {
    let term = j == 0 ? 0 : Double(j) * pow(rho, Double(j - 1))
    return pow(rho, Double(j)) * max(u0, 0) + alpha * sFactor * max(tangent, 0) * term
  }
  /// `U⁻(j)`: an upper bound of `−lo_j`.
  func upperNegative(_ j: Int) -> Double {
    let term = j == 0 ? 0 : Double(j) * pow(rho, Double(j - 1))
    return pow(rho, Double(j)) * max(-u0, 0) + alpha * sFactor * max(-chord, 0) * term
  }

  /// `S_j` by its closed form (T03): `(β^j − (1−α)^j)/(β − (1−α))`, or `j β^{j−1}` when equal.
  func sum(_ j: Int) -> Double {
    let a = 1 - alpha
    if j == 0 { return 0 }
    if abs(beta - a) < 1e-12 { return Double(j) * pow(beta, Double(j - 1)) }
    return (pow(beta, Double(j)) - pow(a, Double(j))) / (beta - a)
  }
}

/// The formulas exactly as the proofs state them.
struct ClosedForms: TheoremFormulas {
  var name: String { "Proofs/ closed forms" }

  func g(_ y: Double) -> Double { y / (1 + y) }

  func observation(_ p: Parameters, loss: Double, env: Double) -> Double {
    p.variant == .report ? p.alphaE * env + (1 - p.alphaE) * g(loss) : loss
  }

  func fixedPoint(_ p: Parameters, loss: Double, env: Double) -> (ehat: Double, phi: Double) {
    let x = observation(p, loss: loss, env: env)
    return (x, g(x))
  }

  func jacobian(_ p: Parameters, ehat: Double, loss: Double, env: Double) -> [[Double]] {
    switch p.variant {
    case .report:
      return [[p.beta, 0], [p.alpha / ((1 + ehat) * (1 + ehat)), 1 - p.alpha]]
    case .repo:
      let next = p.beta * ehat + (1 - p.beta) * loss
      return [[p.beta, 0], [p.alpha * p.beta / ((1 + next) * (1 + next)), 1 - p.alpha]]
    }
  }

  func spectralRadius(_ p: Parameters) -> Double { max(p.beta, 1 - p.alpha) }

  func envelope(_ p: Parameters, from s: ControllerState, loss: Double, env: Double) -> Envelope {
    let (x, phiStar) = fixedPoint(p, loss: loss, env: env)
    let rho = spectralRadius(p)
    return Envelope(
      alpha: p.alpha, rho: rho, u0: s.phi - phiStar, chord: g(s.ehat) - phiStar,
      tangent: (s.ehat - x) / ((1 + x) * (1 + x)), sFactor: p.variant == .repo ? p.beta : 1,
      // U(j) = ρ^j|u0| + αK·j·ρ^{j−1} is non-increasing from t_m = max(1, ⌈ρ/(1 − ρ)⌉): the second
      // term rises from 0 at j = 0 to αK at j = 1 for every ρ, ρ = 0 included (0⁰ = 1). At ρ = 0
      // "t_m = 0" was false: from (5, 0.142857) under L = 0.5, U(0) = 1.4e-7 but U(1) = 3.55.
      tm: max(1, Int((rho / (1 - rho)).rounded(.up))), beta: p.beta)
  }

  func certifiedSettlingTime(
    _ p: Parameters, from s: ControllerState, loss: Double, env: Double, band: Double
  ) -> Int? {
    guard band > 0 else { return nil }
    let e = envelope(p, from: s, loss: loss, env: env)
    var t = e.tm
    while e.upper(t) > band { t += 1 }
    return t
  }

  func phiSupremum(_ p: Parameters, envMax: Double) -> Double {
    switch p.variant {
    case .report: max(p.initial.phi, g(p.alphaE * envMax + (1 - p.alphaE)))
    case .repo: 1
    }
  }

  var thresholdRelativeAccuracy: Double { 0 }

  func minEnvForMirror(_ p: Parameters, loss: Double) -> Double? {
    guard p.variant == .report, p.alphaE > 0 else { return nil }
    let r1 = p.theta1 / (1 - p.theta1)
    return max(0, (r1 - (1 - p.alphaE) * g(loss)) / p.alphaE)
  }

  func minLossForMirror(_ p: Parameters, env: Double) -> Double? {
    let r1 = p.theta1 / (1 - p.theta1)
    guard p.variant == .report else { return r1 }
    guard p.alphaE < 1 else { return p.alphaE * env > r1 ? 0 : nil }
    let d = (r1 - p.alphaE * env) / (1 - p.alphaE)
    if d < 0 { return 0 }
    if d >= 1 { return nil }
    return d / (1 - d)
  }

  func maxLossForSingle(_ p: Parameters, env: Double) -> Double? {
    let r0 = p.theta0 / (1 - p.theta0)
    guard p.variant == .report else { return r0 }
    guard p.alphaE < 1 else { return p.alphaE * env < r0 ? .infinity : nil }
    let d = (r0 - p.alphaE * env) / (1 - p.alphaE)
    if d <= 0 { return nil }
    if d >= 1 { return .infinity }
    return d / (1 - d)
  }

  /// T09's `K`: `φ_{t0+j} < θ0` for every `j ≥ K`.
  func recoveryHorizon(_ p: Parameters, from s: ControllerState, loss: Double, env: Double) -> Int? {
    let (_, phiStar) = fixedPoint(p, loss: loss, env: env)
    let m = p.theta0 - phiStar
    guard m > 0 else { return nil }
    let e = envelope(p, from: s, loss: loss, env: env)
    var kCert = e.tm
    while e.upperPositive(kCert) >= m { kCert += 1 }
    var k = 0
    for j in 0..<kCert where e.hi(j) >= m { k = j + 1 }
    return k
  }

  func recoveryBound(_ p: Parameters, from s: ControllerState, loss: Double, env: Double) -> Int? {
    guard let k = recoveryHorizon(p, from: s, loss: loss, env: env) else { return nil }
    return p.variant == .report ? k + max(p.cooldown, 1) : max(k, 1)
  }

  var maxSwitchesConstantInput: Int { 5 }
  var maxSwitchesFromRest: Int { 2 }

  func noSkipAlphaBound(_ p: Parameters) -> Double { (p.theta1 - p.theta0) / (1 - p.theta0) }

  func crossingBounds(
    _ p: Parameters, from s: ControllerState, loss: Double, env: Double, theta: Double
  ) -> (lower: Int?, upper: Int?) {
    let (_, phiStar) = fixedPoint(p, loss: loss, env: env)
    let e = envelope(p, from: s, loss: loss, env: env)
    let m = theta - phiStar
    // j⁻: the first j with φ* + hi_j ≥ θ; none once U⁺ stays below m (j ≥ tm).
    let cap = 1_000_000
    var lower: Int?
    var j = 0
    while j <= cap {
      if e.hi(j) >= m {
        lower = j
        break
      }
      if j >= e.tm && e.upperPositive(j) < m { break }
      j += 1
    }
    // j⁺: the first j with φ* + lo_j ≥ θ; it exists when φ* > θ (lo_j → 0). When φ* ≤ θ it can
    // only exist while hi_j ≥ m, so the search ends with j⁻'s certificate.
    var upper: Int?
    j = 0
    while j <= cap {
      if e.lo(j) >= m {
        upper = j
        break
      }
      if m > 0 && j >= e.tm && e.upperPositive(j) < m { break }
      j += 1
    }
    return (lower, upper)
  }

  func detectionLatencies(_ p: Parameters, crossMulti: Int?, crossMirror: Int?, gap: Int?)
    -> (multi: Int?, mirror: Int?)
  {
    guard let j0 = crossMulti else { return (nil, nil) }
    let multi = max(j0 + 1, gap ?? Int.min)
    guard let j1 = crossMirror else { return (multi, nil) }
    return (multi, max(j1 + 1, multi + p.cooldown))
  }
}

/// Every implementation of the formulas that the agreement tests check.
let allFormulas: [any TheoremFormulas] = [ClosedForms(), AnalysisEngineFormulas()]
