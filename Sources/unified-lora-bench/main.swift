// Release-mode benchmarks: `make bench` (swift build -c release; .build/release/unified-lora-bench).
// Each benchmark checks its own result so that the work cannot be optimised away, and prints
// one line per figure. Options: `--rows N` (default 10,000,000) and `--only NAME[,NAME…]`
// with names step, simulate, audit, stream, sweep, trainer, verify (VERIFY_BENCH_TRACES sets
// its size). Peak RSS is the process's: run audit or stream alone (`--only audit`) to read it.
import Foundation

let arguments = BenchArguments.parseOrExit()
print("unified-lora-bench  machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
if arguments.wants("step") { StepBench.run() }
if arguments.wants("simulate") { SimulateBench.run(rows: arguments.rows) }
if arguments.wants("audit") { AuditBench.run(rows: arguments.rows) }
if arguments.wants("stream") { StreamBench.run(rows: arguments.rows) }
if arguments.wants("sweep") { sweepBenchmark() }
if arguments.wants("trainer") { runTrainerBench() }
if arguments.wants("verify") {
  verifyBench(
    traces: Int(ProcessInfo.processInfo.environment["VERIFY_BENCH_TRACES"] ?? "") ?? 400_000)
}
