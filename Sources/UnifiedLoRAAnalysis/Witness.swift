import UnifiedLoRA

/// A concrete input trace that demonstrates a finding, replayable with `unified-lora simulate`.
///
/// The trace is a list of runs `(count, L, E)`; ``flags`` are extra parameter flags (for
/// example an initial state). ``command`` is filled in by the command line, which knows the
/// user's parameter flags.
public struct Witness: Sendable, Hashable, Codable {
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
  /// The full command line (set by the command line tool).
  public var command: String?

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

  /// Extra flags for `simulate` on top of the parameters' own, e.g. `--initial-ehat 5`.
  public var flags: [String] {
    var out: [String] = []
    if let initial {
      out += [
        "--initial-ehat", initial.ehat.description, "--initial-phi", initial.phi.description,
        "--initial-mode", String(initial.mode.rawValue),
      ]
    }
    if let cooldown { out += ["--cooldown", String(cooldown)] }
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

  /// The trace as a shell pipeline producing the CSV log, e.g.
  /// `{ echo loss,env; yes 20,0 | head -n 100; }`.
  public var shellLog: String {
    func shell(_ rs: ArraySlice<Run>) -> String {
      rs.map { r in
        let line = "\(r.loss),\(r.env)"
        return r.count == 1 ? "echo \(line);" : "yes \(line) | head -n \(r.count);"
      }.joined(separator: " ")
    }
    var body = shell(runs[..<cycleStart])
    if repeats > 1 {
      body += (body.isEmpty ? "" : " ") + "for i in $(seq \(repeats)); do \(shell(runs[cycleStart...])) done;"
    } else {
      body += (body.isEmpty ? "" : " ") + shell(runs[cycleStart...])
    }
    return "{ echo loss,env; \(body) }"
  }

  /// Every key is always present; a missing value is `null` (stable JSON keys).
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(shows, forKey: .shows)
    try c.encode(runs, forKey: .runs)
    try c.encode(cycleStart, forKey: .cycleStart)
    try c.encode(repeats, forKey: .repeats)
    try c.encode(initial, forKey: .initial)
    try c.encode(cooldown, forKey: .cooldown)
    try c.encode(command, forKey: .command)
  }
}

extension Parameters {
  /// The records of a witness, replayed through the core with the witness's initial state and
  /// cooldown (what `simulate` prints for ``Witness/command``).
  func replay(_ w: Witness) -> [Record] {
    let p = (try? with(cooldown: w.cooldown, initial: w.initial)) ?? self
    var s = p.initial
    return w.inputs.map { input in
      s = p.advance(s, input)
      return Record(input, s, p.learningRates)
    }
  }
}
