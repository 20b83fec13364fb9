import ArgumentParser
import UnifiedLoRA

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

/// `--lr`: the learning rates of Single, Multi and Mirror, three comma-separated numbers, each
/// finite and > 0 (checked while parsing). Keeps the text as typed, for printed command lines.
struct LearningRatesArgument: ExpressibleByArgument, Equatable {
  var rates: LearningRates
  var text: String

  init?(argument: String) {
    guard let parsed = try? Self(parsing: argument) else { return nil }
    self = parsed
  }

  /// The rates in `text`, or a `ValidationError` that names the value and says what is expected.
  init(parsing text: String) throws {
    // Empty parts are kept, so that `1,,2,3` and `1,2,3,` are errors, not read as 1,2,3.
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map {
      Double($0.trimmingCharacters(in: .whitespaces))
    }
    guard parts.count == 3, let a = parts[0], let b = parts[1], let c = parts[2] else {
      throw ValidationError(
        "invalid parameter lr = \(text): expected three numbers separated by commas, e.g. 2e-3,5e-4,1e-4")
    }
    rates = try wrap { () throws(ParameterError) in try LearningRates(single: a, multi: b, mirror: c) }
    self.text = text
  }

  var defaultValueDescription: String { text }
}
