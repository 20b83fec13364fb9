import Dispatch
import UnifiedLoRA
import UnifiedLoRATrainer

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Training steps per second of the LoRA trainer at the default shapes: the decoder-only
/// transformer (2 layers, d_model 64, 4 heads, ffn 128, 19 positions), batch 32, rank-8 adapters
/// on the default targets of `train` (``benchTargets``), Adam.
///
/// Four figures: one run with single-threaded OpenBLAS (what every run of `train` does), one run
/// with two OpenBLAS threads, one run whose batch is split over two threads (``SplitBatch``), and
/// the total rate of two single-threaded runs at once (how `train` uses two cores). Checks at the end that the loss fell (so the work is not optimised away) and
/// that `cblas_sgemm` is OpenBLAS's.
func runTrainerBench(steps: Int = 500) {
  BLAS.configure()
  let words = (try? WordList(seed: 1).train) ?? syntheticWords()
  let data = Examples.pigLatin(words)
  let base = BaseModel.random(seed: 1)

  let one = TrainerBenchRun(base: base, data: data, seed: 1)
  let r1 = one.measure(steps: steps)
  print(
    "trainer: \(Int((Double(steps) / r1.wall).rounded())) training steps/s wall-clock, \(Int((Double(steps) / r1.cpu).rounded())) per CPU-second (transformer, batch 32, rank 8 on \(benchTargets.map(\.rawValue).joined(separator: ",")), Adam, 1 BLAS thread; best of 3 × \(steps) steps)"
  )

  BLAS.setThreads(2)
  let two = TrainerBenchRun(base: base, data: data, seed: 2)
  let r2 = two.measure(steps: steps)
  BLAS.setThreads(1)
  print(
    "trainer: \(Int((Double(steps) / r2.wall).rounded())) training steps/s wall-clock, \(Int((Double(steps) / r2.processCPU).rounded())) per CPU-second of the process (one run, 2 BLAS threads)"
  )

  let split = TrainerBenchRun(base: base, data: data, seed: 5, parts: 2)
  let r3 = split.measure(steps: steps)
  print(
    "trainer: \(Int((Double(steps) / r3.wall).rounded())) training steps/s wall-clock, \(Int((Double(steps) / r3.processCPU).rounded())) per CPU-second of the process (one run, batch split over 2 threads, 1 BLAS thread each)"
  )

  let runs = [
    TrainerBenchRun(base: base, data: data, seed: 3), TrainerBenchRun(base: base, data: data, seed: 4),
  ]
  let clock = ContinuousClock()
  let t0 = clock.now
  DispatchQueue.concurrentPerform(iterations: 2) { k in
    for _ in 0..<steps { _ = runs[k].step() }
  }
  let d = clock.now - t0
  let both = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
  print(
    "trainer: \(Int((Double(2 * steps) / both).rounded())) training steps/s in total, two single-threaded runs at once (as `train` runs them)"
  )

  let provider = BLAS.sgemmProvider
  print("trainer: cblas_sgemm from \(provider)")
  print("trainer: \(BLAS.configuration)")
  for r in [one, two, split] + runs {
    precondition(
      r.last.isFinite && r.last < r.first, "trainer bench: the loss did not fall (\(r.first) → \(r.last))")
  }
  precondition(provider.contains("openblas"), "trainer bench: cblas_sgemm is not OpenBLAS's (\(provider))")
}

/// The projections with adapters: those of the default experiment.
let benchTargets = RunConfiguration().targets

/// One training loop's state for the benchmark (a reference type: each run is used by one thread).
final class TrainerBenchRun: @unchecked Sendable {
  let net: Network
  /// When set, each step's batch is split over this many threads (``SplitBatch``).
  let splitBatch: SplitBatch?
  var adapters: [Float]
  var gradient: [Float]
  var optimizer: Optimizer
  var stream: BatchStream
  var batch = BatchBuffers(32)
  var first = Double.nan
  var last = Double.nan

  init(base: BaseModel, data: Examples, seed: UInt64, parts: Int = 1) {
    net = Network(base: base, rank: 8, alpha: 16, targets: benchTargets, capacity: 32)
    splitBatch =
      parts > 1
      ? SplitBatch(base: base, rank: 8, alpha: 16, targets: benchTargets, capacity: 32, parts: parts) : nil
    adapters = net.layout!.initial(seed: seed)
    gradient = [Float](repeating: 0, count: adapters.count)
    optimizer = Optimizer(kind: .adam, count: adapters.count)
    stream = BatchStream(examples: data, batchSize: 32, seed: seed)
  }

  func step() -> Double {
    stream.next(&batch)
    let loss: Double
    if let splitBatch {
      loss = splitBatch.batch(
        adapters: adapters, inputs: batch.inputs, markers: batch.markers, targets: batch.targets, count: 32,
        gradient: &gradient)
    } else {
      loss = net.batch(
        adapters: adapters, inputs: batch.inputs, markers: batch.markers, targets: batch.targets, count: 32,
        gradient: &gradient)
    }
    optimizer.step(&adapters, gradient: gradient, lr: 2e-3)
    if first.isNaN { first = loss }
    last = loss
    return loss
  }

  /// Best of three timed blocks after 100 warm-up steps: wall-clock, the calling thread's CPU
  /// seconds and the whole process's (which includes OpenBLAS's own threads, as PyTorch's
  /// `time.process_time()` includes its intra-op threads).
  func measure(steps: Int) -> (wall: Double, cpu: Double, processCPU: Double) {
    for _ in 0..<100 { _ = step() }
    let clock = ContinuousClock()
    var wall = Double.infinity
    var cpu = Double.infinity
    var process = Double.infinity
    for _ in 0..<3 {
      let t0 = clock.now
      let c0 = cpuSeconds(CLOCK_THREAD_CPUTIME_ID)
      let p0 = cpuSeconds(CLOCK_PROCESS_CPUTIME_ID)
      for _ in 0..<steps { _ = step() }
      let d = clock.now - t0
      wall = min(wall, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
      cpu = min(cpu, cpuSeconds(CLOCK_THREAD_CPUTIME_ID) - c0)
      process = min(process, cpuSeconds(CLOCK_PROCESS_CPUTIME_ID) - p0)
    }
    return (wall, cpu, process)
  }
}

/// CPU time of the calling thread or of the process, in seconds (it excludes time the machine
/// gave to others).
private func cpuSeconds(_ clock: clockid_t) -> Double {
  var ts = timespec()
  clock_gettime(clock, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

private func syntheticWords() -> [String] {
  var rng = SeededGenerator(seed: 7)
  return (0..<4000).map { _ in
    let n = 2 + Int(rng.next() % 7)
    return String(decoding: (0..<n).map { _ in UInt8(97 + rng.next() % 26) }, as: UTF8.self)
  }
}
