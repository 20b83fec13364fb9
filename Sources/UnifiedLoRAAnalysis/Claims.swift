import UnifiedLoRA

/// The verdict on one of the report's claims (SPEC §5).
public enum Verdict: String, Sendable, Hashable, Codable {
  case holds
  case holdsUnderConditions = "holds only under stated conditions"
  case refuted
}

/// One claim, evaluated for a parameter set and input ranges.
public struct ClaimResult: Sendable, Hashable, Codable {
  public var id: ClaimID
  /// The claim as the report states it.
  public var claim: String
  public var verdict: Verdict
  /// The exact conditions under which it holds (empty when it holds unconditionally).
  public var conditions: [String]
  /// The numbers behind the verdict, in words.
  public var findings: [String]
  /// The theorems that prove the verdict.
  public var theorems: [TheoremID]
  /// Concrete traces that refute the claim or show where its conditions end; each was replayed
  /// through the core and checked before being reported.
  public var witnesses: [Witness]
  /// The state the verdict is about: the configured initial state (C1–C4, C7), the low-stress
  /// resting state the shock starts from (C5); `nil` for a verdict about every state (C6).
  public var initialState: ControllerState? = nil

  /// Every key is always present; a missing value is `null` (stable JSON keys).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(id, forKey: .id)
    try c.encode(claim, forKey: .claim)
    try c.encode(verdict, forKey: .verdict)
    try c.encode(conditions, forKey: .conditions)
    try c.encode(findings, forKey: .findings)
    try c.encode(theorems, forKey: .theorems)
    try c.encode(witnesses, forKey: .witnesses)
    try c.encode(initialState, forKey: .initialState)
  }
}

/// An answer to one of the standard questions about the configuration.
public struct Answer: Sendable, Hashable, Codable {
  public var question: String
  public var answer: String
  public var theorems: [TheoremID]
}

/// The kinds of ``LintWarning``, each a stable identifier in the JSON output.
public enum LintKind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// A threshold no input in the box can cross.
  case thresholdNeverCrossed = "threshold-never-crossed"
  /// A mode the controller never leaves.
  case modeNeverLeft = "mode-never-left"
  /// Learning rates that are not ordered as the modes are.
  case learningRates = "learning-rates"
  /// α_E = 0: the external stress has no effect.
  case envIgnored = "env-ignored"
  /// N_s = 0: no cooldown.
  case noCooldown = "no-cooldown"
  /// The Jacobian at the fixed point is defective.
  case defectiveJacobian = "defective-jacobian"

  public var description: String { rawValue }
}

