import UnifiedLoRA

// C4: Mirror only under shock, Multi not skipped (T06, T07, T13).
extension Parameters {
  func claimC4(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> ClaimResult {
    // C4 is about the spike's fixed point (φ* > θ1), not about the initial state: Mirror reached
    // only because φ_0 starts high is a transient, reported as a finding (README, claims --help).
    let spikeTarget = stressTarget(r.box.upperCorner)
    let mirror = squash(spikeTarget) > theta1
    var findings = [
      "Over \(r.box): sup φ = \(reach.phiSup) (θ1 = \(theta1)); reachable modes: \(reach.modes.map(\.description).joined(separator: ", "))."
    ]
    var conditions: [String] = []
    var witnesses: [Witness] = []
    var figures: [ClaimFigure: Double] = [
      .phiSup: reach.phiSup, .theta1: theta1, .mirrorLimit: mirrorLimit, .supPhiStar: squash(spikeTarget),
    ]
    switch variant {
    case .report:
      let atInfinity = lowerEnv(limit: mirrorLimit, d: 1)
      let atShock = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
      figures[.minEnvForMirror] = atShock.minEnvForMirror.number
      conditions.append(
        alphaE < 1
          ? "Mirror needs a sustained X = α_E·E + (1 − α_E)·D > θ1/(1 − θ1) = \(mirrorLimit); since D < 1, a loss spike alone (E = 0) gives X = (1 − α_E)·D < 1 − α_E = \(1 - alphaE)"
          : "Mirror needs a sustained X = α_E·E + (1 − α_E)·D > θ1/(1 − θ1) = \(mirrorLimit); with α_E = 1 the loss has no effect: a loss spike alone (E = 0) gives X = 0"
      )
      conditions.append(
        "at L = \(r.shock.loss): sustained E > \(atShock.minEnvForMirrorValue.map(\.description) ?? atShock.minEnvForMirror.description) (Brent: \(atShock.minEnvForMirrorBrent.map(\.description) ?? "not available")); for any loss: E > \(text(thresholdValue(.minEnvForMirror, given: .infinity, bound: atInfinity), atInfinity))"
      )
    case .repo:
      conditions.append("Mirror needs a sustained loss L > θ1/(1 − θ1) = \(mirrorLimit)")
    }
    let hi = typedCorner(r.box)
    if !mirror && reach.modes.contains(.mirror) {
      findings.append(
        "Mirror is reached from the configured initial state (φ_0 = \(initial.phi)) only because φ starts high: no sustained input in the box gives φ* > θ1 (sup φ* = \(squash(spikeTarget))). C4 speaks of the spike's fixed point, so this does not count for it."
      )
    }
    if !mirror {
      let n = 1000
      let w = Witness(
        shows:
          "a sustained spike \(hi) for \(n) steps ends below θ1 = \(theta1), not in Mirror (last record)",
        runs: [.init(count: n, loss: hi.loss, env: hi.env)])
      if let last = replay(w).last, last.mode != .mirror, last.phi < theta1 { witnesses.append(w) }
      let spike = Witness(
        shows:
          "the report's spike (L = \(r.shock.loss), E = \(r.shock.env), \(r.shockLength) steps) from the low-stress resting state never reaches Mirror",
        runs: [
          .init(count: r.shockLength, loss: r.shock.loss, env: r.shock.env),
          .init(count: 200, loss: r.clean.loss, env: r.clean.env),
        ], initial: restingState(r.clean))
      if replay(spike).allSatisfy({ $0.mode != .mirror }) { witnesses.append(spike) }
    }
    // Can Multi be skipped (T13)? One jump over the band, or the cooldown holding Single.
    let gSup = squash(max(initial.ehat, stressTarget(r.box.upperCorner)))
    if (1 - alpha) * theta0 + alpha * gSup > theta1 {
      findings.append(
        "Multi can be skipped in one step: (1 − α)·θ0 + α·sup g = \((1 - alpha) * theta0 + alpha * gSup) > θ1 (T13)."
      )
    }
    if mirror && variant == .report && cooldown > 0 {
      // From Multi with φ = 0: the first update switches to Single; a spike then crosses the
      // Multi band while the cooldown holds the mode, which then jumps to Mirror.
      let start = ControllerState(ehat: 0, phi: 0, mode: .multi)
      let n = cooldown + 200
      let w = Witness(
        shows:
          "Single → Mirror directly between two consecutive records, skipping Multi: the cooldown holds Single while φ crosses the Multi band",
        runs: [.init(count: n, loss: hi.loss, env: hi.env)], initial: start)
      let recs = replay(w)
      var skipped = false
      for (a, b) in zip(recs, recs.dropFirst()) where a.mode == .single && b.mode == .mirror {
        skipped = true
      }
      if skipped {
        witnesses.append(w)
        findings.append(
          "With a recent switch into Single, the cooldown makes the controller go Single → Mirror directly (T13)."
        )
      }
    }
    return ClaimResult(
      id: .c4,
      claim:
        "a loss spike (L ≫ 1, D ≈ 1, X → 0.5E + 0.5) drives φ* > θ1 and the FSM goes Single → Multi → Mirror",
      verdict: mirror ? .holdsUnderConditions : .refuted, conditions: conditions, findings: findings,
      theorems: [.t06, .t07, .t13], witnesses: witnesses, figures: figures)
  }
}
