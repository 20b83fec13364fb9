#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// Which format a log is in, decided from its first bytes.
///
/// | First bytes                                                  | Format          |
/// |--------------------------------------------------------------|-----------------|
/// | a TFRecord header: 8-byte length and its masked CRC32C        | `tensorboard`   |
/// | a JSON document that is not one object per line, or whose first line has `log_history` | `trainerState` |
/// | a JSON object whose `metrics` value is an object              | `tinker`        |
/// | any other JSON object                                         | `jsonl`         |
/// | a CSV header with `_step`, or `Step` and `… - name` columns    | `wandb`         |
/// | a CSV header with `step` and `epoch`                           | `lightning`     |
/// | any other text                                                | `csv`           |
///
/// Only the first line (at most ``LogFormat/peekLimit`` bytes) is looked at, so a log of any
/// length, or a pipe, is detected without being read.
public enum LogFormat {
  /// The most bytes read to decide.
  public static let peekLimit = 1 << 16

  /// The format of a log whose first bytes are `head` (`complete` when `head` is the whole log).
  public static func detect(_ head: [UInt8]) -> LogSchema.Format {
    var h = head[...]
    if h.starts(with: [0xEF, 0xBB, 0xBF]) { h = h.dropFirst(3) }
    if TFRecord.looksLikeHeader(Array(head.prefix(12))) { return .tensorboard }
    while let f = h.first, f == 0x20 || f == 0x09 || f == 0x0A || f == 0x0D { h = h.dropFirst() }
    let firstLine = Array(h.prefix { $0 != 0x0A })
    if h.first == UInt8(ascii: "{") {
      let found: [JSONToken?]? = firstLine.withUnsafeBufferPointer { p in
        var scanner = JSONScanner(paths: ["log_history", "metrics"])
        return try? scanner.scan(p)
      }
      guard let found else {
        // Not one object on the first line: a JSON document over several lines (the Trainer
        // writes it indented), or a broken JSON Lines log, which the JSON Lines reader reports.
        let opened = NumberParsing.trimmed(firstLine) == [UInt8(ascii: "{")]
        return opened || contains(h, "\"log_history\"") ? .trainerState : .jsonl
      }
      if found[0] != nil { return .trainerState }
      if found[1] == .object { return .tinker }
      return .jsonl
    }
    let header: [String] = firstLine.withUnsafeBufferPointer { p in
      var splitter = CSVSplitter()
      return (try? splitter.strings(p)) ?? []
    }
    if header.contains("_step") { return .wandb }
    if header.first == "Step" && header.contains(where: { $0.contains(" - ") }) { return .wandb }
    if header.contains("step") && header.contains("epoch") { return .lightning }
    return .csv
  }
}

extension LogFormat {
  /// `data` framed as one TFRecord record with its checksums, as a TensorBoard writer frames an
  /// event (to build event files in tests and fuzzing).
  public static func framedTFRecord(_ data: [UInt8]) -> [UInt8] { TFRecord.frame(data) }
}

/// Whether `needle` occurs in `hay`.
func contains(_ hay: ArraySlice<UInt8>, _ needle: String) -> Bool {
  let n = Array(needle.utf8)
  guard n.count <= hay.count else { return false }
  var i = hay.startIndex
  while i + n.count <= hay.endIndex {
    if hay[i] == n[0] && hay[i..<(i + n.count)].elementsEqual(n) { return true }
    i += 1
  }
  return false
}

extension NumberParsing {
  /// `bytes` without leading and trailing spaces, tabs and carriage returns.
  static func trimmed(_ bytes: [UInt8]) -> [UInt8] {
    var s = bytes[...]
    while let f = s.first, f == 0x20 || f == 0x09 || f == 0x0D { s = s.dropFirst() }
    while let l = s.last, l == 0x20 || l == 0x09 || l == 0x0D { s = s.dropLast() }
    return Array(s)
  }
}

/// A log opened for reading with its format decided: a path (or `-` for standard input) or bytes
/// in memory. A stream (standard input, a FIFO such as a shell's `<(command)`; see
/// ``isStreamPath(_:)``) is opened once: the bytes read to decide the format are kept and read
/// again first (a FIFO opened a second time would have lost them).
final class LogInput {
  let path: String?
  let format: LogSchema.Format
  /// A stream's bytes already read (to decide the format), until the stream is handed out.
  private(set) var prefix: [UInt8]?
  private let bytes: [UInt8]?
  /// A stream's descriptor: 0 for standard input, else opened here; -1 for a file.
  private let streamFD: Int32
  /// Whether ``streamFD`` is still this object's to close (it is handed to the reader).
  private var ownsStream: Bool

  /// Where a stream's bytes are copied as they are read (``StreamCopy``).
  private let copy: StreamCopy

  /// Opens `path`; with `format == .auto`, decides it from the first bytes. With `copy`, every
  /// byte read from a stream (standard input `-`, a FIFO) is also written there.
  init(path: String, format: LogSchema.Format, copy: StreamCopy = .none) throws(LogError) {
    self.path = path
    let stream = isStreamPath(path)
    self.copy = stream ? copy : .none
    bytes = nil
    if path == "-" || !stream {
      streamFD = stream ? 0 : -1
      ownsStream = false
    } else {
      streamFD = open(path, O_RDONLY | O_CLOEXEC)
      guard streamFD >= 0 else {
        throw LogError(line: 0, .io("cannot open '\(Echo.cut(path))': \(String(cString: strerror(errno)))"))
      }
      ownsStream = true
    }
    guard format == .auto else {
      self.format = format
      if stream { prefix = [] }
      return
    }
    let head: [UInt8]
    if stream {
      head = try LogInput.peek(fd: streamFD)
      try self.copy.write(head)
      prefix = head
    } else {
      let fd = open(path, O_RDONLY)
      guard fd >= 0 else {
        throw LogError(line: 0, .io("cannot open '\(Echo.cut(path))': \(String(cString: strerror(errno)))"))
      }
      defer { close(fd) }
      head = try LogInput.peek(fd: fd)
    }
    self.format = LogFormat.detect(head)
  }

