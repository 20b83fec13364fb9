import UnifiedLoRA
import UnifiedLoRAIO

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What the inputs that were not logged may have been: the loss at a missing step lies in
/// `loss`, the external stress at a missing step (and at every step when the log has no env
/// column) is `0` (`envZero`) or any number ≥ 0.
public struct GapInputs: Sendable, Hashable, Codable {
  public var lossLow: Double
  public var lossHigh: Double
  public var envZero: Bool

  /// - Throws: ``ParameterError`` naming `gap-loss-range` unless `0 ≤ low ≤ high` (high may be +∞).
  public init(lossLow: Double = 0, lossHigh: Double = .infinity, envZero: Bool = false) throws(ParameterError)
  {
    guard lossLow.isFinite, lossLow >= 0, !lossHigh.isNaN, lossHigh >= lossLow else {
      throw ParameterError(
        field: .gapLossRange, value: "\(lossLow):\(lossHigh)",
        requirement: "LOW:HIGH with 0 ≤ LOW ≤ HIGH (HIGH may be inf)")
    }
    self.lossLow = lossLow
    self.lossHigh = lossHigh
    self.envZero = envZero
  }

  /// Parses `LOW:HIGH` (`inf` allowed for HIGH).
  public static func lossRange(_ text: String) -> (Double, Double)? {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false)
    guard parts.count == 2, let lo = Double(parts[0]), let hi = Double(parts[1]) else { return nil }
    return (lo, hi)
  }
}

extension ParameterID {
  /// The range of the losses that were not logged (`--gap-loss-range`).
  public static let gapLossRange = ParameterID(rawValue: "gap-loss-range")
}

/// The outcome of a sparse audit.
public enum SparseVerdict: String, Sendable, Hashable, Codable {
  /// Some inputs in the gaps make every logged decision come out as logged (see
  /// ``SparseReport/exact`` for what this claims).
  case consistent
  /// No inputs in the stated ranges produce the logged decisions: proven at ``SparseReport/step``.
  case inconsistent
  /// The logged learning rate is not a three-level map, or not the configured one.
  case notThisController = "not-this-controller"
  /// The log cannot be read (a fatal ``LogIssue``).
  case badInput = "bad-input"

  /// The dense audit's verdict this one amounts to: consistent conforms, inconsistent and not
  /// this controller do not conform, bad input is bad input.
  public var outcome: AuditVerdict {
    switch self {
    case .consistent: .conforms
    case .inconsistent, .notThisController: .doesNotConform
    case .badInput: .badInput
    }
  }

  /// The process exit status, as for the dense audit (``Verdict/exitStatus``): 0, 1, 1, 2.
  public var exitStatus: Int32 { outcome.exitStatus }
}

/// Everything a sparse audit found. Encodes to `audit --format json` for a log with gaps.
public struct SparseReport: Sendable, Hashable, Codable {
  public var verdict: SparseVerdict
  public var summary: String
  public var records: Int
  public var firstStep: Int?
  public var lastStep: Int?
  /// Steps the controller took with no record (from step 0, or the first step if negative).
  public var missingSteps: Int
  public var envLogged: Bool
  public var gapInputs: GapInputs
  public var parameters: Parameters
  public var tolerance: Double
  /// The step where no input is consistent any more, or where the lr is not the map's.
  public var step: Int?
  /// Why, in one sentence.
  public var reason: String?
  /// What "consistent" claims: the reachable set is over-approximated (a box of (Ê, φ) per
  /// mode and cooldown age), so "inconsistent" is proven and "consistent" means "not refuted".
  public var exactness: String
  /// The distinct learning rates read (at most 16 kept).
  public var learningRates: [Double]
  public var issues: [LogIssue]
  /// `--loss-scale`: every logged loss and the gap loss range were divided by it (absent: 1).
  public var lossScale: Double?
  /// `--env loss-jump`: E was measured from the losses by this signal (its λ), bounded over the
  /// gaps by ``JumpEnvelope``; the logged env column and ``GapInputs/envZero`` were not read.
  public var envSignal: LossJumpStress?
}

