import UnifiedLoRA

// C6: stateless across steps except for φ (T11).
extension Parameters {
  func claimC6() -> ClaimResult {
    let a = ControllerState(ehat: 0, phi: 0.1, mode: .single)
    let b = ControllerState(ehat: 5, phi: 0.1, mode: .single)
    let runs: [Witness.Run] = [.init(count: 2, loss: 0.5, env: 0)]
    let wa = Witness(shows: "Ê_0 = 0, φ_0 = 0.1: compare phi with the next command", runs: runs, initial: a)
    let wb = Witness(shows: "Ê_0 = 5, φ_0 = 0.1: same φ, different phi afterwards", runs: runs, initial: b)
    let differ = replay(wa).map(\.phi) != replay(wb).map(\.phi)
    switch variant {
    case .report:
      return ClaimResult(
        id: .c6, claim: "the controller is stateless across steps except for φ", verdict: .refuted,
        conditions: ["the state is (Ê, φ, M, s): smoothed stress, stress scalar, mode, last switch step"],
        findings: [
          "Two states with the same φ and different Ê have different futures\(differ ? " (checked)" : "").",
          "The mode M and the last switch s also carry over: with the same (Ê, φ), a switch less than N_s = \(cooldown) steps ago blocks the next one.",
        ], theorems: [.t11], witnesses: differ ? [wa, wb] : [])
    case .repo where beta == 0 || !differ:
      // With β = 0 the smoothed loss is replaced by the raw loss before it is used (T11): the next
      // state depends on φ and the input alone, and the mode is a function of the new φ.
      return ClaimResult(
        id: .c6, claim: "the controller is stateless across steps except for φ", verdict: .holds,
        conditions: [
          "β = 0: Ê ← L before Ê is read, so the state is φ alone; the mode is a function of the new φ and carries nothing (no cooldown)"
        ],
        findings: [
          "Two states with the same φ and different Ê have the same future\(differ ? "" : " (checked)").",
          "The next state does not depend on M: the initial mode only labels the state before the first update.",
        ], theorems: [.t11], witnesses: [])
    case .repo:
      return ClaimResult(
        id: .c6, claim: "the controller is stateless across steps except for φ", verdict: .refuted,
        conditions: [
          "the state is (Ê, φ): smoothed raw loss and stress scalar; the mode is a function of the new φ and carries nothing (no cooldown)"
        ],
        findings: [
          "Two states with the same φ and different Ê have different futures\(differ ? " (checked)" : "").",
          "The next state does not depend on M: the initial mode only labels the state before the first update.",
        ], theorems: [.t11], witnesses: differ ? [wa, wb] : [])
    }
  }
}
