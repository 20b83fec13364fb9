import UnifiedLoRA

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// One step of a run: the batch's training loss and what the controller made of it.
///
/// `lr` is the learning rate the optimizer used at this step (0 when the step was skipped);
/// `ehat`, `phi`, `mode` are the controller's state after consuming this step's loss (SPEC §2's
/// record convention), so `mode` selects the next step's rate in the unified arm. In the other
/// arms the controller only observes.
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

/// One sharpness checkpoint: Adam's preconditioned sharpness against its stability threshold.
public struct SharpnessPoint: Sendable, Hashable, Codable {
  public var step: Int
  public var mode: Mode
  public var lr: Double
  public var estimate: Sharpness.Estimate
  /// `(2 + 2β₁)/((1 − β₁)·η)` = 38/η for β₁ = 0.9: Adam is stable on the quadratic model iff the
  /// preconditioned sharpness is below it.
  public var threshold: Double
}

/// A prediction of the controller's switches over a stretch, made before the stretch runs.
public struct SwitchPrediction: Sendable, Hashable, Codable {
  /// The step at which the prediction was made (the first step of the stretch).
  public var madeAt: Int
  public var stretch: Range<Int>
  /// What the loss model was fitted on.
  public var source: String
  /// Predicted switches `(step, to-mode)`.
  public var predicted: [Switch]
  public var predictedMirror: Bool
  /// Observed switches in the same stretch (filled in after it ran).
  public var observed: [Switch] = []
  public var observedMirror = false

  public struct Switch: Sendable, Hashable, Codable {
    public var step: Int
    public var to: Mode
  }
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
  public var predictions: [SwitchPrediction]
  /// Plateau arm: the number of learning-rate reductions; skip arm: the batches skipped.
  public var plateauReductions: Int
  public var skipped: Int
  /// Seconds of wall time (the shared phase not included).
  public var seconds: Double
}

/// The state shared by every arm of a seed at step 0: the clean adaptation's result.
public struct WarmStart: Sendable {
  public var adapters: [Float]
  public var optimizer: Optimizer
  public var stream: BatchStream
  public var steps: Int
  /// The last 50 batch losses, the clean validation loss, test exact match and test loss at the end.
  public var finalTrainLoss: Double
  public var validationLoss: Double
  public var testExactMatch: Double
  public var testLoss: Double
  public var seconds: Double
}

/// Trains the adapters of one seed under one arm.
public enum TrainingRun {
  static func network(_ data: SeedData, _ c: RunConfiguration) -> Network {
    Network(
      base: data.base, rank: c.rank, alpha: c.loraAlpha, targets: c.targets, capacity: max(c.batchSize, 128))
  }

