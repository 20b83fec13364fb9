#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Reads a file (or standard input, path `-`) in fixed-size chunks and hands out whole lines,
/// so a log of any length is read in constant memory.
struct LineReader: ~Copyable {
  private let fd: Int32
  private let ownsFD: Bool
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var eof = false
  /// 1-based number of the last line returned.
  private(set) var lineNumber = 0

  init(path: String, chunk: Int = 1 << 20) throws(LogError) {
    if path == "-" {
      fd = 0
      ownsFD = false
    } else {
      fd = open(path, O_RDONLY)
      guard fd >= 0 else {
        throw LogError(line: 0, .io("cannot open '\(path)': \(String(cString: strerror(errno)))"))
      }
      ownsFD = true
    }
    buffer = [UInt8](repeating: 0, count: chunk)
  }

  init(bytes: [UInt8]) {
    fd = -1
    ownsFD = false
    buffer = bytes
    end = bytes.count
    eof = true
  }

  deinit {
    if ownsFD { close(fd) }
  }

  /// Calls `body` with the next line (without its `\n` or `\r\n`) and its 1-based number, or
  /// returns nil at the end. `body` must not touch the reader (it is being mutated).
  mutating func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(LogError) -> R)
    throws(LogError) -> R?
  {
    while true {
      if let nl = findNewline() {
        var lineEnd = nl
        if lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let s = start
        start = nl + 1
        lineNumber += 1
        return try withSlice(s, lineEnd, body)
      }
      if eof {
        guard start < end else { return nil }
        var lineEnd = end
        if buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        let s = start
        start = end
        lineNumber += 1
        return try withSlice(s, lineEnd, body)
      }
      try refill()
    }
  }

  private func withSlice<R>(
    _ s: Int, _ e: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) throws(LogError) -> R
  ) throws(LogError) -> R {
    let line = lineNumber
    do {
      return try buffer.withUnsafeBufferPointer { p in
        try body(UnsafeBufferPointer(rebasing: p[s..<e]), line)
      }
    } catch let e as LogError {
      throw e
    } catch {
      fatalError("unreachable: \(error)")
    }
  }

  private func findNewline() -> Int? {
    buffer.withUnsafeBufferPointer { p -> Int? in
      guard start < end, let base = p.baseAddress else { return nil }
      guard let hit = memchr(base + start, 0x0A, end - start) else { return nil }
      return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
  }

  private mutating func refill() throws(LogError) {
    // Move the unread tail to the front; grow when one line fills the buffer.
    if start > 0 {
      let n = end - start
      buffer.withUnsafeMutableBufferPointer { p in
        if n > 0 { memmove(p.baseAddress!, p.baseAddress! + start, n) }
      }
      start = 0
      end = n
    }
    if end == buffer.count { buffer.append(contentsOf: repeatElement(0, count: buffer.count)) }
    let want = buffer.count - end
    let got = buffer.withUnsafeMutableBufferPointer { p in read(fd, p.baseAddress! + end, want) }
    if got < 0 {
      if errno == EINTR { return }
      throw LogError(
        line: lineNumber + 1, .io("read failed: \(String(cString: strerror(errno)))"))
    }
    if got == 0 { eof = true } else { end += got }
  }
}
