#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where the controller's external stress `E_t` comes from.
public enum EnvironmentKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// `E ≡ 0`, the report's default.
  case none
  /// The loss-jump signal of ``LossJumpSignal``, measured from the training losses alone.
  case signal
}

/// A normalised loss-jump statistic: how far the current batch loss sits above the recent
/// typical loss, on a log scale.
///
/// ```
/// E_t = max(0, ln L_t − b_{t−1})          b_t = λ·b_{t−1} + (1 − λ)·ln L_t,  b_0 = ln L_0
/// ```
///
/// with `λ = 0.98` (a memory of about 50 steps). **Why this signal.** It needs nothing but the
/// losses the trainer already computes (no schedule, no labels, no extra passes); the logarithm
/// makes it scale-free (a jump from 0.3 to 3 counts like one from 3 to 30), so one setting works
/// across tasks; it is zero while training improves steadily and when the loss falls back after a
/// disturbance, and it decays by itself as the baseline absorbs a lasting change, which is what a
/// *transient* stress indicator should do. A gradient-norm statistic would need a second scale
/// (gradient norms shrink with training) and reacts to the optimizer's own learning rate.
///
/// **Edge cases.** A loss ≤ 0 or non-finite is clamped to `1e-12` for the logarithm (the trainer's
/// cross-entropy is always finite and positive). `E_t` is finite and ≥ 0.
public struct LossJumpSignal: Sendable, Hashable, Codable {
  public let lambda: Double
  public private(set) var baseline: Double?

  public init(lambda: Double = 0.98) {
    precondition(lambda >= 0 && lambda < 1)
    self.lambda = lambda
  }

  /// Consumes the loss of one step; returns `E_t` for that step.
  public mutating func update(loss: Double) -> Double {
    let l = log(loss.isFinite && loss > 1e-12 ? loss : 1e-12)
    guard let b = baseline else {
      baseline = l
      return 0
    }
    let e = max(0, l - b)
    baseline = lambda * b + (1 - lambda) * l
    return e
  }
}
