import UnifiedLoRA

/// An exact rational `num/den` (`den > 0`, in lowest terms) on `Int128`, for the thresholds of
/// T07 and T08 with the parameters and inputs read as the decimals they print as.
///
/// Every operation reports overflow by returning `nil`, so a threshold whose exact value does not
/// fit is printed as a closed form instead, never as a wrong number.
public struct ExactRational: Sendable, Hashable, CustomStringConvertible {
  public let num: Int128
  public let den: Int128

  init?(_ n: Int128, _ d: Int128) {
    guard d != 0, n != Int128.min, d != Int128.min else { return nil }
    var a = n < 0 ? -n : n
    var b = d < 0 ? -d : d
    while b != 0 { (a, b) = (b, a % b) }
    let g = max(a, 1)
    let sign: Int128 = d < 0 ? -1 : 1
    num = sign * n / g
    den = sign * d / g
  }

  static let zero = ExactRational(0, 1)!
  static let one = ExactRational(1, 1)!

  /// The decimal a double prints as (Swift's shortest round-trip representation), exactly:
  /// `0.7` is `7/10`, `1e-10` is `1/10¹⁰`. `nil` when it does not fit in `Int128`.
  public init?(decimal x: Double) {
    guard x.isFinite else { return nil }
    let text = x.description
    let parts = text.lowercased().split(separator: "e", omittingEmptySubsequences: false)
    guard parts.count <= 2, let mantissa = parts.first else { return nil }
    var exponent = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
    var negative = false
    var digits = Substring(mantissa)
    if digits.hasPrefix("-") {
      negative = true
      digits = digits.dropFirst()
    }
    var n: Int128 = 0
    var seenPoint = false
    for c in digits {
      if c == "." {
        seenPoint = true
        continue
      }
      guard let v = c.wholeNumberValue else { return nil }
      let (m, o1) = n.multipliedReportingOverflow(by: 10)
      let (s, o2) = m.addingReportingOverflow(Int128(v))
      guard !o1, !o2 else { return nil }
      n = s
      if seenPoint { exponent -= 1 }
    }
    guard let p = ExactRational.powerOfTen(abs(exponent)) else { return nil }
    if negative { n = -n }
    if exponent >= 0 {
      let (v, o) = n.multipliedReportingOverflow(by: p)
      guard !o, let r = ExactRational(v, 1) else { return nil }
      self = r
    } else {
      guard let r = ExactRational(n, p) else { return nil }
      self = r
    }
  }

  static func powerOfTen(_ k: Int) -> Int128? {
    var p: Int128 = 1
    for _ in 0..<k {
      let (v, o) = p.multipliedReportingOverflow(by: 10)
      if o { return nil }
      p = v
    }
    return p
  }

  static func mul(_ a: Int128, _ b: Int128) -> Int128? {
    let (v, o) = a.multipliedReportingOverflow(by: b)
    return o ? nil : v
  }

  static func + (a: ExactRational, b: ExactRational) -> ExactRational? {
    guard let x = mul(a.num, b.den), let y = mul(b.num, a.den), let d = mul(a.den, b.den) else { return nil }
    let (s, o) = x.addingReportingOverflow(y)
    return o ? nil : ExactRational(s, d)
  }
  static func - (a: ExactRational, b: ExactRational) -> ExactRational? {
    guard let x = mul(a.num, b.den), let y = mul(b.num, a.den), let d = mul(a.den, b.den) else { return nil }
    let (s, o) = x.subtractingReportingOverflow(y)
    return o ? nil : ExactRational(s, d)
  }
  static func * (a: ExactRational, b: ExactRational) -> ExactRational? {
    guard let n = mul(a.num, b.num), let d = mul(a.den, b.den) else { return nil }
    return ExactRational(n, d)
  }
  static func / (a: ExactRational, b: ExactRational) -> ExactRational? {
    guard b.num != 0, let n = mul(a.num, b.den), let d = mul(a.den, b.num) else { return nil }
    return ExactRational(n, d)
  }

  /// The nearest double (correctly rounded when both parts are below 2⁵³, else within 2 ulps).
  public var double: Double { Double(num) / Double(den) }

  /// `6`, `26/7`, `-1/3`.
  public var description: String { den == 1 ? "\(num)" : "\(num)/\(den)" }
}

/// One threshold of T07/T08 in both arithmetics.
///
/// - ``exact``: the value in exact real arithmetic for the parameters and inputs as the decimals
///   they print as — a rational `p/q` when it fits, else the closed form with those decimals.
/// - ``decimal``: that value as a double.
/// - ``binary64``: the input at which the binary64 controller (the core's step, one rounding per
///   operation) changes its answer, established by running the step on the neighbouring doubles:
///   for a Mirror threshold the least double input that reaches Mirror, for a Single threshold
///   the largest double input that still settles in Single. `nil` when it could not be
///   established (``binary64Note`` says why).
public struct ThresholdValue: Sendable, Hashable, Codable, EncodesEveryKey, CustomStringConvertible {
  public var exact: String
  public var decimal: Double
  public var binary64: Double?
  public var binary64Note: String?
  /// What ``binary64`` is: `least double reaching Mirror` or `largest double settling in Single`.
  public var binary64Meaning: String

