/// Allocation-free formatting of the numbers in a trace record.
///
/// Doubles go through the standard library's own shortest-round-trip routine — the one
/// `Double.description` calls — writing into a caller's buffer instead of a new `String`, so the
/// text is identical to `description` (a test checks this on millions of values).
@usableFromInline
enum FastFormat {
  /// The Swift runtime's formatter behind `Double.description` (`debug: false`) and
  /// `debugDescription` (`debug: true`). Writes at most `length` bytes, returns the count.
  @_silgen_name("swift_float64ToString")
  static func float64ToString(
    _ buffer: UnsafeMutablePointer<UInt8>, _ length: UInt, _ value: Double, _ debug: Bool
  ) -> UInt64

  /// Writes `x` as `x.description` does at `p`; returns the number of bytes (at most 32).
  @inline(__always)
  static func double(_ x: Double, at p: UnsafeMutablePointer<UInt8>) -> Int {
    Int(float64ToString(p, 32, x, false))
  }

  /// Writes the decimal digits of `n` at `p`; returns the number of bytes (at most 20).
  @inline(__always)
  static func int(_ n: Int, at p: UnsafeMutablePointer<UInt8>) -> Int {
    var v = n.magnitude
    var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
    return withUnsafeMutableBytes(of: &tmp) { raw -> Int in
      let t = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
      var k = 0
      repeat {
        t[k] = UInt8(48 + v % 10)
        v /= 10
        k += 1
      } while v != 0
      var w = 0
      if n < 0 {
        p[0] = UInt8(ascii: "-")
        w = 1
      }
      while k > 0 {
        k -= 1
        p[w] = t[k]
        w += 1
      }
      return w
    }
  }
}
