/// The arithmetic the continuous part of the controller needs: `+`, `−`, `×`, `÷` and the
/// constant `1`, with one IEEE-754 rounding per operation.
///
/// `Double` is the reference semantics (SPEC §2). `Float` runs the same equations in binary32
/// (theorem T02's single-precision bounds), and `SIMDn<Double>` / `SIMDn<Float>` run them
/// lane-wise on many traces at once (the property engine). Every conformer evaluates each
/// operation exactly as written, with no fused multiply-add, so a lane of a `SIMD8<Double>`
/// is bit-identical to the scalar `Double` step.
public protocol ControllerArithmetic {
  /// The multiplicative identity, broadcast to every lane.
  static var one: Self { get }
  static func + (a: Self, b: Self) -> Self
  static func - (a: Self, b: Self) -> Self
  static func * (a: Self, b: Self) -> Self
  static func / (a: Self, b: Self) -> Self
}

extension Double: ControllerArithmetic {
  @inlinable public static var one: Double { 1 }
}

extension Float: ControllerArithmetic {
  @inlinable public static var one: Float { 1 }
}

extension SIMD2: ControllerArithmetic where Scalar: BinaryFloatingPoint {
  @inlinable public static var one: Self { Self(repeating: 1) }
}

extension SIMD4: ControllerArithmetic where Scalar: BinaryFloatingPoint {
  @inlinable public static var one: Self { Self(repeating: 1) }
}

extension SIMD8: ControllerArithmetic where Scalar: BinaryFloatingPoint {
  @inlinable public static var one: Self { Self(repeating: 1) }
}

extension SIMD16: ControllerArithmetic where Scalar: BinaryFloatingPoint {
  @inlinable public static var one: Self { Self(repeating: 1) }
}

/// The continuous part of both variants' steps, the one implementation of the `(Ê, φ)` map.
///
/// ``ReportEquations/step(_:loss:env:at:_:squashedLoss:)`` and ``RepoEquations/step(_:loss:at:_:)``
/// call these functions with `T = Double`; the property engine calls them with SIMD lanes and
/// `Float`. Each line is evaluated as written (SPEC §2 "Evaluation in binary64"): one rounding per
/// operation, the complements `1 − α`, `1 − β`, `1 − α_E` and `1 + x` formed at run time.
public enum ContinuousUpdate {
  /// The squashing map `g(x) = x / (1 + x)` (the report's `D = L/(1+L)`, the φ input `Ê/(1+Ê)`).
  ///
  /// **Domain.** `x` finite and ≥ 0 gives `g(x) ∈ [0, 1]`. In binary64 `g(x) == 1` exactly for
  /// `x ≥ 2^53` (theorem T02); `g(+∞)` is NaN.
  @inlinable @inline(__always)
  public static func squash<T: ControllerArithmetic>(_ x: T) -> T { x / (T.one + x) }

  /// The report's stress input `X = α_E·E + (1 − α_E)·D`.
  @inlinable @inline(__always)
  public static func stress<T: ControllerArithmetic>(d: T, env: T, alphaE: T) -> T {
    alphaE * env + (T.one - alphaE) * d
  }

  /// The report variant's `(Ê, φ)` update (SPEC §2), from the old state and the squashed loss:
  ///
  /// ```
  /// X  = α_E·E + (1 − α_E)·D
  /// Ê' = β·Ê + (1 − β)·X
  /// φ' = (1 − α)·φ + α·(Ê/(1 + Ê))        -- the OLD Ê
  /// ```
  @inlinable @inline(__always)
  public static func report<T: ControllerArithmetic>(
    ehat: T, phi: T, d: T, env: T, alpha: T, beta: T, alphaE: T
  ) -> (ehat: T, phi: T) {
    let x = stress(d: d, env: env, alphaE: alphaE)
    let e = beta * ehat + (T.one - beta) * x
    let f = (T.one - alpha) * phi + alpha * squash(ehat)
    return (e, f)
  }

  /// The repo variant's `(Ê, φ)` update (SPEC §3), each line using the value just computed:
  ///
  /// ```
  /// Ê' = β·Ê + (1 − β)·L
  /// φ' = (1 − α)·φ + α·(Ê'/(1 + Ê'))      -- the NEW Ê
  /// ```
  @inlinable @inline(__always)
  public static func repo<T: ControllerArithmetic>(
    ehat: T, phi: T, loss: T, alpha: T, beta: T
  ) -> (ehat: T, phi: T) {
    let e = beta * ehat + (T.one - beta) * loss
    return (e, repoPhi(phi: phi, d: squash(e), alpha: alpha))
  }

  /// The repo variant's φ line `φ' = (1 − α)·φ + α·D` (also its saturated step, `D = 1`).
  @inlinable @inline(__always)
  public static func repoPhi<T: ControllerArithmetic>(phi: T, d: T, alpha: T) -> T {
    (T.one - alpha) * phi + alpha * d
  }
}
