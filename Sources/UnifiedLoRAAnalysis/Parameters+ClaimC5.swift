import UnifiedLoRA

// C5: recovery after a shock (T09, T14).
extension Parameters {
  /// C5 means: after the shock the controller returns to the mode it had before the shock (the
  /// low-stress fixed point's mode) and keeps it. For the report defaults that mode is Single;
  /// the published controller's clean level L = 0.5 sits in Multi, and it returns to Multi.
  /// (A judgement documented in the README and `claims --help`.)
  func claimC5(_ r: ClaimsRequest) throws(AnalysisError) -> ClaimResult {
    let resp = try shockResponse(clean: r.clean, shock: r.shock, length: r.shockLength)
    var findings: [String] = []
    let tau = beta == 0 ? 0 : -1 / logarithm(beta)
    findings.append("Ê decays with time constant −1/ln β = \(tau) updates (Ê_t − X = β^t·(Ê_0 − X)).")
    let entered = resp.switches.filter(\.duringShock).map { "\($0.to) at update \($0.update)" }
    findings.append(
      "Shock \(r.shock) for \(r.shockLength) updates from the low-stress fixed point: "
        + (entered.isEmpty ? "no mode switch during the shock" : entered.joined(separator: ", "))
        + "; peak φ = \(resp.peakPhi) after update \(resp.peakUpdate).")
    let before = resp.start.mode
    var witness = Witness(
      shows: "the shock and the recovery (compare the records after step \(r.shockLength - 1))",
      runs: [
        .init(count: r.shockLength, loss: r.shock.loss, env: r.shock.env),
        .init(count: 200, loss: r.clean.loss, env: r.clean.env),
      ], initial: resp.start)
    var figures: [ClaimFigure: Double] = [.timeConstant: tau, .peakPhi: resp.peakPhi]
    figures.set(.peakUpdate, resp.peakUpdate)
    figures.set(.toSingle, resp.toSingle.value)
    figures.set(.settledInSingle, resp.settledInSingle.value)
    let verdict: Verdict
    if resp.switches.isEmpty {
      verdict = .holdsUnderConditions
      findings.append(
        "The shock never leaves the pre-shock mode \(before), so there is nothing to recover from (C5 holds vacuously)."
      )
    } else if resp.finalMode == before {
      verdict = .holdsUnderConditions
      let last = resp.switches.last!
      let back = max(1, last.update - r.shockLength)
      figures.set(.recoveryUpdate, back)
      findings.append(
        "The controller returns to its pre-shock mode \(before) at recovery update \(back) and keeps it for good."
      )
      witness.shows += "; back in \(before) from the record of step \(r.shockLength + back - 1) on"
    } else {
      verdict = .refuted
      findings.append(
        "The controller ends in \(resp.finalMode), not in its pre-shock mode \(before).")
    }
    if before == .single || resp.toSingle != .never {
      findings.append(
        "Single is regained after recovery update \(resp.toSingle) and kept for good from recovery update \(resp.settledInSingle)."
      )
    } else {
      findings.append(
        "The low-stress fixed point is not in Single: the controller never returns to Single (C3).")
    }
    let witnesses = replay(witness).count == r.shockLength + 200 ? [witness] : []
    return ClaimResult(
      id: .c5,
      claim: "after the shock, Ê decays slowly, the controller stays conservative for a while, then recovers",
      verdict: verdict,
      conditions: [
        "recovery means the return to the pre-shock mode, the mode of the low-stress fixed point (\(before) here); recovery to Single needs the post-shock input to satisfy the C3 condition",
        variant == .report
          ? "the recovery latency is finite and certified for the stated shock; the cooldown can add up to N_s = \(cooldown) updates"
          : "the recovery latency is finite and certified for the stated shock (no cooldown)",
      ], findings: findings, theorems: [.t09, .t14], witnesses: witnesses, figures: figures)
  }
}
