import UnifiedLoRA

/// One alternative explanation of a log that does not conform: a single change to the reference
/// (a parameter, the variant, the update order, the thresholds' roles, the record convention).
public struct Hypothesis: Sendable, Hashable {
  /// What kind of change, in the order an audit reports them.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    case cooldown
    case swappedThresholds = "swapped-thresholds"
    case thresholds
    case alpha
    case beta
    case alphaE = "alpha-e"
    case variant
    case updateOrder = "update-order"
    case recordConvention = "record-convention"
    case learningRates = "learning-rates"
    case initialState = "initial-state"
  }

  public var kind: Kind
  /// The change in words, e.g. `cooldown = 20 (reference 30)`.
  public var change: String
  public var rule: UpdateRule
  public var convention: RecordConvention

  public init(_ kind: Kind, _ change: String, _ rule: UpdateRule, convention: RecordConvention = .afterStep) {
    self.kind = kind
    self.change = change
    self.rule = rule
    self.convention = convention
  }

  static let thresholdGrid = [
    0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.9,
  ]
  static let alphaGrid = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.5, 0.75, 0.9, 1]
  static let betaGrid = [0, 0.5, 0.8, 0.85, 0.9, 0.95, 0.98, 0.99, 0.999]
  static let alphaEGrid = [0, 0.25, 0.5, 0.75, 1]

  /// The single changes an audit tries, for a log and the reference rule's parameters.
  ///
  /// - cooldown `N_s` in `0 … max(2·N_s + 10, 60)` and every spacing between the log's own mode
  ///   switches (report variant);
  /// - θ0 and θ1 exchanged in the mode rule; every other pair `θ0 < θ1` of a grid of 15 values;
  /// - α, β and α_E (report, when the log has a non-zero env) over grids of common values;
  /// - the other variant, with its defaults and with this run's α, β, θ and learning rates;
  /// - the three other update orders (``UpdateOrder``);
  /// - records that hold the state before the step (``RecordConvention/beforeStep``);
  /// - the learning rates read off the log's own (mode, lr) pairs, when both are logged;
  /// - the other variant's initial state.
  public static func candidates(for log: RunLog, reference p: Parameters) -> [Hypothesis] {
    var stats = LogStatistics(initial: p.initial.mode)
    for s in log.steps { stats.add(s) }
    return candidates(stats, reference: p)
  }

  /// The cooldowns tried: `0 … max(2·N_s + 10, 60)` for N_s ≤ 1000; for a longer reference
  /// cooldown `0 … 60` and `N_s − 30 … N_s + 30` (a bounded set whatever N_s is).
  static func cooldownCandidates(_ n: Int) -> [Int] {
    if n <= 1000 { return Array(0...max(2 * n + 10, 60)) }
    return Array(0...60) + Array((n - 30)...(n.addingReportingOverflow(30).overflow ? Int.max : n + 30))
  }

  /// The single changes an audit tries, from what one pass over the log saw.
  static func candidates(_ stats: LogStatistics, reference p: Parameters) -> [Hypothesis] {
    var out: [Hypothesis] = []
    func add(_ kind: Kind, _ change: String, _ make: () throws(ParameterError) -> Parameters) {
      guard let q = try? make(), q != p else { return }
      out.append(Hypothesis(kind, change, UpdateRule(q)))
    }
    if p.variant == .report {
      var values = Set(cooldownCandidates(p.cooldown))
      values.formUnion(stats.switchSpacings)
      for n in values.sorted() where n != p.cooldown {
        add(.cooldown, "cooldown = \(n) (reference \(p.cooldown))") { () throws(ParameterError) in
          try p.with(cooldown: n)
        }
      }
    }
    out.append(
      Hypothesis(
        .swappedThresholds,
        "theta0 and theta1 exchanged in the mode rule (Single below \(p.theta1), Mirror from it, Multi never)",
        UpdateRule(p, swappedThresholds: true)))
    for a in thresholdGrid {
      for b in thresholdGrid where a < b && (a, b) != (p.theta0, p.theta1) {
        add(.thresholds, "theta0 = \(a), theta1 = \(b) (reference \(p.theta0), \(p.theta1))") {
          () throws(ParameterError) in try p.with(theta0: a, theta1: b)
        }
      }
    }
    for a in alphaGrid where a != p.alpha {
      add(.alpha, "alpha = \(a) (reference \(p.alpha))") { () throws(ParameterError) in try p.with(alpha: a) }
    }
    for b in betaGrid where b != p.beta {
      add(.beta, "beta = \(b) (reference \(p.beta))") { () throws(ParameterError) in try p.with(beta: b) }
    }
    if p.variant == .report && stats.anyEnv {
      for a in alphaEGrid where a != p.alphaE {
        add(.alphaE, "alpha-e = \(a) (reference \(p.alphaE))") { () throws(ParameterError) in
          try p.with(alphaE: a)
        }
      }
    }
    let other: Variant = p.variant == .report ? .repo : .report
    add(.variant, "variant \(other) with its defaults") { () throws(ParameterError) in .defaults(other) }
    add(.variant, "variant \(other) with this run's alpha, beta, thresholds and learning rates") {
      () throws(ParameterError) in
      try Parameters(
        variant: other, alpha: p.alpha, beta: p.beta, theta0: p.theta0, theta1: p.theta1,
        learningRates: p.learningRates)
    }
    for order in UpdateOrder.all where order != .reference(p.variant) {
      out.append(Hypothesis(.updateOrder, "update order: \(order)", UpdateRule(p, order: order)))
    }
    out.append(
      Hypothesis(
        .recordConvention, "each record holds the state before its step (logged one line late)",
        UpdateRule(p), convention: .beforeStep))
    if let rates = stats.rates(fallback: p.learningRates), rates != p.learningRates {
      add(
        .learningRates,
        "learning rates \(rates.single),\(rates.multi),\(rates.mirror) (reference \(p.learningRates.single),\(p.learningRates.multi),\(p.learningRates.mirror))"
      ) {
        () throws(ParameterError) in try p.with(learningRates: rates)
      }
    }
    let otherInitial = Parameters.defaults(other).initial
    if otherInitial != p.initial {
      add(.initialState, "initial state \(otherInitial) (the \(other) variant's)") {
        () throws(ParameterError) in
        try p.with(initial: otherInitial)
      }
    }
    return out
  }

}

