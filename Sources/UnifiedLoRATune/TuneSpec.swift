import UnifiedLoRA
import UnifiedLoRAAnalysis

/// A specification value outside its domain: the field, the value and what is expected.
package struct TuneError: Error, Sendable, Hashable, CustomStringConvertible {
  package var field: String
  package var value: String
  package var requirement: String

  /// `value` as it prints (`description`: a number in its shortest round-trip form).
  package init(field: String, value: some CustomStringConvertible, requirement: String) {
    self.field = field
    self.value = value.description
    self.requirement = requirement
  }

  package var description: String { "invalid value \(field) = \(value): expected \(requirement)" }
}

/// One axis of the search box: the values a parameter takes, in order.
///
/// Text form (flags and the spec file): a number `0.1`, a list `0.1,0.2,0.4`, or `lo:hi:count`
/// (inclusive, evenly spaced, `count ≤ 1000`). In JSON a number, an array of numbers or that text.
package struct TuneAxis: Sendable, Hashable, Codable, CustomStringConvertible {
  package var values: [Double]

  package init(_ values: [Double]) { self.values = values }

  /// Parses the text form; `field` names the axis in the error.
  package init(parsing text: String, field: String) throws(TuneError) {
    let bad = TuneError(
      field: field, value: text, requirement: "a number, a list a,b,c or lo:hi:count, e.g. 0.05:0.4:8")
    let t = text.trimmingCharacters(in: " ")
    if t.contains(":") {
      let parts = t.split(separator: ":", omittingEmptySubsequences: false)
      guard parts.count == 3, let lo = Double(parts[0]), let hi = Double(parts[1]), let n = Int(parts[2]),
        lo.isFinite, hi.isFinite, lo <= hi, n >= 1, n <= 1000
      else { throw bad }
      // The decimal grid the user typed, as `sweep` makes it (0.1:0.5:5 gives 0.3, not
      // 0.30000000000000004).
      values = (0..<n).map { SweepAxis.gridValue(lo, hi, $0, n) }
      try TuneAxis.checkCounts(parts[0...1], field: field, text: text)
    } else {
      var out: [Double] = []
      let parts = t.split(separator: ",", omittingEmptySubsequences: false)
      for part in parts {
        guard let v = Double(part.trimmingCharacters(in: " ")), v.isFinite else { throw bad }
        out.append(v)
      }
      guard !out.isEmpty, out.count <= 1000 else { throw bad }
      try TuneAxis.checkCounts(parts[...], field: field, text: text)
      values = out
    }
  }

  /// The cooldown's values are counts: one that binary64 would round (2^53 + 1,
  /// 1.0000000000000001) would silently run another cooldown than the one typed.
  private static func checkCounts(_ parts: ArraySlice<Substring>, field: String, text: String)
    throws(TuneError)
  {
    guard field == "cooldown" else { return }
    for part in parts {
      let p = Substring(part.trimmingCharacters(in: " "))
      if !SweepAxis.isExact(p), let v = Double(p) {
        throw TuneError(
          field: field, value: text,
          requirement:
            "integers written exactly: \(p) is not held exactly by a binary64 number (it would be read as \(v))"
        )
      }
    }
  }

  package var description: String {
    values.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : $0.description }.joined(
      separator: ",")
  }

  package init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let v = try? c.decode(Double.self) {
      values = [v]
    } else if let vs = try? c.decode([Double].self) {
      values = vs
    } else {
      let text = try c.decode(String.self)
      do { self = try TuneAxis(parsing: text, field: decoder.codingPath.last?.stringValue ?? "axis") } catch {
        throw DecodingError.dataCorruptedError(in: c, debugDescription: error.description)
      }
    }
  }

  package func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(values)
  }
}

extension String {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    var s = Substring(self)
    while s.first == set { s.removeFirst() }
    while s.last == set { s.removeLast() }
    return String(s)
  }
}

extension Substring {
  fileprivate func trimmingCharacters(in set: Character) -> String {
    String(self).trimmingCharacters(in: set)
  }
}

