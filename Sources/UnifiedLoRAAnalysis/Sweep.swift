import UnifiedLoRA
import UnifiedLoRASupport

/// One axis of a sweep grid: a parameter or input name and its values.
public struct SweepAxis: Sendable, Hashable, Codable {
  /// The names a grid can vary, in the grid's fixed order (the last varies fastest).
  public static let names = [
    "alpha", "beta", "alpha-e", "theta0", "theta1", "cooldown", "loss", "env", "shock-loss",
    "shock-env", "shock-length",
  ]

  public var name: String
  /// The axis's values, computed on demand (an axis may have 10⁷ of them, most grids with such an
  /// axis are run one shard at a time).
  public var values: SweepValues
  /// The spec it was parsed from (`start:end:count` or one value).
  public var spec: String

  /// Parses `start:end:count` (inclusive, evenly spaced, count ≥ 1) or a single number.
  ///
  /// - Throws: ``SweepError`` naming the axis and the text.
  public init(name: String, spec: String) throws(SweepError) {
    self.name = name
    self.spec = spec
    let texts = spec.split(separator: ":", omittingEmptySubsequences: false)
    let parts = texts.map { Double(String($0)) }
    // A count (the values of a count axis, the number of grid points) is used as an integer: a
    // value that binary64 rounds (2^53 + 1, 1.0000000000000001) would silently run another count
    // than the one typed.
    let counts = SweepAxis.integral.contains(name) ? texts[...] : texts.count == 3 ? texts[2...] : []
    if let rounded = counts.first(where: {
      Double(String($0)).map(\.isFinite) == true && !SweepAxis.isExact($0)
    }) {
      throw SweepError(
        message:
          "invalid value \(name) = \(spec): \(rounded) is not held exactly by a binary64 number (it would be read as \(Double(String(rounded))!)); expected an integer written exactly"
      )
    }
    if parts.count == 1, let v = parts[0], v.isFinite {
      values = SweepValues(Spacing(v, v, 1))
      if SweepAxis.integral.contains(name) && v != v.rounded() {
        throw SweepError(message: "invalid value \(name) = \(spec): expected an integer")
      }
      return
    }
    guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2], a.isFinite,
      b.isFinite, SweepAxis.isCount(c)
    else {
      throw SweepError(
        message:
          "invalid value \(name) = \(spec): expected a number or start:end:count with count ≥ 1, e.g. 0.01:1:100"
      )
    }
    let n = Int(c)
    values = SweepValues(Spacing(a, b, n))
    if SweepAxis.integral.contains(name), let bad = values.first(where: { $0 != $0.rounded() }) {
      throw SweepError(
        message:
          "invalid value \(name) = \(spec): the grid point \(bad) is not an integer; choose start:end:count with (end − start)/(count − 1) an integer"
      )
    }
  }

  /// Whether the decimal `text` (digits, an optional fraction and exponent) is exactly the binary64
  /// number it parses to, when that number is an integer (a fraction is reported as not an integer
  /// elsewhere). Text of another shape (hexadecimal) is left to the parser.
  package static func isExact(_ text: Substring) -> Bool {
    var u = Array(text.utf8)
    if u.first == UInt8(ascii: "+") || u.first == UInt8(ascii: "-") { u.removeFirst() }
    var exponent = 0
    if let e = u.firstIndex(where: { $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }) {
      guard let x = Int(String(decoding: u[(e + 1)...], as: UTF8.self)), abs(x) < 1_000_000 else {
        return true
      }
      exponent = x
      u.removeSubrange(e...)
    }
    var digits: [UInt8] = []
    var seenPoint = false
    for c in u {
      if c == UInt8(ascii: ".") && !seenPoint {
        seenPoint = true
      } else if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
        digits.append(c - UInt8(ascii: "0"))
        if seenPoint { exponent -= 1 }
      } else {
        return true
      }
    }
    while digits.first == 0 { digits.removeFirst() }
    while digits.last == 0 {
      digits.removeLast()
      exponent += 1
    }
    guard let v = Double(String(text)), v.isFinite else { return true }
    if digits.isEmpty { return v == 0 }
    // value = digits × 10^exponent: an integer only when exponent ≥ 0.
    guard exponent >= 0 else { return v != v.rounded() }
    // The counts are at most 2^53 < 10^16: a longer integer is beyond them, checked elsewhere.
    guard digits.count + exponent <= 16 else { return true }
    var n = 0
    for d in digits { n = n * 10 + Int(d) }
    for _ in 0..<exponent { n *= 10 }
    return Double(n) == v && Int(exactly: v) == n
  }

  /// The axes whose values are counts (used as given, so they must be integers).
  static let integral: Set<String> = ["cooldown", "shock-length"]

  /// The `i`-th of `n` evenly spaced values from `a` to `b`, as the decimal grid the user typed:
  /// computed exactly on the decimals (`0.1:0.5:5` gives 0.35, not 0.35000000000000003) and
  /// rounded once; the binary64 formula when the exact value does not fit.
  package static func gridValue(_ a: Double, _ b: Double, _ i: Int, _ n: Int) -> Double {
    Spacing(a, b, n).value(i)
  }

  /// `n` evenly spaced values from `a` to `b`: the endpoints' exact decimals are parsed once per
  /// axis, not once per value (an axis may have 10⁷ values).
  struct Spacing: Sendable, Hashable {
    static func == (l: Spacing, r: Spacing) -> Bool { l.a == r.a && l.b == r.b && l.n == r.n }
    func hash(into h: inout Hasher) {
      h.combine(a)
      h.combine(b)
      h.combine(n)
    }

    let a: Double
    let b: Double
    let n: Int
    /// `a` and `b − a` as exact decimals, when both fit.
    let exact: (start: ExactRational, width: ExactRational)?

    init(_ a: Double, _ b: Double, _ n: Int) {
      self.a = a
      self.b = b
      self.n = n
      if let x = ExactRational(decimal: a), let y = ExactRational(decimal: b), let d = y - x {
        exact = (x, d)
      } else {
        exact = nil
      }
    }

    func value(_ i: Int) -> Double {
      if i == 0 || n == 1 { return a }
      if i == n - 1 { return b }
      if let (x, d) = exact, let k = ExactRational(Int128(i), Int128(n - 1)), let step = d * k,
        let v = x + step, abs(v.num) < 1 << 53, v.den < 1 << 53
      {
        return v.double
      }
      return a + (b - a) * Double(i) / Double(n - 1)
    }
  }

  /// The number of values `spec` gives, read without making them (`nil` when it does not parse;
  /// the axis's initialiser then says why).
  static func count(_ spec: String) -> Int? {
    let parts = spec.split(separator: ":", omittingEmptySubsequences: false)
    if parts.count == 1 { return 1 }
    guard parts.count == 3, let c = Double(String(parts[2])), isCount(c) else { return nil }
    return Int(c)
  }

  /// Whether `c` is a valid number of values for one axis: an integer in 1 … 10⁷.
  static func isCount(_ c: Double) -> Bool {
    c >= 1 && c <= 10_000_000 && c == c.rounded()
  }
}

