import UnifiedLoRA

/// The shock windows of a run: half-open step ranges `[start, end)` during which the training
/// batches are shocked (``Shock``; SPEC §6's default schedule: `[200,300)` and `[500,600)`).
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
        throw DataError(
          "shock window [\(w.lowerBound),\(w.upperBound)) overlaps or precedes the previous one: give windows in increasing order"
        )
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
        throw DataError(
          "invalid shock window '\(part)': expected start:end with 0 ≤ start < end, e.g. 200:300")
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

}

/// What a shocked step does to its batch.
///
/// - `conflict`: the targets of the chosen examples are replaced by a fixed alternative
///   transformation of the same words, ``WordTask/reverseAy`` (`string → gnirtsay`), under the same
///   marker: learnable, and in conflict with Pig Latin — the model can memorise it during the shock
///   and must unlearn it afterwards, as with the report's corrupted examples.
/// - `noise`: label noise, each target symbol of the chosen examples drawn uniformly from the 27
///   letters and padding.
///
/// `fraction` of each shocked batch is affected (the examples are chosen by a generator seeded by
/// `(seed, step)`, so every arm of a seed sees the same shocked batch). Validation and test data
/// are never shocked.
public struct Shock: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable { case conflict, noise }
  public var kind: Kind
  public var fraction: Double

  public init(kind: Kind = .conflict, fraction: Double = 1) {
    precondition(fraction >= 0 && fraction <= 1)
    self.kind = kind
    self.fraction = fraction
  }

  /// Applies the shock of step `step` to `batch`, whose `indices` refer to the words whose
  /// conflicting targets are in `conflicting` (``WordTask/reverseAy`` of the training words).
  public func apply(to batch: inout BatchBuffers, conflicting: Examples, seed: UInt64, step: Int) {
    var rng = SeededGenerator(seed: seed &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(step) ^ 0xC0FF_EE00_0000_0000)
    let n = batch.count
    let chosen = Int((fraction * Double(n)).rounded())
    var order = Array(0..<n)
    for j in stride(from: n - 1, to: 0, by: -1) { order.swapAt(j, Int(rng.next() % UInt64(j + 1))) }
    let lo = Encoding.outputLength
    for i in order.prefix(chosen) {
      switch kind {
      case .conflict:
        let k = batch.indices[i]
        for p in 0..<lo { batch.targets[i * lo + p] = conflicting.targets[k * lo + p] }
      case .noise:
        for p in 0..<lo { batch.targets[i * lo + p] = UInt8(rng.next() % 27) }
      }
    }
  }
}

/// One batch's symbols.
public struct BatchBuffers: Sendable {
  public var inputs: [UInt8]
  public var markers: [UInt8]
  public var targets: [UInt8]
  /// The index of each example in its set (for the shocks that replace targets by example).
  public var indices: [Int]
  public let count: Int

  public init(_ count: Int) {
    self.count = count
    inputs = [UInt8](repeating: 0, count: count * Encoding.inputLength)
    markers = [UInt8](repeating: 0, count: count)
    targets = [UInt8](repeating: 0, count: count * Encoding.outputLength)
    indices = [Int](repeating: 0, count: count)
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

  /// Writes the next batch into `b` (whose count must be `batchSize`).
  public mutating func next(_ b: inout BatchBuffers) {
    precondition(b.count == batchSize)
    let li = Encoding.inputLength
    let lo = Encoding.outputLength
    for i in 0..<batchSize {
      if cursor == order.count {
        order = Array(0..<examples.count)
        for j in stride(from: order.count - 1, to: 0, by: -1) {
          order.swapAt(j, Int(rng.next() % UInt64(j + 1)))
        }
        cursor = 0
      }
      let k = order[cursor]
      cursor += 1
      b.indices[i] = k
      b.markers[i] = examples.markers[k]
      for p in 0..<li { b.inputs[i * li + p] = examples.inputs[k * li + p] }
      for p in 0..<lo { b.targets[i * lo + p] = examples.targets[k * lo + p] }
    }
  }
}
