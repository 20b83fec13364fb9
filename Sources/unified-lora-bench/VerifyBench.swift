import Foundation
import UnifiedLoRAProperties

/// The property engine's throughput: controller steps checked per second on all cores, with input
/// generation and every lane invariant included (`unified-lora verify`'s volume engine). Checks its
/// own result: every theorem must hold and every step must have been counted.
func verifyBench(traces: Int = 400_000, steps: Int = 1000) {
  let seed = UInt64(Date().timeIntervalSince1970 * 1000)
  let threads = ProcessInfo.processInfo.activeProcessorCount
  // warm-up
  _ = LaneEngine.run(traces: 8 * threads * 4, steps: steps, seed: seed &+ 1)
  let cpu0 = cpuSeconds()
  let r = LaneEngine.run(traces: traces, steps: steps, seed: seed)
  let cpu = cpuSeconds() - cpu0
  let rate = Double(r.steps) / r.seconds
  let perCPU = Double(r.steps) / cpu
  print(
    "verify lanes: \(r.traces) traces × \(steps) steps = \(r.steps) checked steps in \(String(format: "%.2f", r.seconds)) s wall on \(threads) cores: \(String(format: "%.1f", rate / 1e6)) M steps/s (seed \(seed))"
  )
  print(
    "verify lanes: \(String(format: "%.2f", cpu)) CPU-seconds: \(String(format: "%.1f", perCPU / 1e6)) M steps per CPU-second, \(String(format: "%.1f", perCPU * Double(threads) / 1e6)) M steps/s on \(threads) free cores (the wall figure is lower when other processes share the cores)"
  )
  guard r.steps == r.traces * steps, r.failures.isEmpty else {
    print("verify lanes: FAILED: \(r.failures.keys.sorted()) (seed \(seed))")
    exit(1)
  }
}

/// User + system CPU time of this process so far.
