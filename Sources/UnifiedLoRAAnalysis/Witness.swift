import UnifiedLoRA

/// A concrete input trace that demonstrates a finding, replayable with `unified-lora simulate`.
///
/// The trace is a list of runs `(count, L, E)`; ``settings`` are the parameters it sets on top of
/// the user's (an initial state, a cooldown). The command line renders the command that replays
/// it (it knows the user's flags).
///
/// Not the property search's ``UnifiedLoRAProperties/Counterexample``: a witness is built from the
/// closed forms to show where a claim's conditions end; a counterexample is found by a seeded
/// search and refutes one invariant.
///
/// Every key is always present in its JSON, a missing value as `null` (``EncodesEveryKey``).
public struct Witness: Sendable, Hashable, Codable, EncodesEveryKey {
  /// A run of `count` identical input records.
  public struct Run: Sendable, Hashable, Codable {
    public var count: Int
    public var loss: Double
    public var env: Double
  }

  /// What the trace shows, in one sentence, with the record to look at.
  public var shows: String
  public var runs: [Run]
  /// The runs from index ``cycleStart`` on are repeated ``repeats`` times (1: no repetition).
  public var cycleStart: Int
  public var repeats: Int
  /// The initial state the trace starts from, when it is not the parameters' own.
  public var initial: ControllerState?
  /// The cooldown the trace uses, when it is not the parameters' own.
  public var cooldown: Int?

  public init(
    shows: String, runs: [Run], cycleStart: Int = 0, repeats: Int = 1,
    initial: ControllerState? = nil, cooldown: Int? = nil
  ) {
    self.shows = shows
    self.runs = runs
    self.cycleStart = min(cycleStart, runs.count)
    self.repeats = max(repeats, 1)
    self.initial = initial
    self.cooldown = cooldown
  }

  /// The parameters the replay sets on top of the user's: the initial state, then the cooldown.
  public var settings: [ParameterSetting] {
    var out: [ParameterSetting] = []
    if let initial {
      out += [.initialEhat(initial.ehat), .initialPhi(initial.phi), .initialMode(initial.mode)]
    }
    if let cooldown { out.append(.cooldown(cooldown)) }
    return out
  }

  /// The inputs, steps `0, 1, 2, …`.
  public var inputs: [Input] {
    var out: [Input] = []
    func emit(_ r: Run) {
      for _ in 0..<r.count { out.append(Input(step: out.count, loss: r.loss, env: r.env)) }
    }
    runs[..<cycleStart].forEach(emit)
    for _ in 0..<repeats { runs[cycleStart...].forEach(emit) }
    return out
  }
}

extension Parameters {
  /// The records of a witness, replayed through the core with the witness's initial state and
  /// cooldown (what `simulate` prints for the command line that replays it).
  func replay(_ w: Witness) -> [Record] {
    let p = (try? with(cooldown: w.cooldown, initial: w.initial)) ?? self
    var s = p.initial
    return w.inputs.map { input in
      s = p.advance(s, input)
      return Record(input, s, p.learningRates)
    }
  }
}
