import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis

/// The verdicts of the `claims` library API at the defaults agree with the table "Verdicts on the
/// report's claims (defaults)" in `Proofs/README.md`.
@Suite("claims verdicts = Proofs/README.md")
struct ClaimsVerdictTests {
  /// The expected verdicts, per claim: (report variant, repo variant). This is the table
  /// "Verdicts on the report's claims (defaults)" of `Proofs/README.md`, read with the rule of
  /// ``verdict(ofCell:)``; the second test checks that the README still says so.
  static let expected: [(id: ClaimID, report: Verdict, repo: Verdict)] = [
    (.c1, .refuted, .holds),
    (.c2, .holds, .refuted),
    (.c3, .holdsUnderConditions, .refuted),
    (.c4, .refuted, .holdsUnderConditions),
    (.c5, .holdsUnderConditions, .holdsUnderConditions),
    (.c6, .refuted, .refuted),
    (.c7, .refuted, .refuted),
  ]

  /// `Proofs/README.md`, found from this file's path (`Tests/ProofsTests/` → the package root).
  static func readme() throws -> String {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return try String(contentsOf: root.appendingPathComponent("Proofs/README.md"), encoding: .utf8)
  }

  /// The verdict a cell of the README's table states: its first bold phrase, `**false…**` →
  /// refuted, `**holds under…**` → holds only under stated conditions, `**holds**` → holds;
  /// nil when the cell has no such phrase.
  static func verdict(ofCell cell: String) -> Verdict? {
    guard let open = cell.range(of: "**"),
      let close = cell.range(of: "**", range: open.upperBound..<cell.endIndex)
    else { return nil }
    let phrase = cell[open.upperBound..<close.lowerBound].lowercased()
    if phrase.hasPrefix("false") { return .refuted }
    if phrase.hasPrefix("holds under") { return .holdsUnderConditions }
    if phrase == "holds" { return .holds }
    return nil
  }

  /// The rows of the verdict table: claim id → (report cell, repo cell).
  static func table(_ readme: String) -> [String: (report: String, repo: String)] {
    guard let start = readme.range(of: "## Verdicts on the report's claims") else { return [:] }
    var rows: [String: (report: String, repo: String)] = [:]
    for line in readme[start.upperBound...].split(separator: "\n") {
      if line.hasPrefix("## ") { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      // "| C1 "φ ∈ (0,1)" | report | repo | theorems |" splits into 6 cells, the first empty.
      guard cells.count >= 5, let id = cells[1].split(separator: " ").first, id.hasPrefix("C") else {
        continue
      }
      rows[String(id)] = (cells[2], cells[3])
    }
    return rows
  }

  @Test func apiVerdictsMatchTheTable() throws {
    for variant in Variant.allCases {
      let report = try Parameters.defaults(variant).claims(ClaimsRequest())
      #expect(report.claims.map(\.id) == Self.expected.map(\.id))
      for (claim, row) in zip(report.claims, Self.expected) {
        let want = variant == .report ? row.report : row.repo
        #expect(
          claim.verdict == want,
          "\(variant) \(claim.id): claims says \(claim.verdict.rawValue), Proofs/README.md \(want.rawValue)")
      }
    }
  }

  @Test func readmeStatesTheExpectedVerdicts() throws {
    let rows = Self.table(try Self.readme())
    #expect(rows.count == Self.expected.count, "verdict table rows: \(rows.keys.sorted())")
    for row in Self.expected {
      guard let cells = rows[row.id.rawValue] else {
        Issue.record("Proofs/README.md has no row for \(row.id)")
        continue
      }
      #expect(Self.verdict(ofCell: cells.report) == row.report, "\(row.id) report: \(cells.report)")
      #expect(Self.verdict(ofCell: cells.repo) == row.repo, "\(row.id) repo: \(cells.repo)")
    }
  }

  /// The reading rule itself, on phrases of the table.
  @Test func cellRule() {
    #expect(Self.verdict(ofCell: "**false as written**: φ₁ = 0 … **Holds** as φ ∈ [0,1)") == .refuted)
    #expect(Self.verdict(ofCell: "**holds** by construction") == .holds)
    #expect(Self.verdict(ofCell: "**holds under a condition**: sustained X < 3/7") == .holdsUnderConditions)
    #expect(Self.verdict(ofCell: "no bold phrase") == nil)
  }
}
