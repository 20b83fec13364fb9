import UnifiedLoRA

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The few closed forms the invariants need (theorems T03, T05, T08, T09), in exact-real terms
/// evaluated in binary64. The analysis module computes the same quantities with certified
/// methods; these are kept minimal and independent so that the property checks do not rely on it.
public enum ClosedForm {
  /// The fixed point of a constant input with stress `X` (T03): `Ê* = X`, `φ* = X/(1+X)` (both
  /// variants; in the repo variant `X` is the loss).
  public static func fixedPoint(x: Double) -> (ehat: Double, phi: Double) {
    (x, ContinuousUpdate.squash(x))
  }

  /// The spectral radius of the Jacobian (T04): `ρ = max(β, 1 − α)`.
  public static func rate(_ p: Parameters) -> Double { max(p.beta, 1 - p.alpha) }

  /// The convergence envelope of φ for a constant input (T03/T05):
  ///
  /// ```
  /// |φ_t − φ*| ≤ ρ^t·|φ_0 − φ*| + α·t·ρ^(t−1)·|Ê_0 − Ê*|
  /// ```
  ///
  /// (from `|Ê_t − X| = β^t·|Ê_0 − X|` and `|g'| ≤ 1`; `t·ρ^(t−1)` is 0 at `t = 0`.)
  public static func phiEnvelope(_ t: Int, rho: Double, alpha: Double, e0: Double, d0: Double) -> Double {
    let rt = pow(rho, Double(t))
    let cross = t == 0 ? 0 : Double(t) * pow(rho, Double(t - 1))
    return rt * abs(e0) + alpha * cross * abs(d0)
  }

  /// The least `T` such that the envelope stays below `gap` for every `t ≥ T`, or nil when that
  /// needs more than `limit` steps (T05, the envelope certificate).
  public static func settleSteps(
    _ p: Parameters, e0: Double, d0: Double, gap: Double, limit: Int = 10_000_000
  ) -> Int? {
    guard gap > 0 else { return nil }
    let rho = rate(p)
    // t·ρ^(t−1) is decreasing for t ≥ 1/(−ln ρ); past that the envelope only decreases.
    let peak =
      rho <= 0 ? 1 : (rho >= 1 ? limit + 1 : Int(min(Double(limit + 1), (1 / -log(rho)).rounded(.up))) + 1)
    // ρ^t and t·ρ^(t−1) by recurrence: r_{t+1} = ρ·r_t, c_{t+1} = ρ·c_t + r_t.
    var rt = 1.0
    var ct = 0.0
    var last = -1
    var t = 0
    while t <= limit {
      let env = rt * abs(e0) + p.alpha * ct * abs(d0)
      if env >= gap * (1 - 1e-12) { last = t } else if t >= peak { return last + 1 }
      ct = rho * ct + rt
      rt *= rho
      t += 1
    }
    return nil
  }

  /// The number of records after which a constant input whose fixed point `φ*` lies in the band
  /// of `target` shows `target` for ever (T08 for Single, T07 for Mirror, T09/T14 from the state
  /// at the input change): the envelope bound `T` plus the cooldown, `T + max(N_s − 1, 0)` for the
  /// report variant (the candidate reads the old φ) and `max(T − 1, 0)` for the repo variant.
  ///
  /// - Returns: nil when `φ*` is within `margin` of a threshold (the bound degenerates) or when
  ///   the envelope needs more than `limit` steps.
  public static func modeSettleRecords(
    _ p: Parameters, from s: ControllerState, x: Double, margin: Double = Rounding.degenerateMargin,
    limit: Int = 10_000_000
  ) -> (mode: Mode, records: Int)? {
    let (ehatStar, phiStar) = fixedPoint(x: x)
    let gap = min(abs(phiStar - p.theta0), abs(phiStar - p.theta1)) - margin
    guard gap > 0, phiStar.isFinite else { return nil }
    let target = Mode.classify(phiStar, theta0: p.theta0, theta1: p.theta1)
    guard let t = settleSteps(p, e0: s.phi - phiStar, d0: s.ehat - ehatStar, gap: gap, limit: limit) else {
      return nil
    }
    switch p.variant {
    case .report: return (target, t + max(p.cooldown - 1, 0))
    case .repo: return (target, max(t - 1, 0))
    }
  }

  /// The least step size of φ that can cross the Multi band in one step, both ways (T13): with no
  /// cooldown, every switch changes the mode by one when
  ///
  /// ```
  /// α·(1 − θ0) < θ1 − θ0   and   α·θ1 < θ1 − θ0
  /// ```
  ///
  /// (`φ' − φ = α·(g − φ)` with `g ∈ [0, 1]`: from below θ0 φ stays below `θ0 + α(1 − θ0)`, from
  /// at least θ1 it stays at least `(1 − α)·θ1`).
  public static func multiCannotBeSkipped(_ p: Parameters, margin: Double = 1e-12) -> Bool {
    p.alpha * (1 - p.theta0) < p.theta1 - p.theta0 - margin
      && p.alpha * p.theta1 < p.theta1 - p.theta0 - margin
  }
}