/// The box of parameters `tune` searches: the product of its axes, for each variant. The repo
/// variant has no `α_E` and no cooldown: its axes collapse to 0.
package struct TuneBox: Sendable, Hashable, Codable, EncodesEveryKey {
  package var variants: [Variant]
  package var alpha: TuneAxis
  package var beta: TuneAxis
  package var alphaE: TuneAxis
  package var theta0: TuneAxis
  package var theta1: TuneAxis
  package var cooldown: TuneAxis

  /// The default 6-dimensional box (report variant): 4 × 4 × 3 × 8 × 4 × 4 = 6144 points.
  package static let standard = TuneBox(
    variants: [.report], alpha: TuneAxis([0.05, 0.1, 0.2, 0.3]), beta: TuneAxis([0.5, 0.7, 0.9, 0.95]),
    alphaE: TuneAxis([0, 0.25, 0.5]),
    theta0: TuneAxis([0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45]),
    theta1: TuneAxis([0.6, 0.7, 0.8, 0.9]), cooldown: TuneAxis([0, 5, 10, 30]))

  /// Every point of the box, in index order (variant slowest, cooldown fastest), and how many
  /// points were dropped because they are outside the parameter domain (θ0 ≥ θ1, a value out of
  /// range): a parameter error there is reported by ``validate()`` for single values only.
  package func points() -> (points: [Parameters], invalid: Int) {
    var out: [Parameters] = []
    var invalid = 0
    for v in variants {
      let es = v == .repo ? [0.0] : alphaE.values
      let cs = v == .repo ? [0.0] : cooldown.values
      for a in alpha.values {
        for b in beta.values {
          for e in es {
            for t0 in theta0.values {
              for t1 in theta1.values {
                for c in cs {
                  if let p = try? Parameters(
                    variant: v, alpha: a, beta: b, alphaE: e, theta0: t0, theta1: t1, cooldown: Int(c))
                  {
                    out.append(p)
                  } else {
                    invalid += 1
                  }
                }
              }
            }
          }
        }
      }
    }
    return (out, invalid)
  }

  /// The number of points before the domain filter.
  package var rawCount: Int {
    variants.reduce(0) { n, v in
      let es = v == .repo ? 1 : alphaE.values.count
      let cs = v == .repo ? 1 : cooldown.values.count
      return n + alpha.values.count * beta.values.count * es * theta0.values.count * theta1.values.count * cs
    }
  }

  /// Checks each axis value against its parameter's domain (SPEC §4).
  package func validate() throws(TuneError) {
    guard !variants.isEmpty else {
      throw TuneError(field: "variant", value: "none", requirement: "report, repo or both")
    }
    func check(_ axis: TuneAxis, _ name: String, _ ok: (Double) -> Bool, _ req: String) throws(TuneError) {
      for v in axis.values where !ok(v) {
        throw TuneError(field: name, value: v, requirement: req)
      }
    }
    try check(alpha, "alpha", { $0 > 0 && $0 <= 1 }, "values in (0, 1]")
    try check(beta, "beta", { $0 >= 0 && $0 < 1 }, "values in [0, 1)")
    try check(alphaE, "alpha-e", { $0 >= 0 && $0 <= 1 }, "values in [0, 1]")
    try check(theta0, "theta0", { $0 > 0 && $0 < 1 }, "values in (0, 1)")
    try check(theta1, "theta1", { $0 > 0 && $0 < 1 }, "values in (0, 1)")
    try check(
      cooldown, "cooldown", { $0 >= 0 && $0 <= 1_000_000 && $0 == $0.rounded() }, "integers in 0 … 1000000")
    guard rawCount <= 1_000_000 else {
      throw TuneError(
        field: "box", value: "\(rawCount) points",
        requirement: "at most 1000000 points per run (split with --shard)")
    }
  }
}

