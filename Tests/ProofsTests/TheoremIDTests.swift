import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis

/// The closed set of theorem ids is the set of proofs in `Proofs/`: every ``TheoremID`` has its
/// proof file `Proofs/<id>-<topic>.md`, and every such file has its id.
@Suite struct TheoremIDTests {
  static let proofs = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Proofs")

  /// The ids of the proof files `Proofs/T<nn>-<topic>.md`.
  static func proofFileIds() throws -> [String: [String]] {
    let names = try FileManager.default.contentsOfDirectory(atPath: proofs.path)
    var byId: [String: [String]] = [:]
    for name in names where name.hasSuffix(".md") && name.first == "T" {
      guard let dash = name.firstIndex(of: "-") else { continue }
      byId[String(name[..<dash]), default: []].append(name)
    }
    return byId
  }

  @Test(arguments: TheoremID.allCases)
  func everyTheoremHasOneProofFile(_ id: TheoremID) throws {
    let files = try Self.proofFileIds()[id.rawValue] ?? []
    #expect(files.count == 1, "\(id): proof files \(files) in Proofs/")
    for file in files {
      let text = try String(contentsOf: Self.proofs.appendingPathComponent(file), encoding: .utf8)
      #expect(text.contains(id.rawValue), "\(file) does not name \(id)")
    }
  }

  @Test func everyProofFileHasItsId() throws {
    let known = Set(TheoremID.allCases.map(\.rawValue))
    for (id, files) in try Self.proofFileIds() {
      #expect(known.contains(id), "\(files) in Proofs/ has no TheoremID")
    }
  }

  /// The ids encode as their strings, so JSON consumers see `"T06"`, not a case name.
  @Test func idsEncodeAsTheirStrings() throws {
    let data = try JSONEncoder().encode([TheoremID.t06, .t14])
    #expect(String(decoding: data, as: UTF8.self) == #"["T06","T14"]"#)
    #expect(try JSONDecoder().decode([TheoremID].self, from: Data(#"["T01"]"#.utf8)) == [.t01])
    #expect(throws: DecodingError.self) {
      try JSONDecoder().decode([TheoremID].self, from: Data(#"["T1O"]"#.utf8))
    }
    let claims = try JSONEncoder().encode([ClaimID.c4])
    #expect(String(decoding: claims, as: UTF8.self) == #"["C4"]"#)
    #expect("\(TheoremID.t03) \(ClaimID.c7) \(LintKind.noCooldown)" == "T03 C7 no-cooldown")
  }

  /// Every theorem a claim cites is in the closed set (by construction) and has its proof file.
  @Test func claimsCiteOnlyProvedTheorems() throws {
    let files = try Self.proofFileIds()
    for variant in [Parameters.report, .repo] {
      let r = try variant.claims(ClaimsRequest())
      for claim in r.claims {
        for t in claim.theorems { #expect(files[t.rawValue] != nil, "\(claim.id) cites \(t)") }
      }
    }
  }
}
