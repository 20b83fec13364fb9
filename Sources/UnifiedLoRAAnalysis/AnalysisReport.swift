import UnifiedLoRA

/// The three settling times of one regime (SPEC §6), each with its name.
public struct SettlingTimes: Sendable, Hashable, Codable {
  /// `|φ_t − φ*| ≤ ε·|φ_0 − φ*|` (MATLAB `stepinfo`).
  public var relativeToStep: SettlingTime
  /// `|φ_t − φ*| ≤ ε·|φ*|` (python-control `step_info`).
  public var relativeToFinal: SettlingTime
  /// `|φ_t − φ*| ≤ band`.
  public var absolute: SettlingTime
}

/// Everything `analyze` prints about one constant-input regime.
public struct RegimeReport: Sendable, Hashable, Codable, EncodesEveryKey {
  public var name: String
  public var input: ConstantInput
  /// The state the regime starts from.
  public var start: ControllerState
  /// Closed form (T03).
  public var fixedPoint: FixedPoint
  /// GSL hybrids on `step(x) − x` (the cross-check); `nil` (JSON `null`) when GSL failed, with
  /// the reason in ``notes``: the closed form is the answer either way.
  public var fixedPointGSL: FixedPoint?
  /// `max(|ΔÊ*|, |Δφ*|)` between the two (`nil` without the GSL value).
  public var fixedPointDiscrepancy: Double?
  public var spectrum: SpectralAnalysis
  /// Settling of `φ` from ``start`` to the fixed point.
  public var settlingTime: SettlingTimes
  /// Cross-checks that could not be made (a GSL failure), in words.
  public var notes: [String]
}

/// The note that replaces a GSL cross-check that failed: GSL is never the answer, only its check.
func crossCheckNote(_ error: AnalysisError, _ what: String) -> String {
  "GSL cross-check of \(what) not available (\(error.description)); the closed form is the answer"
}

/// Detection and recovery latencies (SPEC §6, T14): `nil` (JSON `null`) when never.
public struct LatencyReport: Sendable, Hashable, Codable {
  /// Updates of the sustained shock input from the clean resting state until Multi.
  public var toMulti: Latency
  /// The same until Mirror.
  public var toMirror: Latency
  /// Recovery updates after the finite shock until Single.
  public var toSingle: Latency
}

/// Reachability summary of `analyze` (T06, T07, T08).
public struct ReachabilityReport: Sendable, Hashable, Codable, EncodesEveryKey {
  public var box: InputBox
  public var phiSup: Double
  public var phiInf: Double
  /// The modes some record shows (the initial mode only when a record shows it).
  public var modes: [Mode]
  public var modesExact: Bool
  /// The sound upper bound on ``modes`` (``Reachability/modesPossible``).
  public var modesPossible: [Mode]
  /// sup and inf of φ over the steps whose φ can select a mode (``Reachability/phiSupSwitchable``).
  public var phiSupSwitchable: Double
  public var phiInfSwitchable: Double
  /// Least sustained E for Mirror at the shock's loss (closed form; Brent in ``thresholds``).
  public var minEnvForMirror: InputBound
  /// Least sustained L for Mirror at the shock's env.
  public var minLossForMirror: InputBound
  /// Largest sustained E that still settles in Single at the clean loss.
  public var maxEnvForSingle: InputBound
  /// Largest sustained L that still settles in Single at the clean env.
  public var maxLossForSingle: InputBound
  /// Least length of the shock input that reaches Mirror from the clean resting state.
  public var minShockLengthForMirror: Int?
  /// Closed forms and Brent values at the shock's input (the Mirror thresholds).
  public var thresholds: InputThresholds
  /// Closed forms and Brent values at the low-stress input (the Single thresholds).
  public var thresholdsAtLowStress: InputThresholds
}

