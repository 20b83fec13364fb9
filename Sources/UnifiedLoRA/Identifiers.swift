/// An id with a stable text form (`C4`, `T06`, `no-cooldown`): a closed set of cases, each encoded,
/// printed and ordered as its id string.
public protocol StableID: RawRepresentable<String>, Sendable, Hashable, Codable, CaseIterable, Comparable,
  CustomStringConvertible
{}

extension StableID {
  /// The id as the report, `Proofs/` and the JSON output write it (`C4`, `T06`).
  public var description: String { rawValue }

  /// The order of the id strings (`C1` < `C2`, `T09` < `T10`: the numbered ids are zero-padded).
  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A claim of the Unified-LoRA report (SPEC §5): `C1` … `C7`. Encoded as its id string.
public enum ClaimID: String, StableID {
  case c1 = "C1"
  case c2 = "C2"
  case c3 = "C3"
  case c4 = "C4"
  case c5 = "C5"
  case c6 = "C6"
  case c7 = "C7"
}

/// A theorem of `Proofs/`: `T01` … `T15`, each proved in `Proofs/<id>-<topic>.md`. Encoded as its id
/// string.
public enum TheoremID: String, StableID {
  case t01 = "T01"
  case t02 = "T02"
  case t03 = "T03"
  case t04 = "T04"
  case t05 = "T05"
  case t06 = "T06"
  case t07 = "T07"
  case t08 = "T08"
  case t09 = "T09"
  case t10 = "T10"
  case t11 = "T11"
  case t12 = "T12"
  case t13 = "T13"
  case t14 = "T14"
  case t15 = "T15"
}

extension Sequence where Element == TheoremID {
  /// The ids as text, `T03, T08` for `separator` ", ".
  public func joined(separator: String) -> String { map(\.rawValue).joined(separator: separator) }
}
