import UnifiedLoRA

/// A box of inputs `L ∈ [lossLo, lossHi]`, `E ∈ [envLo, envHi]` (`lossHi`/`envHi` may be `+∞`).
public struct InputBox: Sendable, Hashable, Codable, CustomStringConvertible {
  public var lossLo: Double
  public var lossHi: Double
  public var envLo: Double
  public var envHi: Double

  public init(loss: ClosedRange<Double>, env: ClosedRange<Double> = 0...0) {
    lossLo = loss.lowerBound
    lossHi = loss.upperBound
    envLo = env.lowerBound
    envHi = env.upperBound
  }

  /// The corner with the largest inputs. An infinite bound is replaced by `1e300`, for which the
  /// core's `L/(1 + L)` rounds to exactly 1 (the supremum of `D`).
  public var upperCorner: ConstantInput {
    ConstantInput(loss: min(lossHi, 1e300), env: min(envHi, 1e300))
  }
  /// The corner with the smallest inputs.
  public var lowerCorner: ConstantInput { ConstantInput(loss: lossLo, env: envLo) }

  public var description: String { "L ∈ [\(lossLo), \(lossHi)], E ∈ [\(envLo), \(envHi)]" }

  /// JSON: the four bounds; an infinite upper bound follows the encoder's non-finite convention
  /// (the project's `JSONFormat`: the string `"Infinity"`).
  private enum CodingKeys: String, CodingKey { case lossLo, lossHi, envLo, envHi }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    func bound(_ k: CodingKeys) throws -> Double {
      if let v = try? c.decode(Double.self, forKey: k) { return v }
      // a decoder without the non-finite strategy sees the string; `inf` is the spelling of
      // files written before the project's one convention
      switch try c.decode(String.self, forKey: k) {
      case "Infinity", "inf": return .infinity
      case "-Infinity": return -.infinity
      case "NaN": return .nan
      case let s:
        throw DecodingError.dataCorruptedError(
          forKey: k, in: c, debugDescription: "\(s) is not a number, Infinity, -Infinity or NaN")
      }
    }
    lossLo = try bound(.lossLo)
    lossHi = try bound(.lossHi)
    envLo = try bound(.envLo)
    envHi = try bound(.envHi)
  }
}

/// A threshold on a sustained input: a number, "no bound" (every value works) or none (no value
/// works). JSON: a number, the string `"unbounded"`, or `null`.
public enum InputBound: Sendable, Hashable, Codable, CustomStringConvertible {
  case value(Double)
  case unbounded
  case none

  public var number: Double? {
    if case .value(let v) = self { return v }
    return nil
  }

  public var description: String {
    switch self {
    case .value(let v): v.description
    case .unbounded: "unbounded"
    case .none: "never"
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .value(let v): try c.encode(v)
    case .unbounded: try c.encode("unbounded")
    case .none: try c.encodeNil()
    }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if c.decodeNil() {
      self = .none
    } else if let v = try? c.decode(Double.self) {
      self = .value(v)
    } else {
      self = .unbounded
    }
  }
}

/// What a box of sustained inputs can do to the controller (T06, T07, T08).
public struct Reachability: Sendable, Hashable, Codable {
  public var box: InputBox
  /// `sup_t φ_t` over every input sequence in the box from the initial state (T06).
  public var phiSup: Double
  /// `inf_t φ_t` over the same.
  public var phiInf: Double
  /// The modes that some input sequence in the box puts in a record (the mode after at least
  /// one update). The initial mode counts only when a record shows it: with `φ_0 = 0` and
  /// `M_0 = Mirror` the first update leaves Mirror, and Mirror is not reached.
  public var modes: [Mode]
  /// Whether ``modes`` is exact (the certain lower bound equals the sound upper bound). When it
  /// is not, a mode might be reachable only through a short excursion that a cooldown blocks.
  public var modesExact: Bool
  /// `sup φ_t` over the steps `t` whose `φ_t` can select a mode: report, `t` from the end of an
  /// initial cooldown lock (`s_0 + N_s`; 0 without one), since the candidate reads the old φ;
  /// repo, `t ≥ 1`. A mode is reachable only if this range classifies to it (T07 part 2, with the
  /// lock: `φ_0 = 0.8` held in Single by `s_0 = −1` never reaches Mirror under `L = 20`).
  public var phiSupSwitchable: Double
  /// `inf φ_t` over the same steps.
  public var phiInfSwitchable: Double
  /// The sound upper bound on ``modes``: the classes of `[phiInfSwitchable, phiSupSwitchable]`,
  /// and the initial mode when an initial cooldown lock holds it in record 0.
  public var modesPossible: [Mode]
}

