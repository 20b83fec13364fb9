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
      // Fractions with leading zeros and long runs of digits (the eight-at-a-time path),
      // digits and non-digits mixed near its edges.
      var f = "0." + String(repeating: "0", count: Int.random(in: 0...6, using: &rng))
      for _ in 0..<Int.random(in: 1...24, using: &rng) { f += String(Int.random(in: 0...9, using: &rng)) }
      cases.append(f)
      cases.append(String(Int.random(in: 0...999, using: &rng)) + f.dropFirst())
      cases.append(f + "e" + String(Int.random(in: -5...5, using: &rng)))
    }
    for bad in ["0.1234567x9", "0.12345678:", "0.1234/678", "1.2345678 ", "0.12345678e", "0.        "] {
      #expect(parse(bad) == Double(bad.trimmingCharacters(in: " ")), "\(bad)")
    }
    // Midpoints: in [2^53, 2^54) doubles are the even integers, so an odd integer there is
    // exactly halfway between two of them (ties to even); with its neighbours and written with
    // a decimal exponent.
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

/// Steps written as doubles and numbers written in C's hexadecimal notation: a value is read
/// only when the text denotes it exactly, never after a rounding that makes it look integral.
@Suite struct HostileNumberTextTests {
  func integer(_ s: String) -> Int? {
    Array(s.utf8).withUnsafeBufferPointer { NumberParsing.integer($0) }
  }

  func double(_ s: String) -> Double? {
    Array(s.utf8).withUnsafeBufferPointer { NumberParsing.double($0) }
  }

  /// Texts that denote an integer, written as a double: read exactly.
  @Test(arguments: [
    ("1e3", 1000), ("100.0", 100), ("-2.50e1", -25), ("0.5e1", 5),
    ("9.007199254740991e15", 9_007_199_254_740_991),
    ("12300e-2", 123), ("0e5", 0),
  ])
  func integralDoublesAreSteps(_ text: String, _ value: Int) {
    #expect(integer(text) == value)
  }

  /// Texts whose double is integral only after rounding, or beyond 2^53 where a double's
  /// integer value may be another integer's rounding: refused.
  @Test(arguments: [
    "9.007199254740993e15", "9.007199254740992e15", "1.00000000000000001", "4503599627370496.5",
    "1e16", "12345e-2", "0.1e0",
  ])
  func roundedDoublesAreNotSteps(_ text: String) {
    #expect(integer(text) == nil)
  }

  /// Integer literals stay exact to ±2^62.
  @Test func integerLiteralsStayExact() {
    #expect(integer("9007199254740993") == 9_007_199_254_740_993)
    #expect(integer("-4611686018427387904") == -4_611_686_018_427_387_904)
  }

  /// Hexadecimal floats are C, not a log's decimal numbers.
  @Test(arguments: ["0x1p3", "0x10", "-0X1.8p1", "0x1A"])
  func hexadecimalIsNotANumber(_ text: String) {
    #expect(double(text) == nil)
    #expect(integer(text) == nil)
  }
}
