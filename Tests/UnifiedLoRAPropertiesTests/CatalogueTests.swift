import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAProperties

/// The catalogue in `swift test`: each theorem survives a small search, each refutation is found
/// and reduced. Budget: 300 cases of 200 steps per property (a few seconds in debug builds); the
/// command line's default is 5000 cases of 1000 steps per property plus the lanes engine.
@Suite struct CatalogueTests {
  static let theorems = Catalogue.all.filter { $0.direction == .theorem }.map(\.id)
  static let refutations = Catalogue.all.filter { $0.direction == .refutation }.map(\.id)

  @Test(arguments: theorems)
  func theoremSurvivesTheSearch(_ id: String) throws {
    let seed = freshSeed()
    let inv = try #require(Catalogue.all.first { $0.id == id })
    let o = Search.run(inv, traces: 300, steps: 200, seed: seed)
    #expect(
      o.verdict == .holds,
      "\(id) violated (seed \(seed)): \(o.witness?.message ?? "") \(o.witness.map { String(describing: $0.case) } ?? "")"
    )
    #expect(o.traces > 0, "\(id): no case inside the hypotheses (seed \(seed))")
  }

  @Test(arguments: refutations)
  func refutationIsFoundAndReduced(_ id: String) throws {
    let seed = freshSeed()
    let inv = try #require(Catalogue.all.first { $0.id == id })
    let o = Search.run(inv, traces: 3000, steps: 300, seed: seed)
    #expect(o.verdict == .refuted, "\(id): the report's wording was not refuted (seed \(seed))")
    let w = try #require(o.witness)
    // the reduced witness is still inside the hypotheses and still a counterexample
    #expect(inv.premise(w.case), "\(id): the witness left the hypotheses (seed \(seed))")
    #expect(inv.counterexample(w.case) != nil, "\(id): the witness no longer fails (seed \(seed))")
    // the replays run the reduced case: its parameters, over its trace
    #expect(w.replays.first?.settings == w.case.parameters.settingsDifferingFromDefaults)
    #expect(w.replays.first?.losses == w.case.trace.losses)
  }

  /// The known minimal counterexamples stay counterexamples: a change to the core or the catalogue
  /// that made one disappear fails here.
  @Test func knownWitnesses() throws {
    func fails(_ id: String, _ c: Case) -> Bool {
      guard let inv = Catalogue.all.first(where: { $0.id == id }) else { return false }
      return inv.premise(c) && inv.counterexample(c) != nil
    }
    // C1: φ1 = 0 from the default initial state, whatever the loss
    #expect(fails("C1.claim", Case(parameters: .report, trace: Trace(losses: [0]))))
    // T02: φ = 1 exactly in binary64 (α = 1, β = 0, Ê0 = 1e17)
    let fast = try Parameters(alpha: 1, beta: 0, initial: ControllerState(ehat: 1e17, phi: 0, mode: .single))
    #expect(fails("C1.binary64", Case(parameters: fast, trace: Trace(losses: [0]))))
    // C3: L = 7 > 6 settles in Multi, not Single (the record of step 51 already shows Multi)
    #expect(fails("C3.claim", Case(parameters: .report, trace: .constant(loss: 7, count: 200))))
    // C4: L = 10 (and 1e300) converges to φ* < 1/3 < θ1: Mirror never
    #expect(fails("C4.claim", Case(parameters: .report, trace: .constant(loss: 10, count: 73))))
    #expect(fails("C4.claim", Case(parameters: .report, trace: .constant(loss: 1e300, count: 100))))
    // C4 order: α = 1, β = 0, α_E = 1, no cooldown, E = 5: Single → Mirror directly
    let skip = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    #expect(
      fails("C4.order.claim", Case(parameters: skip, trace: Trace(losses: [0, 0, 0], envs: [5, 0, 0]))))
    // C6: same φ, different mode ⇒ different learning rate at once
    let a = try Parameters.report.with(initial: ControllerState(ehat: 0, phi: 0.5, mode: .single))
    #expect(
      fails(
        "C6.claim",
        Case(
          parameters: a, trace: .constant(loss: 0, count: 6),
          otherInitial: ControllerState(ehat: 0, phi: 0.5, mode: .multi))))
    // C2: the published controller switches on consecutive steps
    let repoFast = try Parameters(variant: .repo, alpha: 1, beta: 0)
    #expect(fails("C2.claim", Case(parameters: repoFast, trace: Trace(losses: [5, 0]))))
    // T06 in binary64: 1e16 and the next double above give Ê out of order (1 + L rounds differently)
    let lo = Trace(losses: [1e16])
    let hi = Trace(losses: [(1e16 as Double).nextUp])
    #expect(fails("T06.binary64", Case(parameters: .report, trace: lo, otherTrace: hi)))
  }

  @Test func selectByIdClaimOrTheorem() {
    #expect(
      Catalogue.select(["C4"]).map(\.id) == [
        "C4", "C4.claim", "C4.order", "C4.order.claim", "C4.order.defaults",
      ])
    #expect(Catalogue.select(["C1.claim"]).map(\.id) == ["C1.claim"])
    #expect(Catalogue.select([]).count == Catalogue.all.count)
    #expect(Set(Catalogue.all.map(\.id)).count == Catalogue.all.count)
  }
}
