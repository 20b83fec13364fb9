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
  private var buffer: [UInt8] = []
  private var committed = false
  private let capacity: Int

  /// Standard output.
  public init(capacity: Int = 1 << 20) {
    fd = 1
    finalPath = nil
    tempPath = nil
    self.capacity = capacity
    buffer.reserveCapacity(capacity + 4096)
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
    buffer.reserveCapacity(capacity + 4096)
  }

  deinit {
    if finalPath != nil {
      close(fd)
      if !committed, let tempPath { unlink(tempPath) }
    }
  }

  @inlinable
  public func write(_ s: String) {
    var s = s
    s.withUTF8 { write($0) }
  }

  public func write(_ bytes: UnsafeBufferPointer<UInt8>) {
    buffer.append(contentsOf: bytes)
  }

  public func write(byte: UInt8) { buffer.append(byte) }

  /// Flushes when the buffer is full; call between records.
  public func recordBoundary() throws(LogError) {
    if buffer.count >= capacity { try flush() }
  }

  public func flush() throws(LogError) {
    var off = 0
    while off < buffer.count {
      let n = buffer.withUnsafeBufferPointer { p in
        systemWrite(fd, p.baseAddress! + off, p.count - off)
      }
      if n < 0 {
        if errno == EINTR { continue }
        throw LogError(line: 0, .io("write failed: \(String(cString: strerror(errno)))"))
      }
      off += n
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes and, for a file, renames the temporary file over the target.
  public func commit() throws(LogError) {
    try flush()
    if let finalPath, let tempPath {
      guard fsync(fd) == 0, rename(tempPath, finalPath) == 0 else {
        throw LogError(line: 0, .io("cannot write '\(finalPath)': \(String(cString: strerror(errno)))"))
      }
    }
    committed = true
  }
}

private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
  write(fd, p, n)
}