/// The measured stress ``LossJumpStress`` over a log with gaps: bounds on its baseline and on
/// each step's `E`.
///
/// `E_t = max(0, ln L_t − b_{t−1})` is increasing in `L_t` and decreasing in `b_{t−1}`, and
/// `b_t = λ·b_{t−1} + (1 − λ)·ln L_t` is increasing in both; each binary64 operation is monotone
/// too. So with `b ∈ [b_lo, b_hi]` and `L ∈ [L_lo, L_hi]`, `E ∈ [E(L_lo, b_hi), E(L_hi, b_lo)]`
/// and the next baseline lies in `[b(b_lo, L_lo), b(b_hi, L_hi)]`: four evaluations of the core's
/// own ``LossJumpStress/update(loss:)``, never a copy of its formula. A gap loss is finite (the
/// controller takes no other), so an unbounded range ends at the largest double.
struct JumpEnvelope: Equatable {
  /// The signal with the least and the greatest baseline (equal when every loss is known).
  var low: LossJumpStress
  var high: LossJumpStress

  init(_ signal: LossJumpStress) {
    low = signal
    high = signal
  }

  /// The bounds of `E_t` for `L_t ∈ [lossLo, lossHi]`, and the baselines advanced.
  mutating func step(lossLo: Double, lossHi: Double) -> (lo: Double, hi: Double) {
    // An invalid logged loss gets E = 0 and leaves the signal alone, as `measure` does.
    guard lossLo >= 0, lossLo.isFinite, lossLo <= lossHi else { return (0, 0) }
    let hiLoss = min(lossHi, .greatestFiniteMagnitude)
    var a = high
    var b = low
    let e = (lo: a.update(loss: lossLo), hi: b.update(loss: hiLoss))
    _ = low.update(loss: lossLo)
    _ = high.update(loss: hiLoss)
    return e
  }

  /// Every baseline a finite log can have: `E` is then anywhere in `[0, ∞)` until losses are known.
  mutating func widen() {
    low = (try? LossJumpStress(lambda: low.lambda, baseline: -.greatestFiniteMagnitude)) ?? low
    high = (try? LossJumpStress(lambda: high.lambda, baseline: .greatestFiniteMagnitude)) ?? high
  }
}

/// The set of states the controller may be in, over-approximated: for each mode and cooldown
/// age, a box `[Ê_lo, Ê_hi] × [φ_lo, φ_hi]`.
///
/// The continuous part `(Ê, φ)` does not depend on the mode and is monotone in the state and in
/// the inputs (T06 part 1), so the image of a box under inputs in a box is inside the box spanned
/// by the step of its least corner with the least inputs and of its greatest corner with the
/// greatest inputs; both are computed by the core step (``Parameters/advance(_:_:)``). The mode
/// is not monotone (T06 part 3): it is tracked exactly per (mode, age) by splitting each box at
/// the thresholds of the φ the rule reads (the old φ in the report variant, the new one in the
/// repo variant).
struct StateSet: Equatable {
  enum Age: Hashable {
    /// `t − s`, steps since the last switch, below the cooldown.
    case since(Int)
    /// The cooldown has elapsed (or there has been no switch).
    case elapsed
    /// Unknown (after widening): the switch may or may not be allowed.
    case any
  }

  struct Key: Hashable {
    var mode: Mode
    var age: Age
  }

  struct Box: Equatable {
    var ehatLo, ehatHi, phiLo, phiHi: Double

    func hull(_ b: Box) -> Box {
      Box(
        ehatLo: min(ehatLo, b.ehatLo), ehatHi: max(ehatHi, b.ehatHi), phiLo: min(phiLo, b.phiLo),
        phiHi: max(phiHi, b.phiHi))
    }
  }

  var boxes: [Key: Box]

