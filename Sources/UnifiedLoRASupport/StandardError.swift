#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Standard error, written unbuffered with `write(2)`.
///
/// A failed write (standard error on a full device or a closed pipe) is dropped: there is
/// nowhere left to report it, and the exit status already says what happened.
/// `FileHandle.write(_:)` would trap there instead (`2>/dev/full` crashed the process).
package enum StandardError {
  package static func write(_ text: String) {
    let bytes = Array(text.utf8)
    var offset = 0
    while offset < bytes.count {
      let n = bytes.withUnsafeBytes { buffer in
        #if canImport(Glibc)
          Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
        #else
          Darwin.write(2, buffer.baseAddress! + offset, buffer.count - offset)
        #endif
      }
      if n > 0 {
        offset += n
      } else if n < 0 && errno == EINTR {
        continue
      } else {
        return
      }
    }
  }
}