/// The least/largest sustained inputs for Mirror and Single (T07, T08): the closed form and
/// Brent's method on the numerically found fixed point.
public struct InputThresholds: Sendable, Hashable, Codable, EncodesEveryKey {
  /// The loss the env thresholds are for, and the env the loss thresholds are for.
  public var givenLoss: Double
  public var givenEnv: Double
  /// Mirror needs a sustained `E` strictly above this (given `L = givenLoss`), closed form.
  public var minEnvForMirror: InputBound
  /// The same by Brent's method (`nil`: not computed).
  public var minEnvForMirrorBrent: InputBound?
  /// Mirror needs a sustained `L` strictly above this (given `E = givenEnv`).
  public var minLossForMirror: InputBound
  public var minLossForMirrorBrent: InputBound?
  /// The controller settles in Single iff the sustained `E` is strictly below this (given `L`).
  public var maxEnvForSingle: InputBound
  public var maxEnvForSingleBrent: InputBound?
  /// The controller settles in Single iff the sustained `L` is strictly below this (given `E`).
  public var maxLossForSingle: InputBound
  public var maxLossForSingleBrent: InputBound?
  /// Each numeric threshold in exact arithmetic (the parameters as the decimals they print as)
  /// and in binary64 (the least/largest double input for which the core's step reaches the
  /// mode); `nil` when the threshold is not a number (never, unbounded).
  public var minEnvForMirrorValue: ThresholdValue?
  public var minLossForMirrorValue: ThresholdValue?
  public var maxEnvForSingleValue: ThresholdValue?
  public var maxLossForSingleValue: ThresholdValue?
  /// Cross-checks that could not be made (a GSL failure): the closed form is the answer.
  public var notes: [String] = []
}

extension Parameters {
  /// `X₀ = θ0/(1 − θ0)` and `X₁ = θ1/(1 − θ1)`: `φ* = X/(1 + X)` is below θ0 iff `X < X₀`, and
  /// above θ1 iff `X > X₁`.
  var singleLimit: Double { theta0 / (1 - theta0) }
  var mirrorLimit: Double { theta1 / (1 - theta1) }

  /// Supremum and infimum of `φ` over all input sequences in `box`, from the initial state (T06).
  ///
  /// **Why corners suffice (comparison principle, T06).** One step is non-decreasing in each of
  /// `Ê`, `φ`, `L` and `E` (`β, 1 − α, α, α_E, 1 − α_E ≥ 0`; `L/(1 + L)` and `x/(1 + x)` are
  /// increasing). By induction, the trajectory under the constant upper corner dominates every
  /// trajectory with inputs in the box, step by step, and the lower corner is dominated. So the
  /// supremum over all sequences is the supremum along one trajectory, which is
  /// `max(max_t φ_t, X_hi/(1 + X_hi))`, found by iterating the core until the hull (T06) proves
  /// no later value exceeds it by more than 1e-15.
  ///
  /// - Throws: ``AnalysisError/undecided(quantity:steps:)`` after `maxSteps` steps.
  public func reachability(_ box: InputBox, maxSteps: Int = 10_000_000) throws(AnalysisError)
    -> Reachability
  {
    let hiInput = box.upperCorner
    let loInput = box.lowerCorner
    let up = try extreme(hiInput, upper: true, maxSteps: maxSteps)
    let down = try extreme(loInput, upper: false, maxSteps: maxSteps)
    let gLo = squash(stressTarget(loInput))
    let gHi = squash(stressTarget(hiInput))
    var certain: Set<Mode> = []
    certain.formUnion(up.modes)
    certain.formUnion(down.modes)
    if gLo < theta0 { certain.insert(.single) }
    if max(gLo, theta0) < min(gHi, theta1) || (gLo > theta0 && gHi < theta1) { certain.insert(.multi) }
    if gHi > theta1 { certain.insert(.mirror) }
    var possible = classes(down.switchable, up.switchable)
    if firstSwitchableStep > 0 && variant == .report { possible.insert(initial.mode) }
    possible.formUnion(certain)
    return Reachability(
      box: box, phiSup: up.all, phiInf: down.all, modes: certain.sorted(),
      modesExact: certain == possible, phiSupSwitchable: up.switchable,
      phiInfSwitchable: down.switchable, modesPossible: possible.sorted())
  }

