import UnifiedLoRA

/// Certified bounds on the future of `φ` under a constant input, used to stop an iteration with a
/// proof instead of a step budget (T05, T06, T14).
///
/// For a constant input with target `X` (``Parameters/stressTarget(_:)``) and `g(x) = x/(1+x)`:
///
/// ```
/// Ê_{t+n} − X = βⁿ·(Ê_t − X)                          (exact; Ê moves monotonically to X)
/// report: φ_{t+1} = (1 − α)·φ_t + α·g(Ê_t)            repo: … + α·g(Ê_{t+1})
/// ```
///
/// so every later `φ` is a convex combination of `φ_t` and values of `g` between `g(Ê_t)` and
/// `g(X)`: the **hull** `[min(φ_t, g(min(Ê_t, X))), max(φ_t, g(max(Ê_t, X)))]` contains the
/// whole future (T06). With `u = φ_t − φ*`, `e = Ê_t − X`, `a = 1 − α` and the Lipschitz constant
/// `K = g'(min(Ê_t, X)) = 1/(1 + min(Ê_t, X))²` of `g` on the segment, the **envelope**
///
/// ```
/// |φ_{t+n} − φ*| ≤ aⁿ·|u| + c·Sₙ,   Sₙ = Σ_{j<n} a^{n−1−j}·β^j ≤ min(1/α, 1/(1 − β)),
/// c = α·K·|e|   (report),   c = α·K·β·|e|   (repo)
/// ```
///
/// holds for every `n ≥ 0` (T05). Both bounds hold in exact reals; a binary64 trajectory stays
/// within ``Envelope/roundingAllowance`` of the exact one started from the same state, so every
/// certificate adds that allowance.
struct Envelope {
  let p: Parameters
  /// `X`, the limit of `Ê`.
  let target: Double
  /// `φ* = g(X)`.
  let phiStar: Double
  /// The rounding allowance added to every bound.
  let slack: Double

  init(_ p: Parameters, _ u: ConstantInput, from s: ControllerState) {
    self.p = p
    target = p.stressTarget(u)
    phiStar = squash(target)
    slack = Envelope.roundingAllowance(p, from: s.ehat, to: target)
  }

  /// A bound on the distance between a binary64 trajectory and the exact-real trajectory from
  /// the same state, for all later steps:
  ///
  /// ```
  /// δ = 8·u·(4/α + 2·(1/(1 − β) + n)),   u = 2⁻⁵³,   n = ln(max(1, Ê)/max(1, X)) / ln(1/β)
  /// ```
  ///
  /// One update of `φ` rounds at most 6 times on values ≤ 1 and the error contracts by `1 − α`.
  /// `Ê` is a sum of non-negative terms, so its *relative* error grows by at most 3u per update
  /// and contracts by `β` near `X`, except while a large `Ê` decays towards a smaller `X` (about
  /// `n` updates) when it may accumulate; `g(x) = x/(1 + x)` turns a relative error `r` of `Ê`
  /// into an absolute error ≤ `r`. A factor 2 is kept to spare.
  static func roundingAllowance(_ p: Parameters, from ehat: Double, to target: Double) -> Double {
    let ratio = max(1, ehat) / max(1, target)
    let decay = ratio > 1 && p.beta > 0 ? logarithm(ratio) / -logarithm(p.beta) : 0
    return Rounding.slack * (4 / p.alpha + 2 * (1 / (1 - p.beta) + decay))
  }

  /// The hull of all future `φ` from state `s`, widened by the rounding allowance (T06).
  func hull(_ s: ControllerState) -> (lo: Double, hi: Double) {
    let lo = min(s.phi, squash(min(s.ehat, target)))
    let hi = max(s.phi, squash(max(s.ehat, target)))
    return (lo - slack, hi + slack)
  }

  /// `sup_{n ≥ 0} |φ_{t+n} − φ*|` bounded from state `s` by the smaller of the hull and the
  /// envelope bound (T05), plus the rounding allowance.
  func remainingDeviation(_ s: ControllerState) -> Double {
    let h = hull(s)
    let byHull = max(h.hi - phiStar, phiStar - h.lo)
    let e = abs(s.ehat - target)
    let k = squashDerivative(min(s.ehat, target))
    let c = p.alpha * k * e * (p.variant == .repo ? p.beta : 1)
    let sMax = min(1 / p.alpha, 1 / (1 - p.beta))
    let byEnvelope = abs(s.phi - phiStar) + c * sMax + slack
    return min(byHull, byEnvelope)
  }

  /// The analytic envelope at `n` updates from state `s` (no rounding allowance):
  /// `aⁿ·|u| + c·n·r^{n−1}` with `r = max(1 − α, β)`, which bounds `aⁿ|u| + c·Sₙ` because every
  /// term of `Sₙ` is at most `r^{n−1}`, and is non-increasing for `n ≥ r/(1 − r)`.
  func analyticBound(_ s: ControllerState, _ n: Double) -> Double {
    let a = 1 - p.alpha
    let r = max(a, p.beta)
    let e = abs(s.ehat - target)
    let c = p.alpha * squashDerivative(min(s.ehat, target)) * e * (p.variant == .repo ? p.beta : 1)
    let first = n == 0 ? abs(s.phi - phiStar) : power(a, n) * abs(s.phi - phiStar)
    let second: Double = n == 0 ? 0 : (r == 0 ? (n <= 1 ? c : 0) : c * n * power(r, n - 1))
    return first + second
  }
}