  /// The number of (mode, age) classes kept before the ages of a mode are merged into `.any`.
  static let keyLimit = 1024
  /// A bound used for `+∞` inputs and states: every `x ≥ 2^54` squashes to exactly 1 in binary64
  /// (T02), and this keeps `β·Ê + (1 − β)·X` finite.
  static let huge = 0x1p1000

  init(_ p: Parameters) {
    let s = p.initial
    let age: Age = p.cooldown == 0 || s.lastSwitch == nil ? .elapsed : .any
    boxes = [Key(mode: s.mode, age: age): Box(ehatLo: s.ehat, ehatHi: s.ehat, phiLo: s.phi, phiHi: s.phi)]
  }

  /// Everything: every mode, any age, `Ê ∈ [0, huge]`, `φ ∈ [0, 1]`.
  static func top(_ p: Parameters) -> StateSet {
    var s = StateSet(p)
    s.boxes = [:]
    for m in Mode.allCases {
      s.boxes[Key(mode: m, age: p.cooldown == 0 ? .elapsed : .any)] = Box(
        ehatLo: 0, ehatHi: huge, phiLo: 0, phiHi: 1)
    }
    return s
  }

  var isEmpty: Bool { boxes.isEmpty }

  /// The φ interval of each class of `Mode.classify` inside `[lo, hi]`.
  static func split(_ lo: Double, _ hi: Double, _ p: Parameters) -> [(Mode, Double, Double)] {
    var out: [(Mode, Double, Double)] = []
    if lo < p.theta0 { out.append((.single, lo, min(hi, p.theta0.nextDown))) }
    let mLo = max(lo, p.theta0)
    let mHi = min(hi, p.theta1.nextDown)
    if mLo <= mHi { out.append((.multi, mLo, mHi)) }
    if hi >= p.theta1 { out.append((.mirror, max(lo, p.theta1), hi)) }
    return out
  }

  /// One step `t` with `L ∈ [lossLo, lossHi]`, `E ∈ [envLo, envHi]`.
  func step(
    at t: Int, lossLo: Double, lossHi: Double, envLo: Double, envHi: Double, _ p: Parameters
  ) -> StateSet {
    var next = StateSet(p)
    next.boxes = [:]
    let lossHi = min(lossHi, Self.huge)
    let envHi = min(envHi, Self.huge)
    func add(_ key: Key, _ b: Box) {
      next.boxes[key] = next.boxes[key].map { $0.hull(b) } ?? b
    }
    func age(after a: Age) -> Age {
      guard case .since(let k) = a else { return a }
      return k + 1 >= p.cooldown ? .elapsed : .since(k + 1)
    }
    let switched: Age = p.cooldown <= 1 ? .elapsed : .since(1)
    for (key, b) in boxes {
      // The envelope: the core step on the least and on the greatest corner.
      func image(_ phiLo: Double, _ phiHi: Double) -> Box {
        let lo = p.advance(
          ControllerState(ehat: b.ehatLo, phi: phiLo, mode: key.mode),
          Input(step: t, loss: lossLo, env: envLo))
        let hi = p.advance(
          ControllerState(ehat: b.ehatHi, phi: phiHi, mode: key.mode),
          Input(step: t, loss: lossHi, env: envHi))
        return Box(
          ehatLo: lo.ehat, ehatHi: min(hi.ehat, Self.huge), phiLo: lo.phi, phiHi: hi.phi)
      }
      switch p.variant {
      case .report:
        // The candidate reads the OLD φ: split the box before the step.
        for (c, lo, hi) in Self.split(b.phiLo, b.phiHi, p) {
          let img = image(lo, hi)
          if c == key.mode {
            add(Key(mode: key.mode, age: age(after: key.age)), img)
            continue
          }
          switch key.age {
          case .elapsed: add(Key(mode: c, age: switched), img)
          case .since: add(Key(mode: key.mode, age: age(after: key.age)), img)
          case .any:
            add(Key(mode: c, age: switched), img)
            add(Key(mode: key.mode, age: .any), img)
          }
        }
      case .repo:
        // The mode is the class of the NEW φ, with no cooldown.
        let img = image(b.phiLo, b.phiHi)
        for (c, lo, hi) in Self.split(img.phiLo, img.phiHi, p) {
          var piece = img
          piece.phiLo = lo
          piece.phiHi = hi
          add(Key(mode: c, age: .elapsed), piece)
        }
      }
    }
    if next.boxes.count > Self.keyLimit { next.mergeAges() }
    return next
  }

