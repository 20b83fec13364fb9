import UnifiedLoRA

/// The verdict on one of the report's claims (SPEC §5).
public enum Verdict: String, Sendable, Hashable, Codable {
  case holds
  case holdsUnderConditions = "holds only under stated conditions"
  case refuted
}

/// One claim, evaluated for a parameter set and input ranges.
public struct ClaimResult: Sendable, Hashable, Codable {
  /// `C1` … `C7`.
  public var id: String
  /// The claim as the report states it.
  public var claim: String
  public var verdict: Verdict
  /// The exact conditions under which it holds (empty when it holds unconditionally).
  public var conditions: [String]
  /// The numbers behind the verdict, in words.
  public var findings: [String]
  /// The theorem ids (T01 … T14) that prove the verdict.
  public var theorems: [String]
  /// Concrete traces that refute the claim or show where its conditions end; each was replayed
  /// through the core and checked before being reported.
  public var witnesses: [Witness]
}

/// An answer to one of the standard questions about the configuration.
public struct Answer: Sendable, Hashable, Codable {
  public var question: String
  public var answer: String
  public var theorems: [String]
}

/// A configuration warning for practitioners.
public struct LintWarning: Sendable, Hashable, Codable {
  /// A stable identifier: `threshold-never-crossed`, `mode-never-left`, `learning-rates`, ….
  public var kind: String
  public var message: String
}

/// The report of `unified-lora claims`.
public struct ClaimsReport: Sendable, Hashable, Codable {
  public var parameters: Parameters
  /// The sustained input ranges the answers are for.
  public var box: InputBox
  /// The low-stress and shock regimes used for C3 and C5.
  public var clean: ConstantInput
  public var shock: ConstantInput
  public var shockLength: Int
  public var claims: [ClaimResult]
  public var answers: [Answer]
  public var lint: [LintWarning]
}

/// What `claims` is asked.
public struct ClaimsRequest: Sendable, Hashable {
  public var box: InputBox
  public var clean: ConstantInput
  public var shock: ConstantInput
  public var shockLength: Int

  public init(
    box: InputBox = InputBox(loss: 0...Double.infinity), clean: ConstantInput = ConstantInput(loss: 0.5),
    shock: ConstantInput = ConstantInput(loss: 20), shockLength: Int = 100
  ) {
    self.box = box
    self.clean = clean
    self.shock = shock
    self.shockLength = shockLength
  }
}

extension Parameters {
  /// Evaluates the report's claims C1–C7 (SPEC §5) for these parameters and the sustained input
  /// ranges of `r.box`, answers the standard questions, and lints the configuration.
  ///
  /// Every verdict comes from the analysis (closed forms cross-checked by GSL where the analysis
  /// does so) and every witness is replayed through the core and checked before it is reported.
  ///
  /// - Throws: ``AnalysisError`` when an analysis fails.
  public func claims(_ r: ClaimsRequest) throws(AnalysisError) -> ClaimsReport {
    let reach = try reachability(r.box)
    var claims: [ClaimResult] = []
    claims.append(try claimC1(r))
    claims.append(claimC2(r, reach))
    claims.append(try claimC3(r))
    claims.append(try claimC4(r, reach))
    claims.append(try claimC5(r))
    claims.append(claimC6())
    claims.append(try claimC7(r, reach))
    return ClaimsReport(
      parameters: self, box: r.box, clean: r.clean, shock: r.shock, shockLength: r.shockLength,
      claims: claims, answers: try answers(r), lint: try lint(r, reach))
  }

  var bigLoss: Double { 1e6 }

  /// The box's upper corner with an infinite bound replaced by a large value a user can type.
  func typedCorner(_ box: InputBox) -> ConstantInput {
    ConstantInput(
      loss: box.lossHi.isFinite ? box.lossHi : bigLoss, env: box.envHi.isFinite ? box.envHi : 1e6)
  }

  // MARK: C1

