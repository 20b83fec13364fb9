import UnifiedLoRA

// C2: mode changes respect the cooldown (T10, T12).
extension Parameters {
  func claimC2(_ r: ClaimsRequest, _ reach: Reachability) -> ClaimResult {
    let published = Parameters.report.cooldown
    if variant == .report {
      var conditions = [
        "switches are at least N_s = \(cooldown) steps apart, counted in the input's step column (t − s ≥ N_s)"
      ]
      if cooldown == 0 { conditions.append("N_s = 0 imposes nothing: the mode may switch at every step") }
      return ClaimResult(
        id: .c2, claim: "mode changes respect the cooldown t − t_last ≥ N_s", verdict: .holds,
        conditions: conditions,
        findings: [
          "The report variant switches only when t − s_t ≥ N_s (s = −∞ before the first switch), so this holds by construction for every input."
        ], theorems: [.t10], witnesses: [], figures: [.cooldown: Double(cooldown)])
    }
    let found = chatter(r.box, cooldown: nil, maxHalfPeriod: 40)
    var witnesses: [Witness] = []
    var findings = ["The published controller has no cooldown: the mode follows classify(φ) at every step."]
    var conditions = [
      "only the report variant has a cooldown; the published N_s = \(published) is the reference"
    ]
    let verdict: Verdict
    if let found, found.minGap < published {
      // A refutation always carries its witness.
      witnesses.append(found.witness)
      findings.append(
        "Witness: \(found.switches) mode changes between consecutive records in \(found.steps) steps, two of them \(found.minGap) steps apart (< N_s = \(published))."
      )
      verdict = .refuted
    } else if reach.modesPossible.count <= 1 {
      verdict = .holds
      findings.append(
        "Over \(r.box) every record shows the same mode (\(reach.modesPossible.map(\.description).joined())): no two switches exist, so none can be closer than N_s (vacuously true; T06)."
      )
    } else {
      verdict = .holdsUnderConditions
      conditions.append(
        "not refuted over \(r.box): the search over square waves found no two switches closer than N_s = \(published); nothing in the repo variant enforces it, so a varying input outside the searched family may still break it"
      )
    }
    var figures: [ClaimFigure: Double] = [.cooldown: Double(published)]
    if !witnesses.isEmpty, let found {
      figures.set(.witnessSwitches, found.switches)
      figures.set(.witnessSteps, found.steps)
      figures.set(.witnessMinGap, found.minGap)
    }
    return ClaimResult(
      id: .c2, claim: "mode changes respect the cooldown t − t_last ≥ N_s", verdict: verdict,
      conditions: conditions, findings: findings, theorems: [.t10, .t12],
      witnesses: witnesses, figures: figures)
  }
}
