import UnifiedLoRA
import UnifiedLoRAAnalysis

/// Sweep throughput: grid points per second over a 100 × 100 (α, β) grid on all cores, and on
/// one thread for comparison. Checks its own result: every row is present, in order, and the
/// fixed point of each row is the closed form's.
func sweepBenchmark() {
  let grid: SweepGrid
  do {
    grid = try SweepGrid(variant: .report, specs: ["alpha": "0.01:1:100", "beta": "0:0.99:100"])
  } catch {
    print("sweep benchmark: \(error)")
    return
  }
  for threads in [nil, 1] as [Int?] {
    let clock = ContinuousClock()
    var rows: [SweepRow] = []
    let elapsed = clock.measure { rows = Sweep.run(grid, range: 0..<grid.count, threads: threads) }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    var ok = rows.count == grid.count
    for (i, r) in rows.enumerated() where ok {
      ok = r.index == i && r.error == nil && abs((r.phiStar ?? .nan) - 1.0 / 7.0) < 1e-15
    }
    let label = threads.map { "\($0) thread" } ?? "all cores"
    print(
      "sweep (\(label)): \(grid.count) grid points in \(String(seconds)) s = \(Int(Double(grid.count) / seconds)) points/s \(ok ? "(checked)" : "(RESULT MISMATCH)")"
    )
  }
}
