import UnifiedLoRA

/// A floating-point format whose non-negative values are ordered like their bit patterns, so that
/// bisection can run over the bit patterns (every representable value between two bounds is
/// reachable, not just the values a decimal grid would hit).
public protocol IEEEOrdinal: BinaryFloatingPoint, ControllerArithmetic {
  /// The bit pattern as an unsigned integer (monotone in the value for values ≥ 0).
  var ordinal: UInt64 { get }
  init(ordinal: UInt64)
  static var formatName: String { get }
}

extension Double: IEEEOrdinal {
  public var ordinal: UInt64 { bitPattern }
  public init(ordinal: UInt64) { self.init(bitPattern: ordinal) }
  public static var formatName: String { "binary64" }
}

extension Float: IEEEOrdinal {
  public var ordinal: UInt64 { UInt64(bitPattern) }
  public init(ordinal: UInt64) { self.init(bitPattern: UInt32(truncatingIfNeeded: ordinal)) }
  public static var formatName: String { "binary32" }
}

/// One exact bound found by the directed search.
public struct IEEEFinding: Sendable, Hashable, Codable {
  /// `T02.g1`, `T02.phi1.defaults`, `T02.overflow.alphaE1.beta0.9`, …
  public var id: String
  /// `binary64` or `binary32`.
  public var format: String
  public var statement: String
  /// The bound (as a Double; binary32 values are exact in binary64), or nil when none exists.
  public var value: Double?
  /// Its bit pattern in the format, hexadecimal.
  public var bits: String?
  /// How it was established (bisection interval, scans, steps).
  public var evidence: String
  /// A `simulate` run showing it, when one applies (binary64 only); the command line prints it as
  /// the `command` key.
  public var replay: SimulateReplay? = nil

  private enum CodingKeys: String, CodingKey { case id, format, statement, value, bits, evidence }
}

extension IEEEFinding {
  /// A finding in `T`'s format whose bound is `x` (with its bit pattern), or none (`nil`); the
  /// replay is kept for binary64 only, the format `simulate` reads.
  init<T: IEEEOrdinal>(
    id: String, in _: T.Type, statement: String, at x: T?, evidence: String, replay: SimulateReplay? = nil
  ) {
    self.init(
      id: id, format: T.formatName, statement: statement, value: x.map { Double($0) },
      bits: x.map { IEEESearch.hex($0) }, evidence: evidence, replay: T.self == Double.self ? replay : nil)
  }
}

/// Directed search over bit patterns (theorem T02): where `x/(1+x)` rounds to exactly 1, where φ
/// reaches exactly 1.0, and where Ê overflows, in binary64 and binary32, with the smallest inputs.
///
/// Each search is a bisection over the bit patterns of a predicate that is monotone by the
/// comparison principle, followed by an exhaustive scan of the neighbouring bit patterns that
/// confirms the transition (rounding can make a predicate non-monotone by an ulp; the scan
/// reports the exact least value, not just a transition).
public enum IEEESearch {
  /// The least `x` in `[lo, hi]` with `pred(x)`, by bisection over the bit patterns of the
  /// widened predicate "pred holds at one of the `width` patterns from x upwards" (rounding can make
  /// `pred` alternate between neighbouring patterns, as `x/(1+x) == 1` does with the parity of the
  /// significand), then every pattern from `scan` below the transition to `width` above it is
  /// checked with `pred` itself and the least true one is returned.
  ///
  /// Precondition (checked): the widened predicate is false at `lo` and true at `hi`.
  package static func leastTrue<T: IEEEOrdinal>(
    _ lo: T, _ hi: T, width: Int = 4, scan: Int = 256, _ pred: (T) -> Bool
  ) -> (value: T, bisections: Int, scanned: Int)? {
    func widened(_ o: UInt64) -> Bool {
      (0..<UInt64(width)).contains { o + $0 <= hi.ordinal && pred(T(ordinal: o + $0)) }
    }
    guard !widened(lo.ordinal), widened(hi.ordinal) else { return nil }
    var a = lo.ordinal
    var b = hi.ordinal
    var n = 0
    while b - a > 1 {
      let m = a + (b - a) / 2
      if widened(m) { b = m } else { a = m }
      n += 1
    }
    let from = max(lo.ordinal, b > UInt64(scan) ? b - UInt64(scan) : 0)
    let to = min(hi.ordinal, b + UInt64(width))
    guard let least = (from...to).first(where: { pred(T(ordinal: $0)) }) else { return nil }
    return (T(ordinal: least), n, Int(to - from + 1))
  }