  /// Merges the ages of each mode into `.any` (a coarser, still sound set).
  mutating func mergeAges() {
    var merged: [Key: Box] = [:]
    for (k, b) in boxes {
      let key = Key(mode: k.mode, age: .any)
      merged[key] = merged[key].map { $0.hull(b) } ?? b
    }
    boxes = merged
  }

  /// Keeps the states whose mode is `mode` and whose φ, Ê can agree with the logged values
  /// (``Tolerance/halfWidth(around:)``).
  func restrict(mode: Mode?, phi: Double?, ehat: Double?, tolerance: Tolerance) -> StateSet {
    /// Narrows `[lo, hi]` to the references that can agree with `logged`; false when none is left.
    func narrow(_ lo: inout Double, _ hi: inout Double, to logged: Double?) -> Bool {
      guard let logged else { return true }
      let d = tolerance.halfWidth(around: logged)
      lo = max(lo, logged - d)
      hi = min(hi, logged + d)
      return !(lo > hi)  // NaN bounds refute nothing
    }
    var out = self
    out.boxes = [:]
    for (k, var b) in boxes {
      if let mode, k.mode != mode { continue }
      guard narrow(&b.phiLo, &b.phiHi, to: phi), narrow(&b.ehatLo, &b.ehatHi, to: ehat) else { continue }
      out.boxes[k] = b
    }
    return out
  }

  /// "Multi with φ ∈ [a, b], Ê ∈ [c, d]; Single …": the reachable modes and their hulls.
  var described: String {
    var perMode: [Mode: Box] = [:]
    for (k, b) in boxes { perMode[k.mode] = perMode[k.mode].map { $0.hull(b) } ?? b }
    return Mode.allCases.compactMap { m in
      perMode[m].map {
        "\(m) with φ ∈ [\(fmt($0.phiLo)), \(fmt($0.phiHi))], Ê ∈ [\(fmt($0.ehatLo)), \(fmt($0.ehatHi))]"
      }
    }.joined(separator: "; ")
  }

  func fmt(_ x: Double) -> String {
    // Beyond 2^54 every squash is exactly 1 (T02): such a bound means "unbounded".
    if x >= 0x1p54 { return "unbounded" }
    let r = (x * 1e6).rounded() / 1e6
    return r == 0 && x > 0 ? "\(x)" : "\(r)"
  }
}

/// Audits a log whose steps are not all logged (or whose env was not), without pretending to
/// replay it: decides whether any inputs in the gaps, in the stated ranges, make the controller
/// take every logged decision.
///
/// The run is taken to start in the variant's initial state at step 0 (or at the first logged
/// step, if it is negative); every step without a record is a gap step with `L ∈ [lo, hi]` and
/// `E ≡ 0` or `E ≥ 0`. A record fixes its loss (and env, when logged) and prunes the state set by
/// its logged mode (or the mode its lr names), φ and Ê. The learning rate must be one of the
/// map's three values (within the tolerance) at every record, else the log is "not this
/// controller".
///
/// **What it decides.** The state set is a sound over-approximation of the reachable states
/// (see ``StateSet``): an empty set proves that no inputs in the ranges produce the log
/// ("inconsistent at step t", exact up to the binary64 rounding of the envelope steps); a
/// non-empty one at the end means the log is not refuted ("consistent"), which is exact when the
/// logged decisions constrain only the mode and the boxes are not merged, and otherwise may
/// accept a log that no single input sequence produces.
public enum SparseAudit {
  /// Gap steps iterated one by one before the set is widened to every state (a gap longer than
  /// this, on which the set has not reached a fixed point, loses all information).
  static let gapIterationLimit = 100_000

