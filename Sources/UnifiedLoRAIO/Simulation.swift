import Foundation
import UnifiedLoRA

/// Streams a loss log through the equations into a trace: read a batch, step it, format it.
///
/// Two stages run on two threads: the calling thread parses and steps batches of inputs, a
/// second thread formats and writes the records of the previous batch. At most `depth` batches
/// are in flight, so memory is constant in the length of the log.
public enum Simulation {
  /// Summary of a finished run.
  public struct Summary: Sendable, Hashable {
    public var records: Int
    public var finalState: ControllerState
  }

  /// Replays every input of `reader` and writes one record per input to `sink`.
  ///
  /// - Parameter lineBuffered: pass each record on as soon as it is computed: the reader
  ///   returns what it has rather than wait for more input, and the sink is flushed after every
  ///   batch. For a live input (a pipe beside a training loop, a terminal): nothing waits in a
  ///   buffer, and nothing written is lost if the process is killed.
  /// - Parameter transform: applied to each input as it is read, before the step (a loss scale,
  ///   a measured env); called on the calling thread, in order.
  /// - Throws: ``LogError`` for a malformed log, ``InputError`` for an invalid record under the
  ///   policy. Records before the error may have been written to `sink` but it is not committed:
  ///   a file sink is then discarded, so no half-written file remains.
  public static func run(
    reader: LossLogReader, parameters: Parameters, policy: InputPolicy = .reject,
    writer: TraceWriter, sink: OutputSink, batchSize: Int = 16_384, lineBuffered: Bool = false,
    transform: ((Input) -> Input)? = nil
  ) throws -> Summary {
    let queue = BoundedQueue<[Record]>(depth: 2)
    let formatter = FormatterThread(queue: queue, writer: writer, sink: sink, flushEachBatch: lineBuffered)
    formatter.start()
    var state = parameters.initial
    var count = 0
    do {
      var batch: [Input] = []
      batch.reserveCapacity(batchSize)
      while try reader.read(into: &batch, limit: batchSize, untilBlocked: lineBuffered) > 0 {
        var records: [Record] = []
        records.reserveCapacity(batch.count)
        for raw in batch {
          let input = transform?(raw) ?? raw
          if let next = try parameters.step(state, input, policy: policy) { state = next }
          records.append(Record(input, state, parameters.learningRates))
        }
        count += batch.count
        if !queue.put(records) { break }  // the formatter failed: its error is rethrown below
      }
    } catch {
      queue.close()
      formatter.join()
      sink.discard()
      throw error
    }
    queue.close()
    formatter.join()
    if let error = formatter.error {
      sink.discard()
      throw error
    }
    do { try sink.commit() } catch {
      sink.discard()
      throw error
    }
    return Summary(records: count, finalState: state)
  }
}

/// A blocking FIFO of bounded depth between two threads.
final class BoundedQueue<T>: @unchecked Sendable {
  private let condition = NSCondition()
  private var items: [T] = []
  private var closed = false
  private var failed = false
  private let depth: Int

  init(depth: Int) { self.depth = depth }

  /// Blocks while full; false when the consumer has failed.
  func put(_ item: T) -> Bool {
    condition.lock()
    defer { condition.unlock() }
    while items.count >= depth && !failed { condition.wait() }
    if failed { return false }
    items.append(item)
    condition.broadcast()
    return true
  }

  /// Blocks while empty; nil once closed and drained (or after `fail()`).
  func take() -> T? {
    condition.lock()
    defer { condition.unlock() }
    while items.isEmpty && !closed && !failed { condition.wait() }
    if failed || items.isEmpty { return nil }
    let item = items.removeFirst()
    condition.broadcast()
    return item
  }

  func close() {
    condition.lock()
    closed = true
    condition.broadcast()
    condition.unlock()
  }

  func fail() {
    condition.lock()
    failed = true
    items.removeAll()
    condition.broadcast()
    condition.unlock()
  }
}

/// The second stage: formats records and writes them to the sink.
final class FormatterThread: @unchecked Sendable {
  private let queue: BoundedQueue<[Record]>
  private let writer: TraceWriter
  private let sink: OutputSink
  private let flushEachBatch: Bool
  private let done = DispatchSemaphore(value: 0)
  private(set) var error: (any Error)?

  init(queue: BoundedQueue<[Record]>, writer: TraceWriter, sink: OutputSink, flushEachBatch: Bool) {
    self.queue = queue
    self.writer = writer
    self.sink = sink
    self.flushEachBatch = flushEachBatch
  }

  func start() {
    let thread = Thread { [self] in
      defer { done.signal() }
      writer.header(into: sink)
      while let records = queue.take() {
        for r in records { writer.write(r, into: sink) }
        do {
          if flushEachBatch { try sink.flush() } else { try sink.recordBoundary() }
        } catch {
          self.error = error
          queue.fail()
          return
        }
      }
    }
    thread.stackSize = 1 << 20
    thread.start()
  }

  func join() { done.wait() }
}
