import UnifiedLoRA

/// What one run measured, in the report's terms.
public struct RunMetrics: Sendable, Hashable, Codable {
  /// The report's table: the training loss (of the batch) at each of ``RunMetrics/tableSteps``.
  public var trainLossAt: [Int: Double]
  /// The clean validation loss at the same steps (evaluated after that step's update).
  public var validationLossAt: [Int: Double]
  public var shocks: [ShockMetrics]
  public var finalValidationLoss: Double
  public var testExactMatch: Double
  public var testLoss: Double
  /// The controller's mode switches and steps per mode (in the non-unified arms the controller
  /// only observes the losses; its mode does not set the rate).
  public var switches: Int
  public var stepsInMode: [Int]

  /// The report's table steps.
  public static let tableSteps = [200, 225, 250, 275, 300, 350]

  public struct ShockMetrics: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    /// The last clean validation loss measured before the shock (`nil` if none).
    public var preShock: Double?
    /// The peak clean validation loss during `[start, end)` and after it (until the next shock
    /// or the end of the run): the report's "overshoot".
    public var peakDuring: Double?
    public var peakAfter: Double?
    /// Steps after `end` until the clean validation loss is first within 10 % of `preShock`
    /// (`nil`: not within the run / before the next shock).
    public var recoverySteps: Int?
  }

  public init(_ r: RunResult, shocks: ShockSchedule) {
    var train: [Int: Double] = [:]
    var val: [Int: Double] = [:]
    for t in RunMetrics.tableSteps where t < r.records.count { train[t] = r.records[t].loss }
    for e in r.validation where RunMetrics.tableSteps.contains(e.step) { val[e.step] = e.loss }
    trainLossAt = train
    validationLossAt = val
    var out: [ShockMetrics] = []
    let steps = r.records.count
    for (i, w) in shocks.windows.enumerated() {
      guard w.lowerBound < steps else {
        // The run ended before this shock: nothing to measure.
        out.append(.init(start: w.lowerBound, end: w.upperBound, preShock: nil, peakDuring: nil, peakAfter: nil, recoverySteps: nil))
        continue
      }
      let nextStart = i + 1 < shocks.windows.count ? shocks.windows[i + 1].lowerBound : steps
      let pre = r.validation.last { $0.step < w.lowerBound }?.loss
      let during = r.validation.filter { w.contains($0.step) }.map(\.loss).max()
      let afterEvals = r.validation.filter { $0.step >= w.upperBound && $0.step < nextStart }
      let after = afterEvals.map(\.loss).max()
      var recovery: Int?
      if let pre, let hit = afterEvals.first(where: { $0.loss <= 1.1 * pre }) {
        recovery = hit.step - w.upperBound
      }
      out.append(.init(start: w.lowerBound, end: w.upperBound, preShock: pre, peakDuring: during, peakAfter: after, recoverySteps: recovery))
    }
    self.shocks = out
    finalValidationLoss = r.validation.last?.loss ?? r.initialValidationLoss
    testExactMatch = r.testExactMatch
    testLoss = r.testLoss
    var count = 0
    var inMode = [0, 0, 0]
    var previous = Mode.single  // the report variant's initial mode
    for rec in r.records {
      inMode[rec.mode.rawValue] += 1
      if rec.mode != previous { count += 1 }
      previous = rec.mode
    }
    switches = count
    stepsInMode = inMode
  }
}

/// Mean and sample standard deviation over seeds (`sd` is 0 for one value; `n` counts the values
/// present; `nil` entries are left out and counted in `missing`).
public struct MeanSD: Sendable, Hashable, Codable {
  public var mean: Double
  public var sd: Double
  public var n: Int
  public var missing: Int

  public init(_ values: [Double?]) {
    let v = values.compactMap { $0 }
    n = v.count
    missing = values.count - v.count
    guard !v.isEmpty else {
      mean = .nan
      sd = .nan
      return
    }
    let m = v.reduce(0, +) / Double(v.count)
    mean = m
    sd = v.count > 1 ? (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(v.count - 1)).squareRoot() : 0
  }
}

/// Per-arm aggregates over seeds.
public struct ArmSummary: Sendable, Hashable, Codable {
  public var arm: String
  public var seeds: Int
  public var trainLossAt: [Int: MeanSD]
  public var validationLossAt: [Int: MeanSD]
  /// Per shock window, in order.
  public var preShock: [MeanSD]
  public var peakDuring: [MeanSD]
  public var peakAfter: [MeanSD]
  public var recoverySteps: [MeanSD]
  public var finalValidationLoss: MeanSD
  public var testExactMatch: MeanSD
  public var switches: MeanSD

  public init(arm: String, metrics: [RunMetrics]) {
    self.arm = arm
    seeds = metrics.count
    var tl: [Int: MeanSD] = [:]
    var vl: [Int: MeanSD] = [:]
    for t in RunMetrics.tableSteps {
      tl[t] = MeanSD(metrics.map { $0.trainLossAt[t] })
      vl[t] = MeanSD(metrics.map { $0.validationLossAt[t] })
    }
    trainLossAt = tl
    validationLossAt = vl
    let k = metrics.first?.shocks.count ?? 0
    preShock = (0..<k).map { i in MeanSD(metrics.map { $0.shocks[i].preShock }) }
    peakDuring = (0..<k).map { i in MeanSD(metrics.map { $0.shocks[i].peakDuring }) }
    peakAfter = (0..<k).map { i in MeanSD(metrics.map { $0.shocks[i].peakAfter }) }
    recoverySteps = (0..<k).map { i in MeanSD(metrics.map { $0.shocks[i].recoverySteps.map(Double.init) }) }
    finalValidationLoss = MeanSD(metrics.map { $0.finalValidationLoss })
    testExactMatch = MeanSD(metrics.map { $0.testExactMatch })
    switches = MeanSD(metrics.map { Double($0.switches) })
  }
}