  /// Audits the log at `path` (a regular file, or anything that can be read once).
  ///
  /// - Parameters:
  ///   - lossScale: when set, every logged loss and both ends of the gap loss range are divided by
  ///     it, as the dense audit divides the losses it replays.
  ///   - signal: when set, E is this measured signal of the losses (the env column and
  ///     `gaps.envZero` are not read); over a gap it is bounded by ``JumpEnvelope``. The report
  ///     variant only (the caller checks ``LossJumpStress/check(_:)``).
  ///   - info: filled as the dense audit fills it (column names, skipped rows, first losses).
  /// - Throws: ``LogError`` when the file's structure is broken.
  public static func run(
    path: String, columns c: AuditColumns, parameters p: Parameters, tolerance: Tolerance = Tolerance(),
    gaps: GapInputs, lossScale: Double? = nil, signal: LossJumpStress? = nil, info: AuditReadInfo? = nil
  ) throws(LogError) -> SparseReport {
    // As `FileSteps`, and it also learns whether the env column exists.
    var envColumn = false
    let source = {
      (body: ([LoggedStep], Bool) -> Bool) throws(LogError) -> (issues: [LogIssue], fields: Set<AuditField>)
      in
      let reader = try RunLog.reader(path: path, columns: c)
      var loader = RunLogLoader(columns: c)
      var raw: [RunLogRecord] = []
      var steps: [LoggedStep] = []
      var going = true
      while try reader.read(into: &raw, limit: 16_384) > 0 {
        steps.removeAll(keepingCapacity: true)
        for r in raw {
          guard var s = loader.accept(r, present: reader.present) else { continue }
          if let lossScale { s.loss /= lossScale }
          info?.observe(s.loss)
          steps.append(s)
        }
        envColumn = reader.present[2]
        if going { going = body(steps, !loader.fatal) }
        if !going && !loader.fatal { break }
      }
      envColumn = reader.present[2]
      info?.finish(reader)
      return loader.finish(present: reader.present)
    }
    return try run(
      source, envLogged: { envColumn }, parameters: p, tolerance: tolerance, gaps: gaps, lossScale: lossScale,
      signal: signal)
  }

