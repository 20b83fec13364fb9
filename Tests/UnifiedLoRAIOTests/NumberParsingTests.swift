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

extension String {
  fileprivate func trimmingCharacters(in c: Character) -> String {
    var s = Substring(self)
    while s.first == c { s.removeFirst() }
    while s.last == c { s.removeLast() }
    return String(s)
  }
}
