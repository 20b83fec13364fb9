import UnifiedLoRA

/// How many updates until something happens, or a proof that it never does.
public enum Latency: Sendable, Hashable, Codable, CustomStringConvertible {
  /// After this many updates (≥ 1).
  case steps(Int)
  /// Certified never: the hull of all future `φ` (T06) excludes the mode's band and the mode
  /// is not the current one.
  case never

  /// The count, or `nil` for ``never`` (JSON `null`).
  public var value: Int? {
    if case .steps(let k) = self { return k }
    return nil
  }

  public var description: String { value.map(String.init) ?? "never" }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    self = c.decodeNil() ? .never : .steps(try c.decode(Int.self))
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    if let value { try c.encode(value) } else { try c.encodeNil() }
  }
}

extension Parameters {
  /// Detection latency (SPEC §6, T14): the least `k ≥ 1` such that the mode after the `k`-th
  /// update with the constant input `u` is `m`, starting from state `s` at step `firstStep`
  /// (the step number the cooldown reads).
  ///
  /// Iterates the core and stops with ``Latency/never`` as soon as the mode is not `m` and the
  /// hull of all future `φ` (widened by the rounding allowance) has no point that classifies as
  /// `m`: from then on the mode can only keep its value or switch to another class.
  ///
  /// - Throws: ``AnalysisError/undecided(quantity:steps:)`` when neither happens within
  ///   `maxSteps` updates (a fixed point within rounding distance of a threshold).
  /// - Complexity: O(k) core steps.
  public func latency(
    to m: Mode, from s: ControllerState, input u: ConstantInput, firstStep: Int = 0,
    maxSteps: Int = 10_000_000
  ) throws(AnalysisError) -> Latency {
    let env = Envelope(self, u, from: s)
    var state = s
    for k in 1...maxSteps {
      state = next(state, u, at: firstStep + k - 1)
      if state.mode == m { return .steps(k) }
      let h = env.hull(state)
      if !classes(h.lo, h.hi).contains(m) { return .never }
    }
    throw .undecided(quantity: "the latency to \(m)", steps: maxSteps)
  }

  /// The state the controller reaches under constant input `u`: the closed-form fixed point with
  /// the mode it classifies to and no recent switch (the starting state of SPEC §6's shock).
  public func restingState(_ u: ConstantInput) -> ControllerState {
    let f = fixedPoint(u)
    return ControllerState(ehat: f.ehat, phi: f.phi, mode: f.mode, lastSwitch: nil)
  }

  /// Runs the core from `s` on `count` updates of `u` starting at step `firstStep`.
  public func run(_ s: ControllerState, _ u: ConstantInput, count: Int, firstStep: Int = 0)
    -> ControllerState
  {
    var state = s
    for i in 0..<max(count, 0) { state = next(state, u, at: firstStep + i) }
    return state
  }
}

/// One mode switch in a shock response.
public struct ModeSwitch: Sendable, Hashable, Codable {
  /// The update count from the start of the shock (`k ≥ 1`: the mode after the `k`-th update).
  public var update: Int
  public var from: Mode
  public var to: Mode
  /// Whether the update consumed a shock input (else a recovery input).
  public var duringShock: Bool
}

/// The response to a shock of finite length from a resting state (SPEC §6, T09, T13, T14).
public struct ShockResponse: Sendable, Hashable, Codable {
  public var clean: ConstantInput
  public var shock: ConstantInput
  public var length: Int
  /// The starting state: the clean fixed point, its mode, no recent switch.
  public var start: ControllerState
  /// Every mode switch, in order, until the mode is certified final.
  public var switches: [ModeSwitch]
  /// The modes the controller is in at some point (including the starting mode).
  public var modesVisited: [Mode]
  /// The largest `φ` along the response: followed past the mode certificate until the envelope's
  /// hull shows that no later `φ` exceeds it by more than the rounding allowance.
  public var peakPhi: Double
  /// The update (from the shock start) after which `φ` peaks.
  public var peakUpdate: Int
  /// The state after the last shock update.
  public var endOfShock: ControllerState
  /// Recovery latency: the least `k ≥ 1` such that the mode after the `k`-th recovery update is
  /// Single (SPEC §6).
  public var toSingle: Latency
  /// The number of recovery updates after which the mode is Single and certified never to leave
  /// it again (the hull of all future `φ` lies below θ0); `never` when the clean fixed point is
  /// not in Single.
  public var settledInSingle: Latency
  /// The mode the controller finally keeps.
  public var finalMode: Mode
}