/// What `tune` is asked for: the clean loss and its noise, the shock, the goals and the box.
///
/// The simulated trace (``Scenario/Kind/steady``, one per Monte Carlo replication):
///
/// ```
/// steps [0, C)              clean: L = noisy(cleanLoss), E = 0        false switches counted here
/// steps [C, C + S)          shock: L = noisy(shockLoss), E = shockEnv latency counted from C
/// steps [C + S, C + S + R)  clean again                               recovery counted from C + S
/// ```
///
/// with `C = cleanSteps`, `S = shockLength`, `R = recoveryWindow`, starting from the clean fixed
/// point, its mode and no recent switch (SPEC §6).
package struct TuneSpec: Sendable, Hashable, Codable, EncodesEveryKey {
  package var cleanLoss: Double = 0.5
  package var noise = NoiseModel(sigma: 0.15)
  /// The shock's loss level (the noise applies to it as to the clean level).
  package var shockLoss: Double = 20
  package var shockLength: Int = 100
  package var shockEnv: Double = 0
  /// The mode the shock must reach: Multi (Multi or Mirror counts) or Mirror.
  package var target: TuneTarget = .multi
  /// N: the target within this many updates of the shock's start.
  package var reactWithin: Int = 50
  /// r: at most this many false switches per 1000 clean steps.
  package var maxFalseSwitches: Double = 1
  /// M: back in Single within this many updates of the shock's end (nil: not a goal).
  package var recoverWithin: Int?
  /// The fraction of shocks that must meet the latency and recovery goals.
  package var reliability: Double = 0.9
  package var box = TuneBox.standard
  /// Monte Carlo replications (independent traces) per configuration.
  package var traces: Int = 400
  /// Clean steps per trace before the shock.
  package var cleanSteps: Int = 1000
  package var seed: UInt64 = 1

  package init() {}

  /// The steps simulated after the shock: M when given, else 500.
  package var recoveryWindow: Int { recoverWithin ?? 500 }
  package var stepsPerTrace: Int { cleanSteps + shockLength + recoveryWindow }
  package var shockWindow: Range<Int> { cleanSteps..<(cleanSteps + shockLength) }

  package func validate() throws(TuneError) {
    func finite(_ v: Double, _ name: String, positive: Bool = false) throws(TuneError) {
      guard v.isFinite, positive ? v > 0 : v >= 0 else {
        throw TuneError(
          field: name, value: v,
          requirement: positive ? "a finite number > 0" : "a finite number ≥ 0")
      }
    }
    try finite(cleanLoss, "clean-loss")
    try finite(shockLoss, "shock-loss")
    try finite(shockEnv, "shock-env")
    if let bad = noise.invalidField() {
      throw TuneError(field: bad.field, value: bad.value, requirement: bad.requirement)
    }
    func count(_ v: Int, _ name: String, _ range: ClosedRange<Int>) throws(TuneError) {
      guard range.contains(v) else {
        throw TuneError(
          field: name, value: v,
          requirement: "an integer in \(range.lowerBound) … \(range.upperBound)")
      }
    }
    try count(shockLength, "shock-length", 1...1_000_000)
    try count(reactWithin, "react-within", 1...1_000_000)
    if let m = recoverWithin { try count(m, "recover-within", 1...1_000_000) }
    try count(traces, "traces", 2...100_000)
    try count(cleanSteps, "clean-steps", 1...10_000_000)
    guard maxFalseSwitches.isFinite, maxFalseSwitches >= 0 else {
      throw TuneError(
        field: "max-false-switches", value: maxFalseSwitches, requirement: "a finite number ≥ 0")
    }
    guard reliability > 0, reliability < 1 else {
      throw TuneError(field: "reliability", value: reliability, requirement: "a number in (0, 1)")
    }
    // Wilson's lower bound for n successes out of n is n/(n + z²): below the reliability, no
    // configuration could ever be shown to meet the goal.
    let needed = Int((1.959963984540054 * 1.959963984540054 * reliability / (1 - reliability)).rounded(.up))
    guard traces >= needed else {
      throw TuneError(
        field: "traces", value: traces,
        requirement:
          "at least \(needed) for reliability \(reliability) (the 95% Wilson lower bound of n successes in n traces is n/(n + 3.84))"
      )
    }
    guard traces * stepsPerTrace <= 20_000_000 else {
      throw TuneError(
        field: "traces", value: traces,
        requirement: "traces × steps per trace (\(stepsPerTrace)) ≤ 20000000 (the traces are kept in memory)")
    }
    try box.validate()
  }

  /// The scenario of replication `j` (seed `seed + j`, wrapping).
  package func scenario(trace j: Int) -> Scenario {
    var s = Scenario(
      kind: .steady, steps: stepsPerTrace, shocks: [shockWindow], cleanLoss: cleanLoss, shockLoss: shockLoss,
      shockEnv: shockEnv, noise: noise.sigma, seed: seed &+ UInt64(j))
    s.noiseKind = noise.kind
    s.noiseCorrelation = noise.correlation
    return s
  }

  /// The clean input (E = 0).
  package var clean: ConstantInput { ConstantInput(loss: cleanLoss, env: 0) }

  /// What replays trace `trace` of configuration `p` with `scenario`: the trace's scenario, and
  /// every parameter of `p` with the clean resting state as the initial state (the repo variant
  /// has no α_E and no cooldown to set).
  package func replay(_ p: Parameters, trace: Int) -> TuneReplay {
    let s = p.restingState(clean)
    var settings: [ParameterSetting] = [.variant(p.variant), .alpha(p.alpha), .beta(p.beta)]
    if p.variant == .report { settings.append(.alphaE(p.alphaE)) }
    settings += [.theta0(p.theta0), .theta1(p.theta1)]
    if p.variant == .report { settings.append(.cooldown(p.cooldown)) }
    settings += [.initialEhat(s.ehat), .initialPhi(s.phi), .initialMode(s.mode)]
    return TuneReplay(scenario: scenario(trace: trace), settings: settings)
  }
}