/// The whole report of `unified-lora analyze`.
public struct AnalysisReport: Sendable, Hashable, Codable {
  public var variant: Variant
  public var parameters: Parameters
  public var epsilon: Double
  public var absoluteBand: Double
  public var shockLength: Int
  /// The low-stress regime's fixed point (closed form).
  public var fixedPoint: FixedPoint
  /// The Jacobian at that fixed point.
  public var jacobian: Matrix2
  /// Its exact eigenvalues `[β, 1 − α]` (GSL's in `regimes.lowStress.spectrum`).
  public var eigenvalues: [Double]
  public var spectralRadius: Double
  public var defective: Bool
  /// Settling of the low-stress regime from the initial state.
  public var settlingTime: SettlingTimes
  public var latency: LatencyReport
  /// The same latencies with the cooldown set to 0.
  public var latencyWithoutCooldown: LatencyReport
  public var shockResponse: ShockResponse
  public var reachability: ReachabilityReport
  public var regimes: [String: RegimeReport]
  /// Warnings and findings in words (for example the defective-Jacobian warning).
  public var notes: [String]
}

/// What `analyze` is asked.
public struct AnalysisRequest: Sendable, Hashable {
  public var clean: ConstantInput
  public var shock: ConstantInput
  public var shockLength: Int
  public var epsilon: Double
  public var absoluteBand: Double
  public var box: InputBox

  public init(
    clean: ConstantInput = ConstantInput(loss: 0.5), shock: ConstantInput = ConstantInput(loss: 20),
    shockLength: Int = 100, epsilon: Double = 0.02, absoluteBand: Double = 0.01,
    box: InputBox? = nil
  ) {
    self.clean = clean
    self.shock = shock
    self.shockLength = shockLength
    self.epsilon = epsilon
    self.absoluteBand = absoluteBand
    self.box =
      box
      ?? InputBox(
        loss: 0...Double.infinity, env: min(clean.env, shock.env)...max(clean.env, shock.env))
  }
}

extension Parameters {
  /// The three settling times of `φ` from `s` under `u`.
  public func settlingTimes(
    from s: ControllerState, input u: ConstantInput, epsilon: Double, absoluteBand: Double
  )
    throws(AnalysisError) -> SettlingTimes
  {
    SettlingTimes(
      relativeToStep: try settlingTime(from: s, input: u, convention: .relativeToStep, epsilon: epsilon),
      relativeToFinal: try settlingTime(from: s, input: u, convention: .relativeToFinal, epsilon: epsilon),
      absolute: try settlingTime(from: s, input: u, convention: .absolute, epsilon: absoluteBand))
  }

  /// One regime: fixed point both ways, spectrum both ways, settling from `start`.
  public func regimeReport(
    _ name: String, input u: ConstantInput, from start: ControllerState, epsilon: Double,
    absoluteBand: Double
  ) throws(AnalysisError) -> RegimeReport {
    let f = fixedPoint(u)
    var notes: [String] = []
    var g: FixedPoint?
    do { g = try fixedPointNumerically(u, start: start) } catch {
      guard case .gsl = error else { throw error }
      notes.append(crossCheckNote(error, "the \(name) fixed point"))
    }
    let spectrum = spectralAnalysis(u)
    if spectrum.eigenvaluesGSL == nil, let why = spectrum.gslFailure {
      notes.append(
        "GSL cross-check of the \(name) eigenvalues not available (\(why)); the exact eigenvalues are the answer"
      )
    }
    let settling = try settlingTimes(from: start, input: u, epsilon: epsilon, absoluteBand: absoluteBand)
    return RegimeReport(
      name: name, input: u, start: start, fixedPoint: f, fixedPointGSL: g,
      fixedPointDiscrepancy: g.map { max(abs(f.ehat - $0.ehat), abs(f.phi - $0.phi)) },
      spectrum: spectrum, settlingTime: settling, notes: notes)
  }

  /// Latencies of the shock regime (SPEC §6): detection under the sustained shock from the clean
  /// resting state, and recovery after `length` shock updates.
  public func latencies(clean: ConstantInput, shock: ConstantInput, length: Int)
    throws(AnalysisError) -> (LatencyReport, ShockResponse)
  {
    let start = restingState(clean)
    let response = try shockResponse(clean: clean, shock: shock, length: length)
    let report = LatencyReport(
      toMulti: try latency(to: .multi, from: start, input: shock),
      toMirror: try latency(to: .mirror, from: start, input: shock),
      toSingle: response.toSingle)
    return (report, response)
  }

