#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Whether `fd` is a pipe, a terminal or another character device, or a socket (not a regular
/// file): what is read from it arrives as it is produced. False for a closed descriptor (-1).
func isLiveDescriptor(_ fd: Int32) -> Bool {
  guard fd >= 0 else { return false }
  var st = stat()
  return fstat(fd, &st) == 0 && isStream(st)
}

/// Whether a file's status is a pipe or FIFO, a character device or a socket.
private func isStream(_ st: stat) -> Bool {
  let kind = st.st_mode & S_IFMT
  return kind == S_IFIFO || kind == S_IFCHR || kind == S_IFSOCK
}

/// Whether `path` names a stream that can be read only once: standard input (`-`), a FIFO
/// (`<(command)` in a shell gives one), a character device or a socket. Such an input is
/// opened once and its first bytes, read to decide the format, are kept and read again first.
package func isStreamPath(_ path: String) -> Bool {
  guard path != "-" else { return true }
  var st = stat()
  return stat(path, &st) == 0 && isStream(st)
}

/// A descriptor that receives a copy of every byte read from a stream (standard input), so that
/// the stream can be read a second time from the copy while the first reading goes on as the
/// bytes arrive; -1 for none.
struct StreamCopy {
  let fd: Int32

  static let none = StreamCopy(fd: -1)

  /// Appends `n` bytes at `p` to the copy.
  func write(_ p: UnsafeRawPointer, _ n: Int) throws(LogError) {
    guard fd >= 0 else { return }
    var off = 0
    while off < n {
      let w = Glibc.write(fd, p + off, n - off)
      if w < 0 {
        if errno == EINTR { continue }
        throw LogError(
          line: 0, .io("cannot make a temporary copy of the input: \(String(cString: strerror(errno)))"))
      }
      off += w
    }
  }

  func write(_ bytes: [UInt8]) throws(LogError) {
    guard fd >= 0 else { return }
    var failure: LogError?
    bytes.withUnsafeBytes { b in
      guard let base = b.baseAddress else { return }
      do throws(LogError) { try write(base, b.count) } catch { failure = error }
    }
    if let failure { throw failure }
  }
}

/// Reads a file (or standard input, path `-`) in fixed-size chunks and hands out whole records,
/// so a log of any length is read in constant memory.
///
/// A record is a line without its `\n` or `\r\n`; in CSV mode (``csvQuotes``) a line break inside
/// a quoted field continues the record (RFC 4180). A UTF-8 byte-order mark before the first line
/// is dropped. A record longer than ``maxLineLength`` bytes is an error naming its line, found
/// after reading at most about twice that many bytes (so `/dev/zero` fails fast, in bounded
/// memory), and so is a NUL byte: a log is text.
struct LineReader: ~Copyable {
  /// The default limit on one line: 1 MiB.
  static let defaultMaxLineLength = 1 << 20

  private let fd: Int32
  private let ownsFD: Bool
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var eof = false
  private var atStart = true
  let maxLineLength: Int
  let csvQuotes: Bool
  /// 1-based number of the last line consumed (the last line of the last record).
  private(set) var lineNumber = 0
  /// Where every byte read from `fd` is copied (standard input read twice).
  private let copy: StreamCopy
  /// The offset in ``buffer`` of a quote found ahead of ``start`` by ``withBufferedLines(_:)``
  /// (-1 for none): the lines from there on are read one record at a time.
  private var knownQuote = -1

  init(
    path: String, maxLineLength: Int, csvQuotes: Bool, chunk: Int = 1 << 20, copy: StreamCopy = .none
  ) throws(LogError) {
    self.copy = copy
    if path == "-" {
      fd = 0
      ownsFD = false
    } else {
      fd = open(path, O_RDONLY)
      guard fd >= 0 else {
        throw LogError(line: 0, .io("cannot open '\(Echo.cut(path))': \(String(cString: strerror(errno)))"))
      }
      ownsFD = true
    }
    self.maxLineLength = max(1, maxLineLength)
    self.csvQuotes = csvQuotes
    buffer = [UInt8](repeating: 0, count: max(16, min(chunk, self.maxLineLength + 2)))
  }

