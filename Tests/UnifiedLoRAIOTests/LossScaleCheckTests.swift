import Foundation
import Testing
import UnifiedLoRAIO

@Suite struct LossScaleCheckTests {
  /// A per-token cross-entropy falling from ln 32000 ≈ 10.4 (a uniform guess over a 32k-token
  /// vocabulary) to 2: a mean loss.
  static let mean: [Double] = (0..<300).map { 10.4 - 8.4 * Double($0) / 299 }
  /// The same losses summed over 512 tokens per step.
  static let summed = mean.map { $0 * 512 }

  @Test func aSummedSeriesIsFlaggedByItsValues() throws {
    let f = try #require(LossScaleCheck.check(column: "loss", scaled: false, losses: Self.summed))
    #expect(f.reasons == [.medianAboveCeiling])
    #expect(f.sampleCount == LossScaleCheck.sampleSize)
    // The median of the first 100: the mean of the 50th and 51st, each a loss times 512.
    let first = Self.summed.prefix(100).sorted()
    #expect(f.median == first[49] / 2 + first[50] / 2)
    #expect(f.median > LossScaleCheck.ceiling)
    #expect(f.squashedMedian == f.median / (1 + f.median))
    #expect(f.column == "loss")
  }

  @Test func aMeanSeriesIsNotFlagged() {
    #expect(LossScaleCheck.check(column: "loss", scaled: false, losses: Self.mean) == nil)
  }

  /// The value rule sits at ln 2^20 exactly: a median just above draws the finding, at it does not.
  @Test func theCeilingIsLnTwoToTheTwenty() throws {
    #expect(LossScaleCheck.ceiling == log(1_048_576.0))
    let above = LossScaleCheck.ceiling.nextUp
    #expect(LossScaleCheck.check(column: "loss", scaled: false, losses: [LossScaleCheck.ceiling]) == nil)
    let f = try #require(LossScaleCheck.check(column: "loss", scaled: false, losses: [above]))
    #expect(f.reasons == [.medianAboveCeiling] && f.median == above && f.sampleCount == 1)
  }

  @Test(arguments: ["loss:sum", "loss_sum", "train/sum_loss", "metrics.Loss.SUM"])
  func aNameSayingSumIsFlaggedUnlessScaled(_ column: String) throws {
    let f = try #require(LossScaleCheck.check(column: column, scaled: false, losses: Self.mean))
    #expect(f.reasons == [.nameSaysSum])
    #expect(LossScaleCheck.check(column: column, scaled: true, losses: Self.mean) == nil)
    // The value rule is not waived by the scale: the scaled losses are what it reads.
    #expect(
      LossScaleCheck.check(column: column, scaled: true, losses: Self.summed)?.reasons == [
        .medianAboveCeiling
      ])
    #expect(
      LossScaleCheck.check(column: column, scaled: false, losses: Self.summed)?.reasons == [
        .nameSaysSum, .medianAboveCeiling,
      ])
  }

  @Test(arguments: ["loss", "summary", "checksum", "sums", "train/loss"])
  func aNameWithoutTheComponentSumIsNotFlagged(_ column: String) {
    #expect(!LossScaleCheck.nameSaysSum(column))
  }

  /// The decision is made once, on the first 100 valid losses: a NaN, an infinity or a negative
  /// loss is skipped, and later losses change nothing.
  @Test func itDecidesOnceOnTheFirstHundredValidLosses() {
    var check = LossScaleCheck(column: "loss", scaled: false)
    #expect(check.observe(.nan) == nil && check.observe(.infinity) == nil && check.observe(-1) == nil)
    for loss in Self.summed.prefix(99) { #expect(check.observe(loss) == nil) }
    #expect(!check.isDecided)
    #expect(check.observe(Self.summed[99])?.sampleCount == 100)
    #expect(check.isDecided)
    #expect(check.observe(Self.summed[100]) == nil)
    #expect(check.finish() == nil, "already decided")
    // Summed losses after 100 mean ones are never seen.
    #expect(
      LossScaleCheck.check(column: "loss", scaled: false, losses: Self.mean.prefix(100) + Self.summed) == nil)
  }

  @Test func noValidLossGivesNoFindingWhateverTheName() {
    #expect(LossScaleCheck.check(column: "loss:sum", scaled: false, losses: [Double.nan, -2]) == nil)
    var check = LossScaleCheck(column: "loss:sum", scaled: false)
    #expect(check.finish() == nil && check.isDecided)
  }

  /// An even sample's median adds halves: two losses near the largest double do not overflow.
  @Test func theMedianOfHugeLossesIsFinite() throws {
    let f = try #require(
      LossScaleCheck.check(
        column: "loss", scaled: false, losses: [Double.greatestFiniteMagnitude, .greatestFiniteMagnitude]))
    #expect(f.median == .greatestFiniteMagnitude)
    #expect(f.sampleCount == 2)
  }
}