  /// `x` written as `m·2^e` when it is a power of two times a small odd number.
  static func binary<T: IEEEOrdinal>(_ x: T) -> String {
    guard x > 0 else { return "0" }
    var e = Int(x.exponent)
    var m = x
    for _ in 0..<Int(x.exponent) { m /= 2 }
    while m != m.rounded() && e > -1100 {
      m *= 2
      e -= 1
    }
    if m == 1 { return "2^\(e)" }
    return m == m.rounded() && m < 1_000_000 ? "\(Int(m))·2^\(e)" : "\(x)"
  }

  /// The report variant's continuous state after `steps` updates of a constant input, in `T`,
  /// through the core's generic ``ContinuousUpdate/report(ehat:phi:d:env:alpha:beta:alphaE:)``;
  /// stops early when `stop` holds.
  static func iterate<T: IEEEOrdinal>(
    loss: T, env: T, alpha: T, beta: T, alphaE: T, ehat: T = 0, phi: T = 0, steps: Int,
    stop: (T, T) -> Bool
  ) -> (ehat: T, phi: T, step: Int?) {
    var e = ehat
    var f = phi
    let d = ContinuousUpdate.squash(loss)
    for t in 0..<steps {
      (e, f) = ContinuousUpdate.report(
        ehat: e, phi: f, d: d, env: env, alpha: alpha, beta: beta, alphaE: alphaE)
      if stop(e, f) { return (e, f, t) }
    }
    return (e, f, nil)
  }

  /// The finding `id` on the least `x` in `[1, max]` at which `pred` holds (by
  /// ``leastTrue(_:_:width:scan:_:)``): `found` describes it from the bound, the bisection steps
  /// and the patterns scanned; `none` describes the absence of a bound (`pred` false at `max`).
  static func leastFinding<T: IEEEOrdinal>(
    _ id: String, _: T.Type, scan: Int, _ pred: (T) -> Bool,
    found: (T, Int, Int) -> (statement: String, evidence: String, replay: SimulateReplay?),
    none: () -> (statement: String, evidence: String)
  ) -> IEEEFinding {
    guard let (x, n, s) = leastTrue(T(1), T.greatestFiniteMagnitude, scan: scan, pred) else {
      let d = none()
      return IEEEFinding(id: id, in: T.self, statement: d.statement, at: nil, evidence: d.evidence)
    }
    let d = found(x, n, s)
    return IEEEFinding(
      id: id, in: T.self, statement: d.statement, at: x, evidence: d.evidence, replay: d.replay)
  }

  static func show<T: IEEEOrdinal>(_ x: T) -> String { Double(x).shortestDecimal }

  /// Of the `count` bit patterns `x, next(x), next(next(x)), …`, how many have `x/(1+x) < 1`.
  static func squashBelowOne<T: IEEEOrdinal>(from x: T, count: Int, _ next: (T) -> T) -> Int {
    var y = x
    var below = 0
    for _ in 0..<count {
      if ContinuousUpdate.squash(y) != 1 { below += 1 }
      y = next(y)
    }
    return below
  }

  /// `count` records of loss 0 and env `e` (none for a negative count).
  package static func constantEnv(_ e: Double, count: Int, settings: [ParameterSetting]) -> SimulateReplay {
    let n = max(count, 0)
    return SimulateReplay(
      settings: settings, losses: Array(repeating: 0, count: n), envs: Array(repeating: e, count: n))
  }

  static func hex<T: IEEEOrdinal>(_ x: T) -> String {
    "0x" + String(x.ordinal, radix: 16)
  }

