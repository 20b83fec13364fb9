/// A reduce-on-plateau learning-rate scheduler with the documented semantics of PyTorch's
/// `torch.optim.lr_scheduler.ReduceLROnPlateau` (one parameter group).
///
/// On each ``step(_:)`` with metric `a`:
///
/// ```
/// better(a) = a < best·(1 − threshold)   (mode min, rel)     a < best − threshold   (min, abs)
///             a > best·(1 + threshold)   (mode max, rel)     a > best + threshold   (max, abs)
/// if better(a): best ← a, bad ← 0   else: bad ← bad + 1
/// if cooldown_counter > 0: cooldown_counter ← cooldown_counter − 1, bad ← 0
/// if bad > patience: new = max(lr·factor, min_lr); if lr − new > eps: lr ← new
///                    cooldown_counter ← cooldown, bad ← 0
/// ```
///
/// `best` starts at `+∞` (min) or `−∞` (max), so the first metric is always an improvement. With
/// `patience = 2` the rate is reduced after the third consecutive step without improvement. A NaN
/// metric is never better (it counts as a bad step), as in PyTorch.
public struct PlateauScheduler: Sendable, Hashable, Codable {
  public enum Mode: String, Sendable, Hashable, Codable { case min, max }
  public enum ThresholdMode: String, Sendable, Hashable, Codable { case rel, abs }

  public struct Configuration: Sendable, Hashable, Codable {
    public var initialLR: Double
    public var mode: Mode
    public var factor: Double
    public var patience: Int
    public var threshold: Double
    public var thresholdMode: ThresholdMode
    public var cooldown: Int
    public var minLR: Double
    public var eps: Double

    /// PyTorch's defaults (`factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0,
    /// eps 1e-8`) with the given initial rate.
    public init(
      initialLR: Double, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10,
      threshold: Double = 1e-4, thresholdMode: ThresholdMode = .rel, cooldown: Int = 0,
      minLR: Double = 0, eps: Double = 1e-8
    ) {
      precondition(factor < 1 && factor >= 0, "factor must be in [0, 1)")
      precondition(patience >= 0 && cooldown >= 0 && minLR >= 0 && initialLR > 0)
      self.initialLR = initialLR
      self.mode = mode
      self.factor = factor
      self.patience = patience
      self.threshold = threshold
      self.thresholdMode = thresholdMode
      self.cooldown = cooldown
      self.minLR = minLR
      self.eps = eps
    }
  }

  public let configuration: Configuration
  public private(set) var lr: Double
  public private(set) var best: Double
  public private(set) var badSteps = 0
  public private(set) var cooldownCounter = 0
  /// The number of reductions so far.
  public private(set) var reductions = 0

  public init(_ configuration: Configuration) {
    self.configuration = configuration
    lr = configuration.initialLR
    best = configuration.mode == .min ? .infinity : -.infinity
  }

  /// Whether `a` improves on `best` under the configured mode and threshold.
  public func isBetter(_ a: Double) -> Bool {
    let c = configuration
    switch (c.mode, c.thresholdMode) {
    case (.min, .rel): return a < best * (1 - c.threshold)
    case (.min, .abs): return a < best - c.threshold
    case (.max, .rel): return a > best * (c.threshold + 1)
    case (.max, .abs): return a > best + c.threshold
    }
  }

  /// Consumes one metric value; returns the learning rate from now on.
  @discardableResult
  public mutating func step(_ metric: Double) -> Double {
    if isBetter(metric) {
      best = metric
      badSteps = 0
    } else {
      badSteps += 1
    }
    if cooldownCounter > 0 {
      cooldownCounter -= 1
      badSteps = 0
    }
    if badSteps > configuration.patience {
      let new = Swift.max(lr * configuration.factor, configuration.minLR)
      if lr - new > configuration.eps {
        lr = new
        reductions += 1
      }
      cooldownCounter = configuration.cooldown
      badSteps = 0
    }
    return lr
  }
}
