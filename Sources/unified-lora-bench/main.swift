// Release-mode benchmarks: `make bench` (swift build -c release; .build/release/unified-lora-bench).
// Each benchmark checks its own result so that the work cannot be optimised away, and prints
// one line per figure. Options: `--rows N` (default 10,000,000) and `--only NAME[,NAME…]`
// with names step, simulate, sweep, trainer.
import Foundation

let arguments = BenchArguments(CommandLine.arguments)
print("unified-lora-bench  machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
if arguments.wants("step") { StepBench.run() }
if arguments.wants("simulate") { SimulateBench.run(rows: arguments.rows) }
if arguments.wants("sweep") { sweepBenchmark() }
if arguments.wants("trainer") { runTrainerBench() }
