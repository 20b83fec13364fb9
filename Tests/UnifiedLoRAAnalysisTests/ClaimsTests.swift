import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct ClaimsTests {
  func verdicts(_ r: ClaimsReport) -> [String: Verdict] {
    Dictionary(uniqueKeysWithValues: r.claims.map { ($0.id.rawValue, $0.verdict) })
  }

  /// The verdicts at the report's defaults with E ≡ 0 (SPEC §5, COMMON theorem table).
  @Test func defaults() throws {
    let r = try Parameters.report.claims(ClaimsRequest())
    #expect(
      verdicts(r) == [
        "C1": .refuted, "C2": .holds, "C3": .holdsUnderConditions, "C4": .refuted,
        "C5": .holdsUnderConditions, "C6": .refuted, "C7": .refuted,
      ])
    #expect(r.claims.map(\.id) == [.c1, .c2, .c3, .c4, .c5, .c6, .c7])
    let theorems = Set(r.claims.flatMap(\.theorems))
    #expect(theorems.isSubset(of: Set(TheoremID.allCases.filter { $0 != .t15 })))
    #expect(r.answers[0].answer.hasPrefix("no") && r.answers[1].answer.hasPrefix("no"))
    #expect(r.lint.contains { $0.kind == .thresholdNeverCrossed })
  }

  /// Every refutation carries a witness, and replaying each witness through the core shows what
  /// it claims (here: C4's spikes stay below θ1, C1's first record has φ = 0).
  @Test func witnessesReplay() throws {
    let p = Parameters.report
    let r = try p.claims(ClaimsRequest())
    for c in r.claims where c.verdict == .refuted {
      #expect(!c.witnesses.isEmpty, "\(c.id) has no witness")
    }
    let c4 = r.claims.first { $0.id == .c4 }!
    for w in c4.witnesses { #expect(p.replay(w).allSatisfy { $0.phi < p.theta1 && $0.mode != .mirror }) }
    let c1 = r.claims.first { $0.id == .c1 }!
    #expect(p.replay(c1.witnesses[0]).first?.phi == 0)
    let c7 = r.claims.first { $0.id == .c7 }!
    let recs = p.replay(c7.witnesses[0])
    let switches = zip(recs.dropFirst(), recs).filter { $0.mode != $1.mode }.count
    #expect(switches >= 10)
  }

  /// With a large enough env range, C4 holds under conditions and the cooldown can make the
  /// controller skip Multi (T13); the repo variant refutes C2 with a checked witness.
  @Test func envRangeAndRepo() throws {
    let p = Parameters.report
    let r = try p.claims(ClaimsRequest(box: InputBox(loss: 0...Double.infinity, env: 0...10)))
    let c4 = r.claims.first { $0.id == .c4 }!
    #expect(c4.verdict == .holdsUnderConditions)
    let skip = c4.witnesses.first { $0.shows.contains("skipping Multi") }
    #expect(skip != nil)
    if let skip {
      let recs = p.replay(skip)
      #expect(zip(recs.dropFirst(), recs).contains { $0.mode == .mirror && $1.mode == .single })
    }
    let repo = try Parameters.repo.claims(ClaimsRequest())
    let c2 = repo.claims.first { $0.id == .c2 }!
    #expect(c2.verdict == .refuted && !c2.witnesses.isEmpty)
    #expect(verdicts(repo)["C4"] == .holdsUnderConditions)  // the repo reaches Mirror on loss alone
    #expect(verdicts(repo)["C3"] == .refuted)  // L = 0.5 gives φ* = 1/3 ≥ θ0
  }

  /// The learning-rate lint.
  @Test func learningRateLint() throws {
    let p = try Parameters.report.with(learningRates: LearningRates(single: 1e-4, multi: 5e-4, mirror: 2e-3))
    let r = try p.claims(ClaimsRequest())
    #expect(r.lint.filter { $0.kind == .learningRates }.count == 2)
  }
}
