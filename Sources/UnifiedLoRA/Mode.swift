/// The controller's operating mode, which selects the learning rate (SPEC §2, §3).
///
/// The raw values are the numbers the report and the published implementation use
/// (`0` Single, `1` Multi, `2` Mirror), and they are what every trace prints.
public enum Mode: Int, Sendable, Hashable, Codable, CaseIterable, Comparable,
  CustomStringConvertible
{
  /// Mode 0: the most aggressive learning rate.
  case single = 0
  /// Mode 1: the moderate learning rate.
  case multi = 1
  /// Mode 2: the most conservative learning rate.
  case mirror = 2

  public static func < (lhs: Mode, rhs: Mode) -> Bool { lhs.rawValue < rhs.rawValue }

  public var description: String {
    switch self {
    case .single: "Single"
    case .multi: "Multi"
    case .mirror: "Mirror"
    }
  }

  /// The mode that the thresholds assign to a stress value φ: the candidate `c` of SPEC §2.
  ///
  /// ```
  /// c = 0 if φ < θ0;  1 if θ0 ≤ φ < θ1;  2 if φ ≥ θ1
  /// ```
  ///
  /// **Edge cases.** A NaN φ fails both comparisons and is classified Mirror, exactly as the
  /// published implementation does; the core never produces a NaN φ from valid input.
  @inlinable
  public static func classify(_ phi: Double, theta0: Double, theta1: Double) -> Mode {
    if phi < theta0 { return .single }
    if phi < theta1 { return .multi }
    return .mirror
  }
}
