import UnifiedLoRA

/// One step of a run: the batch's training loss and what the controller made of it.
///
/// `lr` is the learning rate the optimizer used at this step; `ehat`, `phi`, `mode` are the
/// controller's state after consuming this step's loss (SPEC §2's record convention), so `mode`
/// selects the next step's rate in the unified arm. In the other arms the controller only observes.
public struct StepRecord: Sendable, Hashable, Codable {
  public var step: Int
  public var loss: Double
  public var shocked: Bool
  public var env: Double
  public var ehat: Double
  public var phi: Double
  public var mode: Mode
  public var lr: Double
  /// The step of the controller's last mode switch after this step (`nil`: none yet).
  public var lastSwitch: Int?
}

/// The clean validation loss measured after step `step`'s update.
public struct Evaluation: Sendable, Hashable, Codable {
  public var step: Int
  public var loss: Double
}

/// One sharpness checkpoint: `λ_max` of the clean loss, the SGD stability threshold `2/λ_max`,
/// and the divergence probes.
public struct SharpnessPoint: Sendable, Hashable, Codable {
  public struct Probe: Sendable, Hashable, Codable {
    /// `η / (2/λ_max)`.
    public var factor: Double
    public var lr: Double
    public var lossBefore: Double
    public var lossAfter: Double
    /// Predicted by the quadratic model: `η > 2/λ_max`.
    public var predictedUnstable: Bool
    /// Observed: the loss after the probe is larger than before, or not finite.
    public var diverged: Bool
  }
  public var step: Int
  public var mode: Mode
  public var estimate: Sharpness.Estimate
  /// `2/λ_max`; `+∞` when the estimate of `λ_max` is not positive.
  public var threshold: Double
  public var probes: [Probe]
}

/// The outcome of one (arm, seed) run.
public struct RunResult: Sendable {
  public var arm: Arm
  public var seed: UInt64
  public var records: [StepRecord]
  public var validation: [Evaluation]
  /// Clean validation loss before the first step.
  public var initialValidationLoss: Double
  public var testExactMatch: Double
  public var testLoss: Double
  public var sharpness: [SharpnessPoint]
  /// Plateau arm: the number of learning-rate reductions.
  public var plateauReductions: Int
  /// Seconds of wall time.
  public var seconds: Double
}

/// Trains the adapters of one seed under one arm.
public enum TrainingRun {
  /// Runs `configuration.steps` steps. `progress` is called every 50 steps with the step count.
  public static func run(
    arm: Arm, data: SeedData, configuration c: RunConfiguration,
    progress: ((Int) -> Void)? = nil
  ) -> RunResult {
    let clock = ContinuousClock()
    let start = clock.now
    let capacity = max(c.batchSize, 256)
    let net = Network(base: data.base, rank: c.rank, alpha: c.loraAlpha, capacity: capacity)
    let layout = net.layout!
    var adapters = layout.initial(seed: data.seed)
    var gradient = [Float](repeating: 0, count: layout.count)
    var optimizer = Optimizer(kind: c.optimizer, count: layout.count)
    var stream = BatchStream(examples: data.train, batchSize: c.batchSize, seed: data.seed)
    var inputs = [UInt8](repeating: 0, count: c.batchSize * Encoding.inputLength)
    var targets = [UInt8](repeating: 0, count: c.batchSize * Encoding.outputLength)
    var controller = Controller(parameters: c.controller, policy: .saturate)
    var signal = LossJumpSignal()
    var plateau = PlateauScheduler(c.plateau)
    let envKind: EnvironmentKind = if case .unified(let e) = arm { e } else { .none }

    var records: [StepRecord] = []
    records.reserveCapacity(c.steps)
    var validation: [Evaluation] = []
    var sharpness: [SharpnessPoint] = []
    let initialValidation = net.loss(adapters: adapters, on: data.validation)

    for t in 0..<c.steps {
      stream.next(inputs: &inputs, targets: &targets)
      let shocked = c.shocks.contains(t)
      if shocked { ShockSchedule.corrupt(&targets, seed: data.seed, step: t) }
      let lr: Double =
        switch arm {
        case .unified: controller.learningRate
        case .fixed(let eta): eta
        case .plateau: plateau.lr
        }
      let loss = inputs.withUnsafeBufferPointer { ip in
        targets.withUnsafeBufferPointer { tp in
          adapters.withUnsafeBufferPointer { ap in
            gradient.withUnsafeMutableBufferPointer { gp in
              net.evaluate(
                adapters: ap.baseAddress!, inputs: ip.baseAddress!, targets: tp.baseAddress!,
                count: c.batchSize, gradient: gp.baseAddress!)
            }
          }
        }
      }
      optimizer.step(&adapters, gradient: gradient, lr: lr)
      let env = envKind == .signal ? signal.update(loss: loss) : 0
      // The loss is a finite cross-entropy; the saturate policy only guards against an overflow.
      _ = try? controller.update(loss: loss, env: env)
      let s = controller.state
      records.append(
        StepRecord(
          step: t, loss: loss, shocked: shocked, env: env, ehat: s.ehat, phi: s.phi, mode: s.mode,
          lr: lr, lastSwitch: s.lastSwitch))
      if t % c.evalEvery == 0 {
        let v = net.loss(adapters: adapters, on: data.validation)
        validation.append(Evaluation(step: t, loss: v))
        if case .plateau = arm { plateau.step(v) }
      }
      if case .unified = arm, c.sharpnessCheckpoints.contains(t) {
        sharpness.append(
          measureSharpness(net: net, adapters: adapters, data: data, step: t, mode: s.mode, c: c))
      }
      if t % 50 == 49 { progress?(t + 1) }
    }
    let test = net.exactMatch(adapters: adapters, on: data.test)
    let testLoss = net.loss(adapters: adapters, on: data.test)
    let elapsed = clock.now - start
    return RunResult(
      arm: arm, seed: data.seed, records: records, validation: validation,
      initialValidationLoss: initialValidation, testExactMatch: test, testLoss: testLoss,
      sharpness: sharpness, plateauReductions: plateau.reductions,
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }

  static func measureSharpness(
    net: Network, adapters: [Float], data: SeedData, step: Int, mode: Mode, c: RunConfiguration
  ) -> SharpnessPoint {
    let estimate = Sharpness.largestEigenvalue(
      network: net, adapters: adapters, examples: data.sharpnessSet, iterations: c.powerIterations,
      seed: data.seed ^ UInt64(step))
    // No positive curvature found: no step size is unstable in the quadratic model.
    let threshold = estimate.lambdaMax > 0 ? 2 / estimate.lambdaMax : .infinity
    var probes: [SharpnessPoint.Probe] = []
    if c.probeSteps > 0, estimate.lambdaMax > 0 {
      for f in c.probeFactors {
        let lr = f * threshold
        let r = Sharpness.probe(network: net, adapters: adapters, examples: data.sharpnessSet, lr: lr, steps: c.probeSteps)
        probes.append(
          .init(
            factor: f, lr: lr, lossBefore: r.before, lossAfter: r.after, predictedUnstable: f > 1,
            diverged: !(r.after <= r.before)))
      }
    }
    return SharpnessPoint(step: step, mode: mode, estimate: estimate, threshold: threshold, probes: probes)
  }
}
