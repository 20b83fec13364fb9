#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered byte sink on standard output or on a file that appears only when complete.
///
/// **Files.** ``init(path:capacity:)`` looks at what the path names:
/// - a regular file, or nothing yet: the bytes go to a temporary file beside it
///   (`PATH.tmp-XXXXXX`), renamed over the target by ``commit()``. The target keeps its
///   permission bits (a new file gets `0666` less the umask). A sink dropped without `commit()`
///   removes the temporary file, and so does a signal that ends the process while it is open
///   (``TemporaryFiles/fatalSignals``): a failed or
///   interrupted run never leaves a half-written output or a stray temporary file.
/// - a symbolic link: the same, at the path the link resolves to; the link itself stays.
/// - anything else (a device such as `/dev/null`, a FIFO, a socket): written directly, never
///   replaced by a plain file.
///
/// Standard output is flushed at record boundaries only, or after every record when
/// ``flushesEveryRecord`` is set. Every failed write throws (`/dev/full`, a closed pipe).
public final class OutputSink {
  private let fd: Int32
  private let finalPath: String?
  private let tempPath: String?
  /// Whether `fd` was opened by the sink (and is closed by it).
  private let ownsDescriptor: Bool
  /// The slot of `tempPath` in the signal-cleanup registry, or -1.
  private let cleanupSlot: Int
  /// The pending bytes: `storage[0 ..< count]`, grown on demand.
  @exclusivity(unchecked) @usableFromInline var storage: UnsafeMutablePointer<UInt8>
  @exclusivity(unchecked) @usableFromInline var count = 0
  @exclusivity(unchecked) @usableFromInline var allocated: Int
  private var committed = false
  private let capacity: Int
  /// Flush after every record (a live stream: a pipe or a terminal on the other end).
  public var flushesEveryRecord = false

  /// Standard output.
  public convenience init(capacity: Int = 1 << 20) {
    self.init(fileDescriptor: 1, capacity: capacity)
  }

  /// An already open file descriptor (not closed by the sink; no atomic rename).
  public init(fileDescriptor: Int32, capacity: Int = 1 << 20) {
    fd = fileDescriptor
    finalPath = nil
    tempPath = nil
    ownsDescriptor = false
    cleanupSlot = -1
    self.capacity = capacity
    allocated = capacity + 4096
    storage = .allocate(capacity: allocated)
  }

  /// A file: written atomically when it is (or will be) a regular file, directly otherwise.
  ///
  /// - Throws: ``LogError`` (`.io`) for an empty path, a directory, or a file that cannot be
  ///   created or opened, naming the path and the system's reason.
  public init(path: String, capacity: Int = 1 << 20) throws(LogError) {
    func failure(_ reason: String) -> LogError {
      LogError(line: 0, .io("cannot write '\(path)': \(reason)"))
    }
    guard !path.isEmpty else { throw failure("the path is empty") }
    var target = path
    var info = stat()
    if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
      // Follow the link: the file it names is replaced, the link stays a link.
      if let resolved = realpath(path, nil) {
        target = String(cString: resolved)
        free(resolved)
      } else {
        // A dangling link: the file it names is created (as the shell's `>` does), never the
        // link replaced by a plain file. Links to links are followed (at most 40, as the
        // kernel does).
        var hops = 0
        while lstat(target, &info) == 0 && (info.st_mode & S_IFMT) == S_IFLNK {
          hops += 1
          var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
          let n = readlink(target, &buffer, Int(PATH_MAX))
          guard hops <= 40, n > 0 else {
            throw failure(hops > 40 ? "too many levels of symbolic links" : String(cString: strerror(errno)))
          }
          let next = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
          target =
            next.hasPrefix("/")
            ? next : (target.contains("/") ? String(target[...target.lastIndex(of: "/")!]) : "") + next
        }
      }
    }
    let exists = stat(target, &info) == 0
    let kind = info.st_mode & S_IFMT
    if exists && kind == S_IFDIR { throw failure("it is a directory") }
    if exists && kind != S_IFREG {
      // A device, FIFO or socket: write it in place.
      let fd = open(target, O_WRONLY | O_TRUNC | O_CLOEXEC)
      guard fd >= 0 else { throw failure(String(cString: strerror(errno))) }
      self.fd = fd
      finalPath = nil
      tempPath = nil
      cleanupSlot = -1
    } else {
      var template = Array("\(target).tmp-XXXXXX".utf8CString)
      // Signals are held while the temporary file is created and registered, so that an
      // interrupt cannot come between the two and leave it behind.
      var all = sigset_t()
      var previous = sigset_t()
      sigfillset(&all)
      pthread_sigmask(SIG_BLOCK, &all, &previous)
      let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
      let error = errno
      let temp = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
      let slot = fd >= 0 ? TemporaryFiles.register(temp) : -1
      pthread_sigmask(SIG_SETMASK, &previous, nil)
      guard fd >= 0 else { throw failure(String(cString: strerror(error))) }
      fchmod(fd, exists ? info.st_mode & 0o7777 : 0o666 & ~TemporaryFiles.umaskValue)
      self.fd = fd
      finalPath = target
      tempPath = temp
      cleanupSlot = slot
    }
    ownsDescriptor = true
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
    guard ownsDescriptor, !closed else { return }
    closed = true
    close(fd)
    if !committed, let tempPath { unlink(tempPath) }
    TemporaryFiles.unregister(cleanupSlot)
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
    if count >= capacity || (flushesEveryRecord && count > 0) { try flush() }
  }

  /// The system's reason when a write failed (`No space left on device`), else nil: how a
  /// caller tells a failed write from bad input, both ``LogError``s.
  public private(set) var writeFailure: String?

  /// Whether the sink writes to standard output.
  public var isStandardOutput: Bool { fd == 1 && !ownsDescriptor }

  public func flush() throws(LogError) {
    var off = 0
    while off < count {
      let n = systemWrite(fd, storage + off, count - off)
      if n < 0 {
        if errno == EINTR { continue }
        let reason = String(cString: strerror(errno))
        writeFailure = reason
        throw LogError(line: 0, .io("write failed: \(reason)"))
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
        let reason = String(cString: strerror(errno))
        discard()
        throw LogError(line: 0, .io("cannot write '\(finalPath)': \(reason)"))
      }
    }
    committed = true
    discard()
  }
}

