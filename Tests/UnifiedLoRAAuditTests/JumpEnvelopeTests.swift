import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAudit

/// The loss-jump signal's envelope over unlogged losses (``JumpEnvelope``): every sequence of
/// losses in the range gives a signal whose E and baseline stay inside the bounds, at every step.
@Suite struct JumpEnvelopeTests {
  /// A deterministic generator (SplitMix64), so that a failure names its seed.
  struct SplitMix {
    var state: UInt64
    mutating func next() -> Double {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return Double((z ^ (z >> 31)) >> 11) * 0x1p-53
    }
  }

  @Test(arguments: [(1 as UInt64, 0.5, 20.0), (2, 0, 1), (3, 1e-14, 1e6), (4, 0, .infinity)])
  func everyLossSequenceStaysInside(seed: UInt64, lo: Double, hi: Double) throws {
    for lambda in [0.0, 0.5, 0.98] {
      let signal = try LossJumpStress(lambda: lambda)
      var rng = SplitMix(state: seed)
      var envelope = JumpEnvelope(signal)
      var truths = (0..<20).map { _ in signal }
      for step in 0..<300 {
        // Every third step is "logged" (a point loss, the same for every sequence).
        let logged = step % 3 == 2 ? lo + (min(hi, 1e6) - lo) * rng.next() : nil
        let (eLo, eHi) = envelope.step(lossLo: logged ?? lo, lossHi: logged ?? hi)
        for k in truths.indices {
          // Extremes first (the bounds are attained there), then uniform draws in the range.
          let top = min(hi, .greatestFiniteMagnitude)
          let loss = logged ?? (k == 0 ? lo : k == 1 ? top : lo + (min(hi, 1e6) - lo) * rng.next())
          let e = truths[k].update(loss: loss)
          #expect(eLo <= e && e <= eHi, "seed \(seed) λ \(lambda) step \(step): E \(e) ∉ [\(eLo), \(eHi)]")
          let b = truths[k].baseline!
          #expect(
            envelope.low.baseline! <= b && b <= envelope.high.baseline!,
            "seed \(seed) λ \(lambda) step \(step): baseline \(b)")
        }
      }
    }
  }

  /// Known losses keep the envelope a point: the measured signal itself.
  @Test func knownLossesGiveThePointSignal() throws {
    var signal = try LossJumpStress()
    var envelope = JumpEnvelope(signal)
    for loss in [0.5, 0.5, 20, 20, 3, 0.5, 0] {
      let e = signal.update(loss: loss)
      let (lo, hi) = envelope.step(lossLo: loss, lossHi: loss)
      #expect(lo == e && hi == e)
    }
  }

  /// After widening, any finite loss sequence is inside.
  @Test func widenedEnvelopeHoldsEverything() throws {
    var envelope = JumpEnvelope(try LossJumpStress(baseline: 3))
    envelope.widen()
    let (lo, hi) = envelope.step(lossLo: 0, lossHi: .infinity)
    #expect(lo == 0 && hi > 1e300)
    var truth = try LossJumpStress(baseline: -20)
    _ = truth.update(loss: 1e300)
    #expect(envelope.low.baseline! <= truth.baseline! && truth.baseline! <= envelope.high.baseline!)
  }
}
