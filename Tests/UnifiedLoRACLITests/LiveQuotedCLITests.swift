import Foundation
import Testing

/// `simulate` on a live CSV stream whose records may hold a quoted line break (RFC 4180): a
/// record is answered as soon as it is complete, neither held back behind an unfinished one nor
/// split at the line break inside its quotes.
@Suite struct LiveQuotedCLITests {
  @Test func quotedLineBreakIsOneRecordAndHoldsNothingBack() throws {
    let live = LiveStreamCLITests()
    let (p, stdin, output) = try live.start(["simulate", "--format", "csv"])
    stdin.write(Data("loss,note\n0.5,plain\n".utf8))
    #expect(output.wait(forLines: 2, seconds: 20), "no record while the input stays open")
    // One write: a complete record, then one whose quoted field is still open.
    stdin.write(Data("0.4,x\n0.3,\"two\n".utf8))
    #expect(output.wait(forLines: 3, seconds: 20), "the complete record is held behind the open one")
    #expect(!output.wait(forLines: 4, seconds: 1), "a record was answered before it was complete")
    stdin.write(Data("lines\"\n".utf8))
    #expect(output.wait(forLines: 4, seconds: 20), "the record did not come once complete")
    try stdin.close()
    p.waitUntilExit()
    output.waitForEnd()
    #expect(p.terminationStatus == 0)
    let lines = output.lines
    #expect(lines.count == 4, "\(lines)")
    #expect(lines.last?.hasPrefix("2,0.3,") == true, "\(lines)")
  }
}