/// What the candidate changes of an audit are read from, gathered in one pass in bounded memory:
/// the spacings between the log's own mode switches (at most ``spacingLimit`` distinct values up
/// to 100,000), the learning rates logged with each mode (at most ``rateLimit`` distinct values
/// a mode), and whether any env is non-zero.
struct LogStatistics: Sendable {
  static let spacingLimit = 256
  static let rateLimit = 64
  var switchSpacings: Set<Int> = []
  var tally: [Mode: [Double: Int]] = [:]
  var anyEnv = false
  var mode: Mode
  var last: Int?

  init(initial: Mode) { mode = initial }

  mutating func add(_ s: LoggedStep) {
    if s.env != 0 { anyEnv = true }
    if let m = s.mode {
      if m != mode {
        if let last, s.step - last <= 100_000, switchSpacings.count < Self.spacingLimit {
          switchSpacings.insert(s.step - last)
        }
        last = s.step
        mode = m
      }
      if let lr = s.lr, lr.isFinite, lr > 0 {
        // Runs of the same (mode, lr) are counted first and tallied when the pair changes.
        if let p = pending, p.mode == m, p.lr == lr {
          pending!.count += 1
        } else {
          flush()
          pending = (m, lr, 1)
        }
      }
    }
  }

  var pending: (mode: Mode, lr: Double, count: Int)?

  mutating func flush() {
    guard let p = pending else { return }
    pending = nil
    if tally[p.mode]?[p.lr] != nil || (tally[p.mode]?.count ?? 0) < Self.rateLimit {
      tally[p.mode, default: [:]][p.lr, default: 0] += p.count
    }
  }

  /// The learning rate logged most often with each mode (modes never logged keep `fallback`'s).
  func rates(fallback d: LearningRates) -> LearningRates? {
    var all = self
    all.flush()
    let tally = all.tally
    guard !tally.isEmpty else { return nil }
    func pick(_ m: Mode, _ fallback: Double) -> Double {
      tally[m]?.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }?.key ?? fallback
    }
    return try? LearningRates(
      single: pick(.single, d.single), multi: pick(.multi, d.multi), mirror: pick(.mirror, d.mirror))
  }
}

/// The outcome of replaying a log under one ``Hypothesis``.
///
/// A change is replayed until the log first disagrees with it (it stops there: a change that
/// leaves a record unexplained cannot be the explanation), so a result says how far it went.
public struct HypothesisResult: Sendable, Hashable, Codable {
  public var kind: Hypothesis.Kind
  public var change: String
  /// Every record agrees under this change.
  public var explainsFully: Bool
  /// Records that agree before the first that does not (all of them when it explains fully).
  public var agreedSteps: Int
  /// The step of the first record that disagrees, or nil.
  public var firstDivergenceStep: Int?
}