/// A configuration warning for practitioners.
public struct LintWarning: Sendable, Hashable, Codable {
  public var kind: LintKind
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
  /// The thresholds the answers quote, each exactly and in binary64 (`…Value` keys): at the
  /// shock's input (Mirror) and at the low-stress input (Single).
  public var thresholds: InputThresholds? = nil
  public var thresholdsAtLowStress: InputThresholds? = nil
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
    var c5 = try claimC5(r)
    c5.initialState = restingState(r.clean)
    claims.append(c5)
    claims.append(claimC6())
    claims.append(try claimC7(r, reach))
    for i in claims.indices where claims[i].id != .c5 && claims[i].id != .c6 {
      claims[i].initialState = initial
    }
    var report = ClaimsReport(
      parameters: self, box: r.box, clean: r.clean, shock: r.shock, shockLength: r.shockLength,
      claims: claims, answers: try answers(r), lint: try lint(r, reach))
    report.thresholds = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env, crossCheck: false)
    report.thresholdsAtLowStress = try inputThresholds(
      givenLoss: r.clean.loss, givenEnv: r.clean.env, crossCheck: false)
    return report
  }

  var bigLoss: Double { 1e6 }

  /// The box's upper corner with an infinite bound replaced by a large value a user can type.
  func typedCorner(_ box: InputBox) -> ConstantInput {
    ConstantInput(
      loss: box.lossHi.isFinite ? box.lossHi : bigLoss, env: box.envHi.isFinite ? box.envHi : 1e6)
  }

  // MARK: C1

  /// The first record (step index) whose φ is exactly 0 in exact real arithmetic under the
  /// box's least input, from the configured initial state, or `nil` when none is. Exact zeros
  /// propagate by a two-flag recursion, since all terms are ≥ 0 (T01):
  ///
  /// ```
  /// report: φ_{t+1} = 0 ⇔ (α = 1 ∨ φ_t = 0) ∧ Ê_t = 0;    Ê_{t+1} = 0 ⇔ (β = 0 ∨ Ê_t = 0) ∧ X = 0
  /// repo:   Ê_{t+1} = 0 ⇔ (β = 0 ∨ Ê_t = 0) ∧ L = 0;      φ_{t+1} = 0 ⇔ (α = 1 ∨ φ_t = 0) ∧ Ê_{t+1} = 0
  /// ```
  ///
  /// The flags are periodic after two steps, so four steps decide it. The least input is the
  /// smallest trajectory step by step (monotonicity, T06), so no other input reaches 0 sooner.
  func exactZeroRecord(_ low: ConstantInput) -> Int? {
    let xZero: Bool
    switch variant {
    case .report: xZero = (alphaE == 0 || low.env == 0) && (alphaE == 1 || low.loss == 0)
    case .repo: xZero = low.loss == 0
    }
    var ehatZero = initial.ehat == 0
    var phiZero = initial.phi == 0
    for t in 0..<4 {
      switch variant {
      case .report:
        (phiZero, ehatZero) = ((alpha == 1 || phiZero) && ehatZero, (beta == 0 || ehatZero) && xZero)
      case .repo:
        ehatZero = (beta == 0 || ehatZero) && xZero
        phiZero = (alpha == 1 || phiZero) && ehatZero
      }
      if phiZero { return t }
    }
    return nil
  }

  /// The first record whose φ is 0 in binary64 under the box's least input (the least
  /// trajectory: every rounded operation is monotone, T02), or `nil` when the binary64 state
  /// reaches a fixed point with φ > 0; `decided` is false when neither happens within `limit`.
  func binary64ZeroRecord(_ low: ConstantInput, limit: Int) -> (record: Int?, decided: Bool) {
    var s = initial
    for t in 0..<limit {
      let n = next(s, low, at: t)
      if n.phi == 0 { return (t, true) }
      if n.ehat == s.ehat && n.phi == s.phi { return (nil, true) }
      s = n
    }
    return (nil, false)
  }

  func claimC1(_ r: ClaimsRequest) throws(AnalysisError) -> ClaimResult {
    var witnesses: [Witness] = []
    var findings: [String] = []
    var conditions: [String] = []
    let low = r.box.lowerCorner
    let limit = 2_000_000
    let exactZero = exactZeroRecord(low)
    let (b64Zero, b64Decided) = binary64ZeroRecord(low, limit: limit)
    let start = "(Ê_0 = \(initial.ehat), φ_0 = \(initial.phi))"
    if let k = exactZero {
      findings.append(
        "From the configured initial state \(start), the least input \(low) gives φ = 0 exactly in the record of step \(k) (exact arithmetic; T01)."
      )
    } else {
      findings.append(
        "In exact arithmetic φ > 0 in every record from the configured initial state \(start) over \(r.box): each update keeps a positive term (T01)."
      )
    }
    if let k = b64Zero ?? exactZero {
      let w = Witness(
        shows: "phi = 0 in the record of step \(k) (the open interval (0, 1) fails at 0)",
        runs: [.init(count: k + 1, loss: low.loss, env: low.env)])
      if replay(w).last?.phi == 0 { witnesses.append(w) }
      if exactZero == nil {
        findings.append(
          "In binary64 φ underflows to 0 in the record of step \(k) under \(low), although it stays positive in exact arithmetic (T02)."
        )
      }
    } else if b64Decided {
      findings.append(
        "In binary64 φ stays > 0 as well: the least input \(low) reaches a binary64 fixed point with φ > 0, and every rounded operation is monotone, so no input in the box goes lower (T02)."
      )
    } else {
      findings.append(
        "In binary64 the positivity of φ is not decided within \(limit) updates of the least input (the contraction is too slow); the exact-arithmetic verdict stands."
      )
    }
    // The largest φ in binary64 (T02): the trajectory under the largest input (g(Ê) = 1 exactly
    // once Ê ≥ 2^53) dominates all others; iterate it until φ stops changing or reaches 1.
    // The box's largest input (an infinite bound is 1e300, where L/(1 + L) rounds to 1).
    let used = r.box.upperCorner
    var s = initial
    var hit: Int?
    var ceiling = s.phi
    for t in 0..<1_000_000 {
      let n = next(s, used, at: t)
      if n.phi >= 1 {
        hit = t
        break
      }
      if n.phi == s.phi && n.ehat == s.ehat {
        ceiling = n.phi
        break
      }
      s = n
      ceiling = s.phi
    }
    if let hit {
      let w1 = Witness(
        shows: "phi = 1.0 exactly in the record of step \(hit) (binary64 rounding closes the interval at 1)",
        runs: [.init(count: hit + 1, loss: used.loss, env: used.env)])
      if replay(w1).last?.phi == 1 { witnesses.append(w1) }
      findings.append(
        "In binary64 φ reaches exactly 1.0 after \(hit + 1) updates of \(used) (Ê/(1 + Ê) rounds to 1, then (1 − α)·φ + α·1 rounds up to 1)."
      )
      conditions.append("in binary64 φ reaches 1.0 from the configured state: φ ∈ [0, 1] only")
    } else {
      findings.append(
        "In binary64 the largest input (\(used)) drives φ to \(ceiling), where the step leaves it unchanged: 1.0 is never reached. Every rounded operation is monotone, so no other input goes higher."
      )
    }
    conditions.insert(
      "in exact arithmetic φ < 1 in every record (φ' is a convex combination of φ ≤ 1 and g(Ê) < 1 with weight α > 0)",
      at: 0)
    if exactZero == nil && b64Zero == nil {
      conditions.append(
        "φ > 0 needs a positive term at the start: φ_0 > 0, or Ê_0 > 0, or (after one more update) a positive stress in the box; it holds for the configured state \(start)"
      )
    }
    let verdict: Verdict = witnesses.isEmpty ? (b64Decided ? .holds : .holdsUnderConditions) : .refuted
    // Another initial state is a different configuration: reported as such, never as the verdict.
    let zero = ControllerState(ehat: 0, phi: 0, mode: initial.mode)
    if exactZero == nil && zero != initial {
      var other = Witness(
        shows:
          "(another initial state, not the configured one: Ê_0 = φ_0 = 0) phi = 0 in the record of step 0",
        runs: [.init(count: 3, loss: low.loss, env: low.env)], initial: zero)
      if replay(other).first?.phi == 0 {
        findings.append(
          "From another initial state, Ê_0 = φ_0 = 0, φ = 0 in the first record: C1 depends on the initial state (not part of this verdict)."
        )
        other.shows += "; not part of the verdict"
        witnesses.append(other)
      }
    }
    return ClaimResult(
      id: .c1, claim: "the denominator guarantees φ ∈ (0, 1)", verdict: verdict,
      conditions: conditions, findings: findings, theorems: [.t01, .t02], witnesses: witnesses)
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
        id: .c2, claim: "mode changes respect the cooldown t − t_last ≥ N_s", verdict: .holds,
        conditions: conditions,
        findings: [
          "The report variant switches only when t − s_t ≥ N_s (s = −∞ before the first switch), so this holds by construction for every input."
        ], theorems: [.t10], witnesses: [])
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
    return ClaimResult(
      id: .c2, claim: "mode changes respect the cooldown t − t_last ≥ N_s", verdict: verdict,
      conditions: conditions, findings: findings, theorems: [.t10, .t12],
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
    return ClaimResult(
      id: .c3, claim: "without shocks, φ → φ* < θ0 and the system settles in Single", verdict: verdict,
      conditions: conditions, findings: findings, theorems: [.t03, .t08], witnesses: witnesses)
  }

  // MARK: C4

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
    switch variant {
    case .report:
      let atInfinity = lowerEnv(limit: mirrorLimit, d: 1)
      let atShock = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
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
      theorems: [.t06, .t07, .t13], witnesses: witnesses)
  }

  // MARK: C5

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
      ], findings: findings, theorems: [.t09, .t14], witnesses: witnesses)
  }

  // MARK: C6

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
        "Witness: a square wave in the input range gives \(found.switches) mode changes between consecutive records in \(found.steps) steps (closest two \(found.minGap) steps apart)."
      )
    }
    if variant == .report, cooldown > 0, let fast = chatter(r.box, cooldown: 0, maxHalfPeriod: 40) {
      var w = fast.witness
      w.shows = "with --cooldown 0: " + w.shows + ", two of them \(fast.minGap) steps apart"
      witnesses.append(w)
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
      ], findings: findings, theorems: [.t12], witnesses: witnesses)
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
        // What the witness's command shows: changes between consecutive records (ModeSwitches).
        let switchSteps = recs.modeSwitchSteps()
        guard switchSteps.count >= 4 else { continue }
        let gap = zip(switchSteps.dropFirst(), switchSteps).map { $0 - $1 }.min() ?? 0
        let rate = Double(switchSteps.count) / Double(recs.count)
        if best == nil || rate > Double(best!.switches) / Double(best!.steps) {
          var witness = w
          witness.shows =
            "\(switchSteps.count) mode changes between consecutive records in \(recs.count) steps under a square wave of half-period \(h) (count the changes of the mode column)"
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
      let answer: String
      if q.modes.contains(.mirror) {
        let fixed = squash(stressTarget(box.upperCorner))
        answer =
          fixed > theta1
          ? "yes: the sustained largest input has φ* = \(fixed) > θ1 = \(theta1)"
          : "yes, from the configured initial state only: φ_0 = \(initial.phi) selects Mirror (φ ≥ θ1 = \(theta1) at a step where a switch is allowed), though every sustained input has φ* ≤ \(fixed) < θ1"
      } else if q.modesPossible.contains(.mirror) {
        answer =
          "not by a sustained input; sup φ where a switch is allowed is \(q.phiSupSwitchable) ≥ θ1 = \(theta1), so a varying input might (not decided)"
      } else {
        answer =
          "no: φ ≤ \(q.phiSupSwitchable) < θ1 = \(theta1) at every step where a switch is allowed"
          + (q.phiSup > q.phiSupSwitchable
            ? " (φ_0 = \(initial.phi) is held by the initial cooldown or precedes the first switch)" : "")
      }
      out.append(
        Answer(
          question: "With \(name) and any loss, can Mirror be reached?", answer: answer,
          theorems: [.t06, .t07]))
    }
    let shockTh = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
    if variant == .report {
      var infTh = try inputThresholds(givenLoss: 1e300, givenEnv: 0)
      infTh.minEnvForMirrorValue = thresholdValue(
        .minEnvForMirror, given: .infinity, bound: infTh.minEnvForMirror)
      out.append(
        Answer(
          question: "How large must a sustained E be for Mirror?",
          answer:
            "E > \(text(shockTh.minEnvForMirrorValue, shockTh.minEnvForMirror)) at L = \(r.shock.loss) (Brent: \(shockTh.minEnvForMirrorBrent.map(\.description) ?? "not available")); E > \(text(infTh.minEnvForMirrorValue, infTh.minEnvForMirror)) for an arbitrarily large loss (Brent: \(infTh.minEnvForMirrorBrent.map(\.description) ?? "not available"))",
          theorems: [.t07]))
    } else {
      out.append(
        Answer(
          question: "How large must a sustained E be for Mirror?",
          answer: "E has no effect in the repo variant; a sustained loss L > \(mirrorLimit) reaches Mirror",
          theorems: [.t07]))
    }
    out.append(
      Answer(
        question: "How large must a sustained L be for Mirror at E = \(r.shock.env)?",
        answer: shockTh.minLossForMirror == .none
          ? "no loss reaches Mirror" : "L > \(text(shockTh.minLossForMirrorValue, shockTh.minLossForMirror))",
        theorems: [.t07]))
    let f = fixedPoint(r.clean)
    let th = try inputThresholds(givenLoss: r.clean.loss, givenEnv: r.clean.env)
    out.append(
      Answer(
        question: "Does the low-stress regime \(r.clean) settle in Single?",
        answer:
          "\(f.mode == .single ? "yes" : "no"): φ* = \(f.phi) \(f.mode == .single ? "<" : "≥") θ0 = \(theta0); it settles in Single iff L < \(text(th.maxLossForSingleValue, th.maxLossForSingle)) at E = \(r.clean.env)",
        theorems: [.t03, .t08]))
    return out
  }

  /// A threshold in words: the exact value and the binary64 one, or the bound's own words.
  func text(_ v: ThresholdValue?, _ b: InputBound) -> String {
    v?.description ?? b.description
  }

  func lint(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> [LintWarning] {
    var out: [LintWarning] = []
    let sup = reach.phiSupSwitchable
    if sup < theta0 {
      out.append(
        LintWarning(
          kind: .thresholdNeverCrossed,
          message:
            "θ0 = \(theta0) is never crossed over \(r.box): sup φ = \(sup) where a switch is allowed; the controller never leaves Single"
        ))
    } else if sup < theta1 {
      out.append(
        LintWarning(
          kind: .thresholdNeverCrossed,
          message:
            "θ1 = \(theta1) is never crossed over \(r.box): sup φ = \(sup) where a switch is allowed; Mirror is unreachable and η_Mirror = \(learningRates.mirror) is never used"
        ))
    }
    if reach.phiInfSwitchable >= theta1 {
      out.append(
        LintWarning(
          kind: .modeNeverLeft,
          message: "Mirror can never be left over \(r.box): inf φ = \(reach.phiInfSwitchable) ≥ θ1"))
    } else if reach.phiInfSwitchable >= theta0 {
      out.append(
        LintWarning(
          kind: .modeNeverLeft,
          message:
            "Single is never regained over \(r.box): inf φ = \(reach.phiInfSwitchable) ≥ θ0 (every sustained input settles in Multi or Mirror)"
        ))
    }
    let lr = learningRates
    if lr != .report && lr != .repo {
      out.append(
        LintWarning(
          kind: .learningRates,
          message:
            "the learning rates \(lr.single), \(lr.multi), \(lr.mirror) differ from both published maps (report 0.002, 0.0005, 0.0001; repo 5e-05, 3e-05, 1e-05)"
        ))
    } else if variant == .report && lr == .repo || variant == .repo && lr == .report {
      out.append(
        LintWarning(
          kind: .learningRates,
          message: "the \(variant) variant runs with the other variant's published learning rates"))
    }
    if !(lr.single >= lr.multi && lr.multi >= lr.mirror) {
      out.append(
        LintWarning(
          kind: .learningRates,
          message:
            "the learning rates do not decrease Single ≥ Multi ≥ Mirror: a more stressed mode trains faster"))
    }
    if variant == .report && alphaE == 0 && r.box.envHi > 0 {
      out.append(LintWarning(kind: .envIgnored, message: "α_E = 0: the external stress E has no effect"))
    }
    if variant == .report && cooldown == 0 {
      out.append(
        LintWarning(kind: .noCooldown, message: "N_s = 0: the mode may switch at every step (T12)"))
    }
    if beta == 1 - alpha {
      out.append(
        LintWarning(
          kind: .defectiveJacobian,
          message:
            "β = 1 − α: the Jacobian is a Jordan block (T04); settling takes longer than the spectral radius suggests"
        ))
    }
    return out
  }
}
