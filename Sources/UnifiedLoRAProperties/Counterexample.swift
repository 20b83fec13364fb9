import UnifiedLoRA

/// A reduced counterexample to a property of the catalogue, with the `simulate` runs that replay
/// it (``replays``; the command line prints them as command lines).
///
/// Not the claims' ``UnifiedLoRAAnalysis/Witness``: a counterexample is found by a search (it has
/// a seed and a case index) and refutes one invariant; a claim's witness is a trace built from
/// closed forms to show where a claim's conditions end.
public struct Counterexample: Sendable, Hashable, Codable {
  public var invariant: String
  public var message: String
  public var `case`: Case
  /// The seed of the search that found it, and the index of the case in that search.
  public var seed: UInt64
  public var index: Int

  public init(invariant: Invariant, case c: Case, seed: UInt64, index: Int) {
    self.invariant = invariant.id
    self.message = invariant.counterexample(c) ?? "no counterexample"
    self.case = c
    self.seed = seed
    self.index = index
  }

  /// The runs that reproduce it: the case's trace, then (for the properties that compare two
  /// runs) the other trace (T06) or the same trace from the other initial state (C6).
  public var replays: [SimulateReplay] {
    let c = self.case
    var out = [SimulateReplay(c.parameters, c.trace)]
    if let o = c.otherTrace { out.append(SimulateReplay(c.parameters, o)) }
    if let b = c.otherInitial, let q = try? c.parameters.with(initial: b) {
      out.append(SimulateReplay(q, c.trace))
    }
    return out
  }
}

extension SimulateReplay {
  /// The run of `trace` under `parameters`: the settings that differ from the variant's defaults.
  public init(_ parameters: Parameters, _ trace: Trace) {
    self.init(
      settings: parameters.settingsDifferingFromDefaults, losses: trace.losses, envs: trace.envs)
  }
}