  /// `26/7 ≈ 3.7142857142857144`, or `6` when exact and integral.
  public var exactText: String {
    if exact == decimal.description || exact == String(format0(decimal)) { return exact }
    return "\(exact) ≈ \(decimal)"
  }

  public var description: String {
    "\(exactText) (binary64, \(binary64Meaning): \(binary64.map(\.description) ?? "not established"))"
  }

  private func format0(_ x: Double) -> String {
    x == x.rounded() && abs(x) < 1e15 ? String(Int(x)) : x.description
  }
}

/// Which threshold of ``InputThresholds``.
enum ThresholdKind {
  case minEnvForMirror, minLossForMirror, maxEnvForSingle, maxLossForSingle

  var forMirror: Bool { self == .minEnvForMirror || self == .minLossForMirror }
  var variesEnv: Bool { self == .minEnvForMirror || self == .maxEnvForSingle }
}

extension Parameters {
  /// The exact value of a threshold whose binary64 closed form is `value` (T07, T08), with
  /// `given` the fixed input (the loss for an env threshold, the env for a loss threshold).
  func exactThreshold(_ kind: ThresholdKind, given: Double, value: Double) -> (String, Double) {
    let q = ExactRational.init(decimal:)
    let one = ExactRational.one
    func limit(_ theta: Double) -> ExactRational? {
      guard let t = q(theta), let d = one - t else { return nil }
      return t / d
    }
    let theta = kind.forMirror ? theta1 : theta0
    let r: ExactRational? = {
      guard let x = limit(theta) else { return nil }
      if value == 0 { return .zero }
      if variant == .repo { return x }
      guard let ae = q(alphaE), let g = given.isInfinite ? one : q(given), let oneMinusAE = one - ae
      else { return nil }
      if kind.variesEnv {
        // E = (X_θ − (1 − α_E)·L/(1 + L))/α_E; L = +∞ stands for the limit D = 1.
        let squashed: ExactRational?
        if given.isInfinite {
          squashed = one
        } else if let onePlusL = one + g {
          squashed = g / onePlusL
        } else {
          squashed = nil
        }
        guard let d = squashed, let fromLoss = oneMinusAE * d, let rest = x - fromLoss else { return nil }
        return rest / ae
      }
      // L = D/(1 − D), D = (X_θ − α_E·E)/(1 − α_E)
      guard let fromEnv = ae * g, let rest = x - fromEnv, let d = rest / oneMinusAE,
        let oneMinusD = one - d
      else { return nil }
      return d / oneMinusD
    }()
    if let r { return (r.description, r.double) }
    let name = kind.forMirror ? "θ1" : "θ0"
    let form: String
    switch (variant, kind.variesEnv) {
    case (.repo, _): form = "\(name)/(1 − \(name))"
    case (.report, true):
      form =
        "(\(name)/(1 − \(name)) − (1 − α_E)·L/(1 + L))/α_E with \(name) = \(theta), α_E = \(alphaE), L = \(given)"
    case (.report, false):
      form =
        "D/(1 − D), D = (\(name)/(1 − \(name)) − α_E·E)/(1 − α_E) with \(name) = \(theta), α_E = \(alphaE), E = \(given)"
    }
    return (form, value)
  }

  /// The mode the binary64 controller settles in under the sustained input `u`, started from
  /// rest (`Ê = φ = 0`, the least state): the step is monotone in every argument, so from rest
  /// `Ê` and `φ` are non-decreasing sequences of doubles and reach a fixed point of the binary64
  /// step; its class is the answer. `nil` when no fixed point is reached within `maxSteps`.
  func binary64Limit(_ u: ConstantInput, maxSteps: Int) -> Double? {
    var s = ControllerState(ehat: 0, phi: 0, mode: .single)
    for t in 0..<maxSteps {
      let n = next(s, u, at: t)
      if n.ehat == s.ehat && n.phi == s.phi { return n.phi }
      s = n
    }
    return nil
  }

