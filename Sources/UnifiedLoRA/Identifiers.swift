/// A claim of the Unified-LoRA report (SPEC §5): `C1` … `C7`. Encoded as its id string.
public enum ClaimID: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible {
  case c1 = "C1"
  case c2 = "C2"
  case c3 = "C3"
  case c4 = "C4"
  case c5 = "C5"
  case c6 = "C6"
  case c7 = "C7"

  /// The id as the report and `Proofs/README.md` write it (`C4`).
  public var description: String { rawValue }

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// A theorem of `Proofs/`: `T01` … `T15`, each proved in `Proofs/<id>-<topic>.md`. Encoded as its id
/// string.
public enum TheoremID: String, Sendable, Hashable, Codable, CaseIterable, Comparable, CustomStringConvertible
{
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

  /// The id as `Proofs/` writes it (`T06`).
  public var description: String { rawValue }

  public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

extension Sequence where Element == TheoremID {
  /// The ids as text, `T03, T08` for `separator` ", ".
  public func joined(separator: String) -> String { map(\.rawValue).joined(separator: separator) }
}
