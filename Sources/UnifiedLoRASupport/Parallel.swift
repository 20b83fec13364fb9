import Dispatch
import Foundation

/// Ordered parallel loops for the engines (sweep, lanes, exhaustive, search, tune).
///
/// This target is the one place in the package with an `@unchecked Sendable` escape: the result
/// slots of ``Parallel/map(_:threads:chunk:_:)`` and the lock of ``Protected``. Everything else
/// shares state through these two.
package enum Parallel {
  /// The default worker count: every active core (at least one).
  package static var defaultThreads: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

  /// The default chunk length for `count` indices on `workers` threads: about eight chunks per
  /// worker (so that a slow chunk does not leave the others idle), at most 256 indices each.
  package static func defaultChunk(count: Int, workers: Int) -> Int {
    max(1, min(256, count / (max(1, workers) * 8)))
  }

  /// `range.map(body)`, computed on `threads` threads: the range is cut into consecutive chunks of
  /// `chunk` indices (default ``defaultChunk(count:workers:)``), each worker takes the next chunk
  /// not yet taken, and the results come back in index order, whatever the scheduling.
  ///
  /// `body` is called exactly once per index, from any thread; with `threads == 1` (or a single
  /// chunk) everything runs on the calling thread, in order.
  ///
  /// - Precondition: `threads >= 1` and `chunk >= 1` when given.
  /// - Complexity: O(range.count) calls of `body`, divided by `threads`.
  package static func map<T: Sendable>(
    _ range: Range<Int>, threads: Int = defaultThreads, chunk: Int? = nil, _ body: @Sendable (Int) -> T
  ) -> [T] {
    precondition(threads >= 1, "threads must be at least 1")
    let n = range.count
    guard n > 0 else { return [] }
    let size = chunk ?? defaultChunk(count: n, workers: threads)
    precondition(size >= 1, "chunk must be at least 1")
    let chunks = (n + size - 1) / size
    let workers = min(threads, chunks)
    if workers == 1 { return range.map(body) }
    var out = [T?](repeating: nil, count: n)
    out.withUnsafeMutableBufferPointer { buffer in
      let slots = Slots(base: buffer.baseAddress!)
      let next = Protected(0)
      DispatchQueue.concurrentPerform(iterations: workers) { _ in
        while true {
          let c = next.withLock { (k: inout Int) -> Int in
            defer { k += 1 }
            return k
          }
          guard c < chunks else { return }
          for i in (c * size)..<min(n, (c + 1) * size) {
            slots.base[i] = body(range.lowerBound + i)
          }
        }
      }
    }
    return out.map { $0! }
  }

  /// The result slots of one ``map(_:threads:chunk:_:)``. Sound because each chunk is taken by one
  /// worker only (under the lock of ``Protected``) and writes only its own disjoint index range, and
  /// the array outlives `concurrentPerform`, which returns only when every worker is done.
  private struct Slots<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T?>
  }
}

/// A value shared between threads, read and written only under its lock.
///
/// `@unchecked Sendable` because the compiler cannot see the lock: every access to `value` goes
/// through ``withLock(_:)``, so no two threads touch it at once.
package final class Protected<Value>: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Value

  package init(_ value: Value) { self.value = value }

  /// Runs `body` with exclusive access to the value.
  package func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body(&value)
  }

  /// A copy of the value, taken under the lock.
  package var current: Value { withLock { $0 } }
}
