import Testing
import UnifiedLoRASupport

@Suite struct ParallelTests {
  /// The map is `range.map` whatever the thread count and chunk length, empty ranges included.
  @Test(arguments: [1, 2, 3, 8], [nil, 1, 5, 1000])
  func mapKeepsIndexOrder(threads: Int, chunk: Int?) {
    for range in [0..<0, 0..<1, 3..<50, -7..<1000] {
      let got = Parallel.map(range, threads: threads, chunk: chunk) { $0 * $0 - 3 }
      #expect(
        got == range.map { $0 * $0 - 3 },
        "range \(range), threads \(threads), chunk \(String(describing: chunk))")
    }
  }

  /// Every index is evaluated exactly once.
  @Test func mapCallsEachIndexOnce() {
    let calls = Protected([Int: Int]())
    _ = Parallel.map(0..<2000, threads: 4, chunk: 7) { i in calls.withLock { $0[i, default: 0] += 1 } }
    let seen = calls.current
    #expect(seen.count == 2000)
    #expect(seen.values.allSatisfy { $0 == 1 })
  }

  @Test func defaultChunkIsBounded() {
    #expect(Parallel.defaultChunk(count: 0, workers: 2) == 1)
    #expect(Parallel.defaultChunk(count: 160, workers: 2) == 10)
    #expect(Parallel.defaultChunk(count: 1_000_000, workers: 2) == 256)
  }

  @Test func counterAddsFromManyThreads() {
    let counter = ProgressCounter(total: 1000)
    _ = Parallel.map(0..<1000, threads: 4, chunk: 3) { i in counter.add(1, finished: i % 10 == 0 ? 1 : 0) }
    let s = counter.snapshot
    #expect(s.done == 1000 && s.finished == 100 && s.total == 1000)
    #expect(s.fraction == 1)
  }
}

@Suite struct ProgressReporterTests {
  func capture(_ style: ProgressReporter.Style) -> (ProgressReporter, Protected<String>) {
    let text = Protected("")
    return (ProgressReporter(style: style) { s in text.withLock { $0 += s } }, text)
  }

  @Test func silentWritesNothing() {
    let (r, text) = capture(.silent)
    r.update("a", fraction: 0.5)
    r.announce("b")
    r.clear()
    #expect(text.current == "")
  }

  @Test func inPlaceRewritesTheLine() {
    let (r, text) = capture(.inPlace)
    r.update("a")
    r.update("b", fraction: 0.01)
    r.announce("line")
    r.clear()
    #expect(text.current == "\r\u{1B}[2Ka\r\u{1B}[2Kb\r\u{1B}[2Kline\n\r\u{1B}[2K")
  }

  /// Whole lines once per tenth of the work; a status without a fraction always; clear is a no-op.
  @Test func linesArePacedByTenths() {
    let (r, text) = capture(.lines(prefix: "progress: "))
    for i in 0...100 { r.update("\(i)%", fraction: Double(i) / 100) }
    r.update("phase")
    r.clear()
    let expected = (0...10).map { "progress: \($0 * 10)%\n" }.joined() + "progress: phase\n"
    #expect(text.current == expected)
  }

  @Test func remainingTimeIsZeroBeforeAnyWork() {
    let r = ProgressReporter(style: .silent)
    #expect(r.remaining(fraction: 0) == 0)
    #expect(r.elapsed >= 0)
  }
}