  /// The first step `t` whose `φ_t` can select a mode from the initial state: report, the end of
  /// an initial cooldown lock (`max(0, s_0 + N_s)`, 0 when `s_0 = −∞`); repo, 1 (the mode is the
  /// class of the new φ).
  var firstSwitchableStep: Int {
    guard variant == .report else { return 1 }
    guard let s0 = initial.lastSwitch else { return 0 }
    let (end, overflow) = s0.addingReportingOverflow(cooldown)
    return overflow ? Int.max : max(0, end)
  }

  /// The extreme of `φ` along the constant-input trajectory from the initial state (including the
  /// limit `φ* = g(X)`), the same over the steps that can select a mode
  /// (``firstSwitchableStep``), and the modes the records show until the mode is certified final.
  ///
  /// Stops when the hull of all future `φ` (T06), widened by the rounding allowance, lies within
  /// the extremes found, or when the binary64 state is a fixed point of the step (under a
  /// constant input `Ê` and `φ` are monotone sequences of doubles, so one is always reached): a
  /// late one-ulp rise above `φ*` is not missed.
  func extreme(_ u: ConstantInput, upper: Bool, maxSteps: Int) throws(AnalysisError)
    -> (all: Double, switchable: Double, modes: Set<Mode>)
  {
    let env = Envelope(self, u, from: initial)
    let first = firstSwitchableStep
    func pick(_ a: Double, _ b: Double) -> Double { upper ? max(a, b) : min(a, b) }
    var s = initial
    var best = s.phi
    var bestSwitchable: Double?
    var modes: Set<Mode> = []
    var fixed = false
    for t in 0..<maxSteps {
      if t >= first { bestSwitchable = pick(bestSwitchable ?? s.phi, s.phi) }
      let h = env.hull(s)
      let limitAll = pick(best, env.phiStar)
      let valueDone =
        fixed
        || (upper ? h.hi <= limitAll : h.lo >= limitAll)
          && bestSwitchable.map { upper ? h.hi <= max($0, env.phiStar) : h.lo >= min($0, env.phiStar) }
            ?? false
      let settled = fixed && Mode.classify(s.phi, theta0: theta0, theta1: theta1) == s.mode
      let modesDone = t >= 1 && (settled || classes(h.lo, h.hi) == [s.mode])
      if valueDone && modesDone {
        return (limitAll, pick(bestSwitchable ?? env.phiStar, env.phiStar), modes)
      }
      let n = next(s, u, at: t)
      fixed = n.ehat == s.ehat && n.phi == s.phi
      s = n
      best = pick(best, s.phi)
      modes.insert(s.mode)
    }
    throw .undecided(quantity: "the extreme of φ for \(u)", steps: maxSteps)
  }

