import Dispatch
import Foundation

/// Two stages on two threads: a producer one step ahead of a consumer, with a bounded number of
/// items between them, so that memory stays constant whatever the length of the stream.
package enum Pipeline {
  /// Runs `produce` on a new thread and hands what it sends, in order, to `consume` on the calling
  /// thread, with at most `capacity` items waiting in between (the producer blocks when they are
  /// that many). `send` returns false once the consumer has stopped: the producer should then
  /// return. `consume` returns false to stop. Returns when both have finished, so nothing the
  /// producer touches outlives the call.
  ///
  /// - Precondition: `capacity >= 1`.
  package static func run<T: Sendable>(
    capacity: Int, produce: @escaping @Sendable (_ send: (T) -> Bool) -> Void, consume: (T) -> Bool
  ) {
    precondition(capacity >= 1, "capacity must be at least 1")
    let channel = BoundedChannel<T>(capacity: capacity)
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
      produce { channel.send($0) }
      channel.finish()
      done.signal()
    }
    thread.stackSize = 8 << 20
    thread.start()
    while let item = channel.receive() {
      if !consume(item) { break }
    }
    channel.close()
    done.wait()
  }
}

/// A first-in first-out queue of at most `capacity` items between one producing and one consuming
/// thread.
///
/// `@unchecked Sendable` because the compiler cannot see the lock: every access to the stored
/// state is under `condition`.
package final class BoundedChannel<T: Sendable>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [T] = []
  private let capacity: Int
  /// The consumer stopped: sends fail and what was waiting is dropped.
  private var closed = false
  /// The producer is done: receives return nil once the queue is empty.
  private var finished = false

  package init(capacity: Int) {
    precondition(capacity >= 1, "capacity must be at least 1")
    self.capacity = capacity
  }

  /// Appends `item`, waiting while the queue is full; false (dropping it) once closed.
  package func send(_ item: T) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= capacity && !closed { condition.wait() }
    guard !closed else { return false }
    items.append(item)
    condition.broadcast()
    return true
  }

  /// The oldest item, waiting while the queue is empty; nil once it is empty and finished.
  package func receive() -> T? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !finished && !closed { condition.wait() }
    guard !items.isEmpty else { return nil }
    // At most `capacity` items: removing the first moves a handful.
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }

  /// The producer will send nothing more.
  package func finish() {
    condition.lock()
    finished = true
    condition.broadcast()
    condition.unlock()
  }

  /// The consumer takes nothing more: pending and later sends are dropped.
  package func close() {
    condition.lock()
    closed = true
    items.removeAll()
    condition.broadcast()
    condition.unlock()
  }
}