  /// The binary64 threshold near `candidate` (T02, T07, T08), established with the core's step:
  /// the least double input whose sustained run from rest reaches Mirror, or the largest whose
  /// run from rest settles in Single. The answer is monotone in the input (every rounded
  /// operation is), so it gallops from `candidate` over the doubles (1, 2, 4, … apart, as bit
  /// patterns) to bracket the change, then bisects to two neighbouring doubles. `nil` with a
  /// reason when a run does not reach a binary64 fixed point or the change is more than
  /// `maxUlps` doubles away.
  func binary64Threshold(
    _ kind: ThresholdKind, given: Double, candidate: Double, maxSteps: Int = 200_000,
    maxUlps: UInt64 = 1 << 24
  ) -> (Double?, String?) {
    // L = +∞ stands for the limit D = 1, which the binary64 step reaches exactly from L = 1e300.
    let fixed = given.isInfinite ? 1e300 : given
    func input(_ v: Double) -> ConstantInput {
      kind.variesEnv ? ConstantInput(loss: fixed, env: v) : ConstantInput(loss: v, env: fixed)
    }
    var failed = false
    // `inside(b)`: the double with bit pattern b is on the mode's side of the threshold. For a
    // Mirror threshold it is non-decreasing in b, for a Single threshold non-increasing.
    func inside(_ b: UInt64) -> Bool {
      guard let phi = binary64Limit(input(Double(bitPattern: b)), maxSteps: maxSteps) else {
        failed = true
        return false
      }
      return kind.forMirror ? phi >= theta1 : phi < theta0
    }
    let top = Double.greatestFiniteMagnitude.bitPattern
    let c = max(candidate, 0).bitPattern
    // Normalise to "find the first b with up(b) true", up non-decreasing.
    let up: (UInt64) -> Bool = kind.forMirror ? { inside($0) } : { !inside($0) }
    // `failed` is read after the runs that set it.
    func tooFar() -> (Double?, String?) {
      (nil, failed ? notReached(maxSteps) : "more than \(maxUlps) doubles from the exact value")
    }
    var lo: UInt64  // up(lo) false
    var hi: UInt64  // up(hi) true
    if up(c) {
      switch gallop(from: c, downward: true, end: 0, maxUlps: maxUlps, changes: { !up($0) }) {
      case .changed(let last, let first): (lo, hi) = (first, last)
      case .reachedEnd(let last):
        // Everything down to 0 may be inside: check 0.
        if up(0) { return finish(kind.forMirror ? 0 : nil, failed, "no double input settles in Single") }
        (lo, hi) = (0, last)
      case .tooFar: return tooFar()
      }
    } else {
      switch gallop(from: c, downward: false, end: top, maxUlps: maxUlps, changes: up) {
      case .changed(let last, let first): (lo, hi) = (last, first)
      case .reachedEnd, .tooFar: return tooFar()
      }
    }
    while hi - lo > 1 {
      let mid = lo + (hi - lo) / 2
      if up(mid) { hi = mid } else { lo = mid }
    }
    // Mirror: the least inside double is hi; Single: the largest inside double is lo.
    return finish(Double(bitPattern: kind.forMirror ? hi : lo), failed, nil)
  }

  /// Where ``gallop(from:downward:end:maxUlps:changes:)`` stopped.
  private enum Gallop {
    /// `changes` is false at `last` and true at `first`, the next pattern tried.
    case changed(last: UInt64, first: UInt64)
    /// The next step would pass `end`; `changes` is false at `last`.
    case reachedEnd(last: UInt64)
    /// No change within `maxUlps` patterns.
    case tooFar
  }

  /// Gallops over bit patterns from `start` (where `changes` is false) toward `end`, 1, 2, 4, …
  /// apart while the step is at most `maxUlps`, to the first pattern where `changes` is true: the
  /// bracket that the bisection of ``binary64Threshold(_:given:candidate:maxSteps:maxUlps:)``
  /// narrows. A step that would pass `end` stops it (a `start` beyond `end` stops at once).
  private func gallop(
    from start: UInt64, downward: Bool, end: UInt64, maxUlps: UInt64, changes: (UInt64) -> Bool
  ) -> Gallop {
    var last = start
    var step: UInt64 = 1
    while step <= maxUlps {
      let room = downward ? last - min(end, last) : end - min(end, last)
      guard room >= step else { return .reachedEnd(last: last) }
      let next = downward ? last - step : last + step
      if changes(next) { return .changed(last: last, first: next) }
      last = next
      step *= 2
    }
    return .tooFar
  }

  private func notReached(_ n: Int) -> String {
    "the binary64 run from rest did not reach a fixed point within \(n) updates"
  }

  private func finish(_ v: Double?, _ failed: Bool, _ why: String?) -> (Double?, String?) {
    if failed { return (nil, notReached(200_000)) }
    return (v, v == nil ? why : nil)
  }

  /// Both values of one threshold, when the closed form gives a number.
  func thresholdValue(_ kind: ThresholdKind, given: Double, bound: InputBound) -> ThresholdValue? {
    guard case .value(let v) = bound else { return nil }
    let (exact, decimal) = exactThreshold(kind, given: given, value: v)
    let (b, note) = binary64Threshold(kind, given: given, candidate: v)
    return ThresholdValue(
      exact: exact, decimal: decimal, binary64: b, binary64Note: note,
      binary64Meaning: kind.forMirror
        ? "the least double reaching Mirror from rest" : "the largest double settling in Single from rest")
  }
}
