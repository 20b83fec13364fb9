import UnifiedLoRA

/// One conformance case: a parameter set and an input trace; the reference output is its replay.
public struct VectorCase: Sendable, Hashable {
  /// Stable id, also the file name (`<id>.json`).
  public var id: String
  public var description: String
  public var parameters: Parameters
  public var inputs: [Input]

  public init(id: String, description: String, parameters: Parameters, inputs: [Input]) {
    self.id = id
    self.description = description
    self.parameters = parameters
    self.inputs = inputs
  }

  /// The reference output: one record per input, by ``Replay``.
  public func records() throws(InputError) -> [Record] {
    try Replay(inputs, parameters: parameters).records()
  }

  /// The reference states, with `s` (the step of the last switch) that records do not carry.
  public func states() -> [ControllerState] {
    var s = parameters.initial
    return inputs.map { input in
      s = parameters.advance(s, input)
      return s
    }
  }
}

/// The conformance vectors: input traces with the reference outputs of both variants, for checking
/// an implementation in any language bit for bit (`unified-lora vectors --out DIR`).
///
/// Cases cover the defaults of both variants on the report's experiment and on clean/shock/stress
/// regimes, and edge values: all-zero input, huge losses up to the largest double, α = 1, β = 0,
/// N_s = 0, inputs whose φ lands on, just below and just above θ0 and θ1, step numbers that
/// start at 1000 and jump (the cooldown counts in step numbers).
public enum ConformanceVectors {
  /// Bumped when a file's layout changes.
  public static let schemaVersion = 1

  /// Every case, in a fixed order.
  public static func cases() -> [VectorCase] {
    var out: [VectorCase] = []
    let square = Scenario(kind: .square, steps: 400, shocks: [100..<300]).inputs()
    let noisy = Scenario().inputs()
    for v in Variant.allCases {
      let d = Parameters.defaults(v)
      out.append(
        VectorCase(
          id: "\(v)-defaults-square-shock",
          description:
            "\(v) defaults; loss 0.5, then 20 for steps 100…299, then 0.5 (scenario square, 400 steps)",
          parameters: d, inputs: square))
      out.append(
        VectorCase(
          id: "\(v)-defaults-report-shocks",
          description:
            "\(v) defaults; the report's experiment (scenario report-shocks, seed 0, 1000 steps: noisy decaying loss, shocks [200,300) and [500,600))",
          parameters: d, inputs: noisy))
      out.append(
        VectorCase(
          id: "\(v)-zeros", description: "\(v) defaults; loss 0 and env 0 for 50 steps",
          parameters: d, inputs: (0..<50).map { Input(step: $0, loss: 0) }))
      let huge: [Double] =
        v == .report
        ? [
          1e15, 1e16, 1e300, 1e308, .greatestFiniteMagnitude, 0, .greatestFiniteMagnitude,
          .leastNonzeroMagnitude, 1e300,
        ]
        : [1e15, 1e16, 1e100, 1e300, 1e306, 0, 1e306, .leastNonzeroMagnitude, 1e300]
      out.append(
        VectorCase(
          id: "\(v)-huge-losses",
          description:
            "\(v) defaults; huge losses (\(v == .report ? "up to the largest double: D rounds to 1" : "up to 1e306, where the smoothed loss stays finite")), zero and the least subnormal, each held 8 steps",
          parameters: d,
          inputs: huge.flatMap { l in repeatElement(l, count: 8) }.enumerated().map {
            Input(step: $0.offset, loss: $0.element)
          }))
      let fast = try! Parameters(variant: v, alpha: 1)
      out.append(
        VectorCase(
          id: "\(v)-alpha-one", description: "\(v) with alpha = 1 (phi = g(ehat) at once); the square shock",
          parameters: fast, inputs: square))
      let raw = try! Parameters(variant: v, beta: 0)
      out.append(
        VectorCase(
          id: "\(v)-beta-zero",
          description: "\(v) with beta = 0 (no smoothing of ehat); the report's experiment",
          parameters: raw, inputs: noisy))
      out.append(thresholdCase(v))
    }
    // Report only: external stress, no cooldown, step numbering.
    let r = Parameters.report
    out.append(
      VectorCase(
        id: "report-sustained-env",
        description:
          "report defaults; loss 0.5 and env 5 for steps 50…249 of 300 (reaches Mirror: X = 2.5 + 0.5·D)",
        parameters: r,
        inputs: (0..<300).map { Input(step: $0, loss: 0.5, env: (50..<250).contains($0) ? 5 : 0) }))
    let chatter = try! Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    out.append(
      VectorCase(
        id: "report-cooldown-zero",
        description:
          "report with alpha = 1, beta = 0, alpha_E = 1, cooldown 0; env alternates 9, 0: the mode chatters every step",
        parameters: chatter,
        inputs: (0..<40).map { Input(step: $0, loss: 0, env: $0 % 2 == 0 ? 9 : 0) }))
    out.append(
      VectorCase(
        id: "report-step-numbers",
        description:
          "report with alpha = 1, beta = 0, alpha_E = 1, cooldown 10; steps 1000, 1003, 1006, …: the cooldown counts in step numbers, not records",
        parameters: try! Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 10),
        inputs: (0..<40).map { Input(step: 1000 + 3 * $0, loss: 0, env: $0 % 2 == 0 ? 9 : 0) }))
    return out
  }

  /// Inputs whose φ is the double just below, equal to and just above θ0 and θ1.
  ///
  /// With α = 1, β = 0 (and α_E = 1, N_s = 0 in the report variant) one step maps the input `u`
  /// (E for report, L for repo) to `φ = u/(1 + u)` one step later (report) or at once (repo). The
  /// inputs are found by scanning the doubles around `θ/(1 − θ)` for each target φ.
  static func thresholdCase(_ v: Variant) -> VectorCase {
    let p =
      v == .report
      ? try! Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
      : try! Parameters(variant: .repo, alpha: 1, beta: 0)
    var values: [Double] = []
    for theta in [p.theta0, p.theta1] {
      for target in [theta.nextDown, theta, theta.nextUp] {
        if let u = preimage(of: target) { values.append(u) }
      }
    }
    // Each value twice, separated by zeros, so that every value is read as old and as new φ.
    let seq: [Double] = values.flatMap { u -> [Double] in [u, u, 0] }
    return VectorCase(
      id: "\(v)-threshold-adjacent",
      description:
        "\(v) with alpha = 1, beta = 0\(v == .report ? ", alpha_E = 1, cooldown 0" : ""): inputs u with u/(1+u) the double just below, equal to and just above theta0 = 0.3 and theta1 = 0.7",
      parameters: p,
      inputs: seq.enumerated().map { (k, u) -> Input in
        v == .report ? Input(step: k, loss: 0, env: u) : Input(step: k, loss: u)
      })
  }

  /// The least double `u ≥ 0` near `t/(1 − t)` with `u/(1 + u) == t` in binary64, if any.
  static func preimage(of t: Double) -> Double? {
    var u = t / (1 - t)
    for _ in 0..<64 { u = u.nextDown }
    for _ in 0..<128 {
      if u / (1 + u) == t { return u }
      u = u.nextUp
    }
    return nil
  }
}
