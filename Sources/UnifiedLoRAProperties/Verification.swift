import Foundation
import UnifiedLoRA

/// The whole verification the `verify` command runs: the lanes engine for volume, the scalar
/// catalogue, the bounded-exhaustive enumeration and the directed IEEE-754 search.
public enum Verification {
  /// What `verify` checks: the selected properties (ids or claims; empty for all), the budgets
  /// of each engine, the seed and the shard.
  public struct Request: Sendable {
    public var claims: [String]
    public var traces: Int
    public var steps: Int
    /// Cases per property in the scalar search (nil: min(traces, 5000)).
    public var scalarTraces: Int?
    public var seed: UInt64
    /// The length of the bounded-exhaustive enumeration (0: off).
    public var exhaustive: Int
    public var shard: Shard
    /// Whether the directed IEEE-754 search runs (when the selection is about C1 or T02).
    public var ieee: Bool

    public init(
      claims: [String] = [], traces: Int, steps: Int, scalarTraces: Int? = nil, seed: UInt64,
      exhaustive: Int = 0, shard: Shard = Shard(), ieee: Bool = true
    ) {
      self.claims = claims
      self.traces = traces
      self.steps = steps
      self.scalarTraces = scalarTraces
      self.seed = seed
      self.exhaustive = exhaustive
      self.shard = shard
      self.ieee = ieee
    }

    /// Cases per property in the scalar search.
    public var casesPerProperty: Int { scalarTraces ?? min(traces, 5000) }

    /// The fewest cases any search of this request deals out to shards (the lanes engine deals
    /// blocks of 8 traces): with more shards than that, a shard would check nothing.
    public var smallestSearch: Int {
      let blocks = (traces + 7) / 8
      return casesPerProperty > 0 ? min(blocks, casesPerProperty) : blocks
    }

    var runsIEEESearch: Bool {
      ieee && (claims.isEmpty || claims.contains { ["C1", "T02", "C1.binary64"].contains($0) })
    }
  }

  /// Runs every engine the request selects and returns the outcomes; `progress` gets one line
  /// per phase.
  public static func run(_ request: Request, progress: (@Sendable (String) -> Void)? = nil) -> VerifyReport {
    let seed = request.seed
    let shard = request.shard
    let selected = Catalogue.select(request.claims)
    progress?("seed \(seed): lanes engine, \(request.traces) traces × \(request.steps) steps")
    let laneProgress: (@Sendable (Double) -> Void)? = progress.map { note in
      { @Sendable f in note("seed \(seed): lanes engine \(Int(f * 100))%") }
    }
    var outcomes = lanes(
      selected, traces: request.traces, steps: request.steps, seed: seed, shard: shard,
      progress: laneProgress)
    let perProperty = request.casesPerProperty
    for inv in selected where perProperty > 0 {
      progress?("seed \(seed): scalar \(inv.id)")
      var outcome = Search.run(inv, traces: perProperty, steps: request.steps, seed: seed, shard: shard)
      if outcome.verdict == .notRefuted {
        progress?("seed \(seed): scalar \(inv.id), looking for the budget that refutes it")
        outcome = explainNotRefuted(
          outcome, inv, traces: perProperty, steps: request.steps, seed: seed, shard: shard)
      }
      outcomes.append(outcome)
    }
    var exhaustive: [Exhaustive.Result] = []
    if request.exhaustive > 0 {
      for g in Exhaustive.grid {
        progress?("exhaustive k = \(request.exhaustive): \(g.name)")
        exhaustive.append(Exhaustive.run(g, length: request.exhaustive, shard: shard))
      }
    }
    var ieee: [IEEEFinding] = []
    if request.runsIEEESearch {
      progress?("directed IEEE-754 search")
      ieee = IEEESearch.findings(Double.self) + IEEESearch.findings(Float.self)
    }
    return VerifyReport(
      seed: seed, traces: request.traces, steps: request.steps, shard: shard, outcomes: outcomes,
      exhaustive: exhaustive, exhaustiveLength: request.exhaustive, ieee: ieee)
  }

