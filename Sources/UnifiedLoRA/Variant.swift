/// Which set of equations a controller follows.
public enum Variant: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// The technical report's equations (SPEC §2): squashed loss, external stress, the φ update
  /// from the *old* Ê, the mode from the *old* φ, and a cooldown. The primary object of study.
  case report
  /// The published `controller.py` (SPEC §3): the raw loss is smoothed first, φ is updated from
  /// the *new* smoothed value, the mode follows the *new* φ, no cooldown, no external stress.
  case repo

  public var description: String { rawValue }
}