extension Parameters {
  /// The shock regime of SPEC §6: from the resting state of `clean`, `length` updates of
  /// `shock` (steps `0 ..< length`), then `clean` again until the mode is certified final.
  ///
  /// - Throws: ``AnalysisError/undecided(quantity:steps:)`` after `maxSteps` recovery updates.
  /// - Complexity: O(length + recovery) core steps.
  public func shockResponse(
    clean: ConstantInput, shock: ConstantInput, length: Int, maxSteps: Int = 10_000_000
  ) throws(AnalysisError) -> ShockResponse {
    let start = restingState(clean)
    var state = start
    var switches: [ModeSwitch] = []
    var visited: Set<Mode> = [start.mode]
    var peak = start.phi
    var peakUpdate = 0
    for k in 1...max(length, 1) where length > 0 {
      let before = state.mode
      state = next(state, shock, at: k - 1)
      if state.mode != before {
        switches.append(ModeSwitch(update: k, from: before, to: state.mode, duringShock: true))
        visited.insert(state.mode)
      }
      if state.phi > peak { (peak, peakUpdate) = (state.phi, k) }
    }
    let endOfShock = state
    let env = Envelope(self, clean, from: state)
    var toSingle: Latency?
    var settled: Latency?
    // The last recovery update whose record is not Single (0: none). "In Single for good from
    // recovery update k" is the least k ≥ 1 with every record from the k-th on in Single, so
    // k = lastNotSingle + 1 once the mode is certified final (T09): the update at which the
    // certificate is found may be much later than k.
    var lastNotSingle = 0
    var j = 0
    while settled == nil {
      if j >= maxSteps { throw .undecided(quantity: "the recovery after the shock", steps: maxSteps) }
      j += 1
      let before = state.mode
      state = next(state, clean, at: length + j - 1)
      if state.mode != before {
        switches.append(
          ModeSwitch(update: length + j, from: before, to: state.mode, duringShock: false))
        visited.insert(state.mode)
      }
      if state.phi > peak { (peak, peakUpdate) = (state.phi, length + j) }
      if state.mode != .single { lastNotSingle = j }
      let h = env.hull(state)
      let future = classes(h.lo, h.hi)
      if toSingle == nil {
        if state.mode == .single {
          toSingle = .steps(j)
        } else if !future.contains(.single) {
          toSingle = .never
        }
      }
      if future == [state.mode] {
        settled = state.mode == .single ? .steps(lastNotSingle + 1) : .never
        if toSingle == nil { toSingle = .never }
      }
    }
    // The mode is final, but φ may still rise (a short shock's Ê keeps feeding φ after it ends,
    // and a binary64 trajectory can end one ulp above φ*): follow it until the hull, widened by
    // the rounding allowance, shows that no later φ exceeds the peak, or until the binary64
    // state is a fixed point of the step (under a constant input both Ê and φ are monotone
    // sequences of doubles, so one is always reached).
    while env.hull(state).hi > peak {
      if j >= maxSteps { throw .undecided(quantity: "the peak of φ after the shock", steps: maxSteps) }
      j += 1
      let after = next(state, clean, at: length + j - 1)
      let fixed = after.ehat == state.ehat && after.phi == state.phi
      state = after
      if state.phi > peak { (peak, peakUpdate) = (state.phi, length + j) }
      if fixed { break }
    }
    return ShockResponse(
      clean: clean, shock: shock, length: length, start: start, switches: switches,
      modesVisited: visited.sorted(), peakPhi: peak, peakUpdate: peakUpdate,
      endOfShock: endOfShock, toSingle: toSingle ?? .never, settledInSingle: settled ?? .never,
      finalMode: state.mode)
  }
}