  /// The report behind `unified-lora analyze`: the low-stress, shock and recovery regimes
  /// (SPEC §6), latencies with and without the cooldown, and reachability.
  ///
  /// - Throws: ``AnalysisError`` for an invalid input, a GSL failure or an undecided iteration.
  public func analysis(_ r: AnalysisRequest) throws(AnalysisError) -> AnalysisReport {
    do {
      try r.clean.validate()
      try r.shock.validate()
    } catch { throw .input(error) }
    // A fixed point on a threshold makes every mode-dependent quantity undecidable: say so at
    // once rather than iterate to the step limit.
    for (regime, u) in [("low-stress", r.clean), ("shock", r.shock)] {
      let phiStar = fixedPoint(u).phi
      for (name, theta) in [("θ0", theta0), ("θ1", theta1)]
      where abs(phiStar - theta) <= 16 * theta.ulp {
        throw .onThreshold(regime: regime, input: u, phiStar: phiStar, threshold: name, value: theta)
      }
    }
    let low = try regimeReport(
      "lowStress", input: r.clean, from: initial, epsilon: r.epsilon, absoluteBand: r.absoluteBand)
    let (lat, response) = try latencies(clean: r.clean, shock: r.shock, length: r.shockLength)
    let noCooldown = (try? with(cooldown: 0)) ?? self
    let (lat0, _) = try noCooldown.latencies(clean: r.clean, shock: r.shock, length: r.shockLength)
    let shockRegime = try regimeReport(
      "shock", input: r.shock, from: response.start, epsilon: r.epsilon, absoluteBand: r.absoluteBand)
    let recovery = try regimeReport(
      "recovery", input: r.clean, from: response.endOfShock, epsilon: r.epsilon,
      absoluteBand: r.absoluteBand)
    let reach = try reachability(r.box)
    let thresholds = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
    let single = try inputThresholds(givenLoss: r.clean.loss, givenEnv: r.clean.env)
    let shortest = try minShockLengthForMirror(from: response.start, shock: r.shock, clean: r.clean)
    var notes: [String] = []
    for g in [low, shockRegime, recovery] { notes += g.notes }
    notes += thresholds.notes
    for n in single.notes where !notes.contains(n) { notes.append(n) }
    let spec = low.spectrum
    if spec.defective {
      let st = low.settlingTime.relativeToStep
      notes.append(
        "β = 1 − α = \(beta): the Jacobian is defective (a Jordan block with eigenvalue \(spec.spectralRadius) twice, T04). The deviation of φ decays like t·ρ^t, not ρ^t: the spectral-radius estimate of the settling time (\(st.spectralRadiusEstimate.map(String.init) ?? "-") updates) is wrong; the exact response gives \(st.steps.map(String.init) ?? "-") updates (relative to the step, ε = \(r.epsilon))."
      )
    }
    if lat.toMirror == .never {
      notes.append(
        "Mirror is never reached under the sustained shock \(r.shock): φ* = \(shockRegime.fixedPoint.phi) < θ1 = \(theta1) (T07)."
      )
    }
    if response.start.mode != .single {
      notes.append(
        "The low-stress regime does not settle in Single: φ* = \(low.fixedPoint.phi) ≥ θ0 = \(theta0) (T08).")
    }
    return AnalysisReport(
      variant: variant, parameters: self, epsilon: r.epsilon, absoluteBand: r.absoluteBand,
      shockLength: r.shockLength, fixedPoint: low.fixedPoint, jacobian: spec.jacobian,
      eigenvalues: spec.eigenvalues, spectralRadius: spec.spectralRadius, defective: spec.defective,
      settlingTime: low.settlingTime, latency: lat, latencyWithoutCooldown: lat0,
      shockResponse: response,
      reachability: ReachabilityReport(
        box: r.box, phiSup: reach.phiSup, phiInf: reach.phiInf, modes: reach.modes,
        modesExact: reach.modesExact, modesPossible: reach.modesPossible,
        phiSupSwitchable: reach.phiSupSwitchable, phiInfSwitchable: reach.phiInfSwitchable,
        minEnvForMirror: thresholds.minEnvForMirror,
        minLossForMirror: thresholds.minLossForMirror, maxEnvForSingle: single.maxEnvForSingle,
        maxLossForSingle: single.maxLossForSingle, minShockLengthForMirror: shortest,
        thresholds: thresholds, thresholdsAtLowStress: single),
      regimes: ["lowStress": low, "shock": shockRegime, "recovery": recovery], notes: notes)
  }
}