/// The values of one sweep axis, `start:end:count` evenly spaced on the decimals the user typed,
/// each computed when it is read (see ``SweepAxis/gridValue(_:_:_:_:)``). Encoded as an array.
public struct SweepValues: RandomAccessCollection, Sendable, Hashable, Codable {
  let spacing: SweepAxis.Spacing

  init(_ spacing: SweepAxis.Spacing) { self.spacing = spacing }

  public var startIndex: Int { 0 }
  public var endIndex: Int { spacing.n }
  public subscript(i: Int) -> Double {
    precondition(i >= 0 && i < spacing.n, "sweep axis index \(i) out of 0..<\(spacing.n)")
    return spacing.value(i)
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(Array(self))
  }

  /// Decodes an encoded axis: its first and last values and its count (the grid the values were
  /// made from; values not evenly spaced are refused).
  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    let v = try c.decode([Double].self)
    guard let a = v.first, let b = v.last else {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "a sweep axis has at least one value")
    }
    let s = SweepAxis.Spacing(a, b, v.count)
    guard v.indices.allSatisfy({ s.value($0) == v[$0] }) else {
      throw DecodingError.dataCorruptedError(
        in: c, debugDescription: "a sweep axis's values are evenly spaced from its first to its last")
    }
    spacing = s
  }
}

/// A sweep failure: a malformed axis, shard or file, or shards that do not fit together.
public struct SweepError: Error, Sendable, Hashable, CustomStringConvertible {
  public var message: String
  public init(message: String) { self.message = message }
  public var description: String { message }
}

/// A grid of parameter sets and regimes (the Cartesian product of its axes).
public struct SweepGrid: Sendable, Hashable, Codable {
  public var variant: Variant
  /// One axis per name in ``SweepAxis/names``, in that order.
  public var axes: [SweepAxis]
  public var epsilon: Double