  /// Every finding, for one format.
  public static func findings<T: IEEEOrdinal>(_: T.Type) -> [IEEEFinding] {
    var out: [IEEEFinding] = []
    let p = T(T.significandBitCount + 1)  // 53 or 24
    let two = T(2)
    let g1 = T(1) * pow2(T.self, Int(p))  // 2^53 or 2^24
    // 1. the least x with x/(1+x) == 1
    if let (x, n, s) = leastTrue(
      T(1), T.greatestFiniteMagnitude, width: 4, scan: 1 << 12, { ContinuousUpdate.squash($0) == 1 })
    {
      // the parity structure in [x, 2x): count the exceptions on a scan of the binade's start
      let checked = 4096
      let exceptions = squashBelowOne(from: x, count: checked, \.nextUp)
      out.append(
        IEEEFinding(
          id: "T02.g1", in: T.self,
          statement:
            "x/(1+x) rounds to exactly 1 first at x = \(show(x)) = \(binary(x)) (nothing smaller does)",
          at: x,
          evidence:
            "bisection over bit patterns of [1, max] (\(n) steps), then every one of the \(s) patterns below checked; in the \(checked) patterns from it upwards \(exceptions) give < 1 (odd significands: 1 + x is a tie rounded up to x + 2)",
          replay: SimulateReplay(
            settings: [.alpha(1), .beta(0), .alphaE(0.5)], losses: [0, 0], envs: [Double(x) * 2, 0])))
      _ = g1
    }
    // 2. the least x from which x/(1+x) == 1 for every larger x: the binade where 1 < ulp/2
    let all = two * g1  // 2^54 or 2^25: ulp 4, 1 + x always rounds to x
    let ok = squashBelowOne(from: all, count: 1 << 14, \.nextUp) == 0
    let oddBelow = squashBelowOne(from: all.nextDown, count: 64, \.nextDown) > 0
    out.append(
      IEEEFinding(
        id: "T02.g1.all", in: T.self,
        statement:
          "x/(1+x) == 1 for every x ≥ \(all) = 2^\(Int(p) + 1) (there the spacing of x is 4 and 1 + x rounds to x); below it, x/(1+x) < 1 for some x",
        at: all,
        evidence:
          "\(1 << 14) consecutive patterns from 2^\(Int(p) + 1) all give 1 (\(ok)); of the 64 patterns below it some give < 1 (\(oddBelow)); above, 1 < half an ulp, so fl(1 + x) = x"
      ))
    // 3. φ reaches exactly 1.0, report defaults, constant E (L = 0) from (0, 0)
    let steps = 20_000
    let a = T(0.1)
    let b = T(0.9)
    let ae = T(0.5)
    let reachesOne: (T) -> Bool = { e in
      iterate(loss: 0, env: e, alpha: a, beta: b, alphaE: ae, steps: steps, stop: { _, f in f >= 1 }).step
        != nil
    }
    out.append(
      leastFinding("T02.phi1.defaults", T.self, scan: 256, reachesOne) { e, n, s in
        let at =
          iterate(loss: 0, env: e, alpha: a, beta: b, alphaE: ae, steps: steps, stop: { _, f in f >= 1 }).step
          ?? -1
        return (
          statement:
            "with the report's defaults and a constant E (L = 0) from (Ê, φ) = (0, 0), φ reaches exactly 1.0 within \(steps) steps iff E ≥ \(e) (first at record \(at))",
          evidence:
            "bisection over bit patterns of [1, max] (\(n) steps) of 'φ = 1 within \(steps) steps', then all \(s) patterns below checked",
          replay: constantEnv(Double(e), count: at + 1, settings: [])
        )
      } none: {
        (
          statement:
            "with the report's defaults and a constant E (L = 0), φ never reaches 1.0 within \(steps) steps for any finite E",
          evidence: "the predicate is false at E = max"
        )
      })
    // 3b. which α let φ reach exactly 1.0 when Ê/(1+Ê) = 1 for ever: φ ← (1 − α)φ + α from 0
    do {
      func reaches(_ alpha: T) -> Int? {
        var f = T(0)
        for t in 0..<100_000 {
          f = ContinuousUpdate.repoPhi(phi: f, d: 1, alpha: alpha)
          if f >= 1 { return t }
          if t > 64 && f == ContinuousUpdate.repoPhi(phi: f, d: 1, alpha: alpha) { return nil }
        }
        return nil
      }
      let simple: [T] = [1, 0.5, 0.25, 0.2, 0.1, 0.3, 0.05, 0.01, 0.001, 0.9, 0.75]
      let yes = simple.filter { reaches($0) != nil }
      let no = simple.filter { reaches($0) == nil }
      var g = SeededGenerator(seed: 0x7_0002)
      var hits = 0
      let samples = 20_000
      for _ in 0..<samples where reaches(T(1 - g.nextUnit())) != nil { hits += 1 }
      out.append(
        IEEEFinding(
          id: "T02.phi1.alpha", in: T.self,
          statement:
            "once Ê/(1+Ê) rounds to 1, φ ← (1 − α)φ + α reaches exactly 1.0 for α ∈ {\(yes.map { "\($0)" }.joined(separator: ", "))} but stalls below 1 for α ∈ {\(no.map { "\($0)" }.joined(separator: ", "))}; over α uniform in (0, 1], \(hits) of \(samples) reach 1",
          at: nil,
          evidence:
            "iterated to a fixed point (at most 100000 steps) for each α; the uniform sample uses SeededGenerator(seed: 0x70002)"
        ))
    }
    // 4. φ reaches exactly 1.0 in one update with α = 1, β = 0, α_E = 1
    if let (e, n, s) = leastTrue(
      T(1), T.greatestFiniteMagnitude, scan: 256,
      { e in
        iterate(loss: 0, env: e, alpha: 1, beta: 0, alphaE: 1, steps: 2, stop: { _, f in f >= 1 }).step != nil
      })
    {
      out.append(
        IEEEFinding(
          id: "T02.phi1.fast", in: T.self,
          statement:
            "with α = 1, β = 0, α_E = 1, φ = 1.0 exactly at the second record iff E ≥ \(show(e)) = \(binary(e)) at the first step",
          at: e, evidence: "bisection (\(n) steps) + \(s) patterns scanned",
          replay: SimulateReplay(
            settings: [.alpha(1), .beta(0), .alphaE(1), .cooldown(0)], losses: [0, 0], envs: [Double(e), 0])))
    }
    // 5. Ê overflow: report variant, constant E, by α_E and β
    for (alphaE, beta) in [
      (T(0.5), T(0.9)), (T(1), T(0.9)), (T(1), T(0.5)), (T(1), T(0.99)), (T(1), T(0.999)), (T(0.9), T(0.9)),
    ] {
      let overflows: (T) -> Bool = { e in
        iterate(
          loss: 0, env: e, alpha: a, beta: beta, alphaE: alphaE, steps: 20_000, stop: { x, _ in !x.isFinite }
        ).step != nil
      }
      out.append(
        leastFinding("T02.overflow.alphaE\(alphaE).beta\(beta)", T.self, scan: 1 << 12, overflows) {
          e, n, s in
          let at =
            iterate(
              loss: 0, env: e, alpha: a, beta: beta, alphaE: alphaE, steps: 20_000,
              stop: { x, _ in !x.isFinite }
            ).step ?? -1
          return (
            statement:
              "α_E = \(alphaE), β = \(beta): a constant E ≥ \(e) (\(Double(e) / Double(T.greatestFiniteMagnitude)) of the largest finite value) makes Ê overflow to +∞ (record \(at)), then Ê/(1+Ê) = ∞/∞ = NaN and φ is NaN for ever (mode Mirror)",
            evidence: "bisection (\(n) steps) + \(s) patterns scanned below",
            replay: constantEnv(
              Double(e), count: at + 3, settings: [.alphaE(Double(alphaE)), .beta(Double(beta))])
          )
        } none: {
          (
            statement:
              "α_E = \(alphaE), β = \(beta): Ê stays finite for every finite E (E = max for 20000 steps: Ê = \(iterate(loss: 0, env: T.greatestFiniteMagnitude, alpha: a, beta: beta, alphaE: alphaE, steps: 20_000, stop: { _, _ in false }).ehat))",
            evidence: "the predicate is false at E = max (the largest finite value)"
          )
        })
    }
    // 5b. which β let Ê overflow at all (α_E = 1, E = max): those for which fl(1 − β) rounds up
    do {
      let betas: [T] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999]
      let over = betas.filter { beta in
        iterate(
          loss: 0, env: T.greatestFiniteMagnitude, alpha: a, beta: beta, alphaE: 1, steps: 5_000,
          stop: { x, _ in !x.isFinite }
        ).step != nil
      }
      let up = betas.filter { (1 - $0) + $0 > 1 }
      var detail = ""
      if let beta = over.first,
        let (e, n, s) = leastTrue(
          T(1), T.greatestFiniteMagnitude, scan: 1 << 12,
          { e in
            iterate(
              loss: 0, env: e, alpha: a, beta: beta, alphaE: 1, steps: 5_000, stop: { x, _ in !x.isFinite }
            ).step != nil
          })
      {
        detail =
          "; for β = \(beta) the least constant E that overflows is \(e) (bits \(hex(e)), bisection \(n) steps + \(s) patterns)"
        let at =
          iterate(
            loss: 0, env: e, alpha: a, beta: beta, alphaE: 1, steps: 5_000, stop: { x, _ in !x.isFinite }
          ).step ?? -1
        out.append(
          IEEEFinding(
            id: "T02.overflow.beta\(beta)", in: T.self,
            statement:
              "α_E = 1, β = \(beta): a constant E ≥ \(e) makes Ê overflow to +∞ at record \(at); then Ê/(1+Ê) = ∞/∞ = NaN, φ is NaN for ever and the mode is Mirror (NaN fails every comparison)",
            at: e,
            evidence: "bisection over bit patterns (\(n) steps) + \(s) patterns scanned",
            replay: constantEnv(Double(e), count: at + 3, settings: [.alphaE(1), .beta(Double(beta))])))
      }
      out.append(
        IEEEFinding(
          id: "T02.overflow.betas", in: T.self,
          statement: "with α_E = 1 and E = max from Ê = 0, Ê overflows for "
            + (over.isEmpty ? "none" : "β ∈ {\(over.map { "\($0)" }.joined(separator: ", "))}")
            + " of β ∈ {\(betas.map { "\($0)" }.joined(separator: ", "))}; fl(1 − β) + β > 1 for "
            + (up.isEmpty ? "none of them" : "β ∈ {\(up.map { "\($0)" }.joined(separator: ", "))}") + detail,
          at: nil, evidence: "5000 steps from Ê = 0 at E = max for each β"))
    }
    // 5c. the worst case of one step: Ê = X = max (a valid initial state and input), β sampled
    do {
      var g = SeededGenerator(seed: 0x7_0005)
      let m = T.greatestFiniteMagnitude
      var hits: [T] = []
      let samples = 200_000
      for _ in 0..<samples {
        let beta = T(g.nextUnit())
        let (e, _) = ContinuousUpdate.report(ehat: m, phi: 0, d: 0, env: m, alpha: 1, beta: beta, alphaE: 1)
        if !e.isFinite { hits.append(beta) }
      }
      let least = hits.min()
      out.append(
        IEEEFinding(
          id: "T02.overflow.worst", in: T.self,
          statement:
            "one step from Ê = max with X = max (α_E = 1, E = max): Ê' = β·max + (1 − β)·max overflows for \(hits.count) of \(samples) β uniform in [0, 1)"
            + (least.map { "; the least β found is \($0)" }
              ?? "; Ê never overflows: fl(β·max) + fl(fl(1 − β)·max) ≤ max for every sampled β"),
          at: least,
          evidence: "SeededGenerator(seed: 0x70005), \(samples) samples",
          replay: least.map { b in
            SimulateReplay(
              settings: [.alphaE(1), .beta(Double(b)), .initialEhat(Double(m))], losses: [0, 0, 0],
              envs: [Double(m), 0, 0])
          }))
    }
    // 6. repo defaults: the raw loss is smoothed, L up to max
    let repoOverflows: (T) -> Bool = { l in
      var e = T(1)
      var f = T(0.5)
      for _ in 0..<20_000 {
        (e, f) = ContinuousUpdate.repo(ehat: e, phi: f, loss: l, alpha: T(0.1), beta: T(0.9))
        if !e.isFinite { return true }
      }
      return false
    }
    out.append(
      leastFinding("T02.overflow.repo", T.self, scan: 1 << 12, repoOverflows) { l, n, s in
        (
          statement: "repo defaults: a constant loss L ≥ \(l) makes Ê overflow",
          evidence: "bisection (\(n) steps) + \(s) patterns", replay: nil
        )
      } none: {
        (
          statement:
            "repo defaults: Ê stays finite for every finite loss (L = max for 20000 steps from Ê = 1)",
          evidence: "the predicate is false at L = max"
        )
      })
    return out
  }

  static func pow2<T: BinaryFloatingPoint>(_: T.Type, _ k: Int) -> T {
    var x = T(1)
    for _ in 0..<k { x *= 2 }
    return x
  }
}