  /// The sustained-input thresholds for Mirror and Single, closed form (T07, T08) and, when
  /// `crossCheck` is true, Brent's method on the GSL fixed point (``fixedPointNumerically(_:start:)``).
  ///
  /// ```
  /// report: Mirror iff X > X₁ = θ1/(1 − θ1);  Single iff X < X₀ = θ0/(1 − θ0)
  ///         least E for Mirror = (X₁ − (1 − α_E)·D)/α_E,  D = L/(1 + L)       (T07)
  ///         least L for Mirror = D₁/(1 − D₁),  D₁ = (X₁ − α_E·E)/(1 − α_E) (none if D₁ ≥ 1)
  /// repo:   Mirror iff L > X₁;  Single iff L < X₀  (E is ignored)
  /// ```
  ///
  /// Each threshold is a strict bound: at equality `φ*` sits on the threshold and is approached
  /// from one side only.
  public func inputThresholds(givenLoss: Double, givenEnv: Double, crossCheck: Bool = true)
    throws(AnalysisError) -> InputThresholds
  {
    let d = squash(givenLoss)
    var out: InputThresholds
    switch variant {
    case .report:
      out = InputThresholds(
        givenLoss: givenLoss, givenEnv: givenEnv,
        minEnvForMirror: lowerEnv(limit: mirrorLimit, d: d),
        minLossForMirror: lowerLoss(limit: mirrorLimit, env: givenEnv),
        maxEnvForSingle: upperEnv(limit: singleLimit, d: d),
        maxLossForSingle: upperLoss(limit: singleLimit, env: givenEnv))
    case .repo:
      out = InputThresholds(
        givenLoss: givenLoss, givenEnv: givenEnv,
        minEnvForMirror: givenLoss > mirrorLimit ? .value(0) : .none,
        minLossForMirror: .value(mirrorLimit),
        maxEnvForSingle: givenLoss < singleLimit ? .unbounded : .none,
        maxLossForSingle: .value(singleLimit))
    }
    out.minEnvForMirrorValue = thresholdValue(.minEnvForMirror, given: givenLoss, bound: out.minEnvForMirror)
    out.minLossForMirrorValue = thresholdValue(
      .minLossForMirror, given: givenEnv, bound: out.minLossForMirror)
    out.maxEnvForSingleValue = thresholdValue(.maxEnvForSingle, given: givenLoss, bound: out.maxEnvForSingle)
    out.maxLossForSingleValue = thresholdValue(
      .maxLossForSingle, given: givenEnv, bound: out.maxLossForSingle)
    guard crossCheck else { return out }
    // GSL is the cross-check, never the answer: a failure becomes a note.
    func brent(_ what: String, _ body: () throws(AnalysisError) -> InputBound) throws(AnalysisError)
      -> InputBound?
    {
      do { return try body() } catch {
        guard case .gsl = error else { throw error }
        out.notes.append(crossCheckNote(error, what))
        return nil
      }
    }
    // Each threshold: its field, in words, the threshold φ crosses (above it or below), and the
    // input whose loss or env varies.
    let searches:
      [(WritableKeyPath<InputThresholds, InputBound?>, String, Double, Bool, (Double) -> ConstantInput)] =
        [
          (
            \.minEnvForMirrorBrent, "the least E for Mirror at L = \(givenLoss)", theta1, true,
            { ConstantInput(loss: givenLoss, env: $0) }
          ),
          (
            \.minLossForMirrorBrent, "the least L for Mirror at E = \(givenEnv)", theta1, true,
            { ConstantInput(loss: $0, env: givenEnv) }
          ),
          (
            \.maxEnvForSingleBrent, "the largest E settling in Single at L = \(givenLoss)", theta0, false,
            { ConstantInput(loss: givenLoss, env: $0) }
          ),
          (
            \.maxLossForSingleBrent, "the largest L settling in Single at E = \(givenEnv)", theta0, false,
            { ConstantInput(loss: $0, env: givenEnv) }
          ),
        ]
    for (field, what, threshold, above, input) in searches {
      out[keyPath: field] = try brent(what) { () throws(AnalysisError) in
        try brentThreshold(threshold, above: above, input)
      }
    }
    return out
  }

  // Mirror: E with α_E·E + (1 − α_E)·D > limit.
  func lowerEnv(limit: Double, d: Double) -> InputBound {
    let fromLoss = (1 - alphaE) * d
    if alphaE == 0 { return fromLoss > limit ? .value(0) : .none }
    return .value(max(0, (limit - fromLoss) / alphaE))
  }

