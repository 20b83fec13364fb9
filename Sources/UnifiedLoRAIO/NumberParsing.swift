#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Parses the decimal text of a number exactly as `Double(String)` does (correctly rounded),
/// with a fast path for the short decimals that training logs are made of.
///
/// Fast path (Clinger 1990): at most 15 significant digits and a decimal exponent in
/// `[-22, 22]`: the mantissa and the power of ten are both exact doubles, so one multiplication
/// or division gives the correctly rounded result. Everything else (long mantissas, large
/// exponents, `nan`, `inf`, hexadecimal) falls back to the standard library's parser.
///
/// **Edge cases.** Leading and trailing spaces and tabs are ignored. A NUL byte anywhere makes
/// the field not a number. An empty field returns
/// `nil` with `empty = true`. `nan`, `inf`, `-inf`, `infinity` parse (the controller then
/// rejects them with the step number, which is the more useful message).
@usableFromInline
enum NumberParsing {
  @usableFromInline static let powers: [Double] = (0...22).map { p in
    var x = 1.0
    for _ in 0..<p { x *= 10 }
    return x
  }

  static func trim(_ b: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
    var s = 0
    var e = b.count
    while s < e, b[s] == 0x20 || b[s] == 0x09 { s += 1 }
    while e > s, b[e - 1] == 0x20 || b[e - 1] == 0x09 { e -= 1 }
    return UnsafeBufferPointer(rebasing: b[s..<e])
  }

