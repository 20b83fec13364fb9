/// The measured stress signal: how far the current loss sits above the recent typical loss, on a
/// log scale. An external stress `E_t` computed from the losses alone, so that the report
/// variant's `α_E·E` term reacts to a shock even when nothing else is logged.
///
/// ```
/// E_t = max(0, ln L_t − b_{t−1})          b_t = λ·b_{t−1} + (1 − λ)·ln L_t,   b_0 = ln L_0,  E_0 = 0
/// ```
///
/// evaluated in binary64 as written: `ln` is the C library's `log`, `1 − λ` is formed at run time,
/// one rounding per operation, and `max(0, d)` is `d >= 0 ? d : 0`.
///
/// **Domain.** `λ ∈ [0, 1)` (default `0.98`, a memory of about 50 steps), checked by the
/// initialiser. A valid loss (finite, ≥ 0) below `1e-12`, zero included, is read as `1e-12` so
/// that the logarithm is finite.
///
/// **Edge cases.** ``measure(_:)`` leaves the signal untouched for an invalid loss (NaN, ±∞,
/// negative) and gives that record `E = 0`: the bad value never enters the baseline, and the
/// controller's ``InputPolicy`` decides what the record does. `E_t` is always finite and ≥ 0.
///
/// **Why this signal.** It needs nothing but the losses a training loop already has; the
/// logarithm makes it scale-free (a jump from 0.3 to 3 counts like one from 3 to 30); it is zero
/// while training improves and when the loss falls back after a disturbance, and it decays by
/// itself as the baseline absorbs a lasting change.
///
/// See also: ``LossJumpController``, which feeds it to a ``Controller``.
public struct LossJumpStress: Sendable, Hashable, Codable {
  /// `λ`, the baseline's smoothing factor.
  public let lambda: Double
  /// `b_{t−1}`, the running baseline of `ln L`; `nil` before the first loss.
  public private(set) var baseline: Double?

  /// The default `λ`.
  public static let defaultLambda = 0.98
  /// The floor of the logarithm's argument.
  public static let floor = 1e-12

  /// - Throws: ``ParameterError`` for `loss-jump.lambda` outside `[0, 1)`.
  public init(lambda: Double = LossJumpStress.defaultLambda, baseline: Double? = nil)
    throws(ParameterError)
  {
    guard lambda >= 0, lambda < 1 else {
      throw ParameterError(field: .lossJumpLambda, value: lambda, requirement: "a number in [0, 1)")
    }
    if let baseline, !baseline.isFinite {
      throw ParameterError(
        field: .lossJumpBaseline, value: baseline, requirement: "a finite number")
    }
    self.lambda = lambda
    self.baseline = baseline
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    do {
      try self.init(
        lambda: c.decode(Double.self, forKey: .lambda),
        baseline: c.decodeIfPresent(Double.self, forKey: .baseline))
    } catch let error as ParameterError {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }

  /// Consumes a valid loss (finite, ≥ 0) and returns `E_t` for it.
  public mutating func update(loss: Double) -> Double {
    precondition(loss >= 0 && loss.isFinite, "LossJumpStress.update needs a finite loss ≥ 0")
    let l = _log(loss > LossJumpStress.floor ? loss : LossJumpStress.floor)
    guard let b = baseline else {
      baseline = l
      return 0
    }
    let d = l - b
    baseline = lambda * b + (1 - lambda) * l
    return d >= 0 ? d : 0
  }

  /// The input with its `env` replaced by the measured `E_t` (and the signal advanced), or, for
  /// an invalid loss, with `env = 0` and the signal untouched.
  public mutating func measure(_ input: Input) -> Input {
    var out = input
    out.env = input.loss >= 0 && input.loss.isFinite ? update(loss: input.loss) : 0
    return out
  }

  /// Parses the option text `lambda=X` (the part after `loss-jump:`); empty text gives the
  /// defaults.
  ///
  /// - Throws: ``ParameterError`` naming `loss-jump` (an unknown key or a value that is not a
  ///   number) or `loss-jump.lambda` (out of range).
  public static func parse(options text: Substring) throws(ParameterError) -> LossJumpStress {
    var lambda = defaultLambda
    for item in text.split(separator: ",", omittingEmptySubsequences: false) where !text.isEmpty {
      let pair = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard pair.count == 2, pair[0] == "lambda", let value = Double(pair[1]) else {
        throw ParameterError(
          field: .lossJump, value: String(item),
          requirement: "lambda=X with X in [0, 1), e.g. loss-jump:lambda=0.98")
      }
      lambda = value
    }
    return try LossJumpStress(lambda: lambda)
  }
}

/// A ``Controller`` whose external stress is the measured ``LossJumpStress`` of its own losses:
/// the configuration that reacts to a loss shock with nothing logged but the loss.
///
/// ```swift
/// var controller = try LossJumpController(parameters: .report)
/// let lr = try controller.update(loss: loss)
/// ```
///
/// The value is `Codable` (parameters, state, step counter, policy and the signal's baseline), so
/// a resumed run continues bit for bit.
public struct LossJumpController: Sendable, Hashable, Codable {
  public private(set) var controller: Controller
  public private(set) var signal: LossJumpStress

  /// - Throws: ``ParameterError`` `env = loss-jump` for the repo variant, which has no external
  ///   stress.
  public init(
    parameters: Parameters = .report, signal: LossJumpStress? = nil,
    policy: InputPolicy = .reject, firstStep: Int = 0
  ) throws(ParameterError) {
    try LossJumpStress.check(parameters.variant)
    self.controller = Controller(parameters: parameters, policy: policy, firstStep: firstStep)
    if let signal { self.signal = signal } else { self.signal = try LossJumpStress() }
  }

  public var learningRate: Double { controller.learningRate }
  public var state: ControllerState { controller.state }

  /// Measures `E_t` from `loss`, consumes the step and returns the learning rate for the next
  /// optimizer step. The last measured `E` is ``lastEnv``.
  ///
  /// - Throws: ``InputError`` (policy `reject`); the controller and the signal are then unchanged.
  @discardableResult
  public mutating func update(loss: Double) throws(InputError) -> Double {
    var measuring = signal
    let input = measuring.measure(Input(step: controller.nextStep, loss: loss))
    let lr = try controller.update(loss: loss, env: input.env)
    signal = measuring
    lastEnv = input.env
    return lr
  }

  /// The `E` of the last consumed step (0 before the first).
  public private(set) var lastEnv: Double = 0
}

extension LossJumpStress {
  /// Only the report variant has an external stress.
  ///
  /// - Throws: ``ParameterError`` `env = loss-jump` for the repo variant.
  public static func check(_ variant: Variant) throws(ParameterError) {
    guard variant == .report else {
      throw ParameterError(
        field: .env, value: "loss-jump",
        requirement: "a logged column: the repo variant has no external stress")
    }
  }
}
