import UnifiedLoRA

/// What one run measured, in the report's terms.
public struct RunMetrics: Sendable, Hashable, Codable {
  /// The report's table steps (Tables 5.2 and 5.3).
  public static let tableSteps = [200, 225, 250, 275, 300, 350]

  /// The training loss (of the batch), mode after the step and rate used at each table step.
  public var trainLossAt: [Int: Double]
  public var modeAt: [Int: Mode]
  public var lrAt: [Int: Double]
  public var shocks: [ShockMetrics]
  public var finalValidationLoss: Double
  public var testExactMatch: Double
  public var testLoss: Double
  /// The controller's mode switches (counted from its configured initial mode) and steps per mode.
  public var switches: Int
  public var stepsInMode: [Int]
  public var reachedMirror: Bool

  public struct ShockMetrics: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    /// The last clean validation loss measured before the shock (`nil` if none).
    public var preShock: Double?
    /// The peak batch loss in the first 5 shocked steps (the report's spike) and the mean batch
    /// loss over the last 10 shocked steps (how far the shocked data was learned).
    public var spike: Double?
    public var lateShockLoss: Double?
    /// Overshoot: the peak clean validation loss from the shock's end until the next shock or the
    /// end of the run.
    public var overshoot: Double?
    /// Steps after `end` until the clean validation loss is first at or below the common
    /// reference level; `nil` if it never is before the next shock or the end (censored).
    public var recoverySteps: Int?
    /// The length of the stretch in which recovery is looked for (the censoring value).
    public var stretch: Int
    /// Whether the controller was in Mirror at some step of `[start, end + stretch)`.
    public var mirror: Bool
  }

  /// - Parameters:
  ///   - initialMode: the controller's configured initial mode (the mode before step 0).
  ///   - reference: the common recovery level of the seed (the same for every arm).
  public init(_ r: RunResult, shocks: ShockSchedule, initialMode: Mode, reference: Double) {
    var train: [Int: Double] = [:]
    var modes: [Int: Mode] = [:]
    var lrs: [Int: Double] = [:]
    for t in RunMetrics.tableSteps where t < r.records.count {
      train[t] = r.records[t].loss
      modes[t] = r.records[t].mode
      lrs[t] = r.records[t].lr
    }
    trainLossAt = train
    modeAt = modes
    lrAt = lrs
    var out: [ShockMetrics] = []
    let steps = r.records.count
    for (i, w) in shocks.windows.enumerated() {
      let nextStart = min(i + 1 < shocks.windows.count ? shocks.windows[i + 1].lowerBound : steps, steps)
      guard w.upperBound <= steps else {
        out.append(
          .init(
            start: w.lowerBound, end: w.upperBound, preShock: nil, spike: nil, lateShockLoss: nil,
            overshoot: nil,
            recoverySteps: nil, stretch: 0, mirror: false))
        continue
      }
      let pre = r.validation.last { $0.step < w.lowerBound }?.loss
      let shocked = r.records[w]
      let spike = shocked.prefix(5).map(\.loss).max()
      let late = shocked.suffix(10).map(\.loss)
      let afterEvals = r.validation.filter { $0.step >= w.upperBound && $0.step < nextStart }
      let recovery = afterEvals.first { $0.loss <= reference }.map { $0.step - w.upperBound }
      out.append(
        .init(
          start: w.lowerBound, end: w.upperBound, preShock: pre, spike: spike,
          lateShockLoss: late.isEmpty ? nil : late.reduce(0, +) / Double(late.count),
          overshoot: afterEvals.map(\.loss).max(), recoverySteps: recovery, stretch: nextStart - w.upperBound,
          mirror: r.records[w.lowerBound..<nextStart].contains { $0.mode == .mirror }))
    }
    self.shocks = out
    finalValidationLoss = r.validation.last?.loss ?? r.initialValidationLoss
    testExactMatch = r.testExactMatch
    testLoss = r.testLoss
    var inMode = [0, 0, 0]
    for rec in r.records { inMode[rec.mode.rawValue] += 1 }
    switches = RunMetrics.switchCount(r.records.map(\.mode), initial: initialMode)
    stepsInMode = inMode
    reachedMirror = inMode[Mode.mirror.rawValue] > 0
  }

  /// The number of mode changes between consecutive modes of `modes`, the first compared with
  /// `initial` (the mode before the first step).
  /// Counted by the core's one home, ``ModeSwitches``.
  public static func switchCount(_ modes: [Mode], initial: Mode) -> Int {
    ModeSwitches.count(of: modes, from: initial)
  }
}

/// A mean with a percentile-bootstrap 95 % confidence interval over seeds.
///
/// The interval resamples the `n` values with replacement 10,000 times from a generator with a
/// fixed seed (so a given set of values always gives the same interval) and takes the 2.5 % and
/// 97.5 % quantiles of the resampled means. `nil` entries are left out and counted in `missing`.
public struct Estimate: Sendable, Hashable, Codable {
  public var mean: Double
  public var low: Double
  public var high: Double
  public var n: Int
  public var missing: Int

  public init(_ values: [Double?], resamples: Int = 10_000, seed: UInt64 = 0x5EED) {
    let v = values.compactMap { $0 }.filter(\.isFinite)
    n = v.count
    missing = values.count - v.count
    guard !v.isEmpty else {
      mean = .nan
      low = .nan
      high = .nan
      return
    }
    let m = v.reduce(0, +) / Double(v.count)
    mean = m
    guard v.count > 1 else {
      low = m
      high = m
      return
    }
    var rng = SeededGenerator(seed: seed)
    var means = [Double](repeating: 0, count: resamples)
    for b in 0..<resamples {
      var s = 0.0
      for _ in 0..<v.count { s += v[Int(rng.next() % UInt64(v.count))] }
      means[b] = s / Double(v.count)
    }
    means.sort()
    low = means[Int(0.025 * Double(resamples - 1))]
    high = means[Int((0.975 * Double(resamples - 1)).rounded(.up))]
  }

  /// The interval lies entirely below `x` / above `x`.
  public func below(_ x: Double) -> Bool { n > 0 && high < x }
  public func above(_ x: Double) -> Bool { n > 0 && low > x }
}
