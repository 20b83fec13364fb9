import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRATune

/// What one configuration does on one trace, recomputed with the scalar core (``Replay``) and a
/// plain loop: an independent restatement of the lane engine's bookkeeping, kept deliberately
/// simple so that it can disagree with the SIMD code.
struct ScalarOutcome: Equatable {
  var falseSwitches = 0
  var latency: Int?
  var recovery: Int?

  init(_ p: Parameters, spec: TuneSpec, trace j: Int) throws {
    let start = p.restingState(spec.clean)
    let q = try p.with(initial: start)
    let records = try Replay(spec.scenario(trace: j).inputs(), parameters: q).records()
    var previous = start.mode
    let a = spec.cleanSteps
    let b = a + spec.shockLength
    for r in records {
      if r.step < a && r.mode != previous { falseSwitches += 1 }
      previous = r.mode
      if r.step >= a && latency == nil && r.mode >= spec.target.mode { latency = r.step - a + 1 }
      if r.step >= b && recovery == nil && r.mode == .single { recovery = r.step - b + 1 }
    }
  }
}

@Suite struct TuneSearchTests {
  static func smallSpec() -> TuneSpec {
    var s = TuneSpec()
    s.cleanLoss = 1
    s.noise = NoiseModel(kind: .lognormal, sigma: 0.3, correlation: 0.3)
    s.shockLoss = 4
    s.shockLength = 60
    s.reactWithin = 20
    s.maxFalseSwitches = 2
    s.recoverWithin = 80
    s.traces = 40
    s.cleanSteps = 300
    s.box.alpha = TuneAxis([0.2, 0.3])
    s.box.beta = TuneAxis([0.5, 0.9])
    s.box.alphaE = TuneAxis([0, 0.25])
    s.box.theta0 = TuneAxis([0.25, 0.3, 0.35, 0.4, 0.6])
    s.box.theta1 = TuneAxis([0.45, 0.7])
    s.box.cooldown = TuneAxis([0, 10])
    s.box.variants = [.report, .repo]
    s.seed = 7
    return s
  }

  /// Every simulated row's counts equal the scalar core's replay of the same traces, bit for bit
  /// (the lanes are the core's step), for both variants and with AR(1) noise.
  @Test func lanesAgreeWithTheScalarReplay() throws {
    let spec = Self.smallSpec()
    let r = try Tune.run(spec, threads: 2)
    #expect(r.simulated > 8)
    #expect(r.rows.contains { $0.variant == .repo } && r.rows.contains { $0.variant == .report })
    for row in r.rows {
      var falseTotal = 0
      var reacted = 0
      var recovered = 0
      for j in 0..<spec.traces {
        let o = try ScalarOutcome(row.parameters, spec: spec, trace: j)
        falseTotal += o.falseSwitches
        if (o.latency ?? .max) <= spec.reactWithin { reacted += 1 }
        if (o.recovery ?? .max) <= spec.recoveryWindow { recovered += 1 }
      }
      #expect(row.totalFalseSwitches == falseTotal, "row \(row.index)")
      #expect(row.reactedCount == reacted, "row \(row.index)")
      #expect(row.recoveredCount == recovered, "row \(row.index)")
    }
  }

  /// The pruning rules are certificates: a pruned configuration, started at the clean resting
  /// state, does not reach the target within N updates under any shock — here, shocks of random
  /// heights up to 1e300 and random envs up to the spec's (T06).
  @Test func prunedConfigurationsCannotMeetTheLatencyGoal() throws {
    let spec = Self.smallSpec()
    var rng = SeededGenerator(seed: 11)
    var checked = 0
    for p in spec.box.points().points {
      let v = spec.prune(p)
      guard v.rule == .targetUnreachable || v.rule == .latencyBound else { continue }
      for _ in 0..<20 {
        var s = p.restingState(spec.clean)
        for t in 0..<spec.reactWithin {
          let loss = rng.nextUnit() < 0.5 ? 1e300 : pow(10, 300 * rng.nextUnit())
          s = p.advance(s, Input(step: t, loss: loss, env: spec.shockEnv * rng.nextUnit()))
          #expect(s.mode < spec.target.mode, "\(p) reached \(s.mode) at update \(t + 1)")
        }
      }
      checked += 1
    }
    #expect(checked > 0)
  }