  static func run(
    _ read: (([LoggedStep], Bool) -> Bool) throws(LogError) -> (issues: [LogIssue], fields: Set<AuditField>),
    envLogged: @escaping () -> Bool, parameters p: Parameters, tolerance: Tolerance, gaps: GapInputs,
    lossScale: Double? = nil, signal: LossJumpStress? = nil
  ) throws(LogError) -> SparseReport {
    let tau = tolerance.tau
    // The gap range is stated in the log's units; the controller sees it divided like the losses.
    let gapLossLow = gaps.lossLow / (lossScale ?? 1)
    let gapLossHigh = gaps.lossHigh / (lossScale ?? 1)
    let envHigh = gaps.envZero ? 0 : Double.infinity
    var set = StateSet(p)
    var jump = signal.map(JumpEnvelope.init)
    var next: Int?  // the step the controller takes next
    var records = 0
    var missing = 0
    var firstStep: Int?
    var lastStep: Int?
    var failure: (verdict: SparseVerdict, step: Int, reason: String)?
    var rates: [Double] = []
    let map = p.learningRates

    func rateMode(_ lr: Double) -> Mode? {
      Mode.allCases.first { abs(lr - map[$0]) <= tau * map[$0] }
    }
    func noteRate(_ lr: Double) {
      if rates.count < 16, !rates.contains(where: { abs($0 - lr) <= tau * max(abs($0), abs(lr)) }) {
        rates.append(lr)
      }
    }

    // The env column's presence is known once the first record is read (CSV header, or the JSON
    // Lines reader's first record); `s.env` is 0 where it is absent.
    let (issues, _) = try read { batch, replayable in
      guard replayable else { return false }
      for s in batch {
        if let lr = s.lr { noteRate(lr) }
        records += 1
        if firstStep == nil { firstStep = s.step }
        lastStep = s.step
        guard failure == nil else { continue }
        // The gap before this record.
        var t = next ?? min(0, s.step)
        var iterations = 0
        while t < s.step {
          if iterations == gapIterationLimit {
            set = StateSet.top(p)
            jump?.widen()
            missing += s.step - t
            t = s.step
            break
          }
          var envLo = 0.0
          var envHi = envHigh
          let jumpBefore = jump
          if jump != nil { (envLo, envHi) = jump!.step(lossLo: gapLossLow, lossHi: gapLossHigh) }
          let after = set.step(
            at: t, lossLo: gapLossLow, lossHi: gapLossHigh, envLo: envLo, envHi: envHi, p)
          missing += 1
          t += 1
          iterations += 1
          if after == set && jump == jumpBefore {
            // A fixed point: the rest of the gap leaves the set as it is (the step depends on t
            // only through the cooldown age, which the set tracks relative to t).
            missing += s.step - t
            t = s.step
            break
          }
          set = after
        }
        // The record's own step.
        let logged = envLogged()
        var envLo = logged ? s.env : 0
        var envHi = logged ? s.env : envHigh
        if jump != nil { (envLo, envHi) = jump!.step(lossLo: s.loss, lossHi: s.loss) }
        let before = set.step(at: s.step, lossLo: s.loss, lossHi: s.loss, envLo: envLo, envHi: envHi, p)
        next = s.step + 1
        var mode = s.mode
        if let lr = s.lr {
          guard let m = rateMode(lr) else {
            failure = (
              .notThisController, s.step,
              "lr = \(lr) at step \(s.step) is not one of the configured map's rates \(map.single), \(map.multi), \(map.mirror)"
            )
            continue
          }
          if let logged = mode, logged != m {
            failure = (
              .inconsistent, s.step,
              "the logged lr \(lr) is η[\(m)], but the logged mode is \(logged)"
            )
            continue
          }
          mode = m
        }
        set = before.restrict(mode: mode, phi: s.phi, ehat: s.ehat, tolerance: tolerance)
        if set.isEmpty {
          var logged: [String] = []
          if let mode { logged.append("mode \(mode)") }
          if let phi = s.phi { logged.append("φ = \(phi)") }
          if let ehat = s.ehat { logged.append("Ê = \(ehat)") }
          failure = (
            .inconsistent, s.step,
            "the log says \(logged.joined(separator: ", ")) after step \(s.step), but every input in the ranges leads to: \(before.described)"
          )
        }
      }
      return true
    }
    let hasEnv = envLogged()
    var report = SparseReport(
      verdict: .consistent, summary: "", records: records, firstStep: firstStep, lastStep: lastStep,
      missingSteps: missing, envLogged: hasEnv, gapInputs: gaps, parameters: p, tolerance: tau, step: nil,
      reason: nil,
      exactness:
        "over-approximation: the reachable (Ê, φ) per mode and cooldown age is a box from the T06 envelopes, so 'inconsistent' is proven and 'consistent' means no contradiction was found",
      // The gaps are what this audit is about: counted in `missingSteps`, not listed.
      learningRates: rates, issues: issues.filter { $0.kind != .stepGap }, lossScale: lossScale,
      envSignal: signal)
    if missing == 0 && (hasEnv || signal != nil || p.variant == .repo || p.alphaE == 0) {
      // Every input is known: each box is a single point, the set is the replay's one state.
      report.exactness = "exact: every input is logged, so the set is the single replayed state"
    }
    let fatal = issues.filter(\.fatal)
    guard fatal.isEmpty else {
      report.issues = issues
      report.verdict = .badInput
      report.records = 0
      report.firstStep = nil
      report.lastStep = nil
      report.summary = LogIssue.fatalSummary(fatal, cannot: "be read")
      return report
    }
    let env =
      p.variant == .repo || p.alphaE == 0
      ? "E unused"
      : signal.map { "E = loss-jump (lambda \($0.lambda)) of the losses, bounded in the gaps" }
        ?? (gaps.envZero ? "E ≡ 0" : "E ≥ 0 free") + (hasEnv ? " in the gaps" : ", env not logged")
    let inputs =
      "gap losses in [\(gaps.lossLow), \(gaps.lossHigh == .infinity ? "inf" : "\(gaps.lossHigh)")]\(lossScale.map { " ÷ \($0)" } ?? ""), \(env)"
    if rates.count > 3 {
      report.verdict = .notThisController
      report.step = failure?.step
      report.reason =
        "the lr takes \(rates.count == 16 ? "16 or more" : "\(rates.count)") distinct values (\(rates.prefix(5).map { "\($0)" }.joined(separator: ", "))\(rates.count > 5 ? ", …" : "")): a schedule, not a three-level map"
    } else if let f = failure {
      report.verdict = f.verdict
      report.step = f.step
      report.reason = f.reason
    }
    switch report.verdict {
    case .consistent:
      report.summary =
        "consistent: some inputs in the gaps (\(inputs)) give every logged decision of \(records) records, \(missing) steps not logged, under the \(p.variant) variant (\(report.exactness.hasPrefix("exact") ? "exact: every input is logged" : "not refuted; the envelope is an over-approximation"))"
    case .inconsistent:
      report.summary =
        "inconsistent at step \(report.step!): \(report.reason!) (\(inputs); \(p.variant) variant)"
    case .notThisController:
      report.summary = "not this controller: \(report.reason!)"
    case .badInput: break
    }
    return report
  }
}

