import Dispatch
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRASupport

/// One simulated configuration: its parameters, its Monte Carlo estimates with 95 % intervals
/// and whether it meets the spec (``TuneSpec/replay(_:trace:)`` describes the run that replays
/// one of its traces).
package struct TuneRow: Sendable, Hashable, Codable, EncodesEveryKey {
  /// The configuration's index in the box (``TuneBox/points()`` order).
  package var index: Int
  package var variant: Variant
  package var alpha: Double
  package var beta: Double
  package var alphaE: Double
  package var theta0: Double
  package var theta1: Double
  package var cooldown: Int
  /// The best-case latency the analysis certified (a lower bound on every trace's latency).
  package var bestCaseLatency: Int
  /// False switches per 1000 clean steps: batch means over the independent traces (each trace
  /// one batch), rule of three when none was seen.
  package var falseSwitchesPer1000: Interval
  /// The fraction of traces reaching the target within N updates (Wilson).
  package var reacted: Interval
  /// The `reliability`-quantile of the latency over the traces (nil: more than the trace).
  package var latency: Int?
  package var meanLatency: Double?
  /// The fraction of traces back in Single within M updates of the shock's end (Wilson; M = the
  /// recovery window when no goal is given).
  package var recovered: Interval
  /// The `reliability`-quantile of the recovery time (nil: not within the window).
  package var recovery: Int?
  package var meanRecovery: Double?
  /// Raw counts, for exact replay checks.
  package var totalFalseSwitches: Int
  package var reactedCount: Int
  package var recoveredCount: Int
  /// Every goal met at 95 % confidence.
  package var feasible: Bool
  /// The goals not met, in words.
  package var failing: [String]
  /// The seed of trace 0; trace j uses seed + j.
  package var seed: UInt64

  /// The row's parameter set. - Precondition: the row came from a search, or passed
  /// ``Tune/merge(_:)``'s check (which rejects rows outside the parameter domain).
  package var parameters: Parameters {
    try! Parameters(
      variant: variant, alpha: alpha, beta: beta, alphaE: alphaE, theta0: theta0, theta1: theta1,
      cooldown: cooldown)
  }
}

/// The whole answer of one `tune` run (or one shard of it).
package struct TuneResult: Sendable, Codable, EncodesEveryKey {
  package var spec: TuneSpec
  package var version: String
  package var shard: String
  /// Points of the box (of this shard) inside the parameter domain, and outside it.
  package var configurations: Int
  package var invalid: Int
  /// Configurations removed by each rule before simulation (the first rule that applies).
  package var pruned: [String: Int]
  package var simulated: Int
  /// Controller steps simulated: configurations × traces × steps per trace.
  package var monteCarloSteps: Int
  package var seconds: Double
  /// Every simulated configuration, in box order.
  package var rows: [TuneRow]
  /// The Pareto front of the feasible rows (latency, false-switch rate, recovery; all minimised),
  /// sorted by latency, then false-switch rate, then recovery.
  package var front: [TuneRow]
  /// Why nothing works, when the front is empty.
  package var certificate: TuneCertificate?
  package var intervalNote: String
}

