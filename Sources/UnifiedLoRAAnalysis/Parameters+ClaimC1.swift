import UnifiedLoRA

// C1: φ ∈ (0, 1) (T01, T02).
extension Parameters {
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
    var figures: [ClaimFigure: Double] = [:]
    figures.set(.exactZeroRecord, exactZero)
    figures.set(.binary64ZeroRecord, b64Zero)
    figures.set(.phiOneRecord, hit)
    if hit == nil { figures[.phiCeiling] = ceiling }
    return ClaimResult(
      id: .c1, claim: "the denominator guarantees φ ∈ (0, 1)", verdict: verdict,
      conditions: conditions, findings: findings, theorems: [.t01, .t02], witnesses: witnesses,
      figures: figures)
  }
}
