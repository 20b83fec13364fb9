import Testing
import UnifiedLoRASupport

@Suite struct PipelineTests {
  /// Every item arrives once, in order, whatever the capacity.
  @Test(arguments: [1, 2, 5])
  func itemsArriveInOrder(capacity: Int) {
    var got: [Int] = []
    Pipeline.run(
      capacity: capacity,
      produce: { send in
        for k in 0..<10_000 where !send(k) { return }
      },
      consume: { (k: Int) in
        got.append(k)
        return true
      })
    #expect(got == Array(0..<10_000))
  }

  /// The producer is never more than `capacity` items (plus the one it holds) ahead, and stops
  /// when the consumer does: `send` then returns false.
  @Test func producerIsBoundedAndStopsWithTheConsumer() {
    let sent = Protected(0)
    let refused = Protected(false)
    var seen = 0
    Pipeline.run(
      capacity: 2,
      produce: { send in
        for k in 0..<1_000_000 {
          sent.withLock { $0 = k + 1 }
          if !send(k) {
            refused.withLock { $0 = true }
            return
          }
        }
      },
      consume: { (k: Int) in
        #expect(sent.current <= k + 1 + 2 + 1, "at most the queue and one in hand ahead")
        seen += 1
        return k < 99
      })
    #expect(seen == 100)
    #expect(refused.current)
    #expect(sent.current <= 100 + 2 + 1)
  }
}
