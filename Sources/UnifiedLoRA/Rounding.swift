/// The rounding allowances shared by every check of a binary64 result against an exact-real bound
/// (the envelope of the analysis, the catalogue's properties, the lanes engine and the exhaustive
/// enumeration): one home, so that the checks cannot drift apart.
public enum Rounding {
  /// `u = 2⁻⁵³`, binary64's unit roundoff: a correctly rounded operation with a normal result `r`
  /// is off by at most `u·|r|` (T02).
  public static let unit: Double = 0x1p-53

  /// `8u`, the allowance per unit of amplification: one update of `φ` rounds at most six times on
  /// values ≤ 1 and one update of `Ê` at most three times relatively (T02); eight covers the larger
  /// with a spare. The checks multiply it by the factor by which the step amplifies an error
  /// (`1/α` for `φ`, `1/(1 − β)` for `Ê`).
  public static let slack: Double = 8 * unit

  /// Eight subnormal ulps: below the normal range rounding is absolute, not relative, so a
  /// relative allowance alone would be zero at `Ê = 0`.
  public static let subnormalSlack: Double = 8 * Double.leastNonzeroMagnitude

  /// The distance from a threshold below which a fixed point or a bound counts as degenerate:
  /// rounding may then decide the band (T02), and the properties that need a strict side exclude
  /// the case. `1e-9` is about `10⁷ u`, far above the rounding of any closed form used (within a
  /// few hundred `u`), and far below any gap between thresholds a configuration sets.
  public static let degenerateMargin: Double = 1e-9
}
