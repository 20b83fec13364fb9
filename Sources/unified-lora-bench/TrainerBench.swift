#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

import UnifiedLoRA
import UnifiedLoRATrainer

/// Training steps per second of the LoRA trainer at the default shapes: batch 64, 8×27 one-hot
/// inputs, two hidden layers of 256, 11×27 outputs, rank-8 adapters on all three layers, Adam,
/// single-threaded OpenBLAS. Checks at the end that the loss fell (so the work is not optimised
/// away) and that `cblas_sgemm` is OpenBLAS's.
func runTrainerBench(steps: Int = 3000) {
  BLAS.configure()
  let words = (try? WordList(seed: 1).train) ?? syntheticWords()
  let data = Examples.pigLatin(words)
  let base = BaseModel.random(seed: 1)
  let net = Network(base: base, rank: 8, alpha: 16, capacity: 64)
  var adapters = net.layout!.initial(seed: 1)
  var gradient = [Float](repeating: 0, count: adapters.count)
  var optimizer = Optimizer(kind: .adam, count: adapters.count)
  var stream = BatchStream(examples: data, batchSize: 64, seed: 1)
  var inputs = [UInt8](repeating: 0, count: 64 * 8)
  var targets = [UInt8](repeating: 0, count: 64 * 11)
  func step() -> Double {
    stream.next(inputs: &inputs, targets: &targets)
    let loss = inputs.withUnsafeBufferPointer { ip in
      targets.withUnsafeBufferPointer { tp in
        adapters.withUnsafeBufferPointer { ap in
          gradient.withUnsafeMutableBufferPointer { gp in
            net.evaluate(
              adapters: ap.baseAddress!, inputs: ip.baseAddress!, targets: tp.baseAddress!,
              count: 64, gradient: gp.baseAddress!)
          }
        }
      }
    }
    optimizer.step(&adapters, gradient: gradient, lr: 2e-3)
    return loss
  }
  var first = 0.0
  for k in 0..<100 { let l = step(); if k == 0 { first = l } }  // warm-up
  let clock = ContinuousClock()
  var last = 0.0
  var best = Double.infinity
  var bestCPU = Double.infinity
  for _ in 0..<3 {
    let t0 = clock.now
    let c0 = threadCPUSeconds()
    for _ in 0..<steps { last = step() }
    let d = clock.now - t0
    let s = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    best = min(best, s)
    bestCPU = min(bestCPU, threadCPUSeconds() - c0)
  }
  let provider = BLAS.sgemmProvider
  print("trainer: \(Int((Double(steps) / best).rounded())) training steps/s wall-clock, \(Int((Double(steps) / bestCPU).rounded())) per CPU-second (batch 64, rank 8, Adam, 1 thread; best of 3 × \(steps) steps)")
  print("trainer: cblas_sgemm from \(provider)")
  print("trainer: \(BLAS.configuration)")
  precondition(last.isFinite && last < first, "trainer bench: the loss did not fall (\(first) → \(last))")
  precondition(provider.contains("openblas"), "trainer bench: cblas_sgemm is not OpenBLAS's (\(provider))")
}

/// CPU time of the calling thread, in seconds (it excludes time the machine gave to others).
private func threadCPUSeconds() -> Double {
  var ts = timespec()
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
  return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

private func syntheticWords() -> [String] {
  var rng = SeededGenerator(seed: 7)
  return (0..<4000).map { _ in
    let n = 2 + Int(rng.next() % 7)
    return String(decoding: (0..<n).map { _ in UInt8(97 + rng.next() % 26) }, as: UTF8.self)
  }
}
