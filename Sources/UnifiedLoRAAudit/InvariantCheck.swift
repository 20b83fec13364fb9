import UnifiedLoRA

/// One law of the property catalogue applied to the logged values alone (no replay).
public struct InvariantCheck: Sendable, Hashable, Codable {
  public struct Violation: Sendable, Hashable, Codable {
    public var step: Int
    public var line: Int
    public var detail: String
  }

  /// Stable id: `phi-range`, `ehat-range`, `lr-map`, `cooldown`, `switch-target`,
  /// `phi-recurrence`, `ehat-recurrence`.
  public var id: String
  /// The theorem or spec section it comes from (`T01`, `T10`, `SPEC §2`).
  public var theorem: String
  public var statement: String
  /// Records (or switches) checked; 0 when skipped.
  public var checked: Int
  public var violations: Int
  public var firstViolation: Violation?
  /// Why the check did not run (a column is missing, the variant has no cooldown), or nil.
  public var skipped: String?

  public var holds: Bool { violations == 0 }

  /// Every check on `log` under the parameters `p`.
  ///
  /// | id | law | needs |
  /// |---|---|---|
  /// | `phi-range` | φ finite and in [0, 1] (T01; 1 itself is reachable in binary64, T02) | phi |
  /// | `ehat-range` | Ê finite and ≥ 0 (T01) | ehat |
  /// | `lr-map` | lr = η[mode] (SPEC §2.4) | mode, lr |
  /// | `cooldown` | consecutive logged switches at least N_s steps apart (T10, C2; report) | mode |
  /// | `switch-target` | report: a switch goes to classify(φ of the previous record); repo: mode = classify(φ) | mode, phi |
  /// | `phi-recurrence` | report: φ = φ-line(φ₋₁, Ê₋₁); repo: φ = φ-line(φ₋₁, Ê) (SPEC §2, §3) | phi, ehat |
  /// | `ehat-recurrence` | Ê = the variant's Ê line from Ê₋₁ and this record's inputs | ehat |
  ///
  /// The recurrences compare consecutive records, so they hold across gaps in the step numbers
  /// only if the log skipped no update; the first record is compared with the initial state only
  /// in `cooldown` and `switch-target`.
  public static func all(_ log: RunLog, _ p: Parameters, tolerance: Tolerance) -> [InvariantCheck] {
    let steps = log.steps
    let has = log.fields
    var out: [InvariantCheck] = []

    func check(
      _ id: String, _ theorem: String, _ statement: String, needs: [AuditField],
      skip: String? = nil, _ body: (inout InvariantCheck) -> Void
    ) {
      var c = InvariantCheck(
        id: id, theorem: theorem, statement: statement, checked: 0, violations: 0, firstViolation: nil,
        skipped: nil)
      let missing = needs.filter { !has.contains($0) }
      if !missing.isEmpty {
        c.skipped = "the log has no \(missing.map(\.rawValue).joined(separator: " or ")) column"
      } else if let skip {
        c.skipped = skip
      } else {
        body(&c)
      }
      out.append(c)
    }
    func fail(_ c: inout InvariantCheck, _ s: LoggedStep, _ detail: String) {
      c.violations += 1
      if c.firstViolation == nil { c.firstViolation = Violation(step: s.step, line: s.line, detail: detail) }
    }

    check("phi-range", "T01", "phi is finite and in [0, 1]", needs: [.phi]) { c in
      for s in steps {
        guard let phi = s.phi else { continue }
        c.checked += 1
        if !(phi >= 0 && phi <= 1) { fail(&c, s, "phi = \(phi)") }
      }
    }
    check("ehat-range", "T01", "ehat is finite and >= 0", needs: [.ehat]) { c in
      for s in steps {
        guard let e = s.ehat else { continue }
        c.checked += 1
        if !(e >= 0 && e.isFinite) { fail(&c, s, "ehat = \(e)") }
      }
    }
    check(
      "lr-map", "SPEC §2.4",
      "lr = eta[mode] with the learning rates \(p.learningRates.single), \(p.learningRates.multi), \(p.learningRates.mirror)",
      needs: [.mode, .lr]
    ) { c in
      for s in steps {
        guard let m = s.mode, let lr = s.lr else { continue }
        c.checked += 1
        let want = p.learningRates[m]
        if !tolerance.agrees(.lr, logged: lr, reference: want) {
          fail(&c, s, "mode \(m.rawValue) with lr = \(lr); eta[\(m.rawValue)] = \(want)")
        }
      }
    }
    check(
      "cooldown", "T10", "consecutive mode switches are at least N_s = \(p.cooldown) steps apart",
      needs: [.mode],
      skip: p.variant == .repo || p.cooldown == 0 ? "no cooldown in this parameter set" : nil
    ) { c in
      var mode = p.initial.mode
      var last: Int?
      for s in steps {
        guard let m = s.mode, m != mode else { continue }
        if let last {
          c.checked += 1
          if s.step - last < p.cooldown {
            fail(
              &c, s,
              "switch \(mode.rawValue) -> \(m.rawValue) at step \(s.step), \(s.step - last) steps after the switch at step \(last)"
            )
          }
        }
        last = s.step
        mode = m
      }
    }
    check(
      "switch-target", p.variant == .report ? "SPEC §2" : "SPEC §3",
      p.variant == .report
        ? "a mode switch goes to classify(phi of the previous record) with theta0 = \(p.theta0), theta1 = \(p.theta1)"
        : "mode = classify(phi) with theta0 = \(p.theta0), theta1 = \(p.theta1)",
      needs: [.mode, .phi]
    ) { c in
      var mode = p.initial.mode
      var phi: Double? = p.initial.phi
      for s in steps {
        defer {
          mode = s.mode ?? mode
          phi = s.phi
        }
        guard let m = s.mode else { continue }
        if p.variant == .repo {
          guard let now = s.phi else { continue }
          c.checked += 1
          let want = Mode.classify(now, theta0: p.theta0, theta1: p.theta1)
          if m != want {
            fail(&c, s, "mode \(m.rawValue) with phi = \(now): classify gives \(want.rawValue)")
          }
        } else if m != mode, let old = phi {
          c.checked += 1
          let want = Mode.classify(old, theta0: p.theta0, theta1: p.theta1)
          if m != want {
            fail(
              &c, s,
              "switch \(mode.rawValue) -> \(m.rawValue) with the previous phi = \(old): classify gives \(want.rawValue)"
            )
          }
        }
      }
    }
    check(
      "phi-recurrence", p.variant == .report ? "SPEC §2" : "SPEC §3",
      p.variant == .report
        ? "phi = (1 - alpha) phi_prev + alpha ehat_prev / (1 + ehat_prev)"
        : "phi = (1 - alpha) phi_prev + alpha ehat / (1 + ehat)",
      needs: [.phi, .ehat]
    ) { c in
      for (a, b) in zip(steps, steps.dropFirst()) {
        guard let phi0 = a.phi, let phi1 = b.phi, let e = p.variant == .report ? a.ehat : b.ehat else {
          continue
        }
        c.checked += 1
        let want = UpdateRule.phiLine(phi: phi0, ehat: e, p)
        if !tolerance.agrees(.phi, logged: phi1, reference: want) {
          fail(&c, b, "phi = \(phi1); the recurrence from the logged values gives \(want)")
        }
      }
    }
    check(
      "ehat-recurrence", p.variant == .report ? "SPEC §2" : "SPEC §3",
      p.variant == .report
        ? "ehat = beta ehat_prev + (1 - beta) X(loss, env)" : "ehat = beta ehat_prev + (1 - beta) loss",
      needs: [.ehat]
    ) { c in
      for (a, b) in zip(steps, steps.dropFirst()) {
        guard let e0 = a.ehat, let e1 = b.ehat, e0.isFinite, e0 >= 0 else { continue }
        c.checked += 1
        let want = p.advance(ControllerState(ehat: e0, phi: 0, mode: .single), b.input).ehat
        if !tolerance.agrees(.ehat, logged: e1, reference: want) {
          fail(&c, b, "ehat = \(e1); the recurrence from the logged values gives \(want)")
        }
      }
    }
    return out
  }
}