package enum Tune {
  /// The configurations of shard `index` of `count`: contiguous blocks, as `sweep` does.
  package static func shardRange(_ total: Int, index: Int, count: Int) -> Range<Int> {
    (total * index / count)..<(total * (index + 1) / count)
  }

  /// Prunes, simulates and ranks the box of `spec` (or shard `shard.index` of `shard.count`).
  ///
  /// - Parameters:
  ///   - threads: worker threads for pruning and Monte Carlo (default: every core).
  ///   - progress: called with a fraction in [0, 1] and a phase name, from any thread.
  /// - Throws: ``TuneError`` when the spec is invalid.
  package static func run(
    _ spec: TuneSpec, shard: (index: Int, count: Int) = (0, 1), version: String = "",
    threads: Int = ProcessInfo.processInfo.activeProcessorCount,
    progress: (@Sendable (Double, String) -> Void)? = nil
  ) throws(TuneError) -> TuneResult {
    try spec.validate()
    guard shard.count >= 1, shard.index >= 0, shard.index < shard.count else {
      throw TuneError(
        field: "shard", value: "\(shard.index)/\(shard.count)", requirement: "i/n with 0 ≤ i < n")
    }
    let clock = DispatchTime.now().uptimeNanoseconds
    let (all, invalidAll) = spec.box.points()
    // More shards than configurations would leave shards that check nothing and still give a
    // verdict (and the block arithmetic below would overflow for a huge n).
    guard shard.count <= max(all.count, 1) else {
      throw TuneError(
        field: "shard", value: "\(shard.index)/\(shard.count)",
        requirement:
          "n ≤ \(all.count), the box's configurations: with more shards some would check none")
    }
    let range = shardRange(all.count, index: shard.index, count: shard.count)
    let points = Array(all[range])
    let workers = max(1, threads)

    // 1. Prune with the analysis.
    let verdicts = Parallel.map(0..<points.count, threads: workers) { spec.prune(points[$0]) }
    var pruned: [String: Int] = [:]
    for r in PruneRule.allCases { pruned[r.rawValue] = 0 }
    var survivors: [Int] = []
    for (i, v) in verdicts.enumerated() {
      if let r = v.rule { pruned[r.rawValue, default: 0] += 1 } else { survivors.append(i) }
    }
    progress?(0, "pruned \(points.count - survivors.count) of \(points.count)")

    // 2. Monte Carlo on lanes, eight configurations of one variant per group.
    var grouping: [[Int]] = []
    for variant in Variant.allCases {
      let ids = survivors.filter { points[$0].variant == variant }
      for s in stride(from: 0, to: ids.count, by: 8) {
        grouping.append(Array(ids[s..<min(s + 8, ids.count)]))
      }
    }
    let groups = grouping
    let traces = survivors.isEmpty ? nil : TuneTraces(spec)
    let done = ProgressCounter(total: groups.count)
    let outcomes: [[[TraceOutcome]]] = Parallel.map(0..<groups.count, threads: workers, chunk: 1) { g in
      let r = TuneLanes.run(groups[g].map { points[$0] }, spec: spec, traces: traces!)
      progress?(done.add(1).fraction, "simulating")
      return r
    }
    var rows: [TuneRow] = []
    for (g, ids) in groups.enumerated() {
      for (k, i) in ids.enumerated() {
        rows.append(
          row(
            points[i], index: range.lowerBound + i, verdict: verdicts[i], outcomes: outcomes[g][k], spec: spec
          ))
      }
    }
    rows.sort { $0.index < $1.index }
    let front = paretoFront(rows.filter(\.feasible))
    var certificate: TuneCertificate?
    if front.isEmpty {
      certificate = TuneCertificate.build(spec: spec, points: points, verdicts: verdicts, rows: rows)
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - clock) / 1e9
    return TuneResult(
      spec: spec, version: version, shard: "\(shard.index)/\(shard.count)", configurations: points.count,
      invalid: shard.index == 0 ? invalidAll : 0, pruned: pruned, simulated: survivors.count,
      monteCarloSteps: survivors.count * spec.traces * spec.stepsPerTrace, seconds: seconds, rows: rows,
      front: front, certificate: certificate,
      intervalNote:
        "95% intervals: false switches per 1000 clean steps by batch means over the \(spec.traces) independent traces (Student t; rule of three when none was seen); reaction and recovery fractions by Wilson score; a row is feasible when the upper bound of its false-switch rate is ≤ \(spec.maxFalseSwitches) and the lower bounds of its reaction (and recovery) fractions are ≥ \(spec.reliability)"
    )
  }

  /// The statistics and verdict of one configuration from its per-trace outcomes.
  static func row(
    _ p: Parameters, index: Int, verdict: PruneVerdict, outcomes: [TraceOutcome], spec: TuneSpec
  ) -> TuneRow {
    let k = outcomes.count
    let perTrace = outcomes.map { Double($0.falseSwitches) * 1000 / Double(spec.cleanSteps) }
    let falseRate = Statistics.batchMeans(perTrace, zeroCountScale: 1000 / Double(k * spec.cleanSteps))
    let reactedCount = outcomes.filter { ($0.latency ?? .max) <= spec.reactWithin }.count
    let recoverLimit = spec.recoveryWindow
    let recoveredCount = outcomes.filter { ($0.recovery ?? .max) <= recoverLimit }.count
    let reacted = Statistics.wilson(reactedCount, k)
    let recovered = Statistics.wilson(recoveredCount, k)
    let lat = outcomes.map { $0.latency.map(Double.init) ?? .infinity }
    let rec = outcomes.map { $0.recovery.map(Double.init) ?? .infinity }
    let latQ = Statistics.quantile(lat, spec.reliability)
    let recQ = Statistics.quantile(rec, spec.reliability)
    func mean(_ xs: [Double]) -> Double? {
      let f = xs.filter(\.isFinite)
      return f.isEmpty ? nil : f.reduce(0, +) / Double(f.count)
    }
    var failing: [String] = []
    if falseRate.hi > spec.maxFalseSwitches {
      failing.append("false switches/1000 up to \(fmt(falseRate.hi)) > \(fmt(spec.maxFalseSwitches))")
    }
    if reacted.lo < spec.reliability {
      failing.append(
        "\(spec.target) within \(spec.reactWithin) in ≥ \(fmt(reacted.lo)) of shocks < \(fmt(spec.reliability))"
      )
    }
    if spec.recoverWithin != nil && recovered.lo < spec.reliability {
      failing.append(
        "Single within \(recoverLimit) in ≥ \(fmt(recovered.lo)) of shocks < \(fmt(spec.reliability))")
    }
    let total = outcomes.reduce(0) { $0 + $1.falseSwitches }
    return TuneRow(
      index: index, variant: p.variant, alpha: p.alpha, beta: p.beta, alphaE: p.alphaE, theta0: p.theta0,
      theta1: p.theta1, cooldown: p.cooldown, bestCaseLatency: verdict.bestLatency ?? 0,
      falseSwitchesPer1000: falseRate, reacted: reacted, latency: latQ.isFinite ? Int(latQ) : nil,
      meanLatency: mean(lat), recovered: recovered, recovery: recQ.isFinite ? Int(recQ) : nil,
      meanRecovery: mean(rec), totalFalseSwitches: total, reactedCount: reactedCount,
      recoveredCount: recoveredCount, feasible: failing.isEmpty, failing: failing, seed: spec.seed)
  }

  /// The rows no other row dominates (≤ in latency, false-switch rate and recovery, < in one);
  /// of rows with equal objectives the first in box order is kept.
  package static func paretoFront(_ rows: [TuneRow]) -> [TuneRow] {
    func key(_ r: TuneRow) -> (Double, Double, Double) {
      (Double(r.latency ?? .max), r.falseSwitchesPer1000.estimate, Double(r.recovery ?? .max))
    }
    var front: [TuneRow] = []
    for r in rows {
      let a = key(r)
      let dominated = rows.contains { o in
        let b = key(o)
        let le = b.0 <= a.0 && b.1 <= a.1 && b.2 <= a.2
        let lt = b.0 < a.0 || b.1 < a.1 || b.2 < a.2
        return le && (lt || o.index < r.index)
      }
      if !dominated { front.append(r) }
    }
    return front.sorted { key($0) < key($1) || (key($0) == key($1) && $0.index < $1.index) }
  }
}