  // Single: E with α_E·E + (1 − α_E)·D < limit.
  func upperEnv(limit: Double, d: Double) -> InputBound {
    let fromLoss = (1 - alphaE) * d
    if fromLoss >= limit { return .none }
    if alphaE == 0 { return .unbounded }
    return .value((limit - fromLoss) / alphaE)
  }

  // Mirror: L with (1 − α_E)·L/(1 + L) > limit − α_E·E.
  func lowerLoss(limit: Double, env: Double) -> InputBound {
    let rest = limit - alphaE * env
    if rest < 0 { return .value(0) }
    if alphaE == 1 { return rest < 0 ? .value(0) : .none }
    let d1 = rest / (1 - alphaE)
    if d1 >= 1 { return .none }
    return .value(d1 / (1 - d1))
  }

  // Single: L with (1 − α_E)·L/(1 + L) < limit − α_E·E.
  func upperLoss(limit: Double, env: Double) -> InputBound {
    let rest = limit - alphaE * env
    if rest <= 0 { return .none }
    if alphaE == 1 { return .unbounded }
    let d0 = rest / (1 - alphaE)
    if d0 >= 1 { return .unbounded }
    return .value(d0 / (1 - d0))
  }

  /// Brent's method on `v ↦ φ*(input(v)) − θ`, with `φ*` from GSL's multiroot solver on the core's
  /// step. `above`: the least `v` with `φ* > θ` (Mirror); otherwise the largest `v` with `φ* < θ`
  /// (Single). Brackets by growing the upper end sixteenfold up to the largest finite double, so
  /// a threshold of any size is found (a loss above 2⁵³ already squashes to `D = 1`).
  func brentThreshold(
    _ theta: Double, above: Bool, _ input: (Double) -> ConstantInput
  ) throws(AnalysisError) -> InputBound {
    var failure: AnalysisError?
    func f(_ v: Double) -> Double {
      do { return try fixedPointNumerically(input(v)).phi - theta } catch {
        failure = error
        return .nan
      }
    }
    let f0 = f(0)
    if let failure { throw failure }
    if above && f0 > 0 { return .value(0) }
    if !above && f0 >= 0 { return .none }
    var hi = 1.0
    var fh = f(hi)
    var lo = 0.0
    while fh <= 0 && hi < Double.greatestFiniteMagnitude / 16 {
      lo = hi
      hi *= 16
      fh = f(hi)
    }
    if let failure { throw failure }
    if fh <= 0 { return above ? .none : .unbounded }
    let root: Double
    do {
      root = try BrentRoot.solve(in: lo, hi, absTol: 0, relTol: 1e-14) { f($0) }
    } catch { throw failure ?? .gsl(error) }
    if let failure { throw failure }
    return .value(root)
  }

  /// The least shock length `T ≥ 1` such that `T` updates of `shock` from state `s`, followed by
  /// `clean` for ever, put the controller in Mirror at some update (during or after the shock);
  /// `nil` when no length does (T07, T14). The answer is at most the sustained-shock latency to
  /// Mirror; every candidate length is checked by iteration with a certified end.
  ///
  /// - Throws: ``AnalysisError/undecided(quantity:steps:)`` after `maxSteps` steps in one run.
  /// - Complexity: O(T·(T + recovery)) core steps.
  public func minShockLengthForMirror(
    from s: ControllerState, shock: ConstantInput, clean: ConstantInput, firstStep: Int = 0,
    maxSteps: Int = 10_000_000
  ) throws(AnalysisError) -> Int? {
    guard
      case .steps(let k) = try latency(
        to: .mirror, from: s, input: shock, firstStep: firstStep, maxSteps: maxSteps)
    else { return nil }
    var state = s
    for length in 1...k {
      state = next(state, shock, at: firstStep + length - 1)
      if state.mode == .mirror { return length }
      let after = try latency(
        to: .mirror, from: state, input: clean, firstStep: firstStep + length, maxSteps: maxSteps)
      if after != .never { return length }
    }
    return k
  }
}
