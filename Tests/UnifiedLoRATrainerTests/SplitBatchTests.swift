import Testing
import UnifiedLoRA

@testable import UnifiedLoRATrainer

/// A batch split over threads (``SplitBatch``) computes the whole batch's loss and gradient: against
/// one ``Network`` on the whole batch, for batch sizes that split evenly, unevenly and leave a part
/// empty, and the same bits on a repeated call.
@Suite struct SplitBatchTests {
  static let words = ["string", "queen", "apple", "rhythm", "my", "squeal", "yellow", "nth", "glove"]

  @Test(arguments: [(9, 2), (8, 2), (1, 2), (9, 3), (4, 4)])
  func splitEqualsWholeBatch(n: Int, parts: Int) {
    let base = GradientTests.base(seed: 4)
    let whole = Network(base: base, rank: 3, alpha: 6, targets: [.q, .v], capacity: 9)
    let split = SplitBatch(base: base, rank: 3, alpha: 6, targets: [.q, .v], capacity: 9, parts: parts)
    var rng = SeededGenerator(seed: 11)
    let adapters = (0..<whole.layout!.count).map { _ in Float(rng.nextGaussian() * 0.3) }
    let ex = Examples.pigLatin(Array(SplitBatchTests.words.prefix(n)))
    var g1 = [Float](repeating: 0, count: adapters.count)
    var g2 = [Float](repeating: 7, count: adapters.count)
    let l1 = whole.batch(
      adapters: adapters, inputs: ex.inputs, markers: ex.markers, targets: ex.targets, count: n, gradient: &g1
    )
    let l2 = split.batch(
      adapters: adapters, inputs: ex.inputs, markers: ex.markers, targets: ex.targets, count: n, gradient: &g2
    )
    #expect(abs(l1 - l2) <= 1e-6 * abs(l1))
    let scale = g1.map { abs($0) }.max()!
    #expect(scale > 0)
    let worst = zip(g1, g2).map { abs($0 - $1) }.max()!
    #expect(worst <= 1e-5 * scale, "largest gradient difference \(worst) against \(scale)")
    var g3 = [Float](repeating: 0, count: adapters.count)
    let l3 = split.batch(
      adapters: adapters, inputs: ex.inputs, markers: ex.markers, targets: ex.targets, count: n, gradient: &g3
    )
    #expect(l3.bitPattern == l2.bitPattern)
    #expect(g3.map(\.bitPattern) == g2.map(\.bitPattern))
  }
}