  /// The clean adaptation before step 0: ``RunConfiguration/warmSteps`` steps of Adam at
  /// ``RunConfiguration/warmRate`` on clean Pig-Latin batches, then the clean validation loss and
  /// the test exact match of the result.
  public static func warm(data: SeedData, configuration c: RunConfiguration) -> WarmStart {
    let clock = ContinuousClock()
    let start = clock.now
    let net = network(data, c)
    let layout = net.layout!
    var adapters = layout.initial(seed: data.seed)
    var gradient = [Float](repeating: 0, count: layout.count)
    var optimizer = Optimizer(kind: c.optimizer, count: layout.count)
    var stream = BatchStream(examples: data.train, batchSize: c.batchSize, seed: data.seed)
    var batch = BatchBuffers(c.batchSize)
    var recent: [Double] = []
    for t in 0..<c.warmSteps {
      stream.next(&batch)
      let loss = net.batch(
        adapters: adapters, inputs: batch.inputs, markers: batch.markers, targets: batch.targets,
        count: c.batchSize,
        gradient: &gradient)
      optimizer.step(&adapters, gradient: gradient, lr: warmRate(t, c))
      recent.append(loss)
      if recent.count > 50 { recent.removeFirst() }
    }
    let elapsed = clock.now - start
    return WarmStart(
      adapters: adapters, optimizer: optimizer, stream: stream, steps: c.warmSteps,
      finalTrainLoss: recent.isEmpty ? .nan : recent.reduce(0, +) / Double(recent.count),
      validationLoss: net.loss(adapters: adapters, on: data.validation),
      testExactMatch: net.exactMatch(adapters: adapters, on: data.test),
      testLoss: net.loss(adapters: adapters, on: data.test),
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }

  /// The clean adaptation's rate at its step `t`: a cosine from ``RunConfiguration/warmRate`` to
  /// `warmRate × warmFloor` over ``RunConfiguration/warmSteps``.
  static func warmRate(_ t: Int, _ c: RunConfiguration) -> Double {
    let progress = Double(t) / Double(max(1, c.warmSteps - 1))
    return c.warmRate * (c.warmFloor + (1 - c.warmFloor) * 0.5 * (1 + cos(Double.pi * progress)))
  }

  /// Runs `configuration.steps` steps from `warm`. `progress` is called every 50 steps with the
  /// step count; `announce` with each prediction as soon as it is made (before its stretch runs).
  public static func run(
    arm: Arm, data: SeedData, warm: WarmStart, configuration c: RunConfiguration,
    progress: ((Int) -> Void)? = nil, announce: ((SwitchPrediction) -> Void)? = nil
  ) -> RunResult {
    let clock = ContinuousClock()
    let start = clock.now
    let net = network(data, c)
    var adapters = warm.adapters
    var gradient = [Float](repeating: 0, count: adapters.count)
    var optimizer = warm.optimizer
    var stream = warm.stream
    var batch = BatchBuffers(c.batchSize)
    var controller = Controller(parameters: c.controller, policy: .saturate)
    var signal = LossJumpSignal()
    var plateau = PlateauScheduler(c.plateau)
    let envKind: EnvironmentKind = if case .unified(let e) = arm { e } else { .none }
    var records: [StepRecord] = []
    records.reserveCapacity(c.steps)
    var validation: [Evaluation] = []
    var sharpness: [SharpnessPoint] = []
    var predictions: [SwitchPrediction] = []
    var skipMean: Double?
    var skipped = 0

    func observe(_ t: Int, loss: Double, shocked: Bool, lr: Double) {
      let env = envKind == .signal ? signal.update(loss: loss) : 0
      // The loss is a finite cross-entropy; the saturate policy only guards against an overflow.
      _ = try? controller.update(loss: loss, env: env)
      let s = controller.state
      records.append(
        StepRecord(
          step: t, loss: loss, shocked: shocked, env: env, ehat: s.ehat, phi: s.phi, mode: s.mode, lr: lr,
          lastSwitch: s.lastSwitch))
    }
    let initialValidation = net.loss(adapters: adapters, on: data.validation)
    for t in 0..<c.steps {
      if let p = predict(
        at: t, records: records, controller: controller, signal: envKind == .signal ? signal : nil, c: c)
      {
        announce?(p)
        predictions.append(p)
      }
      stream.next(&batch)
      let shocked = c.shocks.contains(t)
      if shocked { c.shock.apply(to: &batch, conflicting: data.conflicting, seed: data.seed, step: t) }
      var lr: Double =
        switch arm {
        case .unified: controller.learningRate
        case .fixed(let eta), .clip(let eta), .skip(let eta): eta
        case .plateau: plateau.lr
        case .cosine(let eta):
          eta * (0.01 + 0.99 * 0.5 * (1 + cos(Double.pi * Double(t) / Double(max(1, c.steps - 1)))))
        }
      let loss = net.batch(
        adapters: adapters, inputs: batch.inputs, markers: batch.markers, targets: batch.targets,
        count: c.batchSize,
        gradient: &gradient)
      if case .clip = arm { clipNorm(&gradient, 1) }
      if case .skip = arm, let m = skipMean, loss > 4 * m {
        lr = 0
        skipped += 1
      } else {
        optimizer.step(&adapters, gradient: gradient, lr: lr)
        skipMean = skipMean.map { 0.98 * $0 + 0.02 * loss } ?? loss
      }
      observe(t, loss: loss, shocked: shocked, lr: lr)
      if t % c.evalEvery == 0 {
        let v = net.loss(adapters: adapters, on: data.validation)
        validation.append(Evaluation(step: t, loss: v))
        if case .plateau = arm { plateau.step(v) }
      }
      if arm.isUnified, c.sharpnessCheckpoints.contains(t) {
        let estimate = Sharpness.preconditioned(
          network: net, adapters: adapters, examples: data.sharpnessSet, optimizer: optimizer,
          iterations: c.powerIterations, seed: data.seed ^ UInt64(t))
        let eta = controller.learningRate
        sharpness.append(
          SharpnessPoint(
            step: t, mode: controller.state.mode, lr: eta, estimate: estimate,
            threshold: (2 + 2 * Double(optimizer.beta1)) / ((1 - Double(optimizer.beta1)) * eta)))
      }
      if t % 50 == 49 { progress?(t + 1) }
    }
    for k in predictions.indices {
      let p = predictions[k]
      let startMode = p.madeAt > 0 ? records[p.madeAt - 1].mode : c.controller.initial.mode
      var previous = startMode
      for r in records[p.stretch.clamped(to: 0..<records.count)] where r.mode != previous {
        predictions[k].observed.append(.init(step: r.step, to: r.mode))
        previous = r.mode
      }
      predictions[k].observedMirror = records[p.stretch.clamped(to: 0..<records.count)].contains {
        $0.mode == .mirror
      }
    }
    let test = net.exactMatch(adapters: adapters, on: data.test)
    let testLoss = net.loss(adapters: adapters, on: data.test)
    let elapsed = clock.now - start
    return RunResult(
      arm: arm, seed: data.seed, records: records, validation: validation,
      initialValidationLoss: initialValidation, testExactMatch: test, testLoss: testLoss,
      sharpness: sharpness, predictions: predictions, plateauReductions: plateau.reductions, skipped: skipped,
      seconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
  }

  /// At the start of every shock window after the first, predicts the controller's switches over
  /// that window and the gap after it (until the next window or the end), from the state now and a
  /// loss model fitted on the first shock only: the losses this run saw at the same offsets from
  /// the first window's start (with E from the same loss-jump signal when the arm uses it).
  static func predict(
    at t: Int, records: [StepRecord], controller: Controller, signal: LossJumpSignal?, c: RunConfiguration
  ) -> SwitchPrediction? {
    let w = c.shocks.windows
    guard w.count >= 2, let k = w.indices.dropFirst().first(where: { w[$0].lowerBound == t }) else {
      return nil
    }
    let first = w[0]
    let end = min(k + 1 < w.count ? w[k + 1].lowerBound : c.steps, c.steps)
    let length = min(end - t, w[1].lowerBound - first.lowerBound)
    guard length > 0, first.lowerBound + length <= records.count else { return nil }
    var ctl = controller
    var sig = signal
    var out: [SwitchPrediction.Switch] = []
    var previous = ctl.state.mode
    var mirror = false
    for j in 0..<length {
      let loss = records[first.lowerBound + j].loss
      var env = 0.0
      if sig != nil { env = sig!.update(loss: loss) }
      _ = try? ctl.update(loss: loss, env: env)
      if ctl.state.mode != previous {
        out.append(.init(step: t + j, to: ctl.state.mode))
        previous = ctl.state.mode
      }
      if ctl.state.mode == .mirror { mirror = true }
    }
    return SwitchPrediction(
      madeAt: t, stretch: t..<(t + length),
      source:
        "losses of steps \(first.lowerBound)…\(first.lowerBound + length - 1) (first shock and after), same offsets",
      predicted: out, predictedMirror: mirror)
  }

  static func clipNorm(_ g: inout [Float], _ maxNorm: Double) {
    var s = 0.0
    for x in g { s += Double(x) * Double(x) }
    let norm = s.squareRoot()
    guard norm > maxNorm else { return }
    let f = Float(maxNorm / (norm + 1e-6))
    for i in g.indices { g[i] *= f }
  }
}