private func systemWrite(_ fd: Int32, _ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
  write(fd, p, n)
}

/// The temporary files of open sinks, removed by a handler of the signals that end the process
/// (``fatalSignals``: SIGINT, SIGTERM, SIGHUP from a closed terminal, SIGQUIT, SIGPIPE, SIGXCPU,
/// SIGXFSZ).
///
/// The handler may only call async-signal-safe functions, so the paths live in a fixed table of
/// C strings that it reads without locks: a slot is filled before its pointer is published and
/// cleared before the string is freed, and both happen with every signal blocked.
public enum TemporaryFiles {
  static let slots = 64
  nonisolated(unsafe) static let table: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> = {
    let t = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: slots)
    t.initialize(repeating: nil, count: slots)
    return t
  }()
  nonisolated(unsafe) static var installed = false
  nonisolated(unsafe) static var lock = pthread_mutex_t()
  nonisolated(unsafe) static var lockReady: Void = { pthread_mutex_init(&lock, nil) }()

  /// The process's umask (read once; setting it back at once leaves it unchanged).
  static let umaskValue: mode_t = {
    let m = umask(0o022)
    umask(m)
    return m
  }()

  /// Remembers `path` for the signal handler; -1 when the table is full (the file is then only
  /// removed by `discard()`). Called with signals blocked.
  /// The signals that end the process and are handled by removing the temporary files first:
  /// an interrupt (SIGINT, SIGQUIT), a request to stop (SIGTERM), a closed terminal (SIGHUP), a
  /// reader gone (SIGPIPE, when the output is a file and the process also writes to a pipe), and
  /// the resource limits on CPU time and file size (SIGXCPU, SIGXFSZ).
  public static let fatalSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGXCPU, SIGXFSZ]

  static func register(_ path: String) -> Int {
    _ = lockReady
    pthread_mutex_lock(&lock)
    defer { pthread_mutex_unlock(&lock) }
    if !installed {
      installed = true
      for sig in TemporaryFiles.fatalSignals {
        // A signal the process was started ignoring stays ignored (`nohup` ignores SIGHUP, a
        // shell's background job SIGINT): handling it would end a run that was meant to go on.
        var current = sigaction()
        sigaction(sig, nil, &current)
        #if canImport(Glibc)
          let handler = current.__sigaction_handler.sa_handler
        #else
          let handler = current.__sigaction_u.__sa_handler
        #endif
        if unsafeBitCast(handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) { continue }
        var action = sigaction()
        #if canImport(Glibc)
          action.__sigaction_handler.sa_handler = onSignal
        #else
          action.sa_handler = onSignal
        #endif
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(sig, &action, nil)
      }
    }
    for k in 0..<slots where table[k] == nil {
      table[k] = strdup(path)
      return k
    }
    return -1
  }

  static func unregister(_ slot: Int) {
    guard slot >= 0 else { return }
    var all = sigset_t()
    var previous = sigset_t()
    sigfillset(&all)
    pthread_sigmask(SIG_BLOCK, &all, &previous)
    pthread_mutex_lock(&lock)
    let p = table[slot]
    table[slot] = nil
    pthread_mutex_unlock(&lock)
    pthread_sigmask(SIG_SETMASK, &previous, nil)
    free(p)
  }
}

/// Removes every registered temporary file, then dies of the same signal (so the exit status
/// still says which one).
private func onSignal(_ sig: Int32) {
  for k in 0..<TemporaryFiles.slots {
    if let p = TemporaryFiles.table[k] { unlink(p) }
  }
  signal(sig, SIG_DFL)
  raise(sig)
}