  /// An open descriptor (standard input, a FIFO) whose first bytes, `prefix`, were already read
  /// to detect the log's format (``LogInput``): they are read first, then the descriptor, which
  /// is closed at the end when `owns`.
  init(
    fd: Int32, prefix: [UInt8], maxLineLength: Int, csvQuotes: Bool, chunk: Int = 1 << 20,
    copy: StreamCopy = .none, owns: Bool = false
  ) {
    self.copy = copy
    self.fd = fd
    ownsFD = owns
    self.maxLineLength = max(1, maxLineLength)
    self.csvQuotes = csvQuotes
    buffer = prefix + [UInt8](repeating: 0, count: max(16, min(chunk, self.maxLineLength + 2)))
    end = prefix.count
  }

  init(bytes: [UInt8], maxLineLength: Int, csvQuotes: Bool) {
    copy = .none
    fd = -1
    ownsFD = false
    buffer = bytes
    end = bytes.count
    eof = true
    self.maxLineLength = max(1, maxLineLength)
    self.csvQuotes = csvQuotes
  }

  deinit {
    if ownsFD { close(fd) }
  }

  /// Whether the input is a pipe, a terminal or another character device: records then arrive
  /// as they are produced, and a consumer should pass them on one by one.
  var isLive: Bool { isLiveDescriptor(fd) }

  /// Whether ``nextLine(_:)`` can return without reading: a whole record is buffered (in CSV
  /// mode a line break inside a quoted field does not end one), or the end was reached.
  var hasBufferedLine: Bool {
    if eof { return true }
    var from = start
    var quotes = CSVQuoteState()
    while let nl = find(0x0A, from: from) {
      guard csvQuotes else { return true }
      scanQuotes(&quotes, from, nl)
      if !quotes.continuesAtLineBreak { return true }
      from = nl + 1
    }
    return false
  }

