#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered byte sink on standard output or on a file that appears only when complete.
///
/// Writing to a file goes to a temporary file beside it, renamed over the target by ``commit()``;
/// a sink that is dropped without `commit()` removes the temporary file, so a failed run never
/// leaves a half-written output. Standard output is flushed at record boundaries only.
public final class OutputSink {
  private let fd: Int32
  private let finalPath: String?
  private let tempPath: String?
  /// The pending bytes: `storage[0 ..< count]`, grown on demand.
  @exclusivity(unchecked) @usableFromInline var storage: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) @usableFromInline var count = 0
  @exclusivity(unchecked) @usableFromInline var allocated: Int
  private var committed = false
  private let capacity: Int

  /// Standard output.
  public init(capacity: Int = 1 << 20) {
    fd = 1
    finalPath = nil
    tempPath = nil
    self.capacity = capacity
    allocated = capacity + 4096
    storage = .allocate(capacity: allocated)
  }

  /// An already open file descriptor (not closed by the sink; no atomic rename).
  public init(fileDescriptor: Int32, capacity: Int = 1 << 20) {
    fd = fileDescriptor
    finalPath = nil
    tempPath = nil
    self.capacity = capacity
    allocated = capacity + 4096
    storage = .allocate(capacity: allocated)
  }

  /// A file written atomically.
  public init(path: String, capacity: Int = 1 << 20) throws(LogError) {
    var template = Array("\(path).tmp-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else {
      throw LogError(line: 0, .io("cannot write '\(path)': \(String(cString: strerror(errno)))"))
    }
    fchmod(fd, 0o644)
    self.fd = fd
    finalPath = path
    tempPath = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    self.capacity = capacity
    allocated = capacity + 4096
    storage = .allocate(capacity: allocated)
  }

  deinit {
    storage.deallocate()
    discard()
  }

  private var closed = false

  /// Abandons the output: a file sink removes its temporary file (the target is untouched).
  /// Idempotent; `commit()` after `discard()` is an error. Called on every failure path, and
  /// by `deinit` as a last resort.
  public func discard() {
    guard finalPath != nil, !closed else { return }
    closed = true
    close(fd)
    if !committed, let tempPath { unlink(tempPath) }
  }

  @inlinable
  public func write(_ s: String) {
    var s = s
    s.withUTF8 { write($0) }
  }

  public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    append(maxBytes: bytes.count) { p in
      if let base = bytes.baseAddress { p.update(from: base, count: bytes.count) }
      return bytes.count
    }
  }

  public func write(byte: UInt8) {
    append(maxBytes: 1) { p in
      p[0] = byte
      return 1
    }
  }

  /// Lets `body` write at most `maxBytes` bytes at the end of the buffer; `body` returns how many
  /// it wrote.
  @inlinable
  public func append(maxBytes: Int, _ body: (UnsafeMutablePointer<UInt8>) -> Int) {
    if count + maxBytes > allocated { grow(to: count + maxBytes) }
    let written = body(storage + count)
    assert(written <= maxBytes)
    count += written
  }

  @usableFromInline
  func grow(to needed: Int) {
    let bigger = max(needed, 2 * allocated)
    let fresh = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
    fresh.update(from: storage, count: count)
    storage.deallocate()
    storage = fresh
    allocated = bigger
  }

  /// The pending bytes (tests).
  var buffer: [UInt8] { Array(UnsafeBufferPointer(start: storage, count: count)) }

  /// Flushes when the buffer is full; call between records.
  public func recordBoundary() throws(LogError) {
    if count >= capacity { try flush() }
  }

  public func flush() throws(LogError) {
    var off = 0
    while off < count {
      let n = systemWrite(fd, storage + off, count - off)
      if n < 0 {
        if errno == EINTR { continue }
        throw LogError(line: 0, .io("write failed: \(String(cString: strerror(errno)))"))
      }
      off += n
    }
    count = 0
  }

  /// Flushes and, for a file, renames the temporary file over the target.
  public func commit() throws(LogError) {
    guard !closed else { throw LogError(line: 0, .io("the output was discarded")) }
    try flush()
    if let finalPath, let tempPath {
      guard fsync(fd) == 0, rename(tempPath, finalPath) == 0 else {
        throw LogError(line: 0, .io("cannot write '\(finalPath)': \(String(cString: strerror(errno)))"))
      }
    }
    committed = true
    discard()
  }
}

private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
  write(fd, p, n)
}
