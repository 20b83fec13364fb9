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
    var a = Accumulator(p, tolerance: tolerance)
    for s in log.steps { a.add(s) }
    return a.result(fields: log.fields)
  }

  /// The checks of ``all(_:_:tolerance:)`` one record at a time, in constant memory. Every check
  /// runs on every record (a record without a value a check needs is not counted); which checks
  /// are skipped is decided by `result`, from the fields the whole log has.
  public struct Accumulator: Sendable {
    let p: Parameters
    let tolerance: Tolerance
    var checks: [InvariantCheck]
    var previous: LoggedStep?
    // cooldown: the mode so far and the step of the last logged switch.
    var cooldownMode: Mode
    var cooldownLast: Int?
    // switch-target: the mode and φ of the previous record.
    var targetMode: Mode
    var targetPhi: Double?

    static let ids = [
      "phi-range", "ehat-range", "lr-map", "cooldown", "switch-target", "phi-recurrence", "ehat-recurrence",
    ]

    public init(_ p: Parameters, tolerance: Tolerance) {
      self.p = p
      self.tolerance = tolerance
      cooldownMode = p.initial.mode
      targetMode = p.initial.mode
      targetPhi = p.initial.phi
      let report = p.variant == .report
      let r = p.learningRates
      let texts: [(String, String)] = [
        ("T01", "phi is finite and in [0, 1]"),
        ("T01", "ehat is finite and >= 0"),
        ("SPEC §2.4", "lr = eta[mode] with the learning rates \(r.single), \(r.multi), \(r.mirror)"),
        ("T10", "consecutive mode switches are at least N_s = \(p.cooldown) steps apart"),
        (
          report ? "SPEC §2" : "SPEC §3",
          report
            ? "a mode switch goes to classify(phi of the previous record) with theta0 = \(p.theta0), theta1 = \(p.theta1)"
            : "mode = classify(phi) with theta0 = \(p.theta0), theta1 = \(p.theta1)"
        ),
        (
          report ? "SPEC §2" : "SPEC §3",
          report
            ? "phi = (1 - alpha) phi_prev + alpha ehat_prev / (1 + ehat_prev)"
            : "phi = (1 - alpha) phi_prev + alpha ehat / (1 + ehat)"
        ),
        (
          report ? "SPEC §2" : "SPEC §3",
          report
            ? "ehat = beta ehat_prev + (1 - beta) X(loss, env)" : "ehat = beta ehat_prev + (1 - beta) loss"
        ),
      ]
      checks = zip(Self.ids, texts).map { id, t in
        InvariantCheck(
          id: id, theorem: t.0, statement: t.1, checked: 0, violations: 0, firstViolation: nil, skipped: nil)
      }
    }

    mutating func fail(_ k: Int, _ s: LoggedStep, _ detail: @autoclosure () -> String) {
      checks[k].violations += 1
      if checks[k].firstViolation == nil {
        checks[k].firstViolation = Violation(step: s.step, line: s.line, detail: detail())
      }
    }

    public mutating func add(_ s: LoggedStep) {
      let p = self.p
      // phi-range
      if let phi = s.phi {
        checks[0].checked += 1
        if !(phi >= 0 && phi <= 1) { fail(0, s, "phi = \(phi)") }
      }
      // ehat-range
      if let e = s.ehat {
        checks[1].checked += 1
        if !(e >= 0 && e.isFinite) { fail(1, s, "ehat = \(e)") }
      }
      // lr-map
      if let m = s.mode, let lr = s.lr {
        checks[2].checked += 1
        let want = p.learningRates[m]
        if !tolerance.agrees(.lr, logged: lr, reference: want) {
          fail(2, s, "mode \(m.rawValue) with lr = \(lr); eta[\(m.rawValue)] = \(want)")
        }
      }
      // cooldown
      if let m = s.mode, m != cooldownMode {
        if let last = cooldownLast {
          checks[3].checked += 1
          if s.step - last < p.cooldown {
            let from = cooldownMode
            fail(
              3, s,
              "switch \(from.rawValue) -> \(m.rawValue) at step \(s.step), \(s.step - last) steps after the switch at step \(last)"
            )
          }
        }
        cooldownLast = s.step
        cooldownMode = m
      }
      // switch-target
      if let m = s.mode {
        if p.variant == .repo {
          if let now = s.phi {
            checks[4].checked += 1
            let want = Mode.classify(now, theta0: p.theta0, theta1: p.theta1)
            if m != want {
              fail(4, s, "mode \(m.rawValue) with phi = \(now): classify gives \(want.rawValue)")
            }
          }
        } else if m != targetMode, let old = targetPhi {
          checks[4].checked += 1
          let want = Mode.classify(old, theta0: p.theta0, theta1: p.theta1)
          if m != want {
            let from = targetMode
            fail(
              4, s,
              "switch \(from.rawValue) -> \(m.rawValue) with the previous phi = \(old): classify gives \(want.rawValue)"
            )
          }
        }
      }
      targetMode = s.mode ?? targetMode
      targetPhi = s.phi
      if let a = previous {
        // phi-recurrence
        if let phi0 = a.phi, let phi1 = s.phi, let e = p.variant == .report ? a.ehat : s.ehat {
          checks[5].checked += 1
          let want = UpdateRule.phiLine(phi: phi0, ehat: e, p)
          if !tolerance.agrees(.phi, logged: phi1, reference: want) {
            fail(5, s, "phi = \(phi1); the recurrence from the logged values gives \(want)")
          }
        }
        // ehat-recurrence
        if let e0 = a.ehat, let e1 = s.ehat, e0.isFinite, e0 >= 0 {
          checks[6].checked += 1
          let want = p.advance(ControllerState(ehat: e0, phi: 0, mode: .single), s.input).ehat
          if !tolerance.agrees(.ehat, logged: e1, reference: want) {
            fail(6, s, "ehat = \(e1); the recurrence from the logged values gives \(want)")
          }
        }
      }
      previous = s
    }

    /// The checks, those that need a field the log lacks (or a cooldown it has not) skipped.
    public func result(fields has: Set<AuditField>) -> [InvariantCheck] {
      let needs: [[AuditField]] = [
        [.phi], [.ehat], [.mode, .lr], [.mode], [.mode, .phi], [.phi, .ehat], [.ehat],
      ]
      return checks.enumerated().map { k, check in
        var c = check
        let missing = needs[k].filter { !has.contains($0) }
        var skip: String?
        if !missing.isEmpty {
          skip = "the log has no \(missing.map(\.rawValue).joined(separator: " or ")) column"
        } else if k == 3 && (p.variant == .repo || p.cooldown == 0) {
          skip = "no cooldown in this parameter set"
        }
        if let skip {
          c = InvariantCheck(
            id: c.id, theorem: c.theorem, statement: c.statement, checked: 0, violations: 0,
            firstViolation: nil, skipped: skip)
        }
        return c
      }
    }
  }
}
