/// Built-in synthetic loss traces, so that the controller can be watched with no input file.
///
/// All are seeded and deterministic: the same seed gives the same trace, bit for bit.
public struct Scenario: Sendable, Hashable, Codable {
  /// The shape of a built-in trace.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// The report's experiment (§5): a noisy decaying training loss with corrupted "shock"
    /// windows (default `[200, 300)` and `[500, 600)` of 1000 steps) during which the loss jumps
    /// to about `shockLoss`.
    case reportShocks = "report-shocks"
    /// The same schedule without noise: the loss is exactly `cleanLoss` outside the windows and
    /// exactly `shockLoss` inside (the analysis' regimes of SPEC §6, as a trace).
    case square
    /// A clean, noisy, decaying training run with no shock.
    case clean
    /// A steady loss with stated noise (``NoiseModel``: log-normal or Gaussian, AR(1)) around
    /// `cleanLoss`, and around `shockLoss` in the shock windows: the traces `tune` simulates.
    case steady

    public var description: String { rawValue }
  }

  public var kind: Kind
  public var steps: Int
  /// Half-open windows `[start, end)` of shock steps.
  public var shocks: [Range<Int>]
  /// The clean loss level: the asymptote of the decaying runs, the constant of `square`.
  public var cleanLoss: Double
  /// The loss during a shock (median for the noisy kinds).
  public var shockLoss: Double
  /// The external stress during a shock (0 outside).
  public var shockEnv: Double
  /// The standard deviation of the multiplicative log-normal noise.
  public var noise: Double
  public var seed: UInt64
  /// The noise distribution and correlation of the `steady` kind (σ is `noise`).
  public var noiseKind: NoiseModel.Kind = .lognormal
  public var noiseCorrelation: Double = 0

  public init(
    kind: Kind = .reportShocks, steps: Int = 1000, shocks: [Range<Int>] = [200..<300, 500..<600],
    cleanLoss: Double = 0.5, shockLoss: Double = 20, shockEnv: Double = 0, noise: Double = 0.15,
    seed: UInt64 = 0
  ) {
    self.kind = kind
    self.steps = steps
    self.shocks = kind == .clean ? [] : shocks
    self.cleanLoss = cleanLoss
    self.shockLoss = shockLoss
    self.shockEnv = shockEnv
    self.noise = noise
    self.seed = seed
  }

  /// Whether step `t` lies in a shock window.
  public func inShock(_ t: Int) -> Bool { shocks.contains { $0.contains(t) } }

  /// The inputs, steps `0 ..< steps`.
  public func inputs() -> [Input] { Array(stream) }

  /// The same inputs, generated one at a time (constant memory, any number of steps).
  public var stream: Inputs { Inputs(scenario: self) }

  /// The inputs of a scenario as a lazy sequence.
  public struct Inputs: Sequence, IteratorProtocol {
    let scenario: Scenario
    let model: NoiseModel
    var rng: SeededGenerator
    var driver: NoiseModel.Driver
    var t = 0

    init(scenario: Scenario) {
      self.scenario = scenario
      rng = SeededGenerator(seed: scenario.seed)
      model = NoiseModel(
        kind: scenario.noiseKind, sigma: scenario.noise, correlation: scenario.noiseCorrelation)
      driver = NoiseModel.Driver(seed: scenario.seed, correlation: scenario.noiseCorrelation)
    }

    public var underestimatedCount: Int { Swift.max(scenario.steps - t, 0) }

    public mutating func next() -> Input? {
      let s = scenario
      guard t < s.steps else { return nil }
      defer { t += 1 }
      let shock = s.inShock(t)
      let env = shock ? s.shockEnv : 0
      switch s.kind {
      case .steady:
        return Input(
          step: t, loss: model.loss(level: shock ? s.shockLoss : s.cleanLoss, z: driver.next()), env: env)
      case .square:
        return Input(step: t, loss: shock ? s.shockLoss : s.cleanLoss, env: env)
      case .reportShocks, .clean:
        let z = rng.nextGaussian()
        // A training curve that starts near 3 and decays to the clean level.
        let base = shock ? s.shockLoss : s.cleanLoss + 2.5 * _exp(-Double(t) / 80)
        return Input(step: t, loss: base * _exp(s.noise * z), env: env)
      }
    }
  }

  /// The largest |z| of ``SeededGenerator/nextGaussian()``: √(−2 ln 2^−53) (its uniform is never
  /// below 2^−53), so every noisy loss is at most `base · exp(noise · maxGaussian)`.
  public static let maxGaussian = (-2 * _log(0x1p-53)).squareRoot()
}
