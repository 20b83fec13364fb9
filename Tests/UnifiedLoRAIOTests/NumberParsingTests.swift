import Testing

@testable import UnifiedLoRAIO

@Suite struct NumberParsingTests {
  func parse(_ s: String) -> Double? {
    Array(s.utf8).withUnsafeBufferPointer { NumberParsing.double($0) }
  }

  /// The fast path and the fallback agree with the standard library on every input, bit for bit.
  @Test(arguments: [
    "0", "0.5", "1e-5", "2.5e3", "-0.0", "123456789012345", "1234567890123456789",
    "0.1", "0.30000000000000004", "1e22", "1e23", "1e-22", "1e-23", "4.9e-324", "1.7976931348623157e308",
    "nan", "inf", "-inf", " 3.25 ", "+7", ".5", "5.", "0000.000123",
  ])
  func agreesWithStandardLibrary(_ s: String) {
    let mine = parse(s)
    let trimmed = s.trimmingCharacters(in: " ")
    let std = Double(trimmed)
    #expect(mine?.bitPattern == std?.bitPattern || (mine?.isNaN == true && std?.isNaN == true))
  }

  @Test(arguments: ["", "abc", "1e", "1..2", "--1", "0x"])
  func rejectsNonNumbers(_ s: String) {
    #expect(parse(s) == nil)
  }

  /// Random decimals: the fast path is correctly rounded.
  @Test func randomDecimals() {
    var rng = SystemRandomNumberGenerator()
    for _ in 0..<100_000 {
      let digits = Int.random(in: 1...17, using: &rng)
      var m = ""
      for _ in 0..<digits { m += String(Int.random(in: 0...9, using: &rng)) }
      let e = Int.random(in: -30...30, using: &rng)
      let s = "\(m)e\(e)"
      #expect(parse(s)?.bitPattern == Double(s)?.bitPattern, "\(s)")
    }
  }
}

extension NumberParsingTests {
  /// The extended-precision path (16 to 19 significant digits, exponents to ±27, as a double
  /// printed in full is written) is correctly rounded: random mantissas, the shortest round-trip
  /// text of random doubles, and decimals on or next to a midpoint between two doubles.
  @Test func longMantissas() {
    var rng = SystemRandomNumberGenerator()
    var cases: [String] = []
    for _ in 0..<100_000 {
      let digits = Int.random(in: 16...19, using: &rng)
      var m = String(Int.random(in: 1...9, using: &rng))
      for _ in 1..<digits { m += String(Int.random(in: 0...9, using: &rng)) }
      cases.append("\(m)e\(Int.random(in: -46...27, using: &rng))")
      cases.append(Double.random(in: 1e-9..<1e9, using: &rng).description)
    }
    // Midpoints: the exact decimal of (d + next(d)) / 2, and one unit of the last digit either
    // side, for doubles in [1, 2^11) (whose midpoints have few enough digits to write exactly
    // in 19 digits or fewer only after scaling: kept to those that fit).
    for _ in 0..<20_000 {
      let d = Double(Int.random(in: 1 << 53..<1 << 54, using: &rng))  // an integer double, ulp 2
      let mid = UInt64(d) + 1  // halfway to the next double: ties to even
      cases += ["\(mid)", "\(mid - 1)", "\(mid + 1)", "\(mid)0e-1", "\(mid)00e-2"]
    }
    for s in cases {
      let mine = parse(s)
      #expect(mine?.bitPattern == Double(s)?.bitPattern, "\(s)")
    }
  }
}

extension String {
  fileprivate func trimmingCharacters(in c: Character) -> String {
    var s = Substring(self)
    while s.first == c { s.removeFirst() }
    while s.last == c { s.removeLast() }
    return String(s)
  }
}
