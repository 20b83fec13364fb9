import ArgumentParser

// The values of flags that have a shape (i/n, lo:hi, a list): parsed once, where the argument
// parser reads them, and checked against the command's limits in its `validate()`.

/// `--shard i/n`: the i-th of n parts of a run. Any two integers parse; ``checked(example:maxCount:)``
/// applies the range 0 ≤ i < n.
struct ShardArgument: ExpressibleByArgument, Equatable, CustomStringConvertible {
  var index: Int
  var count: Int

  init(index: Int = 0, count: Int = 1) {
    self.index = index
    self.count = count
  }

  init?(argument: String) {
    let parts = argument.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else { return nil }
    self.init(index: i, count: n)
  }

  var description: String { "\(index)/\(count)" }
  var defaultValueDescription: String { description }

  /// The shard when 0 ≤ i < n (and n ≤ `maxCount`), else a `ValidationError` naming the value.
  func checked(example: String, maxCount: Int? = nil) throws -> (index: Int, count: Int) {
    guard count >= 1, index >= 0, index < count else {
      throw ValidationError("invalid value shard = \(self): expected i/n with 0 ≤ i < n, e.g. \(example)")
    }
    if let maxCount { try bounded(count, "shard (its n)", 1...maxCount) }
    return (index, count)
  }
}

/// `--loss-range`, `--env-range`: `lo:hi` with 0 ≤ lo ≤ hi, lo finite, hi possibly `inf`.
struct InputRange: ExpressibleByArgument, Equatable {
  var bounds: ClosedRange<Double>

  init(_ bounds: ClosedRange<Double>) { self.bounds = bounds }

  init?(argument: String) {
    let parts = argument.split(separator: ":", omittingEmptySubsequences: false).map {
      $0 == "inf" ? Double.infinity : Double($0)
    }
    guard parts.count == 2, let a = parts[0], let b = parts[1], a.isFinite, a >= 0, !b.isNaN, a <= b
    else { return nil }
    bounds = a...b
  }

  var defaultValueDescription: String {
    "\(num(bounds.lowerBound)):\(num(bounds.upperBound))"
  }
}

/// `--claims`: comma-separated ids, blanks ignored (the ids are checked by the command).
struct ClaimList: ExpressibleByArgument, Equatable {
  var ids: [String]

  init(_ ids: [String] = []) { self.ids = ids }

  init?(argument: String) {
    ids = argument.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter {
      !$0.isEmpty
    }
  }
}
