/// Replays a sequence of inputs through the equations, lazily: one ``Record`` per input that was
/// consumed, in order, in O(1) memory.
///
/// ```swift
/// for record in try Replay(inputs, parameters: .report) { … }    // or Array(replay)
/// ```
///
/// Records of skipped inputs (policy ``InputPolicy/skip``) are still emitted, with the unchanged
/// state, so that a trace has one record per input line.
public struct Replay<Inputs: Sequence>: Sequence where Inputs.Element == Input {
  public let inputs: Inputs
  public let parameters: Parameters
  public let policy: InputPolicy

  public init(_ inputs: Inputs, parameters: Parameters, policy: InputPolicy = .reject) {
    self.inputs = inputs
    self.parameters = parameters
    self.policy = policy
  }

  public struct Iterator: IteratorProtocol {
    var base: Inputs.Iterator
    let parameters: Parameters
    let policy: InputPolicy
    /// The state after the last consumed input.
    public private(set) var state: ControllerState
    /// The error that ended the replay, if any; `next()` then returns nil for ever.
    public private(set) var error: InputError?

    /// The next record; `nil` at the end or after an ``InputError`` (read ``error``).
    public mutating func next() -> Record? {
      guard error == nil, let input = base.next() else { return nil }
      do {
        if let next = try parameters.step(state, input, policy: policy) { state = next }
      } catch {
        self.error = error
        return nil
      }
      return Record(input, state, parameters.learningRates)
    }
  }

  public func makeIterator() -> Iterator {
    Iterator(
      base: inputs.makeIterator(), parameters: parameters, policy: policy,
      state: parameters.initial, error: nil)
  }

  /// All records, or the first ``InputError``.
  public func records() throws(InputError) -> [Record] {
    var it = makeIterator()
    var out: [Record] = []
    out.reserveCapacity(inputs.underestimatedCount)
    while let r = it.next() { out.append(r) }
    if let e = it.error { throw e }
    return out
  }
}

extension Parameters {
  /// The trace of a sequence of losses (steps `0, 1, 2, …`, env `0` unless given).
  public func simulate(losses: [Double], env: [Double]? = nil, policy: InputPolicy = .reject)
    throws(InputError) -> [Record]
  {
    precondition(env == nil || env!.count == losses.count, "env and losses differ in length")
    let inputs = losses.indices.map { Input(step: $0, loss: losses[$0], env: env?[$0] ?? 0) }
    return try Replay(inputs, parameters: self, policy: policy).records()
  }
}
