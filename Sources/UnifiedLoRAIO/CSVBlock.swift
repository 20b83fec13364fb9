import UnifiedLoRASupport

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The records of a run of whole CSV lines without a quote character (so that each line is one
/// record), parsed apart from the ``LineReader``: what ``RunLogReader`` splits across the cores.
///
/// Each line gets exactly the checks ``LineReader/nextLine(_:)`` and ``CSVSplitter`` give it one
/// by one, in the same order (length, NUL byte, blank, number of fields), with the same errors;
/// line numbers are counted from `firstLine`, so a block parsed without knowing where it starts
/// (the second half) is numbered from 1 and shifted afterwards (``shifted(_:)``).
struct CSVBlock: Sendable {
  /// The cells of the records, `width` (the number of columns asked for) per record.
  var values: [Cell] = []
  /// The texts the cells refer to (``Cell/text(_:)``).
  var texts: [String] = []
  /// The line of each record.
  var lines: [Int] = []
  /// For each record, the offset just past its line break in the block.
  var ends: [Int] = []
  /// The lines the block spans when it was read to its end (records, blank lines).
  var lineCount = 0
  /// The error that stopped it, after its last record; nil when it stopped at its end or at the
  /// record limit.
  var error: LogError?

  /// Parses `b` (whole lines, the last ending in `\n`, no `"`) up to `limit` records.
  static func parse(
    _ b: UnsafeBufferPointer<UInt8>, firstLine: Int, width: Int, indices: [Int], maxLineLength: Int,
    limit: Int
  ) -> CSVBlock {
    var out = CSVBlock()
    // About the records of a log of seven full-precision columns (over 100 bytes a line); more
    // records grow the arrays, fewer waste little.
    let guess = min(limit, b.count / 64 + 16)
    out.lines.reserveCapacity(guess)
    out.ends.reserveCapacity(guess)
    out.values.reserveCapacity(guess * indices.count)
    guard let base = b.baseAddress else { return out }
    let hasNUL = memchr(base, 0, b.count) != nil
    var splitter = CSVSplitter()
    var s = 0
    var line = firstLine
    while s < b.count && out.lines.count < limit {
      guard let hit = memchr(base + s, 0x0A, b.count - s) else { break }
      let nl = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
      var e = nl
      if e > s && b[e - 1] == UInt8(ascii: "\r") { e -= 1 }
      let record = UnsafeBufferPointer(rebasing: b[s..<e])
      if e - s > maxLineLength {
        out.error = LogError(line: line, .lineTooLong(limit: maxLineLength))
        return out
      }
      if hasNUL, let nul = memchr(base + s, 0, e - s) {
        let at = position(
          of: base.distance(to: nul.assumingMemoryBound(to: UInt8.self)) - s, in: record, firstLine: line)
        out.error = LogError(line: at.line, .nulByte(column: at.column))
        return out
      }
      if !NumberParsing.trim(record).isEmpty {
        do {
          try splitter.cells(
            record, width: width, line: line, indices: indices, into: &out.values, texts: &out.texts,
            unquoted: true)
        } catch {
          out.error = error
          return out
        }
        out.lines.append(line)
        out.ends.append(nl + 1)
      }
      s = nl + 1
      line += 1
    }
    out.lineCount = line - firstLine
    return out
  }

  /// The block's lines and error moved `by` lines on (a block numbered from 1 that starts at line
  /// `by + 1`).
  func shifted(_ by: Int) -> CSVBlock {
    guard by != 0 else { return self }
    var out = self
    for k in out.lines.indices { out.lines[k] += by }
    out.error = error.map { $0.line > 0 ? LogError(line: $0.line + by, $0.kind) : $0 }
    return out
  }
}

extension RunLogReader {
  /// The smallest run of buffered lines worth cutting in two for the second core.
  static let parallelBlockBytes = 1 << 16
}
