/// Counting the mode switches of a trace: the one definition every part of the toolkit uses.
///
/// A trace's records are `(t, …, M_{t+1}, …)` (SPEC §2): record `k` shows the mode after the
/// `k`-th update. A **switch shown by the trace** is a change of the mode column between two
/// consecutive records. The switch from the initial mode `M_0` into record 0 is not visible in
/// the trace; it is counted only when the caller passes the initial mode.
///
/// ```
/// switches(of: modes, from: nil)  = #{k ≥ 1 : M(k) ≠ M(k − 1)}
/// switches(of: modes, from: M_0)  = #{k ≥ 0 : M(k) ≠ M(k − 1)},  M(−1) = M_0
/// ```
///
/// **Edge cases.** An empty trace has no switch; a one-record trace has one switch only when the
/// initial mode is given and differs.
public enum ModeSwitches {
  /// The indices `k` (into `modes`) of the records that show a new mode.
  ///
  /// - Parameter initial: the mode before record 0, or `nil` to count only changes between
  ///   consecutive records (what a printed trace shows).
  /// - Complexity: O(n).
  public static func indices<S: Sequence>(of modes: S, from initial: Mode? = nil) -> [Int]
  where S.Element == Mode {
    var out: [Int] = []
    var previous = initial
    for (k, m) in modes.enumerated() {
      if let previous, m != previous { out.append(k) }
      previous = m
    }
    return out
  }

  /// The number of switches (see the type's documentation).
  public static func count<S: Sequence>(of modes: S, from initial: Mode? = nil) -> Int
  where S.Element == Mode {
    indices(of: modes, from: initial).count
  }
}

extension Sequence where Element == Record {
  /// The number of mode switches in these records: changes of the mode column between
  /// consecutive records, plus the switch into the first record when `initial` is given and
  /// differs (``ModeSwitches``).
  public func modeSwitchCount(from initial: Mode? = nil) -> Int {
    ModeSwitches.count(of: lazy.map(\.mode), from: initial)
  }

  /// The steps (the records' own step numbers) at which the mode column changes, with the same
  /// convention as ``modeSwitchCount(from:)``.
  public func modeSwitchSteps(from initial: Mode? = nil) -> [Int] {
    let records = Array(self)
    return ModeSwitches.indices(of: records.lazy.map(\.mode), from: initial).map { records[$0].step }
  }
}