  /// A refutation the search did not find: is the budget too small? Runs the same search (same
  /// seed, same cases per property) with 2, 4, 8 … times the steps per trace, up to
  /// ``explanationFactor`` times the run's own and at most 10,000,000, and bisects to the least
  /// `--steps` that refutes the wording. The verdict becomes `budget-too-small` with that figure,
  /// as distinct from a wording the search cannot refute. The cost stays a bounded multiple of the
  /// run's own (without the factor, 8 traces of 10 steps could run for many minutes).
  static func explainNotRefuted(
    _ o: Outcome, _ inv: Invariant, traces: Int, steps: Int, seed: UInt64, shard: Shard
  ) -> Outcome {
    func refutes(_ n: Int) -> Bool {
      Search.run(inv, traces: traces, steps: n, seed: seed, shard: shard).verdict == .refuted
    }
    let limit = explanationLimit(steps: steps)
    var lo = steps
    var hi = steps
    var found = false
    while hi < limit {
      hi = min(hi * 2, limit)
      if refutes(hi) {
        found = true
        break
      }
      lo = hi
    }
    var out = o
    guard found else {
      out.note =
        limit < absoluteExplanationLimit
        ? "not refuted with --steps up to \(hi) (\(explanationFactor) × --steps, the most this run tries; \(traces) cases per property, seed \(seed)): raise --steps or --traces"
        : "not refuted with --steps up to \(hi) (\(traces) cases per property, seed \(seed)): the search cannot refute this wording"
      return out
    }
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if refutes(mid) { hi = mid } else { lo = mid }
    }
    out.verdict = .budgetTooSmall
    out.note =
      "not refuted within --steps \(steps): the budget is too small to find the known counterexample; the same search (seed \(seed), \(traces) cases per property) refutes it with --steps \(hi)"
    return out
  }

  /// How many times the run's own steps per trace the budget explanation tries at most.
  package static let explanationFactor = 64
  /// The most steps per trace the budget explanation ever tries.
  package static let absoluteExplanationLimit = 10_000_000

  /// The most steps per trace the explanation of a run of `steps` steps tries.
  package static func explanationLimit(steps: Int) -> Int {
    let (scaled, overflow) = steps.multipliedReportingOverflow(by: explanationFactor)
    return overflow ? absoluteExplanationLimit : min(scaled, absoluteExplanationLimit)
  }

  /// Runs the lanes engine and turns its result into one outcome per lane property selected.
  /// A failing lane is regenerated and checked by the scalar catalogue, which reduces it; a lane
  /// failure the scalar check does not confirm is reported as a violation too (the engine and the
  /// core disagree).
  package static func lanes(
    _ selected: [Invariant], traces: Int, steps: Int, seed: UInt64, shard: Shard,
    progress: (@Sendable (Double) -> Void)? = nil
  ) -> [Outcome] {
    let wanted = selected.filter { LaneEngine.ids.contains($0.id) }
    guard !wanted.isEmpty else { return [] }
    let r = LaneEngine.run(traces: traces, steps: steps, seed: seed, shard: shard, progress: progress)
    let rate = r.seconds > 0 ? Double(r.steps) / r.seconds : 0
    return wanted.map { inv in
      let (n, s) = r.counts[inv.id] ?? (0, 0)
      var witness: Counterexample?
      if let (block, lane) = r.failures[inv.id] {
        let b = LaneEngine.Block(seed: seed, index: block, steps: steps)
        let ts = b.traces(steps: steps)
        let k = lane % 4
        var c = Case(parameters: b.laneParameters(lane), trace: ts[lane])
        if inv.id.hasPrefix("T06") {
          c = Case(parameters: b.laneParameters(k), trace: ts[k], otherTrace: ts[k + 4])
        }
        if inv.counterexample(c) != nil {
          witness = Counterexample(
            invariant: inv, case: Shrinker.shrink(c, inv), seed: seed, index: block * 8 + lane)
        } else {
          var w = Counterexample(invariant: inv, case: c, seed: seed, index: block * 8 + lane)
          w.message =
            "the lanes engine flags block \(block) lane \(lane) but the scalar check does not: the engine and the core disagree"
          witness = w
        }
      }
      var o = Outcome(
        inv, engine: "lanes", traces: n, skipped: 0, steps: s, witness: witness, seconds: r.seconds)
      o.stepsPerSecond = rate
      return o
    }
  }
}

/// What ``Verification/run(_:progress:)`` found.
public struct VerifyReport: Sendable {
  public var seed: UInt64
  public var traces: Int
  public var steps: Int
  public var shard: Shard
  public var outcomes: [Outcome]
  public var exhaustive: [Exhaustive.Result]
  public var exhaustiveLength: Int
  public var ieee: [IEEEFinding]

  /// A violated theorem, an unrefuted wording or an exhaustive violation: `verify` exits 1.
  public var failed: Bool {
    outcomes.contains { [.violated, .notRefuted, .budgetTooSmall].contains($0.verdict) }
      || exhaustive.contains { !$0.violations.isEmpty }
  }
}
