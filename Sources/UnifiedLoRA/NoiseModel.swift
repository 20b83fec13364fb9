/// A stated model of loss noise around a level: the one home of the noisy loss that `scenario
/// steady`, `tune` and `analyze --noise` all draw from, so that a tune result replays bit for bit.
///
/// ```
/// z_0     = ε_0,   z_{t+1} = ρ·z_t + √(1 − ρ²)·ε_{t+1}      ε_t iid N(0, 1) (SeededGenerator.nextGaussian)
/// lognormal: L_t = level·exp(σ·z_t)                        (median `level`)
/// gaussian:  L_t = level·max(0, 1 + σ·z_t)                 (mean `level` until the clip at 0)
/// ```
///
/// `z` is a stationary AR(1) process with unit variance and lag-one correlation `ρ`; `σ` is the
/// relative size of the noise in both kinds. Domain (checked by ``validate()``): `σ` finite ≥ 0,
/// `ρ ∈ (−1, 1)`. With `σ = 0` the loss is exactly `level`.
public struct NoiseModel: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The distribution of one noisy loss around its level.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    case lognormal, gaussian
    public var description: String { rawValue }
  }

  public var kind: Kind
  /// σ, the relative size of the noise.
  public var sigma: Double
  /// ρ, the lag-one correlation of the driving process (0: independent steps).
  public var correlation: Double

  public init(kind: Kind = .lognormal, sigma: Double, correlation: Double = 0) {
    self.kind = kind
    self.sigma = sigma
    self.correlation = correlation
  }

  private enum CodingKeys: String, CodingKey { case kind, sigma, correlation }

  /// JSON: `sigma` is required; `kind` defaults to lognormal and `correlation` to 0.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? .lognormal
    sigma = try c.decode(Double.self, forKey: .sigma)
    correlation = try c.decodeIfPresent(Double.self, forKey: .correlation) ?? 0
  }

  /// Why a noise model is outside its domain, or `nil`.
  public func invalidField() -> (field: String, value: Double, requirement: String)? {
    if !(sigma.isFinite && sigma >= 0) { return ("noise", sigma, "a finite number ≥ 0") }
    if !(correlation > -1 && correlation < 1) { return ("noise-ar", correlation, "a number in (−1, 1)") }
    return nil
  }

  /// The noisy loss for level `level` and driving value `z`.
  public func loss(level: Double, z: Double) -> Double {
    switch kind {
    case .lognormal: level * _exp(sigma * z)
    case .gaussian: level * max(0, 1 + sigma * z)
    }
  }

  /// `d L/d z` at `z = 0` divided by the level: the first-order relative sensitivity (σ for both
  /// kinds), used by the linearised variance.
  public var linearScale: Double { sigma }

  public var description: String {
    "\(kind) σ = \(sigma)" + (correlation == 0 ? "" : ", AR(1) ρ = \(correlation)")
  }

  /// The driving process `z_t` (stationary AR(1), unit variance), from a seeded generator.
  public struct Driver: Sendable {
    var rng: SeededGenerator
    let rho: Double
    let innovation: Double
    var z: Double?

    public init(seed: UInt64, correlation: Double) {
      rng = SeededGenerator(seed: seed)
      rho = correlation
      innovation = (1 - correlation * correlation).squareRoot()
    }

    /// The next `z_t`.
    public mutating func next() -> Double {
      let e = rng.nextGaussian()
      let v = z.map { rho * $0 + innovation * e } ?? e
      z = v
      return v
    }
  }
}
