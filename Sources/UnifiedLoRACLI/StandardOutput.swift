// C's `stdout` is a global that the C library locks itself; it is only passed to the C
// library here. (This file imports no Foundation, whose plain re-export of the C module would
// make the reference an error under strict concurrency.)
import Synchronization

#if canImport(Glibc)
  @preconcurrency import Glibc
#elseif canImport(Darwin)
  @preconcurrency import Darwin
#endif

/// Standard output as the C library buffers it (what `print` writes to).
///
/// Every command writes its output through ``write(_:)``: a write that fails (a full disk, a
/// closed pipe) sets the stream's error flag, and the system's reason is kept at that moment,
/// because `errno` is overwritten by what runs after and the final flush may succeed with
/// nothing left to write.
enum StandardOutput {
  /// The system's words for the first failed write, once one failed.
  private static let failure = Mutex<String?>(nil)

  /// Keeps the reason for `code` unless a failure was already kept.
  private static func keep(_ code: Int32) {
    let reason = String(cString: strerror(code))
    failure.withLock { if $0 == nil { $0 = reason } }
  }

  /// Flushes standard output and returns the reason when any write to it failed, else nil.
  static func finish() -> String? {
    let flushed = fflush(stdout) == 0
    if !flushed { keep(errno) }
    guard !flushed || ferror(stdout) != 0 else { return nil }
    // A failure not seen by `write` (a library's own `print`): its reason was not kept.
    return failure.withLock { $0 } ?? "a write failed"
  }

  /// Flushes and says whether any write so far failed (the reason is reported by ``finish()``).
  static var hasFailed: Bool {
    if fflush(stdout) != 0 { keep(errno) }
    return ferror(stdout) != 0
  }

  /// Writes `text` with `print`'s buffering (so that ``finish()`` sees a failure), keeping the
  /// reason of a write that failed.
  static func write(_ text: String) {
    print(text, terminator: "")
    if ferror(stdout) != 0 { keep(errno) }
  }
}
