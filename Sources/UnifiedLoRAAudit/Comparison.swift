import UnifiedLoRA

/// Which state a log's record holds.
public enum RecordConvention: String, Sendable, Hashable, Codable, CaseIterable {
  /// The state after consuming step `t`, and the learning rate of the next optimizer step
  /// (SPEC §2; what `simulate` prints).
  case afterStep = "after-step"
  /// The state before consuming step `t`, and the learning rate the optimizer used at step `t`:
  /// a log written one line late.
  case beforeStep = "before-step"
}

/// A logged value that differs from the reference beyond the tolerance.
public struct FieldDifference: Sendable, Hashable, Codable, CustomStringConvertible {
  public var field: AuditField
  public var logged: Double
  public var reference: Double

  /// `mode logged 1, reference 0` (the mode as an integer, floats as shortest decimals).
  public var description: String {
    func text(_ x: Double) -> String {
      field == .mode && x.isFinite ? String(Int(x)) : x.description
    }
    return "\(field.rawValue) logged \(text(logged)), reference \(text(reference))"
  }
}

/// The first step where the log and the replay disagree, with everything needed to see why.
public struct Divergence: Sendable, Hashable, Codable {
  public var step: Int
  /// 1-based line of the log.
  public var line: Int
  public var fields: [FieldDifference]
  /// `L_t`, `E_t` of the step.
  public var loss: Double
  public var env: Double
  /// The reference state before the step, `(Ê_t, φ_t, M_t, s_t)`.
  public var stateBefore: ControllerState
  /// The reference state after the step, `(Ê_{t+1}, φ_{t+1}, M_{t+1}, s_{t+1})`.
  public var stateAfter: ControllerState
  /// The mode the thresholds assign to the φ that the rule reads at this step (`c_t`).
  public var candidate: Mode
  /// Whether the cooldown allows a switch at this step (`t − s_t ≥ N_s`).
  public var cooldownElapsed: Bool
}

/// Per-field counts of a comparison.
public struct FieldCount: Sendable, Hashable, Codable {
  public var field: AuditField
  /// Steps where both the log and the replay have the field.
  public var compared: Int
  public var mismatched: Int
  public var firstMismatchStep: Int?
}

/// A log compared step by step with a replay.
public struct Comparison: Sendable, Hashable, Codable {
  /// Steps with at least one mismatched field.
  public var mismatchedSteps: Int
  public var fields: [FieldCount]
  public var firstDivergence: Divergence?
  /// The first (at most 50) mismatched step numbers.
  public var mismatchSample: [Int]
  /// At most three mismatched steps, each with agreeing neighbours: single altered records.
  public var isolated: Bool

  public var conforms: Bool { mismatchedSteps == 0 }

  /// Replays `log` with `rule` and compares every logged decision with the reference.
  ///
  /// The replay starts from the rule's initial state and consumes the log's inputs in order, the
  /// step number of each record feeding the cooldown (SPEC §2).
  ///
  /// - Precondition: every step of the log is a valid input (``RunLog/isReplayable``).
  /// - Complexity: O(n) time, O(1) memory beyond the sample.
  public static func run(
    _ log: RunLog, rule: UpdateRule, convention: RecordConvention = .afterStep,
    tolerance: Tolerance = Tolerance()
  ) -> Comparison {
    var a = Accumulator(rule: rule, convention: convention, tolerance: tolerance)
    for s in log.steps { a.add(s) }
    return a.result(fields: log.fields)
  }

  /// The logged value of `field` that differs from the state `ref` beyond the tolerance, if any.
  @inline(__always)
  static func reference(_ field: AuditField, _ ref: ControllerState, _ rates: LearningRates) -> Double {
    switch field {
    case .mode: Double(ref.mode.rawValue)
    case .lr: rates[ref.mode]
    case .phi: ref.phi
    case .ehat: ref.ehat
    }
  }