  /// Calls `body` with the next record (without its final `\n` or `\r\n`) and the 1-based
  /// number of its first line, or returns nil at the end. `body` must not touch the reader (it
  /// is being mutated).
  mutating func nextLine<R>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws(LogError) -> R)
    throws(LogError) -> R?
  {
    if atStart { try dropByteOrderMark() }
    var scanFrom = start  // where the search for the record's end resumes
    var quotes = CSVQuoteState()
    var breaks = 0  // line breaks inside the record so far
    while true {
      if let nl = find(0x0A, from: scanFrom) {
        if csvQuotes
          && (quotes.state != .fieldStart || find(CSVQuoteState.quote, from: scanFrom, to: nl) != nil)
        {
          scanQuotes(&quotes, scanFrom, nl)
          if quotes.continuesAtLineBreak {
            breaks += 1
            scanFrom = nl + 1
            try checkLength(breaks)
            continue
          }
        }
        var lineEnd = nl
        if lineEnd > start && buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        return try deliver(start, lineEnd, next: nl + 1, breaks: breaks, body)
      }
      try checkLength(breaks)
      if eof {
        guard start < end else { return nil }
        var lineEnd = end
        if buffer[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
        return try deliver(start, lineEnd, next: end, breaks: breaks, body)
      }
      let offset = scanFrom - start
      try refill()
      scanFrom = start + offset
    }
  }

  /// Calls `body` with every whole line buffered now, from the next record through the last
  /// line break (the `\n` included), and the number of its first line, when none of them holds a
  /// quote in CSV mode (so that each line is one record); `body` returns how many of those bytes
  /// it consumed (whole lines, each ending after its `\n`) and how many lines they span. Returns
  /// nil, without calling `body`, when no such block is buffered: ``nextLine(_:)`` then reads the
  /// next record (refilling the buffer). No read happens here.
  mutating func withBufferedLines<R>(
    _ body: (UnsafeBufferPointer<UInt8>, Int) throws(LogError) -> (R, bytes: Int, lines: Int)
  ) throws(LogError) -> R? {
    guard !atStart, start < end else { return nil }
    // The last line break, searched backwards (a line is short; memrchr is not in every libc).
    var last = end - 1
    while last >= start && buffer[last] != 0x0A { last -= 1 }
    guard last >= start else { return nil }
    if csvQuotes {
      // Only the lines before the next quote: a quoted field may hold a line break.
      if knownQuote < start { knownQuote = find(CSVQuoteState.quote, from: start, to: last) ?? -1 }
      if knownQuote >= start {
        last = knownQuote - 1
        while last >= start && buffer[last] != 0x0A { last -= 1 }
        guard last >= start else { return nil }
      }
    }
    let first = lineNumber + 1
    let from = start
    let result: (R, bytes: Int, lines: Int)
    do {
      result = try buffer.withUnsafeBufferPointer { p in
        try body(UnsafeBufferPointer(rebasing: p[from...last]), first)
      }
    } catch let e as LogError {
      throw e
    } catch {
      fatalError("unreachable: \(error)")
    }
    precondition(result.bytes >= 0 && result.bytes <= last + 1 - from, "consumed bytes within the block")
    start += result.bytes
    lineNumber += result.lines
    return result.0
  }

  private mutating func checkLength(_ breaks: Int) throws(LogError) {
    // `\r\n` is not counted in the limit.
    if end - start > maxLineLength + 2 {
      throw LogError(
        line: lineNumber + 1,
        breaks > 0 ? .unclosedQuote(limit: maxLineLength) : .lineTooLong(limit: maxLineLength))
    }
  }

  private mutating func deliver<R>(
    _ s: Int, _ e: Int, next: Int, breaks: Int,
    _ body: (UnsafeBufferPointer<UInt8>, Int) throws(LogError) -> R
  ) throws(LogError) -> R {
    let first = lineNumber + 1
    lineNumber += 1 + breaks
    start = next
    if e - s > maxLineLength {
      throw LogError(
        line: first, breaks > 0 ? .unclosedQuote(limit: maxLineLength) : .lineTooLong(limit: maxLineLength))
    }
    if let nul = find(0, from: s, to: e) {
      let at = buffer.withUnsafeBufferPointer { p in
        position(of: nul - s, in: UnsafeBufferPointer(rebasing: p[s..<e]), firstLine: first)
      }
      throw LogError(line: at.line, .nulByte(column: at.column))
    }
    do {
      return try buffer.withUnsafeBufferPointer { p in
        try body(UnsafeBufferPointer(rebasing: p[s..<e]), first)
      }
    } catch let e as LogError {
      throw e
    } catch {
      fatalError("unreachable: \(error)")
    }
  }

  private func scanQuotes(_ q: inout CSVQuoteState, _ from: Int, _ to: Int) {
    buffer.withUnsafeBufferPointer { p in
      for i in from..<to where !q.step(p[i]) { return }
      q.lineBreak()
    }
  }

  private func find(_ byte: UInt8, from: Int, to: Int? = nil) -> Int? {
    let to = to ?? end
    return buffer.withUnsafeBufferPointer { p -> Int? in
      guard from < to, let base = p.baseAddress else { return nil }
      guard let hit = memchr(base + from, Int32(byte), to - from) else { return nil }
      return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
    }
  }

  /// Drops a UTF-8 byte-order mark (EF BB BF) at the very start of the input.
  private mutating func dropByteOrderMark() throws(LogError) {
    while end - start < 3 && !eof { try refill() }
    atStart = false
    if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB
      && buffer[start + 2] == 0xBF
    {
      start += 3
    }
  }

  private mutating func refill() throws(LogError) {
    // Move the unread tail to the front; grow when one record fills the buffer.
    if start > 0 {
      let n = end - start
      buffer.withUnsafeMutableBufferPointer { p in
        if n > 0 { memmove(p.baseAddress!, p.baseAddress! + start, n) }
      }
      knownQuote -= start
      start = 0
      end = n
    }
    if end == buffer.count {
      // Grow, but not past what the longest allowed record needs (the length check above fails
      // first): a long line costs about twice its length, not four times.
      let size = min(2 * buffer.count, maxLineLength + 3)
      buffer.append(contentsOf: repeatElement(0, count: max(size - buffer.count, 1)))
    }
    let want = buffer.count - end
    let got = buffer.withUnsafeMutableBufferPointer { p in read(fd, p.baseAddress! + end, want) }
    if got < 0 {
      if errno == EINTR { return }
      throw LogError(
        line: lineNumber + 1, .io("read failed: \(String(cString: strerror(errno)))"))
    }
    if got == 0 {
      eof = true
    } else {
      if copy.fd >= 0 { try copy.write(Array(buffer[end..<(end + got)])) }
      end += got
    }
  }
}
