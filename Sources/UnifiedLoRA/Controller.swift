/// The controller a training loop embeds: a thin stateful wrapper around the pure step.
///
/// ```swift
/// var controller = Controller(parameters: .report)
/// for (step, batch) in batches.enumerated() {
///   let loss = model.trainStep(batch, learningRate: controller.learningRate)
///   try controller.update(loss: loss)
/// }
/// let saved = try JSONEncoder().encode(controller)   // resume later, bit for bit
/// ```
///
/// The value is `Codable`: encoding it saves the parameters, the state, the next step number and
/// the policy, so a resumed run continues exactly where it stopped.
public struct Controller: Sendable, Hashable, Codable {
  public let parameters: Parameters
  /// `(Ê, φ, M, s)` after the last update.
  public private(set) var state: ControllerState
  /// The step number the next ``update(loss:env:)`` uses (starts at 0, one per call).
  public private(set) var nextStep: Int
  /// What ``update(loss:env:)`` does with a NaN, infinite or negative input.
  public var policy: InputPolicy

  public init(parameters: Parameters = .report, policy: InputPolicy = .reject, firstStep: Int = 0) {
    self.parameters = parameters
    self.state = parameters.initial
    self.nextStep = firstStep
    self.policy = policy
  }

  /// The learning rate of the current mode: `η[M]`.
  public var learningRate: Double { parameters.learningRates[state.mode] }

  /// Consumes one step's loss (and external stress) and returns the learning rate for the next
  /// optimizer step.
  ///
  /// - Throws: ``InputError`` (policy `reject`, or an invalid env under `saturate`); the state
  ///   and the step counter are then unchanged.
  @discardableResult
  public mutating func update(loss: Double, env: Double = 0) throws(InputError) -> Double {
    let input = Input(step: nextStep, loss: loss, env: env)
    if let next = try parameters.step(state, input, policy: policy) { state = next }
    nextStep += 1
    return learningRate
  }

  /// Returns to the initial state and step 0 (or `firstStep`).
  public mutating func reset(firstStep: Int = 0) {
    state = parameters.initial
    nextStep = firstStep
  }
}
