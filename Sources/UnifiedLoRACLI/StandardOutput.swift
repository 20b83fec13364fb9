// C's `stdout` is a global that the C library locks itself; it is only passed to the C
// library here. (This file imports no Foundation, whose plain re-export of the C module would
// make the reference an error under strict concurrency.)
#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// Standard output as the C library buffers it (what `print` writes to).
enum StandardOutput {
  /// Flushes standard output and returns the reason when any write to it failed, else nil.
  static func finish() -> String? {
    let flushed = fflush(stdout) == 0
    let reason = String(cString: strerror(errno))
    if !flushed || ferror(stdout) != 0 { return flushed ? "a write failed" : reason }
    return nil
  }

  /// Flushes and says whether any write so far failed (the reason is reported by ``finish()``).
  static var hasFailed: Bool { fflush(stdout) != 0 || ferror(stdout) != 0 }

  /// Writes `text` with `print`'s buffering (so that ``finish()`` sees a failure).
  static func write(_ text: String) {
    print(text, terminator: "")
  }
}