/// A `scenario` run that replays one Monte Carlo trace of `tune`: the built-in scenario and the
/// parameter settings on top of the report variant's defaults. The command line spells it as
/// flags, every number in its shortest round-trip form, so that the replay is bit-identical.
package struct TuneReplay: Sendable, Hashable {
  package var scenario: Scenario
  package var settings: [ParameterSetting]
}

/// The mode a shock must drive the controller to.
package enum TuneTarget: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
  /// Multi or Mirror: the controller has left Single.
  case multi
  /// Mirror.
  case mirror

  package var mode: Mode { self == .multi ? .multi : .mirror }
  /// The threshold φ must reach: θ0 for Multi, θ1 for Mirror.
  package func threshold(_ p: Parameters) -> Double { self == .multi ? p.theta0 : p.theta1 }
  package var description: String { rawValue }
}

extension TuneSpec {
  fileprivate enum Keys: String, CodingKey, CaseIterable {
    case cleanLoss, noise, shockLoss, shockFactor, shockLength, shockEnv, target, reactWithin
    case maxFalseSwitches, recoverWithin, reliability, box, traces, cleanSteps, seed
  }

  /// A spec file: every key is optional and takes the default when absent; `shockFactor`
  /// (shock loss = factor × clean loss) may replace `shockLoss`.
  package init(from decoder: any Decoder) throws {
    self.init()
    try rejectUnknownKeys(decoder, Keys.self)
    let c = try decoder.container(keyedBy: Keys.self)
    try c.update(&cleanLoss, forKey: .cleanLoss)
    try c.update(&noise, forKey: .noise)
    try c.update(&shockLoss, forKey: .shockLoss)
    if let f = try c.decodeIfPresent(Double.self, forKey: .shockFactor) { shockLoss = f * cleanLoss }
    try c.update(&shockLength, forKey: .shockLength)
    try c.update(&shockEnv, forKey: .shockEnv)
    try c.update(&target, forKey: .target)
    try c.update(&reactWithin, forKey: .reactWithin)
    try c.update(&maxFalseSwitches, forKey: .maxFalseSwitches)
    try c.update(&recoverWithin, forKey: .recoverWithin)
    try c.update(&reliability, forKey: .reliability)
    try c.update(&box, forKey: .box)
    try c.update(&traces, forKey: .traces)
    try c.update(&cleanSteps, forKey: .cleanSteps)
    try c.update(&seed, forKey: .seed)
  }
}

extension TuneBox {
  fileprivate enum Keys: String, CodingKey, CaseIterable {
    case variants, alpha, beta, alphaE, theta0, theta1, cooldown
  }

  /// Each axis with its key.
  fileprivate static var axes: [(Keys, WritableKeyPath<TuneBox, TuneAxis>)] {
    [
      (.alpha, \.alpha), (.beta, \.beta), (.alphaE, \.alphaE), (.theta0, \.theta0), (.theta1, \.theta1),
      (.cooldown, \.cooldown),
    ]
  }

  /// Every axis is optional and keeps the default box's values when absent.
  package init(from decoder: any Decoder) throws {
    self = .standard
    try rejectUnknownKeys(decoder, Keys.self)
    let c = try decoder.container(keyedBy: Keys.self)
    try c.update(&variants, forKey: .variants)
    for (key, axis) in Self.axes { try c.update(&self[keyPath: axis], forKey: key) }
  }
}