/// Six significant digits.
func fmt(_ x: Double) -> String {
  if x.isInfinite { return x > 0 ? "inf" : "-inf" }
  if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
  return String(format: "%.4g", x)
}

extension Tune {
  /// Joins the shard results of one search (each run with every row kept): checks that they
  /// have the same spec, that each shard of `n` appears once, and that every shard kept all its
  /// simulated rows; recomputes the front and, when it is empty, the certificate over the box.
  package static func merge(_ parts: [TuneResult]) throws(TuneError) -> TuneResult {
    guard let first = parts.first else {
      throw TuneError(field: "files", value: "none", requirement: "the shard files of one tune run")
    }
    var seen = Set<Int>()
    var n = 0
    var shards: [(index: Int, count: Int)] = []
    for (k, p) in parts.enumerated() {
      guard p.spec == first.spec else {
        throw TuneError(
          field: "file \(k + 1)", value: "shard \(p.shard)", requirement: "the same spec as file 1")
      }
      let ij = p.shard.split(separator: "/").compactMap { Int($0) }
      guard ij.count == 2, ij[1] >= 1, ij[0] >= 0, ij[0] < ij[1] else {
        throw TuneError(field: "file \(k + 1)", value: "shard \(p.shard)", requirement: "a shard i/n")
      }
      if k == 0 { n = ij[1] }
      guard ij[1] == n, seen.insert(ij[0]).inserted else {
        throw TuneError(
          field: "file \(k + 1)", value: "shard \(p.shard)", requirement: "each shard of \(n) exactly once")
      }
      for r in p.rows {
        do {
          _ = try Parameters(
            variant: r.variant, alpha: r.alpha, beta: r.beta, alphaE: r.alphaE, theta0: r.theta0,
            theta1: r.theta1,
            cooldown: r.cooldown)
        } catch {
          throw TuneError(
            field: "file \(k + 1) row \(r.index)", value: error.field.rawValue, requirement: error.description
          )
        }
      }
      guard p.rows.count == p.simulated else {
        throw TuneError(
          field: "file \(k + 1)", value: "\(p.rows.count) rows of \(p.simulated) simulated",
          requirement: "every simulated row: run the shards with --format json --all-rows")
      }
      shards.append((ij[0], ij[1]))
    }
    // Each row is the box's configuration at its index, within its shard, once: a hand-edited
    // row (another α, an index outside the shard, a row given twice) is named, never merged.
    let all = first.spec.box.points().points
    for (k, p) in parts.enumerated() {
      guard shards[k].count <= max(all.count, 1) else {
        throw TuneError(
          field: "file \(k + 1)", value: "shard \(p.shard)",
          requirement: "n ≤ \(all.count), the box's configurations")
      }
      let range = shardRange(all.count, index: shards[k].index, count: shards[k].count)
      var previous = Int.min
      for r in p.rows {
        guard range.contains(r.index), r.index > previous else {
          throw TuneError(
            field: "file \(k + 1) row \(r.index)", value: "index \(r.index)",
            requirement:
              "an index of shard \(p.shard) (\(range.lowerBound)..<\(range.upperBound)), in increasing order")
        }
        previous = r.index
        let q = all[r.index]
        guard
          q.variant == r.variant && q.alpha == r.alpha && q.beta == r.beta && q.alphaE == r.alphaE
            && q.theta0 == r.theta0 && q.theta1 == r.theta1 && q.cooldown == r.cooldown
        else {
          throw TuneError(
            field: "file \(k + 1) row \(r.index)",
            value:
              "\(r.variant) α \(r.alpha) β \(r.beta) α_E \(r.alphaE) θ0 \(r.theta0) θ1 \(r.theta1) N_s \(r.cooldown)",
            requirement:
              "the box's configuration \(r.index) (\(q.variant) α \(q.alpha) β \(q.beta) α_E \(q.alphaE) θ0 \(q.theta0) θ1 \(q.theta1) N_s \(q.cooldown)): the file was edited"
          )
        }
      }
    }
    guard seen.count == n else {
      // n comes from a file: list a few missing shards, never all n.
      let listed = (0..<n).lazy.filter { !seen.contains($0) }.prefix(5).map { "\($0)/\(n)" }
      let missing =
        listed.joined(separator: ", ") + (n - seen.count > 5 ? ", … (\(n - seen.count) in all)" : "")
      throw TuneError(
        field: "files", value: "\(parts.count) shards", requirement: "every shard of \(n); missing \(missing)"
      )
    }
    let spec = first.spec
    var out = first
    out.shard = "0/1"
    out.configurations = parts.reduce(0) { $0 + $1.configurations }
    out.invalid = parts.reduce(0) { $0 + $1.invalid }
    out.simulated = parts.reduce(0) { $0 + $1.simulated }
    out.monteCarloSteps = parts.reduce(0) { $0 + $1.monteCarloSteps }
    out.seconds = parts.reduce(0) { $0 + $1.seconds }
    out.pruned = [:]
    for p in parts { for (k, v) in p.pruned { out.pruned[k, default: 0] += v } }
    out.rows = parts.flatMap(\.rows).sorted { $0.index < $1.index }
    out.front = paretoFront(out.rows.filter(\.feasible))
    out.certificate = nil
    if out.front.isEmpty {
      let points = spec.box.points().points
      let verdicts = points.map { spec.prune($0) }
      out.certificate = TuneCertificate.build(spec: spec, points: points, verdicts: verdicts, rows: out.rows)
    }
    return out
  }
}