  static func double(_ raw: UnsafeBufferPointer<UInt8>) -> Double? {
    let b = trim(raw)
    let n = b.count
    if n == 0 { return nil }
    var i = 0
    var negative = false
    if b[0] == UInt8(ascii: "-") || b[0] == UInt8(ascii: "+") {
      negative = b[0] == UInt8(ascii: "-")
      i = 1
    }
    var mantissa: UInt64 = 0
    var digits = 0  // significant digits accumulated
    var sawDigit = false
    var exp10 = 0
    var fast = true
    while i < n, b[i] &- 48 < 10 {
      sawDigit = true
      if mantissa != 0 || b[i] != 48 {
        if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(b[i] &- 48) } else { fast = false }
        digits += 1
      }
      i += 1
    }
    if i < n, b[i] == UInt8(ascii: ".") {
      i += 1
      // Eight digits at a time while they stay significant and within the 19 held exactly
      // (after the leading zeros of a value below 1), then one at a time.
      while mantissa == 0, i < n, b[i] == 48 {
        sawDigit = true
        exp10 -= 1
        i += 1
      }
      while digits <= 11, i + 8 <= n, let eight = eightDigits(b.baseAddress! + i) {
        sawDigit = true
        mantissa = mantissa &* 100_000_000 &+ eight
        if mantissa != 0 { digits += 8 }
        exp10 -= 8
        i += 8
      }
      while i < n, b[i] &- 48 < 10 {
        sawDigit = true
        if mantissa != 0 || b[i] != 48 {
          if digits < 19 { mantissa = mantissa &* 10 &+ UInt64(b[i] &- 48) } else { fast = false }
          digits += 1
        }
        exp10 -= 1
        i += 1
      }
    }
    if sawDigit, i < n, b[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      var eneg = false
      if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
        eneg = b[i] == UInt8(ascii: "-")
        i += 1
      }
      var e = 0
      var sawExp = false
      while i < n, b[i] &- 48 < 10 {
        sawExp = true
        // The exponent is accumulated up to a bound; beyond it the fast path is off and the
        // standard library reads the whole text (a capped exponent once turned
        // `0.<99,999 zeros>1e1000000`, which is +inf, into 1.0).
        if e < 1_000_000_000 { e = e * 10 + Int(b[i] &- 48) } else { fast = false }
        i += 1
      }
      if !sawExp { return nil }
      exp10 += eneg ? -e : e
    }
    if sawDigit && i == n && fast {
      if digits <= 15 && exp10 >= -22 && exp10 <= 22 {
        var v = Double(mantissa)
        if exp10 >= 0 { v *= powers[exp10] } else { v /= powers[-exp10] }
        return negative ? -v : v
      }
      if let v = extended(mantissa, exp10) { return negative ? -v : v }
    }
    return exact(b)
  }

  /// The value of the eight ASCII digits at `p`, or nil when one of the bytes is not a digit
  /// (SWAR: the eight bytes as one little-endian word, combined in pairs, then quads).
  @inline(__always)
  static func eightDigits(_ p: UnsafePointer<UInt8>) -> UInt64? {
    let v = UInt64(littleEndian: UnsafeRawPointer(p).loadUnaligned(as: UInt64.self))
    // Each byte is 0x30…0x39: its high nibble is 3, and adding 6 does not carry into it.
    let high = v & 0xF0F0_F0F0_F0F0_F0F0
    let carried = (v &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0
    guard high | (carried >> 4) == 0x3333_3333_3333_3333 else { return nil }
    var x = v & 0x0F0F_0F0F_0F0F_0F0F
    x = (x &* (10 << 8 + 1)) >> 8  // pairs: 10·d0 + d1 in every other byte
    x = ((x & 0x00FF_00FF_00FF_00FF) &* (100 << 16 + 1)) >> 16  // quads
    return ((x & 0x0000_FFFF_0000_FFFF) &* (10_000 << 32 + 1)) >> 32
  }

  #if arch(x86_64) && !os(Windows)
    /// 10^0 … 10^27 in 80-bit extended precision, each exact (5^27 < 2^64).
    @usableFromInline static let powers80: [Float80] = (0...27).map { p in
      var x: Float80 = 1
      for _ in 0..<p { x *= 10 }
      return x
    }
  #endif

  /// `mantissa · 10^exp10` correctly rounded to binary64, for the 16 to 19 significant digits
  /// that a full-precision double prints (`0.038164615989130374`), or nil when this shortcut
  /// cannot be sure (the caller then uses the standard library).
  ///
  /// In x87 extended precision (64-bit significand) the mantissa (< 10^19 < 2^64) and 10^|e|
  /// for |e| ≤ 27 are exact, so one multiplication or division gives the exact value rounded
  /// once to 64 bits. Rounding that again to 53 bits is the correct rounding of the exact value
  /// unless the 64-bit result sits exactly on a midpoint between two doubles (the only place a
  /// second rounding can go the other way: every midpoint is a 64-bit number, so the exact
  /// value and its 64-bit rounding are on the same side of each one); then nil. The values
  /// reached (10^-27 … 1.8·10^46) are all normal doubles.
  @inline(__always)
  static func extended(_ mantissa: UInt64, _ exp10: Int) -> Double? {
    #if arch(x86_64) && !os(Windows)
      guard exp10 >= -27 && exp10 <= 27 else { return nil }
      let m = Float80(mantissa)
      let r = exp10 >= 0 ? m * powers80[exp10] : m / powers80[-exp10]
      // The 11 bits below a double's 52-bit fraction: 0b100_0000_0000 is a midpoint.
      guard r.significandBitPattern & 0x7FF != 0x400 else { return nil }
      return Double(r)
    #else
      return nil
    #endif
  }

  /// The standard library's correctly rounded parser on the whole field. A NUL byte makes the
  /// field not a number: the C parser underneath would stop there and ignore the rest.
  static func exact(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
    guard let base = b.baseAddress, b.count > 0, memchr(base, 0, b.count) == nil else { return nil }
    // The standard library also reads C's hexadecimal floats (`0x1p3` is 8); a log's numbers
    // are decimal, so a cell such as `0x1A` is not a number.
    guard memchr(base, Int32(UInt8(ascii: "x")), b.count) == nil,
      memchr(base, Int32(UInt8(ascii: "X")), b.count) == nil
    else { return nil }
    return Double(String(decoding: b, as: UTF8.self))
  }

  /// True when `raw` is an integer literal (optional sign, decimal digits only) whose value
  /// binary64 cannot hold exactly: beyond 2^53 only some integers are doubles, and beyond 2^63
  /// this parser does not try. Such a cell must not be read as a rounded number where integers
  /// are meant (steps): `9007199254740993` would read as `9007199254740992`.
  static func isInexactInteger(_ raw: UnsafeBufferPointer<UInt8>) -> Bool {
    let b = trim(raw)
    var i = 0
    if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
    guard i < b.count else { return false }
    var significant = 0
    var leading = true
    for k in i..<b.count {
      guard b[k] &- 48 < 10 else { return false }
      if leading && b[k] == 48 { continue }
      leading = false
      significant += 1
    }
    if significant <= 15 { return false }  // below 10^15 < 2^53: always exact
    guard let v = Int(String(decoding: b, as: UTF8.self)) else { return true }
    let d = Double(v)
    return d >= 0x1p63 || d < -0x1p63 || Int(d) != v
  }

  /// An integer step value: decimal digits with an optional sign, or a double with an
  /// integral value (`"100.0"`, `"1e3"`, as some exporters write).
  /// At most ±2^62 (the controller's step arithmetic has headroom). An integer literal is read
  /// exactly, never through a double.
  static func integer(_ raw: UnsafeBufferPointer<UInt8>) -> Int? {
    let b = trim(raw)
    if let v = Int(String(decoding: b, as: UTF8.self)) {
      return v.magnitude <= 1 << 62 ? v : nil
    }
    if isInexactInteger(b) { return nil }
    // Through a double, only below 2^53, and only when the text itself denotes an integer:
    // `9.007199254740993e15` (2^53 + 1) and `1.00000000000000001` round to integers they are not.
    guard let d = double(b), d.isFinite, d == d.rounded(), abs(d) < 0x1p53, denotesInteger(b) else {
      return nil
    }
    return Int(d)
  }

  /// True when the decimal text `b` (optional sign, digits, optional fraction and exponent)
  /// denotes an integer exactly: every digit after the decimal point, once the exponent has
  /// moved it, is 0. Read on the text, so rounding cannot make a fraction look integral.
  static func denotesInteger(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
    var digits: [UInt8] = []
    var point: Int?
    while i < b.count, b[i] != UInt8(ascii: "e"), b[i] != UInt8(ascii: "E") {
      if b[i] == UInt8(ascii: "."), point == nil {
        point = digits.count
      } else if b[i] &- 48 < 10 {
        digits.append(b[i])
      } else {
        return false
      }
      i += 1
    }
    var exponent = 0
    if i < b.count {
      guard let e = Int(String(decoding: UnsafeBufferPointer(rebasing: b[(i + 1)...]), as: UTF8.self)),
        e.magnitude <= 1 << 20
      else { return false }
      exponent = e
    }
    let integerDigits = (point ?? digits.count) + exponent
    return digits.indices.allSatisfy { $0 < integerDigits || digits[$0] == UInt8(ascii: "0") }
  }
}
