import Foundation
// placeholder replaced below
verifyBench(traces: Int(ProcessInfo.processInfo.environment["VERIFY_BENCH_TRACES"] ?? "") ?? 400_000)
