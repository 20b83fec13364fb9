import UnifiedLoRA

// C7: hysteresis prevents oscillation (T12).
extension Parameters {
  func claimC7(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> ClaimResult {
    var findings = [
      "The thresholds have no hysteresis band: Single is left and re-entered at the same θ0 = \(theta0), Mirror at the same θ1 = \(theta1).",
      variant == .report && cooldown > 0
        ? "The cooldown limits the switch rate to one per N_s = \(cooldown) steps; it does not stop oscillation under an oscillating input (T12)."
        : "Without a cooldown the mode may change at every step (T12).",
    ]
    var witnesses: [Witness] = []
    var figures: [ClaimFigure: Double] = [.theta0: theta0, .theta1: theta1]
    if variant == .report { figures.set(.cooldown, cooldown) }
    if let found = chatter(r.box, cooldown: nil, maxHalfPeriod: 200) {
      witnesses.append(found.witness)
      figures.set(.witnessSwitches, found.switches)
      figures.set(.witnessSteps, found.steps)
      figures.set(.witnessMinGap, found.minGap)
      findings.append(
        "Witness: a square wave in the input range gives \(found.switches) mode changes between consecutive records in \(found.steps) steps (closest two \(found.minGap) steps apart)."
      )
    }
    if variant == .report, cooldown > 0, let fast = chatter(r.box, cooldown: 0, maxHalfPeriod: 40) {
      var w = fast.witness
      w.shows = "with --cooldown 0: " + w.shows + ", two of them \(fast.minGap) steps apart"
      witnesses.append(w)
      figures.set(.noCooldownSwitches, fast.switches)
      figures.set(.noCooldownSteps, fast.steps)
      figures.set(.noCooldownMinGap, fast.minGap)
      findings.append(
        "With --cooldown 0: \(fast.switches) mode changes between consecutive records in \(fast.steps) steps (closest two \(fast.minGap) steps apart)."
      )
    }
    let verdict: Verdict
    if witnesses.isEmpty {
      verdict = .holdsUnderConditions
      findings.append(
        "No oscillation is possible over \(r.box): the reachable φ never crosses a threshold both ways.")
    } else {
      verdict = .refuted
    }
    return ClaimResult(
      id: .c7, claim: "smoothing gives hysteresis and prevents oscillation", verdict: verdict,
      conditions: [
        "for a constant input the number of switches is finite (φ converges)",
        variant == .report
          ? "under any input the switch rate is at most one per N_s = \(cooldown) steps"
          : "under a varying input no switch-rate bound exists",
      ], findings: findings, theorems: [.t12], witnesses: witnesses, figures: figures)
  }
}
