/// Formatting of the numbers in a trace record straight into an output buffer.
///
/// Doubles are printed by `Double.description` (the shortest decimal that round-trips), whose
/// text is copied into the buffer; integers are written digit by digit with no `String`.
@usableFromInline
enum FastFormat {
  /// Writes `x.description` at `p`; returns the number of bytes (at most 32).
  @inline(__always)
  static func double(_ x: Double, at p: UnsafeMutablePointer<UInt8>) -> Int {
    var s = x.description
    return s.withUTF8 { u in
      p.update(from: u.baseAddress!, count: u.count)
      return u.count
    }
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
