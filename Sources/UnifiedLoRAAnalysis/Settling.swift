import UnifiedLoRA

/// Which band a settling time measures (SPEC §6). `T` counts updates: `φ_T` is the value after
/// `T` updates with the new input.
public enum SettlingConvention: String, Sendable, Hashable, Codable, CaseIterable {
  /// Relative to the step (MATLAB `stepinfo`): `|φ_t − φ*| ≤ ε·|φ_0 − φ*|` for all `t ≥ T`.
  case relativeToStep
  /// Relative to the final value (python-control `step_info`): `|φ_t − φ*| ≤ ε·|φ*|` for all `t ≥ T`.
  case relativeToFinal
  /// An absolute band: `|φ_t − φ*| ≤ ε` for all `t ≥ T`.
  case absolute

  /// The published name of the convention.
  public var title: String {
    switch self {
    case .relativeToStep: "relative to the step (MATLAB stepinfo)"
    case .relativeToFinal: "relative to the final value (python-control step_info)"
    case .absolute: "absolute band"
    }
  }
}

/// A settling time of `φ` with its certificate and its bounds (T05).
public struct SettlingTime: Sendable, Hashable, Codable, EncodesEveryKey {
  public var convention: SettlingConvention
  /// `ε`.
  public var epsilon: Double
  /// The half-width of the band around `φ*`.
  public var band: Double
  /// The least `T` with `|φ_t − φ*| ≤ band` for all `t ≥ T`, by iteration of the core; `nil` when
  /// the band is below the rounding resolution (see ``note``).
  public var steps: Int?
  /// The step from which the envelope proves the band is never left again (``steps`` ≤ this; the
  /// steps in between were checked one by one).
  public var certifiedFrom: Int?
  /// An analytic upper bound on ``steps`` from the initial state alone (no iteration).
  public var upperBound: Int?
  /// The estimate `⌈ln(band/|φ_0 − φ*|)/ln ρ⌉` from the spectral radius alone, which ignores
  /// the defective (Jordan) term and the coupling through `Ê`; printed to show how wrong it is.
  public var spectralRadiusEstimate: Int?
  /// Why ``steps`` is missing, if it is.
  public var note: String?
}

extension Parameters {
  /// The settling time of `φ` from state `s` to the fixed point of the constant input `u` (T05).
  ///
  /// Iterates the core (`Parameters.advance`) and records the last update that leaves the band;
  /// stops as soon as the envelope of ``Envelope`` (hull and geometric bound, plus the rounding
  /// allowance) proves that the band is never left again. The answer is therefore exact for the
  /// binary64 trajectory, not "stayed inside for a while".
  ///
  /// - Parameters:
  ///   - epsilon: `ε > 0` (checked by the caller; the CLI rejects other values).
  ///   - maxSteps: the iteration limit.
  /// - Returns: ``SettlingTime``; `steps` is `nil` when the band is not wider than the rounding
  ///   allowance (for example `φ_0 = φ*` with `relativeToStep`, or `φ* = 0` with `relativeToFinal`).
  /// - Throws: nothing in practice: after `maxSteps` updates `steps` is `nil` with a note and the
  ///   analytic bound; a failure of Brent's method on the analytic bound is a note too.
  /// - Complexity: O(T) core steps.
  public func settlingTime(
    from s: ControllerState, input u: ConstantInput, convention: SettlingConvention,
    epsilon: Double = 0.02, maxSteps: Int = 10_000_000
  ) throws(AnalysisError) -> SettlingTime {
    let env = Envelope(self, u, from: s)
    let phiStar = env.phiStar
    let d0 = abs(s.phi - phiStar)
    let band: Double
    switch convention {
    case .relativeToStep: band = epsilon * d0
    case .relativeToFinal: band = epsilon * abs(phiStar)
    case .absolute: band = epsilon
    }
    var result = SettlingTime(
      convention: convention, epsilon: epsilon, band: band, steps: nil, certifiedFrom: nil,
      upperBound: nil, spectralRadiusEstimate: nil, note: nil)
    let rho = max(beta, 1 - alpha)
    if d0 > band, band > 0 {
      let estimate = rho == 0 ? 1 : (logarithm(band / d0) / logarithm(rho)).rounded(.up)
      result.spectralRadiusEstimate = estimate < 1e18 ? Int(estimate) : nil
    } else if d0 <= band {
      result.spectralRadiusEstimate = 0
    }
    guard band > env.slack else {
      result.note =
        "the band (\(band)) is not wider than the rounding allowance (\(env.slack)) of binary64: no settling time can be certified"
      return result
    }
    var state = s
    var lastOut = -1
    var n = 0
    while true {
      if env.remainingDeviation(state) <= band { break }
      if abs(state.phi - phiStar) > band { lastOut = n }
      if n >= maxSteps {
        // The exact count needs more updates than the limit; the analytic bound below still
        // holds (T05), so it is printed with a note instead of aborting the whole report.
        result.note =
          "not decided by iteration within \(maxSteps) updates (the contraction is too slow); the analytic bound holds"
        result.upperBound = try? analyticSettlingBound(env, s, target: band - env.slack)
        return result
      }
      state = next(state, u, at: n)
      n += 1
    }
    result.steps = lastOut + 1
    result.certifiedFrom = n
    do { result.upperBound = try analyticSettlingBound(env, s, target: band - env.slack) } catch {
      // Brent's method is only the route to the analytic bound: its failure is a note.
      guard case .gsl = error else { throw error }
      result.note = crossCheckNote(error, "the analytic settling bound")
    }
    return result
  }

  /// The least `n` such that the analytic envelope stays ≤ `target` for every `m ≥ n`, from the
  /// initial state alone (T05). Scans the first steps, then uses Brent's method on the
  /// continuous envelope where it is decreasing.
  func analyticSettlingBound(_ env: Envelope, _ s: ControllerState, target: Double)
    throws(AnalysisError) -> Int?
  {
    let r = max(1 - alpha, beta)
    let n0r = (r / (1 - r)).rounded(.up)
    guard n0r <= 1_000_000 else { return nil }
    let n0 = Int(n0r)
    func h(_ n: Double) -> Double { env.analyticBound(s, n) }
    // Scan [0, n0 + 64]: the least n with max_{m ∈ [n, n0]} h(m) ≤ target and h decreasing after.
    let scanEnd = n0 + 64
    var values = [Double](repeating: 0, count: scanEnd + 1)
    for i in 0...scanEnd { values[i] = h(Double(i)) }
    var suffixMax = 0.0
    var best: Int?
    for i in stride(from: scanEnd, through: 0, by: -1) {
      suffixMax = max(suffixMax, values[i])
      if suffixMax <= target { best = i } else { break }
    }
    if let best { return best }
    // h(scanEnd) > target and h is decreasing beyond n0: bracket and solve h(n) = target.
    var lo = Double(scanEnd)
    var hi = lo * 2
    while h(hi) > target {
      lo = hi
      hi *= 2
      if hi > 1e15 { return nil }
    }
    let root: Double
    do {
      root = try BrentRoot.solve(in: lo, hi, absTol: 1e-6, relTol: 0) { h($0) - target }
    } catch { throw .gsl(error) }
    var n = Int(root.rounded(.down))
    while h(Double(n)) > target { n += 1 }
    return n
  }
}
