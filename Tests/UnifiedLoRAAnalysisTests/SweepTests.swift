import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct SweepTests {
  @Test func axisParsing() throws {
    #expect(Array(try SweepAxis(name: "alpha", spec: "0:1:5").values) == [0, 0.25, 0.5, 0.75, 1])
    #expect(Array(try SweepAxis(name: "alpha", spec: "0.3").values) == [0.3])
    #expect(try SweepAxis(name: "alpha", spec: "0.01:1:100").values.last == 1)
    #expect(throws: SweepError.self) { try SweepAxis(name: "alpha", spec: "0:1") }
    #expect(throws: SweepError.self) { try SweepAxis(name: "alpha", spec: "0:1:0") }
    do {
      _ = try SweepAxis(name: "beta", spec: "x")
    } catch {
      #expect(
        error.description
          == "invalid value beta = x: expected a number or start:end:count with count ≥ 1, e.g. 0.01:1:100")
    }
  }

  /// Shards partition the grid; the output does not depend on the number of threads; every row
  /// equals the direct library calls.
  @Test func shardsAndThreads() throws {
    let g = try SweepGrid(
      variant: .report, specs: ["alpha": "0.05:1:7", "beta": "0:0.95:5", "theta0": "0.2:0.8:3"])
    #expect(g.count == 105)
    let all = Sweep.run(g, range: 0..<g.count, threads: 2)
    #expect(all == Sweep.run(g, range: 0..<g.count, threads: 1))
    var joined: [SweepRow] = []
    for i in 0..<4 { joined += Sweep.run(g, range: g.shard(i, of: 4), threads: 2) }
    #expect(joined == all)
    for r in all {
      #expect((r.error != nil) == (r.point["theta0"]! >= 0.7))  // θ0 ≥ θ1 = 0.7 is invalid
      guard r.error == nil else { continue }
      let p = try Parameters(
        alpha: r.point["alpha"], beta: r.point["beta"], theta0: r.point["theta0"])
      #expect(r.phiStar == p.fixedPoint(ConstantInput(loss: 0.5)).phi)
      let start = p.restingState(ConstantInput(loss: 0.5))
      #expect(r.toMulti == (try p.latency(to: .multi, from: start, input: ConstantInput(loss: 20))))
    }
  }

  /// `sweep merge` accepts exactly the shards of one grid and rebuilds the whole file.
  @Test func merge() throws {
    let g = try SweepGrid(variant: .report, specs: ["alpha": "0.1:0.9:9"])
    let whole = SweepFile(grid: g, shard: (0, 1), rows: Sweep.run(g, range: 0..<g.count, threads: 1))
    let shards = (0..<3).map { i in
      SweepFile(grid: g, shard: (i, 3), rows: Sweep.run(g, range: g.shard(i, of: 3)))
    }
    #expect(try SweepFile.mergeCSV(shards.reversed().map { ("s", $0.csv) }) == whole.csv)
    #expect(try SweepFile.merge(shards.map { ("s", $0) }) == whole)
    #expect(throws: SweepError.self) { try SweepFile.mergeCSV([("a", shards[0].csv), ("b", shards[1].csv)]) }
    #expect(throws: SweepError.self) {
      try SweepFile.mergeCSV([("a", shards[0].csv), ("b", shards[0].csv), ("c", shards[2].csv)])
    }
    let other = try SweepGrid(variant: .report, specs: ["alpha": "0.1:0.9:10"])
    let foreign = SweepFile(grid: other, shard: (1, 3), rows: [])
    #expect(throws: SweepError.self) {
      try SweepFile.merge([("a", shards[0]), ("b", foreign), ("c", shards[2])])
    }
  }
}

/// The axis's values are made once per axis from its endpoints' exact decimals; they must be the
/// values the per-value formula gives (an independent restatement of SPEC's decimal grid: the
/// endpoints as typed, `a + (b − a)·i/(n − 1)` computed on the decimals, rounded once).
@Suite struct SweepSpacingTests {
  @Test(arguments: ["0.1:0.5:5", "0.3:0.4:3", "1e-10:0.7:11", "-2.5:3.25:24", "0:90:4", "5:1:9"])
  func spacingMatchesDecimalGrid(_ spec: String) throws {
    let axis = try SweepAxis(name: "alpha", spec: spec)
    let parts = spec.split(separator: ":").map { Decimal(string: String($0))! }
    let (a, b, n) = (parts[0], parts[1], Int(truncating: parts[2] as NSDecimalNumber))
    #expect(axis.values.count == n)
    for i in 0..<n {
      let exact = a + (b - a) * Decimal(i) / Decimal(n - 1)
      #expect(axis.values[i] == Double(exact.description)!, "\(spec) value \(i)")
    }
  }

  @Test func countIsReadWithoutMakingValues() {
    #expect(SweepAxis.count("0:1:10000000") == 10_000_000)
    #expect(SweepAxis.count("0.5") == 1)
    #expect(SweepAxis.count("0:1:0") == nil)
    #expect(SweepAxis.count("0:1:10000001") == nil)
  }
}