  func claimC1(_ r: ClaimsRequest) throws(AnalysisError) -> ClaimResult {
    var witnesses: [Witness] = []
    // φ = 0 from the zero state: the report's φ_1 uses the old Ê_0 = 0; L = E = 0 keeps φ = 0.
    let zero = ControllerState(ehat: 0, phi: 0, mode: initial.mode)
    let low = r.box.lowerCorner
    var w = Witness(
      shows: "phi = 0 in the record of step 0 (the open interval (0, 1) fails at 0)",
      runs: [.init(count: 3, loss: low.loss, env: low.env)],
      initial: zero == initial ? nil : zero)
    if let rec = replay(w).first, rec.phi == 0 {
      if variant == .repo && low.loss > 0 {
        w.runs = [.init(count: 3, loss: 0, env: 0)]
        w.shows += "; a zero loss is needed in the repo variant"
      }
      witnesses.append(w)
    } else if variant == .repo {
      w.runs = [.init(count: 3, loss: 0, env: 0)]
      w.initial = zero
      w.shows += "; a zero loss is needed in the repo variant"
      if replay(w).first?.phi == 0 { witnesses.append(w) }
    }
    // The largest φ in binary64 (T02): every rounded operation is monotone, so the trajectory
    // under the largest input (g(Ê) = 1 exactly once Ê ≥ 2^53) dominates all others; iterate it
    // until φ stops changing or reaches 1.
    let huge = variant == .report ? ConstantInput(loss: 1e300, env: 1e300) : ConstantInput(loss: 1e300)
    var s = initial
    var hit: Int?
    var ceiling = s.phi
    for t in 0..<1_000_000 {
      let n = next(s, huge, at: t)
      if n.phi >= 1 { hit = t; break }
      if n.phi == s.phi && squash(s.ehat) == 1 && squash(n.ehat) == 1 { ceiling = n.phi; break }
      s = n
      ceiling = s.phi
    }
    if let hit {
      let w1 = Witness(
        shows: "phi = 1.0 exactly in the record of step \(hit) (binary64 rounding closes the interval at 1)",
        runs: [.init(count: hit + 1, loss: huge.loss, env: huge.env)])
      if replay(w1).last?.phi == 1 { witnesses.append(w1) }
    }
    var findings = [
      "In exact arithmetic φ stays in [0, 1) whenever φ_0 ∈ [0, 1): φ' is a convex combination of φ and g(Ê) ∈ [0, 1).",
      variant == .report
        ? "φ_1 = (1 − α)·φ_0 + α·Ê_0/(1 + Ê_0) uses the old Ê_0: from the default state (0, 0) φ_1 = 0 whatever the input, and L = E = 0 keeps φ = 0 for ever."
        : "From Ê_0 = 0, φ_0 = 0 a zero loss keeps φ = 0 for ever.",
    ]
    let binary64: String
    if let hit {
      binary64 = "in binary64 φ reaches exactly 1.0 (after \(hit + 1) updates of the largest input): φ ∈ [0, 1] only"
      findings.append(
        "In binary64 φ reaches exactly 1.0 after \(hit + 1) updates of \(huge) (Ê/(1 + Ê) rounds to 1, then (1 − α)·φ + α·1 rounds up to 1).")
    } else {
      binary64 = "in binary64 φ ≤ \(ceiling) < 1 for every input (for these α and initial state)"
      findings.append(
        "In binary64 the largest input (\(huge), Ê/(1 + Ê) = 1 exactly) drives φ to \(ceiling), where (1 − α)·φ + α rounds back to φ: 1.0 is never reached. Every rounded operation is monotone, so no other input goes higher.")
    }
    return ClaimResult(
      id: "C1", claim: "the denominator guarantees φ ∈ (0, 1)", verdict: .refuted,
      conditions: [
        "φ ∈ [0, 1) (not the open interval) in exact arithmetic, for every valid input, when φ_0 ∈ [0, 1)",
        binary64,
      ], findings: findings, theorems: ["T01", "T02"], witnesses: witnesses)
  }

  // MARK: C2

