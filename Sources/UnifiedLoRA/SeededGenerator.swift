/// A small, fast, seedable random number generator (xoshiro256**, seeded through SplitMix64).
///
/// Every random thing in the toolkit takes one of these, so that a printed seed replays a result
/// exactly. The integer and `nextUnit()` sequences depend only on the seed, not on the platform
/// (pinned by known values in `SeededGeneratorTests`); `nextGaussian()` goes through the C
/// library's `log` and `cos`, so its deviates agree across platforms only to libm's accuracy
/// (a few ulps), not always to the bit.
public struct SeededGenerator: RandomNumberGenerator, Sendable, Hashable, Codable {
  private var s0, s1, s2, s3: UInt64

  public init(seed: UInt64) {
    var x = seed
    func splitmix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitmix()
    s1 = splitmix()
    s2 = splitmix()
    s3 = splitmix()
  }

  @inlinable
  static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  public mutating func next() -> UInt64 {
    let result = SeededGenerator.rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = SeededGenerator.rotl(s3, 45)
    return result
  }

  /// A uniform double in [0, 1) with 53 random bits.
  public mutating func nextUnit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A standard normal deviate (Box–Muller; one of the pair is discarded for simplicity).
  ///
  /// Uses libm's `log` and `cos`: bit-identical for a given seed and C library, and within a few
  /// ulps across C libraries.
  public mutating func nextGaussian() -> Double {
    var u = nextUnit()
    while u == 0 { u = nextUnit() }
    let v = nextUnit()
    return (-2 * _log(u)).squareRoot() * _cos(2 * Double.pi * v)
  }
}