extension SparseReport {
  /// The `--format table` rendering.
  public var table: String {
    var out = "verdict: \(verdict.rawValue)\n\(summary)\n"
    guard verdict != .badInput else {
      return out + issues.map { "  \($0)" }.joined(separator: "\n") + "\n"
    }
    out += "\nlog: \(records) records"
    if let f = firstStep, let l = lastStep { out += ", steps \(f)…\(l)" }
    out +=
      "; \(missingSteps) steps not logged; env \(envSignal != nil ? "measured (loss-jump)" : envLogged ? "logged" : "not logged")\n"
    let env =
      envSignal.map { "E = loss-jump (lambda \($0.lambda))" } ?? (gapInputs.envZero ? "E = 0" : "E >= 0 free")
    out +=
      "gap inputs: loss in [\(gapInputs.lossLow), \(gapInputs.lossHigh == .infinity ? "inf" : "\(gapInputs.lossHigh)")]\(lossScale.map { " of the log, divided by \($0)" } ?? ""), \(env)\n"
    let r = parameters.learningRates
    out +=
      "reference: \(parameters.variant) variant, alpha \(parameters.alpha), beta \(parameters.beta), alpha_E \(parameters.alphaE), theta0 \(parameters.theta0), theta1 \(parameters.theta1), cooldown \(parameters.cooldown), lr \(r.single),\(r.multi),\(r.mirror)\n"
    out += "decides: \(exactness)\n"
    return out
  }
}

/// What `unified-lora audit` reports: a replay, or (for a log with missing steps, on request for
/// an unlogged env, or for an lr that is a schedule) a sparse audit.
public enum AuditOutcome: Sendable, Hashable {
  /// A replay; `unloggedEnv` is the sparse audit over any `E ≥ 0` when the log has no env column,
  /// the variant reads one, and the replay with `E ≡ 0` does not conform.
  case replay(AuditReport, unloggedEnv: SparseReport?)
  case sparse(SparseReport)

  public var exitStatus: Int32 {
    switch self {
    case .replay(let r, _): r.verdict.exitStatus
    case .sparse(let r): r.verdict.exitStatus
    }
  }
}

