import UnifiedLoRA

/// The shock windows of a run: half-open step ranges `[start, end)` during which every training
/// batch carries corrupted targets (SPEC §6's default schedule: `[200,300)` and `[500,600)` of 1000).
///
/// **Corruption.** In a shocked step every target symbol of the batch is replaced by a symbol drawn
/// uniformly from the 27 (letters and padding), from a generator seeded by `(seed, step)`, so every
/// arm of a seed sees the same corrupted batch. Validation and test data are never corrupted.
public struct ShockSchedule: Sendable, Hashable, Codable {
  public let windows: [Range<Int>]

  /// - Throws: ``DataError`` when a window is empty, negative, or overlaps or precedes the one
  ///   before it (windows must be given in increasing order).
  public init(_ windows: [Range<Int>]) throws(DataError) {
    var last = 0
    for w in windows {
      guard w.lowerBound >= 0, w.lowerBound < w.upperBound else {
        throw DataError("invalid shock window [\(w.lowerBound),\(w.upperBound)): expected 0 ≤ start < end")
      }
      guard w.lowerBound >= last else {
        throw DataError("shock window [\(w.lowerBound),\(w.upperBound)) overlaps or precedes the previous one: give windows in increasing order")
      }
      last = w.upperBound
    }
    self.windows = windows
  }

  /// The report's schedule: `[200,300)` and `[500,600)`.
  public static let report = ShockSchedule(unchecked: [200..<300, 500..<600])
  /// No shocks.
  public static let none = ShockSchedule(unchecked: [])

  init(unchecked windows: [Range<Int>]) { self.windows = windows }

  /// Parses `start:end,start:end` (or `none` / empty for no shocks).
  public static func parse(_ text: String) throws(DataError) -> ShockSchedule {
    if text.isEmpty || text == "none" { return .none }
    var windows: [Range<Int>] = []
    for part in text.split(separator: ",") {
      let ends = part.split(separator: ":").map { Int(String($0).filter { $0 != " " }) }
      guard ends.count == 2, let a = ends[0], let b = ends[1], a >= 0, a < b else {
        throw DataError("invalid shock window '\(part)': expected start:end with 0 ≤ start < end, e.g. 200:300")
      }
      windows.append(a..<b)
    }
    return try ShockSchedule(windows)
  }

  /// Whether training step `t` is shocked.
  public func contains(_ t: Int) -> Bool { windows.contains { $0.contains(t) } }

  /// The text form, `200:300,500:600` (or `none`).
  public var text: String {
    windows.isEmpty ? "none" : windows.map { "\($0.lowerBound):\($0.upperBound)" }.joined(separator: ",")
  }

  /// Overwrites `targets` (`count × 11` symbols) with the corruption of step `step` for `seed`.
  public static func corrupt(_ targets: inout [UInt8], seed: UInt64, step: Int) {
    var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(step) ^ 0xC0FF_EE00_0000_0000)
    for k in targets.indices { targets[k] = UInt8(rng.next() % UInt64(Encoding.alphabet)) }
  }
}

/// The sequence of training batches of one seed: epochs of a seeded permutation of the training
/// set, `batchSize` examples per step, the same for every arm of the seed.
public struct BatchStream: Sendable {
  let examples: Examples
  let batchSize: Int
  var rng: SeededGenerator
  var order: [Int] = []
  var cursor = 0

  public init(examples: Examples, batchSize: Int, seed: UInt64) {
    precondition(batchSize >= 1 && examples.count >= 1)
    self.examples = examples
    self.batchSize = batchSize
    rng = SeededGenerator(seed: seed ^ 0xBA7C_0000_0000_0003)
  }

  /// Writes the next batch's symbols into `inputs` (`batchSize × 8`) and `targets` (`× 11`).
  public mutating func next(inputs: inout [UInt8], targets: inout [UInt8]) {
    let li = Encoding.inputLength, lo = Encoding.outputLength
    for b in 0..<batchSize {
      if cursor == order.count {
        order = Array(0..<examples.count)
        for i in stride(from: order.count - 1, to: 0, by: -1) {
          order.swapAt(i, Int(rng.next() % UInt64(i + 1)))
        }
        cursor = 0
      }
      let k = order[cursor]
      cursor += 1
      for p in 0..<li { inputs[b * li + p] = examples.inputs[k * li + p] }
      for p in 0..<lo { targets[b * lo + p] = examples.targets[k * lo + p] }
    }
  }
}
