/// Splits one CSV line into fields (RFC 4180: fields in double quotes may hold commas, and `""`
/// inside quotes is one quote), without allocating per field.
///
/// After ``split(_:)``, field `k` is `starts[k] ..< ends[k]` of the line itself, or of
/// ``scratch`` (the unquoted copy) when the line had quotes. One splitter is reused for every line
/// of a log, so its buffers are allocated once.
struct CSVSplitter {
  private(set) var starts: [Int] = []
  private(set) var ends: [Int] = []
  /// The line with its quoting removed, when it had quotes.
  private(set) var scratch: [UInt8] = []

  var count: Int { starts.count }

  /// Splits `b`; returns true when the fields refer to ``scratch`` (the line had quotes).
  mutating func split(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
    starts.removeAll(keepingCapacity: true)
    ends.removeAll(keepingCapacity: true)
    let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ",")
    if !b.contains(quote) {
      var s = 0
      for i in 0..<b.count where b[i] == comma {
        starts.append(s)
        ends.append(i)
        s = i + 1
      }
      starts.append(s)
      ends.append(b.count)
      return false
    }
    scratch.removeAll(keepingCapacity: true)
    var i = 0
    var fieldStart = 0
    var inQuotes = false
    while i < b.count {
      let c = b[i]
      if inQuotes {
        if c == quote {
          if i + 1 < b.count && b[i + 1] == quote {
            scratch.append(quote)
            i += 1
          } else {
            inQuotes = false
          }
        } else {
          scratch.append(c)
        }
      } else if c == quote {
        inQuotes = true
      } else if c == comma {
        starts.append(fieldStart)
        ends.append(scratch.count)
        fieldStart = scratch.count
      } else {
        scratch.append(c)
      }
      i += 1
    }
    starts.append(fieldStart)
    ends.append(scratch.count)
    return true
  }

  /// The fields of `b` as strings, each trimmed of spaces and tabs (header lines, text cells).
  mutating func strings(_ b: UnsafeBufferPointer<UInt8>) -> [String] {
    let quoted = split(b)
    return (0..<count).map { k in
      let bytes = quoted ? Array(scratch[starts[k]..<ends[k]]) : Array(b[starts[k]..<ends[k]])
      return String(decoding: bytes, as: UTF8.self).trimmingSpaces
    }
  }
}