extension Audit {
  /// Audits the log at `path`, choosing how: a log with gaps in its step numbers (or any log, with
  /// `sparse`) gets ``SparseAudit``, never a replay of values the controller did not see; a dense
  /// log is replayed (``run(path:columns:parameters:tolerance:explain:)``), and when it does not
  /// conform and its lr takes more than three values, it is reported as not this controller
  /// rather than "explained" by a change of parameters. A replay's report names each field's
  /// column as the log names it (an export's chosen column: `train/loss`, `learning_rate`, …).
  public static func outcome(
    path: String, columns: AuditColumns, parameters p: Parameters, tolerance: Tolerance = Tolerance(),
    explain: Bool = true, gaps: GapInputs, sparse: Bool = false, lossScale: Double? = nil,
    signal: LossJumpStress? = nil, info: AuditReadInfo? = nil
  ) throws(LogError) -> AuditOutcome {
    let info = info ?? AuditReadInfo()
    let outcome = try unnamedOutcome(
      path: path, columns: columns, parameters: p, tolerance: tolerance, explain: explain, gaps: gaps,
      sparse: sparse, lossScale: lossScale, signal: signal, info: info)
    guard case .replay(let r, let note) = outcome else { return outcome }
    return .replay(r.naming(info), unloggedEnv: note)
  }

  /// ``outcome(path:columns:parameters:tolerance:explain:gaps:sparse:lossScale:signal:info:)``
  /// with the columns under the names the options gave.
  static func unnamedOutcome(
    path: String, columns: AuditColumns, parameters p: Parameters, tolerance: Tolerance,
    explain: Bool, gaps: GapInputs, sparse: Bool, lossScale: Double?, signal: LossJumpStress?,
    info: AuditReadInfo
  ) throws(LogError) -> AuditOutcome {
    var source = path
    var spooled: Int32 = -1
    // Standard input, or another stream (a FIFO), is copied as the first pass reads it (an error
    // is reported as soon as it is read, even on a stream that never ends); for a sparse audit,
    // before.
    var copyTo: Int32 = -1
    if !isRegularFile(path) {
      if isStreamPath(path) && !sparse {
        spooled = try temporaryFile(for: path)
        copyTo = spooled
      } else {
        spooled = try spool(path, columns: columns)
      }
      source = "/proc/self/fd/\(spooled)"
    }
    defer { if spooled >= 0 { close(spooled) } }
    if sparse {
      return .sparse(
        try SparseAudit.run(
          path: source, columns: columns, parameters: p, tolerance: tolerance, gaps: gaps,
          lossScale: lossScale, signal: signal, info: info))
    }
    // One pass without the changes first: they are searched only for a dense log that does not
    // conform and whose lr is a three-level map.
    let replay = try run(
      path: copyTo >= 0 ? path : source, columns: columns, parameters: p, tolerance: tolerance,
      explain: false,
      lossScale: lossScale, signal: signal, info: info, copyTo: copyTo)
    let gapped = replay.verdict != .badInput && replay.issues.contains { $0.kind == .stepGap }
    guard gapped || replay.verdict == .doesNotConform else { return .replay(replay, unloggedEnv: nil) }
    let s = try SparseAudit.run(
      path: source, columns: columns, parameters: p, tolerance: tolerance, gaps: gaps,
      lossScale: lossScale, signal: signal)
    if gapped || (s.verdict == .notThisController && s.learningRates.count > 3) { return .sparse(s) }
    let note = !s.envLogged && p.variant == .report && p.alphaE > 0 ? s : nil
    guard explain else { return .replay(replay, unloggedEnv: note) }
    return .replay(
      try run(
        path: source, columns: columns, parameters: p, tolerance: tolerance, explain: true,
        lossScale: lossScale,
        signal: signal),
      unloggedEnv: note)
  }
}

extension AuditReport {
  /// The report with each field's column named as the log names it, from what the first pass
  /// read (`info`); unchanged when the pass learned no names.
  func naming(_ info: AuditReadInfo) -> AuditReport {
    guard info.columnNames.count == 7 else { return self }
    var r = self
    let keys = ["step", "loss", "env", "mode", "lr", "phi", "ehat"]
    for (k, key) in keys.enumerated() where r.columns[key] != nil {
      r.columns[key] = info.columnNames[k]
    }
    return r
  }
}
