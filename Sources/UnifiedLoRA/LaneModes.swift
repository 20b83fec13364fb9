/// The mode and cooldown logic of SPEC §2 and §3, lane-wise over eight traces at once: the
/// counterpart of ``Mode/classify(_:theta0:theta1:)``, ``ReportEquations/step(_:loss:env:at:_:squashedLoss:)``'s
/// switch rule and ``RepoEquations``'s, for the property engine. A test cross-checks every lane
/// against the scalar step on millions of steps.
///
/// Modes, steps and cooldowns are `Double` lanes holding exact integers (`Mode.rawValue`, step
/// numbers below 2^53): comparisons of 64-bit integer lanes have no vector instruction on baseline
/// x86-64, those of doubles do. ``LaneModes/never`` stands for `s = −∞`. Masks are `Int64` lanes,
/// −1 where true and 0 where false.
///
/// Public, not `package`, on purpose: the property engine and `tune` call these functions once
/// per lane step, and only `public` `@inlinable` bodies were inlined into them across modules
/// (with `package`, a debug build called the core's unoptimised copies, and the `tune` example
/// took over 80 s of CPU instead of 4). Not part of the stable API (docs/modules.md).
public enum LaneModes {
  public typealias Lanes = SIMD8<Double>
  public typealias IntLanes = SIMD8<Int64>

  /// `s = −∞`: far enough below any step that `t − s ≥ N_s` for every step `0 ≤ t < 2^53` and
  /// cooldown `N_s < 2^59`.
  public static let never: Double = -0x1p60

  /// A comparison's lanes as integers: −1 where true, 0 where false (plain integer vector
  /// arithmetic keeps the whole step in vector registers). `SIMDMask<SIMD8<Int64>>` is a frozen
  /// wrapper of exactly such a vector, so the bit cast is free; the generic
  /// `replacing(with:where:)` is a lane-by-lane loop that made the lanes engine half as fast again.
  @inlinable @inline(__always)
  public static func bits(_ m: SIMDMask<IntLanes>) -> IntLanes { unsafeBitCast(m, to: IntLanes.self) }

  /// `m ? a : b` lane-wise, for a mask of −1/0 lanes.
  @inlinable @inline(__always)
  public static func select(_ m: IntLanes, _ a: IntLanes, _ b: IntLanes) -> IntLanes { (a & m) | (b & ~m) }

  /// `m ? a : b` lane-wise on doubles, bit for bit.
  @inlinable @inline(__always)
  public static func select(_ m: IntLanes, _ a: Lanes, _ b: Lanes) -> Lanes {
    unsafeBitCast(
      select(m, unsafeBitCast(a, to: IntLanes.self), unsafeBitCast(b, to: IntLanes.self)), to: Lanes.self)
  }

  /// Lane-wise ``Mode/classify(_:theta0:theta1:)``: `0` if `φ < θ0`, `1` if `θ0 ≤ φ < θ1`, else `2`
  /// (a NaN φ gives 2, as the scalar function does):
  ///
  /// ```
  /// c = φ < θ0 ? 0 : (φ < θ1 ? 1 : 2)
  /// ```
  @inlinable @inline(__always)
  public static func classify(_ phi: Lanes, theta0: Lanes, theta1: Lanes) -> Lanes {
    select(
      bits(phi .< theta0), Lanes(), select(bits(phi .< theta1), Lanes(repeating: 1), Lanes(repeating: 2)))
  }

  /// The report variant's switch rule, lane-wise:
  ///
  /// ```
  /// M' = c if (t − s ≥ N_s and c ≠ M) else M;   s' = t on a switch
  /// ```
  ///
  /// - Returns: the lanes that switched (−1), the others 0.
  @inlinable @inline(__always)
  public static func reportSwitch(
    mode: inout Lanes, lastSwitch: inout Lanes, candidate: Lanes, at t: Double, cooldown: Lanes
  ) -> IntLanes {
    let tt = Lanes(repeating: t)
    let switching = bits(candidate .!= mode) & bits(tt - lastSwitch .>= cooldown)
    mode = select(switching, candidate, mode)
    lastSwitch = select(switching, tt, lastSwitch)
    return switching
  }

  /// The repo variant's rule, lane-wise: `M' = classify(φ')`, `s' = t` when the mode changes.
  ///
  /// - Returns: the lanes that switched (−1), the others 0.
  @inlinable @inline(__always)
  public static func repoSwitch(
    mode: inout Lanes, lastSwitch: inout Lanes, phi: Lanes, at t: Double, theta0: Lanes, theta1: Lanes
  ) -> IntLanes {
    let c = classify(phi, theta0: theta0, theta1: theta1)
    let switching = bits(c .!= mode)
    mode = c
    lastSwitch = select(switching, Lanes(repeating: t), lastSwitch)
    return switching
  }
}