  /// - Parameter specs: axis name → spec; missing axes take the variant's default (parameters)
  ///   or SPEC §6's regimes (loss 0.5, env 0, shock-loss 20, shock-env 0, shock-length 100).
  public init(variant: Variant, specs: [String: String], epsilon: Double = 0.02) throws(SweepError) {
    let d = Parameters.defaults(variant)
    let defaults: [String: Double] = [
      "alpha": d.alpha, "beta": d.beta, "alpha-e": d.alphaE, "theta0": d.theta0, "theta1": d.theta1,
      "cooldown": Double(d.cooldown), "loss": 0.5, "env": 0, "shock-loss": 20, "shock-env": 0,
      "shock-length": 100,
    ]
    for key in specs.keys where !SweepAxis.names.contains(key) {
      throw SweepError(message: "unknown sweep axis \(key)")
    }
    self.variant = variant
    self.epsilon = epsilon
    // The product is checked before any axis makes its values: eleven axes of 10⁷ values each
    // would otherwise take 880 MB and seconds before being refused.
    let counts = SweepAxis.names.map { (name: $0, count: SweepAxis.count(specs[$0] ?? "0")) }
    var product = 1
    var overflow = false
    for c in counts {
      guard let n = c.count else { break }
      let (m, o) = product.multipliedReportingOverflow(by: n)
      product = m
      overflow = overflow || o
    }
    if overflow || product > SweepFile.maxPoints, counts.allSatisfy({ $0.count != nil }) {
      let size = counts.map { Double($0.count!) }.reduce(1, *)
      let varied = counts.filter { $0.count! > 1 }.map { "\($0.name) \($0.count!)" }
      throw SweepError(
        message:
          "the grid has \(size) points (\(varied.joined(separator: " × "))); at most \(SweepFile.maxPoints) in a grid"
      )
    }
    var axes: [SweepAxis] = []
    for name in SweepAxis.names {
      axes.append(try SweepAxis(name: name, spec: specs[name] ?? defaults[name]!.description))
    }
    self.axes = axes
    for (name, range) in SweepGrid.countAxes {
      let axis = axes.first { $0.name == name }!
      if let bad = axis.values.first(where: { !range.contains($0.rounded()) }) {
        throw SweepError(
          message:
            "invalid value \(name) = \(axis.spec): \(bad) is out of range; expected values in \(Int(range.lowerBound)) … \(Int(range.upperBound))"
        )
      }
    }
  }

  /// The number of grid points.
  /// The number of grid points; `Int.max` when the product does not fit (see ``exactCount``).
  public var count: Int { exactCount ?? Int.max }

  /// The number of grid points, or `nil` when the product of the axis lengths overflows `Int`.
  public var exactCount: Int? {
    var n = 1
    for a in axes {
      let (m, overflow) = n.multipliedReportingOverflow(by: a.values.count)
      if overflow { return nil }
      n = m
    }
    return n
  }

  /// The axes that are counts, with the values a grid may give them: the cooldown (N_s, up to
  /// 2^53, the largest step number a log can give exactly) and the shock length (1 … 10^6 updates,
  /// as `analyze`). Their values are rounded to integers, so they must fit one.
  public static let countAxes: [(name: String, range: ClosedRange<Double>)] = [
    ("cooldown", 0...0x1p53), ("shock-length", 1...1_000_000),
  ]

  /// A canonical description: two grids are the same iff their specs are equal.
  public var spec: String {
    "variant=\(variant);" + axes.map { "\($0.name)=\($0.spec)" }.joined(separator: ";")
      + ";epsilon=\(epsilon)"
  }

  /// The values of point `index` (row-major: the last axis varies fastest).
  public func point(_ index: Int) -> [Double] {
    var i = index
    var out = [Double](repeating: 0, count: axes.count)
    for k in stride(from: axes.count - 1, through: 0, by: -1) {
      let n = axes[k].values.count
      out[k] = axes[k].values[i % n]
      i /= n
    }
    return out
  }

  /// The index range of shard `i` of `n`: contiguous blocks `[i·N/n, (i+1)·N/n)`.
  public func shard(_ i: Int, of n: Int) -> Range<Int> {
    SweepFile.range(i, n, points: count)
  }
}

