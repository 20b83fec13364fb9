import Dispatch
import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

/// What a search found for one property.
public struct Outcome: Sendable, Codable {
  public enum Verdict: String, Sendable, Codable {
    /// A theorem with no counterexample in the search.
    case holds
    /// A theorem with a counterexample: a bug in the toolkit or the proof.
    case violated
    /// The report's wording, refuted with a reduced witness.
    case refuted
    /// The report's wording, for which the search found no counterexample (a failure: the
    /// refutation is part of the test suite).
    case notRefuted = "not-refuted"
    /// The report's wording, not refuted because the search budget was too small: the same
    /// search with more steps per trace refutes it (``Outcome/note`` gives the least such budget).
    case budgetTooSmall = "budget-too-small"
  }

  public var id: String
  public var claim: String
  public var theorems: [TheoremID]
  public var direction: Direction
  public var statement: String
  public var hypotheses: String
  /// `scalar` (the catalogue's checks on the core's scalar step), `lanes` (the SIMD engine),
  /// `exhaustive` or `directed`.
  public var engine: String
  /// Cases inside the hypotheses that were checked.
  public var traces: Int
  /// Generated cases outside the hypotheses (not counted in `traces`).
  public var skipped: Int
  /// Controller steps checked (both runs for the properties that compare two).
  public var steps: Int
  public var verdict: Verdict
  public var witness: Counterexample?
  public var seconds: Double
  /// Controller steps checked per second: `steps / seconds`, or for the lanes engine the rate of
  /// the whole pass (every lane property is checked in the same pass).
  public var stepsPerSecond: Double
  /// Why a refutation was not found, when known (for ``Verdict/budgetTooSmall``).
  public var note: String?

  public init(
    _ inv: Invariant, engine: String, traces: Int, skipped: Int, steps: Int, witness: Counterexample?,
    seconds: Double
  ) {
    id = inv.id
    claim = inv.claim
    theorems = inv.theorems
    direction = inv.direction
    statement = inv.statement
    hypotheses = inv.hypotheses
    self.engine = engine
    self.traces = traces
    self.skipped = skipped
    self.steps = steps
    self.witness = witness
    self.seconds = seconds
    self.stepsPerSecond = seconds > 0 ? Double(steps) / seconds : 0
    switch (inv.direction, witness) {
    case (.theorem, nil): verdict = .holds
    case (.theorem, _): verdict = .violated
    case (.refutation, nil): verdict = .notRefuted
    case (.refutation, _): verdict = .refuted
    }
  }
}

/// A shard `index` of `count`: this process checks the cases whose number is `index` mod `count`.
public struct Shard: Sendable, Hashable, Codable {
  public var index: Int
  public var count: Int
  public init(index: Int = 0, count: Int = 1) {
    precondition(count >= 1 && index >= 0 && index < count, "shard index out of range")
    self.index = index
    self.count = count
  }
}

/// What the workers of one search share: the counterexample with the lowest case number so far,
/// and whether a refutation asked them to stop.
struct SearchFound {
  var found: (index: Int, case: Case)?
  var stop = false

  mutating func report(_ i: Int, _ c: Case, stopping: Bool) {
    if found == nil || i < found!.index { found = (i, c) }
    if stopping { stop = true }
  }
}

/// The randomized search: runs a property on `traces` generated cases on every core.
public enum Search {
  /// The seed of case `index` of property `id` in a search seeded with `seed` (SplitMix64 mixing),
  /// so that every case can be regenerated alone.
  package static func caseSeed(_ seed: UInt64, _ id: String, _ index: Int) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in id.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
    var z = seed &+ h &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// The case number `index` of a search.
  package static func makeCase(_ inv: Invariant, seed: UInt64, index: Int, steps: Int) -> Case {
    var rng = SeededGenerator(seed: caseSeed(seed, inv.id, index))
    return inv.generate(&rng, steps)
  }

  /// Runs `inv` on `traces` cases of about `steps` steps. A theorem runs every case; a refutation
  /// stops at the first counterexample. The counterexample with the lowest case number is shrunk.
  ///
  /// - Parameter threads: worker count (default: the active processor count).
  public static func run(
    _ inv: Invariant, traces: Int, steps: Int, seed: UInt64, shard: Shard = Shard(),
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Int) -> Void)? = nil
  ) -> Outcome {
    let start = DispatchTime.now().uptimeNanoseconds
    let state = Protected(SearchFound())
    let mine = (traces - shard.index + shard.count - 1) / shard.count
    let chunks = max(1, min(mine, threads * 16))
    let counts = Parallel.map(0..<chunks, threads: max(1, threads), chunk: 1) { chunk in
      var t = 0
      var s = 0
      var n = 0
      var k = chunk
      var iteration = 0
      while k < mine {
        iteration += 1
        if iteration % 16 == 0 && state.withLock({ $0.stop }) { break }
        let i = shard.index + k * shard.count
        let c = makeCase(inv, seed: seed, index: i, steps: steps)
        if inv.premise(c) {
          t += 1
          n += c.trace.count * (c.otherTrace == nil && c.otherInitial == nil ? 1 : 2)
          if inv.counterexample(c) != nil {
            state.withLock { $0.report(i, c, stopping: inv.direction == .refutation) }
          }
        } else {
          s += 1
        }
        k += chunks
        if k % 4096 == 0 { progress?(4096) }
      }
      return (traces: t, skipped: s, steps: n)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let witness = state.current.found.map { (i, c) in
      Counterexample(invariant: inv, case: Shrinker.shrink(c, inv), seed: seed, index: i)
    }
    return Outcome(
      inv, engine: "scalar", traces: counts.reduce(0) { $0 + $1.traces },
      skipped: counts.reduce(0) { $0 + $1.skipped }, steps: counts.reduce(0) { $0 + $1.steps },
      witness: witness, seconds: seconds)
  }
}
