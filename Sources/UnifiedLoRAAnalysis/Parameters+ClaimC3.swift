import UnifiedLoRA

// C3: without shocks the system settles in Single (T03, T08).
extension Parameters {
  func claimC3(_ r: ClaimsRequest) throws(AnalysisError) -> ClaimResult {
    let clean = r.clean
    let f = fixedPoint(clean)
    let th = try inputThresholds(givenLoss: clean.loss, givenEnv: clean.env)
    let st = try settlingTime(from: initial, input: clean, convention: .relativeToStep)
    var conditions: [String] = []
    switch variant {
    case .report:
      conditions.append(
        "the sustained input satisfies X = α_E·E + (1 − α_E)·L/(1 + L) < θ0/(1 − θ0) = \(singleLimit)")
      conditions.append("at E = \(clean.env): L < \(text(th.maxLossForSingleValue, th.maxLossForSingle))")
      conditions.append("at L = \(clean.loss): E < \(text(th.maxEnvForSingleValue, th.maxEnvForSingle))")
    case .repo:
      conditions.append("the sustained loss satisfies L < θ0/(1 − θ0) = \(singleLimit)")
    }
    var findings = [
      "Low-stress regime \(clean): φ* = \(f.phi) (\(f.mode)); φ settles (ε = 0.02 relative to the step) after \(st.steps.map(String.init) ?? "-") updates."
    ]
    var witnesses: [Witness] = []
    // The boundary: a sustained input just past the Single limit settles in Multi.
    if case .value(let lmax) = th.maxLossForSingle {
      let l = (lmax + 1).rounded(.up)
      let u = ConstantInput(loss: l, env: clean.env)
      let n = max(300, (st.certifiedFrom ?? 0) * 3)
      let w = Witness(
        shows: "a sustained L = \(l) > \(lmax) settles in \(fixedPoint(u).mode), not Single (last record)",
        runs: [.init(count: n, loss: l, env: clean.env)])
      if let last = replay(w).last, last.mode != .single { witnesses.append(w) }
    }
    let verdict: Verdict
    if f.mode == .single {
      verdict = .holdsUnderConditions
      // The whole loss box, when it was given, must stay below the limit too.
      let hi = typedCorner(r.box)
      if squash(stressTarget(hi)) >= theta0 {
        findings.append(
          "Over the input box \(r.box) it does not always hold: the sustained input \(hi) settles in \(fixedPoint(hi).mode)."
        )
      }
    } else {
      verdict = .refuted
      findings.append("The low-stress input itself does not settle in Single.")
      let w = Witness(
        shows: "the low-stress input settles in \(f.mode) (last record)",
        runs: [.init(count: max(300, (st.certifiedFrom ?? 0) * 3), loss: clean.loss, env: clean.env)])
      if replay(w).last?.mode == f.mode { witnesses.insert(w, at: 0) }
    }
    var figures: [ClaimFigure: Double] = [.phiStar: f.phi, .singleLimit: singleLimit]
    figures.set(.settlingSteps, st.steps)
    figures[.maxLossForSingle] = th.maxLossForSingle.number
    if variant == .report { figures[.maxEnvForSingle] = th.maxEnvForSingle.number }
    return ClaimResult(
      id: .c3, claim: "without shocks, φ → φ* < θ0 and the system settles in Single", verdict: verdict,
      conditions: conditions, findings: findings, theorems: [.t03, .t08], witnesses: witnesses,
      figures: figures)
  }
}