  /// The best-case latency bounds every shock's latency from the resting state from below.
  @Test func bestCaseLatencyIsALowerBound() {
    let spec = Self.smallSpec()
    var rng = SeededGenerator(seed: 5)
    for p in spec.box.points().points {
      let v = spec.prune(p)
      guard v.rule == nil, let best = v.bestLatency else { continue }
      var s = p.restingState(spec.clean)
      for t in 0..<best - 1 {
        s = p.advance(s, Input(step: t, loss: pow(10, 300 * rng.nextUnit()), env: spec.shockEnv))
        #expect(s.mode < spec.target.mode)
      }
    }
  }

  /// Mirror with E ≡ 0 and θ1 = 0.7 in the report variant: no shock reaches it, since sup φ =
  /// (1 − α_E)/(2 − α_E) ≤ 1/2 < 0.7 (T07); the certificate says so and names the least changes.
  @Test func infeasibleMirrorSpecGetsACertificate() throws {
    var spec = Self.smallSpec()
    spec.box.variants = [.report]
    spec.target = .mirror
    spec.box.theta1 = TuneAxis([0.7])
    spec.box.alphaE = TuneAxis([0.5])
    let r = try Tune.run(spec, threads: 2)
    #expect(r.front.isEmpty)
    let c = try #require(r.certificate)
    #expect(c.kind == "certified")
    #expect(r.simulated == 0)
    #expect(
      c.reasons.contains { $0.contains("T07") && $0.contains("(1 − α_E)/(2 − α_E)") && $0.contains("0.3333") }
    )
    #expect(c.leastChanges.contains { $0.hasPrefix("θ1 below 0.3333") })
    // with D = 1 and α_E = 0.5: X = 0.5·E + 0.5 > 0.7/0.3 needs E > 3.667
    #expect(c.leastChanges.contains { $0.contains("E > 3.667") })
    #expect(c.leastChanges.contains { $0.contains("repo variant") && $0.contains("2.333") })
  }

  /// Shards partition the box: their configurations, prune counts and rows add up to the whole.
  @Test func shardsPartitionTheBox() throws {
    let spec = Self.smallSpec()
    let whole = try Tune.run(spec, threads: 2)
    let parts = try (0..<3).map { try Tune.run(spec, shard: ($0, 3), threads: 1) }
    #expect(parts.map(\.configurations).reduce(0, +) == whole.configurations)
    #expect(parts.flatMap(\.rows).map(\.index) == whole.rows.map(\.index))
    #expect(parts.flatMap(\.rows) == whole.rows)
  }

  /// More shards than configurations is refused (a shard would check nothing and still give a
  /// verdict), for any n up to Int.max and any i (no overflow in the block arithmetic).
  @Test(arguments: [(3, 100_000), (9_223_372_036_854_775_806, Int.max)])
  func moreShardsThanConfigurationsIsAnError(_ index: Int, _ count: Int) throws {
    let spec = Self.smallSpec()
    let total = try Tune.run(spec, threads: 1).configurations
    #expect(throws: TuneError.self) { try Tune.run(spec, shard: (index, count), threads: 1) }
    do {
      _ = try Tune.run(spec, shard: (index, count), threads: 1)
    } catch {
      #expect(error.requirement.hasPrefix("n ≤ \(total), the box's configurations"))
    }
  }

  /// `tune merge` with a hand-edited shard count: a prompt error naming the file and the shard,
  /// with the most shards the box allows (never a listing of 2^63 missing shards).
  @Test func mergeWithAHugeShardCountIsPrompt() throws {
    var part = try Tune.run(Self.smallSpec(), threads: 1)
    part.shard = "0/9223372036854775807"
    do {
      _ = try Tune.merge([part])
      Issue.record("merged")
    } catch {
      #expect(error.field == "file 1")
      #expect(error.value == "shard 0/9223372036854775807")
      #expect(error.requirement == "n ≤ \(part.configurations), the box's configurations")
    }
  }

  /// Shards that fit the box but do not cover it: a few missing shards are listed, and their count.
  @Test func mergeOfIncompleteShardsListsTheMissingOnes() throws {
    let part = try Tune.run(Self.smallSpec(), shard: (0, 8), threads: 1)
    do {
      _ = try Tune.merge([part])
      Issue.record("merged")
    } catch {
      #expect(error.requirement.contains("missing 1/8, 2/8"))
      #expect(error.requirement.hasSuffix("(7 in all)"))
    }
  }

  @Test func invalidSpecsAreTypedErrors() {
    var s = Self.smallSpec()
    s.traces = 10
    #expect(
      throws: TuneError(
        field: "traces", value: "10",
        requirement:
          "at least 35 for reliability 0.9 (the 95% Wilson lower bound of n successes in n traces is n/(n + 3.84))"
      )
    ) { try s.validate() }
    s = Self.smallSpec()
    s.box.alpha = TuneAxis([0.1, 2])
    #expect(throws: TuneError(field: "alpha", value: "2.0", requirement: "values in (0, 1]")) {
      try s.validate()
    }
    s = Self.smallSpec()
    s.noise.correlation = 1
    #expect(throws: TuneError(field: "noise-ar", value: "1.0", requirement: "a number in (−1, 1)")) {
      try s.validate()
    }
    #expect(
      throws: TuneError(
        field: "theta0", value: "0.1:0.2",
        requirement: "a number, a list a,b,c or lo:hi:count, e.g. 0.05:0.4:8")
    ) {
      try TuneAxis(parsing: "0.1:0.2", field: "theta0")
    }
  }

  /// A key a spec does not know, at the top or in the box, is an error naming it and the
  /// nearest valid key (it was ignored, and the default silently ran).
  @Test(arguments: [
    (#"{"cleanLos": 2}"#, "unknown key 'cleanLos' (did you mean 'cleanLoss'? valid keys: box,"),
    (
      #"{"box": {"alpa": [0.1]}}"#,
      "unknown key 'box.alpa' (did you mean 'alpha'? valid keys in 'box': alpha,"
    ),
    (#"{"thresholdz": [0.1]}"#, "unknown key 'thresholdz' (valid keys: box,"),
  ])
  func specFileUnknownKeys(_ text: String, _ message: String) {
    do {
      _ = try JSONDecoder().decode(TuneSpec.self, from: Data(text.utf8))
      Issue.record("accepted \(text)")
    } catch DecodingError.dataCorrupted(let c) {
      #expect(c.debugDescription.hasPrefix(message), "\(c.debugDescription)")
    } catch {
      Issue.record("\(error)")
    }
  }

  @Test func specFileKeysAreOptional() throws {
    let s = try JSONDecoder().decode(
      TuneSpec.self,
      from: Data(
        #"{"cleanLoss": 2, "shockFactor": 3, "noise": {"sigma": 0.2}, "box": {"alpha": "0.1:0.3:3"}}"#.utf8))
    #expect(s.cleanLoss == 2 && s.shockLoss == 6 && s.noise == NoiseModel(sigma: 0.2))
    #expect(s.box.alpha.values == [0.1, 0.2, 0.30000000000000004] || s.box.alpha.values.count == 3)
    #expect(s.box.beta == TuneBox.standard.beta && s.reactWithin == TuneSpec().reactWithin)
  }

  /// The Pareto front: no front row is dominated by any feasible row, and every feasible row
  /// off the front is dominated (or tied with an earlier one).
  @Test func paretoFrontIsExactlyTheNondominatedSet() throws {
    var spec = Self.smallSpec()
    spec.recoverWithin = nil
    let r = try Tune.run(spec, threads: 2)
    let feasible = r.rows.filter(\.feasible)
    func key(_ x: TuneRow) -> [Double] {
      [Double(x.latency ?? .max), x.falseSwitchesPer1000.estimate, Double(x.recovery ?? .max)]
    }
    func dominates(_ a: TuneRow, _ b: TuneRow) -> Bool {
      zip(key(a), key(b)).allSatisfy { $0 <= $1 } && zip(key(a), key(b)).contains { $0 < $1 }
    }
    for f in r.front { #expect(!feasible.contains { dominates($0, f) }) }
    let onFront = Set(r.front.map(\.index))
    for x in feasible where !onFront.contains(x.index) {
      #expect(feasible.contains { dominates($0, x) || (key($0) == key(x) && $0.index < x.index) })
    }
  }

  /// A box axis `lo:hi:count` is the decimal grid typed, as `sweep` makes it: 0.1:0.5:5 has 0.3
  /// (the binary64 formula lo + (hi − lo)·i/(n − 1) gives 0.30000000000000004).
  @Test func boxAxisIsTheDecimalGrid() throws {
    #expect(try TuneAxis(parsing: "0.1:0.5:5", field: "alpha").values == [0.1, 0.2, 0.3, 0.4, 0.5])
    #expect(try TuneAxis(parsing: "0.3:0.4:3", field: "theta0").values == [0.3, 0.35, 0.4])
  }
}