  func claimC2(_ r: ClaimsRequest, _ reach: Reachability) -> ClaimResult {
    let published = Parameters.report.cooldown
    if variant == .report {
      var conditions = [
        "switches are at least N_s = \(cooldown) steps apart, counted in the input's step column (t − s ≥ N_s)"
      ]
      if cooldown == 0 { conditions.append("N_s = 0 imposes nothing: the mode may switch at every step") }
      return ClaimResult(
        id: "C2", claim: "mode changes respect the cooldown t − t_last ≥ N_s", verdict: .holds,
        conditions: conditions,
        findings: [
          "The report variant switches only when t − s_t ≥ N_s (s = −∞ before the first switch), so this holds by construction for every input."
        ], theorems: ["T10"], witnesses: [])
    }
    let found = chatter(r.box, cooldown: nil, maxHalfPeriod: 40)
    var witnesses: [Witness] = []
    var findings = ["The published controller has no cooldown: the mode follows classify(φ) at every step."]
    if let found, found.minGap < published {
      witnesses.append(found.witness)
      findings.append(
        "Witness: \(found.switches) switches in \(found.steps) steps, two of them \(found.minGap) steps apart (< N_s = \(published)).")
    }
    return ClaimResult(
      id: "C2", claim: "mode changes respect the cooldown t − t_last ≥ N_s", verdict: .refuted,
      conditions: ["only the report variant has a cooldown"], findings: findings, theorems: ["T10", "T12"],
      witnesses: witnesses)
  }