/// The results at one grid point. Latencies and thresholds are `null` in JSON when never.
public struct SweepRow: Sendable, Hashable, Codable, EncodesEveryKey {
  public var index: Int
  /// Axis name → value.
  public var point: [String: Double]
  /// Why this point has no results (invalid parameters, undecided iteration), else `nil`.
  public var error: String?
  public var phiStar: Double?
  public var mode: Mode?
  public var shockPhiStar: Double?
  public var shockMode: Mode?
  /// Low-stress settling from the initial state, relative to the step (MATLAB stepinfo).
  public var settlingRelativeToStep: Int?
  /// The same relative to the final value (python-control step_info).
  public var settlingRelativeToFinal: Int?
  public var toMulti: Latency?
  public var toMirror: Latency?
  public var toSingle: Latency?
  /// sup φ over L ∈ [0, ∞), E ∈ [min(env, shock-env), max(env, shock-env)].
  public var phiSup: Double?
  public var minEnvForMirror: InputBound?
  public var minLossForMirror: InputBound?
  public var maxLossForSingle: InputBound?

  /// The CSV columns after the axes, in order.
  public static let resultColumns = [
    "phiStar", "mode", "shockPhiStar", "shockMode", "settlingRelativeToStep",
    "settlingRelativeToFinal", "toMulti", "toMirror", "toSingle", "phiSup", "minEnvForMirror",
    "minLossForMirror", "maxLossForSingle", "error",
  ]
}

/// Parameter sweeps on all cores (closed forms and certified iterations; no GSL in the inner loop).
public enum Sweep {
  /// Evaluates one grid point.
  ///
  /// - Parameter maxSteps: the iteration limit per quantity; a point that needs more (a fixed
  ///   point within rounding distance of a threshold) gets an `error` instead of results.
  public static func evaluate(_ grid: SweepGrid, _ index: Int, maxSteps: Int = 1_000_000) -> SweepRow {
    let v = grid.point(index)
    var row = SweepRow(index: index, point: Dictionary(uniqueKeysWithValues: zip(SweepAxis.names, v)))
    let p: Parameters
    do {
      p = try Parameters(
        variant: grid.variant, alpha: v[0], beta: v[1], alphaE: v[2], theta0: v[3], theta1: v[4],
        cooldown: Int(v[5].rounded()))
    } catch {
      row.error = error.description
      return row
    }
    let clean = ConstantInput(loss: v[6], env: v[7])
    let shock = ConstantInput(loss: v[8], env: v[9])
    let length = Int(v[10].rounded())
    do throws(AnalysisError) {
      do {
        try clean.validate()
        try shock.validate()
      } catch { throw .input(error) }
      guard length >= 1 else {
        row.error = "invalid value shock-length = \(length): expected an integer ≥ 1"
        return row
      }
      let f = p.fixedPoint(clean)
      let g = p.fixedPoint(shock)
      row.phiStar = f.phi
      row.mode = f.mode
      row.shockPhiStar = g.phi
      row.shockMode = g.mode
      row.settlingRelativeToStep = try p.settlingTime(
        from: p.initial, input: clean, convention: .relativeToStep, epsilon: grid.epsilon,
        maxSteps: maxSteps
      ).steps
      row.settlingRelativeToFinal = try p.settlingTime(
        from: p.initial, input: clean, convention: .relativeToFinal, epsilon: grid.epsilon,
        maxSteps: maxSteps
      ).steps
      let start = p.restingState(clean)
      row.toMulti = try p.latency(to: .multi, from: start, input: shock, maxSteps: maxSteps)
      row.toMirror = try p.latency(to: .mirror, from: start, input: shock, maxSteps: maxSteps)
      row.toSingle = try p.shockResponse(clean: clean, shock: shock, length: length, maxSteps: maxSteps)
        .toSingle
      row.phiSup = try p.reachability(
        InputBox(loss: 0...Double.infinity, env: min(clean.env, shock.env)...max(clean.env, shock.env)),
        maxSteps: maxSteps
      ).phiSup
      let th = try p.inputThresholds(givenLoss: shock.loss, givenEnv: shock.env, crossCheck: false)
      let single = try p.inputThresholds(givenLoss: clean.loss, givenEnv: clean.env, crossCheck: false)
      row.minEnvForMirror = th.minEnvForMirror
      row.minLossForMirror = th.minLossForMirror
      row.maxLossForSingle = single.maxLossForSingle
    } catch {
      row.error = error.description
    }
    return row
  }

  /// Evaluates the points `range` of `grid` on `threads` threads (default: all active cores),
  /// in chunks, and returns the rows in index order (deterministic whatever the scheduling).
  ///
  /// - Complexity: O(points × iteration length), divided by the number of threads.
  public static func run(
    _ grid: SweepGrid, range: Range<Int>, threads: Int? = nil, maxSteps: Int = 1_000_000
  ) -> [SweepRow] {
    Parallel.map(range, threads: max(1, threads ?? Parallel.defaultThreads)) {
      evaluate(grid, $0, maxSteps: maxSteps)
    }
  }
}