  init(bytes: [UInt8], format: LogSchema.Format) {
    copy = .none
    streamFD = -1
    ownsStream = false
    path = nil
    self.bytes = bytes
    self.format = format == .auto ? LogFormat.detect(Array(bytes.prefix(LogFormat.peekLimit))) : format
  }

  /// Reads until the first line is complete (and, when the bytes are binary, the 12 bytes of a
  /// TFRecord header are there), ``LogFormat/peekLimit`` bytes, or the end.
  private static func peek(fd: Int32) throws(LogError) -> [UInt8] {
    var head: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while head.count < LogFormat.peekLimit {
      // A text log is decided on its first line (a live pipe may send no more for a while); a
      // TFRecord header (binary: its length has zero bytes) needs its 12 bytes.
      if head.contains(0x0A) && (head.count >= 12 || !head.contains(0)) { break }
      let want = min(chunk.count, LogFormat.peekLimit - head.count)
      let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, want) }
      if got < 0 {
        if errno == EINTR { continue }
        throw LogError(line: 1, .io("read failed: \(String(cString: strerror(errno)))"))
      }
      if got == 0 { break }
      head += chunk[0..<got]
    }
    return head
  }

  deinit {
    if ownsStream { close(streamFD) }
  }

  /// The log as lines (CSV, JSON Lines and the formats built on them).
  func lines(maxLineLength: Int, csvQuotes: Bool) throws(LogError) -> LineReader {
    if let bytes { return LineReader(bytes: bytes, maxLineLength: maxLineLength, csvQuotes: csvQuotes) }
    if let prefix {
      self.prefix = nil
      defer { ownsStream = false }
      return LineReader(
        fd: streamFD, prefix: prefix, maxLineLength: maxLineLength, csvQuotes: csvQuotes, copy: copy,
        owns: ownsStream)
    }
    return try LineReader(path: path!, maxLineLength: maxLineLength, csvQuotes: csvQuotes, copy: copy)
  }

  /// The log as bytes in chunks (binary formats, whole documents).
  func chunks() throws(LogError) -> ByteChunks {
    if let bytes { return ByteChunks(bytes: bytes) }
    if let prefix {
      self.prefix = nil
      defer { ownsStream = false }
      return ByteChunks(fd: streamFD, owns: ownsStream, prefix: prefix, copy: copy)
    }
    if path == "-" { return ByteChunks(fd: 0, owns: false, prefix: [], copy: copy) }
    let fd = open(path!, O_RDONLY)
    guard fd >= 0 else {
      throw LogError(line: 0, .io("cannot open '\(Echo.cut(path!))': \(String(cString: strerror(errno)))"))
    }
    return ByteChunks(fd: fd, owns: true, prefix: [])
  }

  /// The source of an export format's rows.
  func exportSource(maxLineLength: Int) throws(LogError) -> any ExportSource {
    switch format {
    case .wandb, .lightning:
      return try CSVExportSource(lines: lines(maxLineLength: maxLineLength, csvQuotes: true), format: format)
    case .tinker:
      return JSONLinesExportSource(lines: try lines(maxLineLength: maxLineLength, csvQuotes: false))
    case .trainerState:
      return try TrainerStateSource(chunks: chunks())
    case .tensorboard:
      return TensorBoardSource(
        records: TFRecordReader(chunks: try chunks(), maxRecordLength: max(maxLineLength, 1 << 16)))
    case .csv, .jsonl, .auto:
      preconditionFailure("not an export format: \(format)")
    }
  }
}

/// Reads a descriptor (or bytes in memory) in chunks, after an optional prefix already read.
final class ByteChunks {
  private let fd: Int32
  private let owns: Bool
  private var pending: [UInt8]?
  /// Bytes handed out so far.
  private(set) var offset = 0

  private let copy: StreamCopy

  init(fd: Int32, owns: Bool, prefix: [UInt8], copy: StreamCopy = .none) {
    self.copy = copy
    self.fd = fd
    self.owns = owns
    pending = prefix.isEmpty ? nil : prefix
  }

  init(bytes: [UInt8]) {
    copy = .none
    fd = -1
    owns = false
    pending = bytes
  }

  deinit { if owns { close(fd) } }

  /// Whether the input is a pipe or terminal.
  var isLive: Bool { isLiveDescriptor(fd) }

  /// The next bytes (at most `limit`), or an empty array at the end.
  func next(limit: Int = 1 << 16) throws(LogError) -> [UInt8] {
    if var p = pending {
      if p.count > limit {
        let out = Array(p[0..<limit])
        p.removeFirst(limit)
        pending = p
        offset += out.count
        return out
      }
      pending = nil
      offset += p.count
      if !p.isEmpty { return p }
    }
    guard fd >= 0 else { return [] }
    var chunk = [UInt8](repeating: 0, count: limit)
    while true {
      let got = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, limit) }
      if got < 0 {
        if errno == EINTR { continue }
        throw LogError(line: 0, .io("byte \(offset): read failed: \(String(cString: strerror(errno)))"))
      }
      offset += got
      let out = Array(chunk[0..<got])
      try copy.write(out)
      return out
    }
  }
}