  /// Whether every logged decision of `logged` agrees with the state `ref`.
  @inline(__always)
  static func agrees(
    _ logged: LoggedStep, _ ref: ControllerState, _ rates: LearningRates, _ tolerance: Tolerance
  )
    -> Bool
  {
    if let m = logged.mode, m != ref.mode { return false }
    if let lr = logged.lr, !tolerance.agrees(.lr, logged: lr, reference: rates[ref.mode]) { return false }
    if let phi = logged.phi, !tolerance.agrees(.phi, logged: phi, reference: ref.phi) { return false }
    if let e = logged.ehat, !tolerance.agrees(.ehat, logged: e, reference: ref.ehat) { return false }
    return true
  }

  /// A comparison built one record at a time (constant memory): ``Comparison/run(_:rule:convention:tolerance:)``
  /// is `add` over the log's steps, then `result`.
  public struct Accumulator: Sendable {
    let rule: UpdateRule
    let convention: RecordConvention
    let tolerance: Tolerance
    /// Counts for every field; those the log lacks are dropped by `result`.
    var counts = AuditField.allCases.map { FieldCount(field: $0, compared: 0, mismatched: 0) }
    public private(set) var state: ControllerState
    var mismatched = 0
    var first: Divergence?
    var sample: [Int] = []
    var isolated = true
    var index = 0
    var previousMismatchIndex = -2

    public init(
      rule: UpdateRule, convention: RecordConvention = .afterStep, tolerance: Tolerance = Tolerance()
    ) {
      self.rule = rule
      self.convention = convention
      self.tolerance = tolerance
      state = rule.parameters.initial
    }

    /// Counts field `k` as compared and says whether it agrees (no allocation: this runs for
    /// every record of the log).
    @inline(__always)
    mutating func tally(_ k: Int, _ field: AuditField, _ value: Double?, _ reference: Double) -> Bool {
      guard let value else { return true }
      counts[k].compared += 1
      return tolerance.agrees(field, logged: value, reference: reference)
    }

    public mutating func add(_ logged: LoggedStep) {
      let rates = rule.parameters.learningRates
      let before = state
      let after = rule.step(state, logged.input)
      let ref = convention == .afterStep ? after : before
      // Every field is counted first; the differences are listed only for a record that has one.
      var agrees = tally(0, .mode, logged.mode.map { Double($0.rawValue) }, Double(ref.mode.rawValue))
      agrees = tally(1, .lr, logged.lr, rates[ref.mode]) && agrees
      agrees = tally(2, .phi, logged.phi, ref.phi) && agrees
      agrees = tally(3, .ehat, logged.ehat, ref.ehat) && agrees
      if agrees {
        state = after
        index += 1
        return
      }
      var diffs: [FieldDifference] = []
      for (k, field) in AuditField.allCases.enumerated() {
        guard let value = logged.value(field) else { continue }
        let reference = Comparison.reference(field, ref, rates)
        if !tolerance.agrees(field, logged: value, reference: reference) {
          counts[k].mismatched += 1
          if counts[k].firstMismatchStep == nil { counts[k].firstMismatchStep = logged.step }
          diffs.append(FieldDifference(field: field, logged: value, reference: reference))
        }
      }
      if !diffs.isEmpty {
        mismatched += 1
        if sample.count < 50 { sample.append(logged.step) }
        if index == previousMismatchIndex + 1 { isolated = false }
        previousMismatchIndex = index
        if first == nil {
          let p = rule.parameters
          let read = rule.order.modeReadsNewPhi ? after.phi : before.phi
          first = Divergence(
            step: logged.step, line: logged.line, fields: diffs, loss: logged.loss, env: logged.env,
            stateBefore: before, stateAfter: after,
            candidate: rule.swappedThresholds
              ? Mode.classify(read, theta0: p.theta1, theta1: p.theta0)
              : Mode.classify(read, theta0: p.theta0, theta1: p.theta1),
            cooldownElapsed: ReportEquations.cooldownElapsed(
              at: logged.step, since: before.lastSwitch, cooldown: p.cooldown))
        }
      }
      state = after
      index += 1
    }

    /// The comparison so far, with the counts of the fields the log has.
    public func result(fields: Set<AuditField>) -> Comparison {
      Comparison(
        mismatchedSteps: mismatched, fields: counts.filter { fields.contains($0.field) },
        firstDivergence: first, mismatchSample: sample,
        isolated: mismatched > 0 && mismatched <= 3 && isolated)
    }
  }
}