  // MARK: C3

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
      conditions.append("at E = \(clean.env): L < \(th.maxLossForSingle)")
      conditions.append("at L = \(clean.loss): E < \(th.maxEnvForSingle)")
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
          "Over the input box \(r.box) it does not always hold: the sustained input \(hi) settles in \(fixedPoint(hi).mode).")
      }
    } else {
      verdict = .refuted
      findings.append("The low-stress input itself does not settle in Single.")
      let w = Witness(
        shows: "the low-stress input settles in \(f.mode) (last record)",
        runs: [.init(count: max(300, (st.certifiedFrom ?? 0) * 3), loss: clean.loss, env: clean.env)])
      if replay(w).last?.mode == f.mode { witnesses.insert(w, at: 0) }
    }
    return ClaimResult(
      id: "C3", claim: "without shocks, φ → φ* < θ0 and the system settles in Single", verdict: verdict,
      conditions: conditions, findings: findings, theorems: ["T03", "T08"], witnesses: witnesses)
  }

  // MARK: C4

  func claimC4(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> ClaimResult {
    let mirror = reach.modes.contains(.mirror)
    var findings = [
      "Over \(r.box): sup φ = \(reach.phiSup) (θ1 = \(theta1)); reachable modes: \(reach.modes.map(\.description).joined(separator: ", "))."
    ]
    var conditions: [String] = []
    var witnesses: [Witness] = []
    switch variant {
    case .report:
      let atInfinity = lowerEnv(limit: mirrorLimit, d: 1)
      let atShock = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
      conditions.append(
        "Mirror needs a sustained X = α_E·E + (1 − α_E)·D > θ1/(1 − θ1) = \(mirrorLimit); since D < 1, a loss spike alone gives X < 1 − α_E = \(1 - alphaE)"
      )
      conditions.append(
        "at L = \(r.shock.loss): sustained E > \(atShock.minEnvForMirror) (Brent: \(atShock.minEnvForMirrorBrent ?? .none)); for any loss: E > \(atInfinity)")
    case .repo:
      conditions.append("Mirror needs a sustained loss L > θ1/(1 − θ1) = \(mirrorLimit)")
    }
    let hi = typedCorner(r.box)
    if !mirror {
      let n = 1000
      let w = Witness(
        shows: "a sustained spike \(hi) for \(n) steps never reaches Mirror: max phi < θ1 = \(theta1)",
        runs: [.init(count: n, loss: hi.loss, env: hi.env)])
      let recs = replay(w)
      if recs.allSatisfy({ $0.mode != .mirror && $0.phi < theta1 }) { witnesses.append(w) }
      let spike = Witness(
        shows: "the report's spike (L = \(r.shock.loss), E = \(r.shock.env), \(r.shockLength) steps) never reaches Mirror",
        runs: [
          .init(count: 200, loss: r.clean.loss, env: r.clean.env),
          .init(count: r.shockLength, loss: r.shock.loss, env: r.shock.env),
          .init(count: 200, loss: r.clean.loss, env: r.clean.env),
        ])
      if replay(spike).allSatisfy({ $0.mode != .mirror }) { witnesses.append(spike) }
    }
    // Can Multi be skipped (T13)? One jump over the band, or the cooldown holding Single.
    let gSup = squash(max(initial.ehat, stressTarget(r.box.upperCorner)))
    if (1 - alpha) * theta0 + alpha * gSup > theta1 {
      findings.append(
        "Multi can be skipped in one step: (1 − α)·θ0 + α·sup g = \((1 - alpha) * theta0 + alpha * gSup) > θ1 (T13).")
    }
    if mirror && variant == .report && cooldown > 0 {
      // From Multi with φ = 0: the first update switches to Single; a spike then crosses the
      // Multi band while the cooldown holds the mode, which then jumps to Mirror.
      let start = ControllerState(ehat: 0, phi: 0, mode: .multi)
      let n = cooldown + 200
      let w = Witness(
        shows: "Single → Mirror directly, skipping Multi: the cooldown holds Single while φ crosses the Multi band",
        runs: [.init(count: n, loss: hi.loss, env: hi.env)], initial: start)
      let recs = replay(w)
      var skipped = false
      var previous = start.mode
      for rec in recs {
        if previous == .single && rec.mode == .mirror { skipped = true }
        previous = rec.mode
      }
      if skipped {
        witnesses.append(w)
        findings.append("With a recent switch into Single, the cooldown makes the controller go Single → Mirror directly (T13).")
      }
    }
    return ClaimResult(
      id: "C4",
      claim: "a loss spike (L ≫ 1, D ≈ 1, X → 0.5E + 0.5) drives φ* > θ1 and the FSM goes Single → Multi → Mirror",
      verdict: mirror ? .holdsUnderConditions : .refuted, conditions: conditions, findings: findings,
      theorems: ["T06", "T07", "T13"], witnesses: witnesses)
  }

  // MARK: C5

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
    findings.append(
      "Single is regained after recovery update \(resp.toSingle) and kept for good from recovery update \(resp.settledInSingle).")
    var witnesses = [
      Witness(
        shows: "the shock and the recovery (compare the records after step \(r.shockLength - 1))",
        runs: [
          .init(count: r.shockLength, loss: r.shock.loss, env: r.shock.env),
          .init(count: 200, loss: r.clean.loss, env: r.clean.env),
        ], initial: restingState(r.clean))
    ]
    let verdict: Verdict
    if resp.settledInSingle == .never {
      verdict = .refuted
      findings.append("The controller never returns to Single: the low-stress fixed point is not in Single.")
    } else {
      verdict = .holdsUnderConditions
      if resp.switches.isEmpty {
        findings.append("The shock never leaves Single, so there is nothing to recover from.")
      }
      witnesses[0].shows += "; Single again after \(resp.toSingle) recovery updates"
    }
    return ClaimResult(
      id: "C5", claim: "after the shock, Ê decays slowly, the controller stays conservative for a while, then recovers",
      verdict: verdict,
      conditions: [
        "recovery to Single needs the post-shock input to satisfy the C3 condition (its fixed point in Single)",
        "the recovery latency is finite and certified for the stated shock; the cooldown can add up to N_s = \(cooldown) updates",
      ], findings: findings, theorems: ["T09", "T14"], witnesses: witnesses)
  }

  // MARK: C6

  func claimC6() -> ClaimResult {
    let a = ControllerState(ehat: 0, phi: 0.1, mode: .single)
    let b = ControllerState(ehat: 5, phi: 0.1, mode: .single)
    let runs: [Witness.Run] = [.init(count: 2, loss: 0.5, env: 0)]
    let wa = Witness(shows: "Ê_0 = 0, φ_0 = 0.1: compare phi with the next command", runs: runs, initial: a)
    let wb = Witness(shows: "Ê_0 = 5, φ_0 = 0.1: same φ, different phi afterwards", runs: runs, initial: b)
    let differ = replay(wa).map(\.phi) != replay(wb).map(\.phi)
    return ClaimResult(
      id: "C6", claim: "the controller is stateless across steps except for φ", verdict: .refuted,
      conditions: ["the state is (Ê, φ, M, s): smoothed stress, stress scalar, mode, last switch step"],
      findings: [
        "Two states with the same φ and different Ê have different futures\(differ ? " (checked)" : "").",
        "The mode M and the last switch s also carry over: with the same (Ê, φ), a recent switch blocks the next one for N_s steps.",
      ], theorems: ["T11"], witnesses: differ ? [wa, wb] : [])
  }

  // MARK: C7

  func claimC7(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> ClaimResult {
    var findings = [
      "The thresholds have no hysteresis band: Single is left and re-entered at the same θ0 = \(theta0), Mirror at the same θ1 = \(theta1).",
      variant == .report && cooldown > 0
        ? "The cooldown limits the switch rate to one per N_s = \(cooldown) steps; it does not stop oscillation under an oscillating input (T12)."
        : "Without a cooldown the mode may change at every step (T12).",
    ]
    var witnesses: [Witness] = []
    if let found = chatter(r.box, cooldown: nil, maxHalfPeriod: 200) {
      witnesses.append(found.witness)
      findings.append(
        "Witness: a square wave in the input range gives \(found.switches) switches in \(found.steps) steps (closest two \(found.minGap) steps apart).")
    }
    if variant == .report, cooldown > 0, let fast = chatter(r.box, cooldown: 0, maxHalfPeriod: 40) {
      var w = fast.witness
      w.shows = "with --cooldown 0: " + w.shows + ", two of them \(fast.minGap) steps apart"
      witnesses.append(w)
      findings.append(
        "With --cooldown 0: \(fast.switches) switches in \(fast.steps) steps (closest two \(fast.minGap) steps apart).")
    }
    let verdict: Verdict
    if witnesses.isEmpty {
      verdict = .holdsUnderConditions
      findings.append("No oscillation is possible over \(r.box): the reachable φ never crosses a threshold both ways.")
    } else {
      verdict = .refuted
    }
    return ClaimResult(
      id: "C7", claim: "smoothing gives hysteresis and prevents oscillation", verdict: verdict,
      conditions: [
        "for a constant input the number of switches is finite (φ converges)",
        variant == .report
          ? "under any input the switch rate is at most one per N_s = \(cooldown) steps"
          : "under a varying input no switch-rate bound exists",
      ], findings: findings, theorems: ["T12"], witnesses: witnesses)
  }

  /// Searches square waves between the box's lower corner and a high input (the upper corner,
  /// or a moderate loss of 3 … 100 inside the box, which a smoothed raw loss forgets faster),
  /// half-period 1 … `maxHalfPeriod`, for the one with the most mode switches in 20 periods;
  /// `nil` when none switches at least 4 times.
  func chatter(_ box: InputBox, cooldown override: Int?, maxHalfPeriod: Int) -> (
    witness: Witness, switches: Int, steps: Int, minGap: Int
  )? {
    let top = typedCorner(box)
    let lo = box.lowerCorner
    var highs = [top]
    for l in [100.0, 30, 10, 3] where l >= box.lossLo && l < top.loss {
      highs.append(ConstantInput(loss: l, env: top.env))
    }
    var best: (witness: Witness, switches: Int, steps: Int, minGap: Int)?
    for hi in highs {
    for h in 1...maxHalfPeriod {
      let runs: [Witness.Run] = [
        .init(count: 100, loss: lo.loss, env: lo.env), .init(count: h, loss: hi.loss, env: hi.env),
        .init(count: h, loss: lo.loss, env: lo.env),
      ]
      let w = Witness(shows: "", runs: runs, cycleStart: 1, repeats: 20, cooldown: override)
      let recs = replay(w)
      var previous = ((try? with(cooldown: override)) ?? self).initial.mode
      var switchSteps: [Int] = []
      for rec in recs where rec.mode != previous {
        switchSteps.append(rec.step)
        previous = rec.mode
      }
      guard switchSteps.count >= 4 else { continue }
      let gap = zip(switchSteps.dropFirst(), switchSteps).map { $0 - $1 }.min() ?? 0
      let rate = Double(switchSteps.count) / Double(recs.count)
      if best == nil || rate > Double(best!.switches) / Double(best!.steps) {
        var witness = w
        witness.shows =
          "\(switchSteps.count) mode switches in \(recs.count) steps under a square wave of half-period \(h) (count the changes of the mode column)"
        best = (witness, switchSteps.count, recs.count, gap)
      }
    }
    }
    return best
  }

  // MARK: Answers and lint

  func answers(_ r: ClaimsRequest) throws(AnalysisError) -> [Answer] {
    var out: [Answer] = []
    for (name, env) in [("E ≡ 0", 0.0...0.0), ("E ∈ [0, 1]", 0.0...1.0)] {
      let box = InputBox(loss: 0...Double.infinity, env: env)
      let q = try reachability(box)
      let yes = q.modes.contains(.mirror)
      out.append(
        Answer(
          question: "With \(name) and any loss, can Mirror be reached?",
          answer: yes
            ? "yes (sup φ = \(q.phiSup) ≥ θ1 = \(theta1))"
            : "no: sup φ = \(q.phiSup) < θ1 = \(theta1)", theorems: ["T06", "T07"]))
    }
    let shockTh = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
    if variant == .report {
      let infTh = try inputThresholds(givenLoss: 1e300, givenEnv: 0)
      out.append(
        Answer(
          question: "How large must a sustained E be for Mirror?",
          answer:
            "E > \(shockTh.minEnvForMirror) at L = \(r.shock.loss) (Brent: \(shockTh.minEnvForMirrorBrent ?? .none)); E > \(infTh.minEnvForMirror) for an arbitrarily large loss (Brent: \(infTh.minEnvForMirrorBrent ?? .none))",
          theorems: ["T07"]))
    } else {
      out.append(
        Answer(
          question: "How large must a sustained E be for Mirror?",
          answer: "E has no effect in the repo variant; a sustained loss L > \(mirrorLimit) reaches Mirror",
          theorems: ["T07"]))
    }
    out.append(
      Answer(
        question: "How large must a sustained L be for Mirror at E = \(r.shock.env)?",
        answer: shockTh.minLossForMirror == .none
          ? "no loss reaches Mirror" : "L > \(shockTh.minLossForMirror)", theorems: ["T07"]))
    let f = fixedPoint(r.clean)
    let th = try inputThresholds(givenLoss: r.clean.loss, givenEnv: r.clean.env)
    out.append(
      Answer(
        question: "Does the low-stress regime \(r.clean) settle in Single?",
        answer:
          "\(f.mode == .single ? "yes" : "no"): φ* = \(f.phi) \(f.mode == .single ? "<" : "≥") θ0 = \(theta0); it settles in Single iff L < \(th.maxLossForSingle) at E = \(r.clean.env)",
        theorems: ["T03", "T08"]))
    return out
  }

  func lint(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> [LintWarning] {
    var out: [LintWarning] = []
    if reach.phiSup < theta0 {
      out.append(
        LintWarning(
          kind: "threshold-never-crossed",
          message: "θ0 = \(theta0) is never crossed over \(r.box): sup φ = \(reach.phiSup); the controller never leaves Single"))
    } else if reach.phiSup < theta1 {
      out.append(
        LintWarning(
          kind: "threshold-never-crossed",
          message: "θ1 = \(theta1) is never crossed over \(r.box): sup φ = \(reach.phiSup); Mirror is unreachable and η_Mirror = \(learningRates.mirror) is never used"))
    }
    if reach.phiInf >= theta1 {
      out.append(
        LintWarning(kind: "mode-never-left", message: "Mirror can never be left over \(r.box): inf φ = \(reach.phiInf) ≥ θ1"))
    } else if reach.phiInf >= theta0 {
      out.append(
        LintWarning(
          kind: "mode-never-left",
          message: "Single is never regained over \(r.box): inf φ = \(reach.phiInf) ≥ θ0 (every sustained input settles in Multi or Mirror)"))
    }
    let lr = learningRates
    if lr != .report && lr != .repo {
      out.append(
        LintWarning(
          kind: "learning-rates",
          message: "the learning rates \(lr.single), \(lr.multi), \(lr.mirror) differ from both published maps (report 0.002, 0.0005, 0.0001; repo 5e-05, 3e-05, 1e-05)"))
    } else if variant == .report && lr == .repo || variant == .repo && lr == .report {
      out.append(
        LintWarning(kind: "learning-rates", message: "the \(variant) variant runs with the other variant's published learning rates"))
    }
    if !(lr.single >= lr.multi && lr.multi >= lr.mirror) {
      out.append(
        LintWarning(
          kind: "learning-rates",
          message: "the learning rates do not decrease Single ≥ Multi ≥ Mirror: a more stressed mode trains faster"))
    }
    if variant == .report && alphaE == 0 && r.box.envHi > 0 {
      out.append(LintWarning(kind: "env-ignored", message: "α_E = 0: the external stress E has no effect"))
    }
    if variant == .report && cooldown == 0 {
      out.append(LintWarning(kind: "no-cooldown", message: "N_s = 0: the mode may switch at every step (T12)"))
    }
    if beta == 1 - alpha {
      out.append(
        LintWarning(
          kind: "defective-jacobian",
          message: "β = 1 − α: the Jacobian is a Jordan block (T04); settling takes longer than the spectral radius suggests"))
    }
    return out
  }
}
