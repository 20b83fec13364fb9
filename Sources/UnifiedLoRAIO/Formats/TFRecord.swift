/// The TFRecord framing of TensorBoard event files: each record is
///
/// ```
/// uint64 length (little-endian) | uint32 masked CRC32C of those 8 bytes | data[length] | uint32 masked CRC32C of data
/// ```
///
/// Both checksums are checked; a mismatch, a length above the limit or a file that ends inside a
/// record is an error naming the record (1-based) and its byte offset.
enum TFRecord {
  /// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as TFRecord uses it.
  static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? (c >> 1) ^ 0x82F6_3B78 : c >> 1 }
    return c
  }

  static func crc32c<C: Collection>(_ bytes: C) -> UInt32 where C.Element == UInt8 {
    var c: UInt32 = 0xFFFF_FFFF
    for b in bytes { c = table[Int((c ^ UInt32(b)) & 0xFF)] ^ (c >> 8) }
    return c ^ 0xFFFF_FFFF
  }

  /// TFRecord's masking: rotate right by 15 bits, add a constant.
  static func masked(_ crc: UInt32) -> UInt32 {
    ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
  }

  static func littleEndian<C: Collection>(_ bytes: C) -> UInt64 where C.Element == UInt8 {
    var v: UInt64 = 0
    for (k, b) in bytes.enumerated() { v |= UInt64(b) << (8 * UInt64(k)) }
    return v
  }

  /// Whether `head` (12 bytes) is a record header whose length checksum holds.
  static func looksLikeHeader(_ head: [UInt8]) -> Bool {
    guard head.count >= 12 else { return false }
    return masked(crc32c(head[0..<8])) == UInt32(truncatingIfNeeded: littleEndian(head[8..<12]))
  }

  /// One framed record (what a writer produces), for tests and fixtures.
  static func frame(_ data: [UInt8]) -> [UInt8] {
    func le(_ v: UInt64, _ n: Int) -> [UInt8] {
      (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
    }
    let length = le(UInt64(data.count), 8)
    return length + le(UInt64(masked(crc32c(length))), 4) + data + le(UInt64(masked(crc32c(data))), 4)
  }
}

/// Streams the records of a TFRecord file, in memory bounded by the longest record.
final class TFRecordReader {
  private let chunks: ByteChunks
  private var buffer: [UInt8] = []
  private var start = 0
  private var eof = false
  let maxRecordLength: Int
  /// The 1-based number of the last record read, and its byte offset.
  private(set) var record = 0
  private(set) var offset = 0
  private var consumed = 0

  init(chunks: ByteChunks, maxRecordLength: Int) {
    self.chunks = chunks
    self.maxRecordLength = maxRecordLength
  }

  var isLive: Bool { chunks.isLive }

  private func fill(_ n: Int) throws(LogError) -> Bool {
    while buffer.count - start < n && !eof {
      if start > 0 {
        buffer.removeFirst(start)
        start = 0
      }
      let c = try chunks.next()
      if c.isEmpty { eof = true } else { buffer += c }
    }
    return buffer.count - start >= n
  }

  private func fail(_ why: String) -> LogError {
    LogError(line: 0, .io("record \(record) (byte offset \(offset)): \(why)"))
  }

  /// The next record's data, or nil at the end of the file.
  func next() throws(LogError) -> [UInt8]? {
    record += 1
    offset = consumed
    guard try fill(12) else {
      if buffer.count - start == 0 { return nil }
      throw fail(
        "the file ends inside the record's 12-byte header (\(buffer.count - start) bytes): truncated")
    }
    let header = buffer[start..<(start + 12)]
    let lengthBytes = header.prefix(8)
    let length = TFRecord.littleEndian(lengthBytes)
    let lengthCRC = UInt32(truncatingIfNeeded: TFRecord.littleEndian(header.suffix(4)))
    guard TFRecord.masked(TFRecord.crc32c(lengthBytes)) == lengthCRC else {
      throw fail("the length's CRC32C does not match: not a TFRecord (TensorBoard event) file, or corrupt")
    }
    guard length <= UInt64(maxRecordLength) else {
      throw fail("length \(length) bytes exceeds the limit of \(maxRecordLength) bytes (--max-line-length)")
    }
    let n = Int(length)
    guard try fill(12 + n + 4) else {
      throw fail(
        "the file ends inside the record (\(buffer.count - start) of \(12 + n + 4) bytes): truncated")
    }
    let data = Array(buffer[(start + 12)..<(start + 12 + n)])
    let dataCRC = UInt32(
      truncatingIfNeeded: TFRecord.littleEndian(buffer[(start + 12 + n)..<(start + 16 + n)]))
    guard TFRecord.masked(TFRecord.crc32c(data)) == dataCRC else {
      throw fail("the data's CRC32C does not match: the record is corrupt")
    }
    start += 16 + n
    consumed += 16 + n
    return data
  }
}
