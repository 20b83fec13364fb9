import Foundation
import Testing
import UnifiedLoRA

/// The measured stress signal and the controller it feeds.
@Suite struct LossJumpStressTests {
  /// An independent statement of the signal, written from the formula in the doc comment rather
  /// than from the implementation (a dictionary of the baseline per step, Foundation's `log`),
  /// so that the two can disagree.
  static func oracle(_ losses: [Double], lambda: Double) -> [Double] {
    var b: [Int: Double] = [:]
    var out: [Double] = []
    for (t, x) in losses.enumerated() {
      let l = Foundation.log(Swift.max(x, 1e-12))
      if t == 0 {
        b[0] = l
        out.append(0)
      } else {
        let previous = b[t - 1]!
        out.append(l - previous > 0 ? l - previous : 0)
        b[t] = lambda * previous + (1 - lambda) * l
      }
    }
    return out
  }

  @Test(arguments: [0.98, 0.5, 0.0, 0.999])
  func agreesWithTheFormulaBitForBit(lambda: Double) throws {
    var rng = SeededGenerator(seed: 42)
    var losses: [Double] = []
    for k in 0..<500 {
      if k % 97 == 0 {
        losses.append(0)
      } else if k % 50 < 5 {
        losses.append(Double.random(in: 5...40, using: &rng))
      } else {
        losses.append(Double.random(in: 0.1...1, using: &rng))
      }
    }
    var s = try LossJumpStress(lambda: lambda)
    let got = losses.map { s.update(loss: $0) }
    let want = Self.oracle(losses, lambda: lambda)
    #expect(got.map(\.bitPattern) == want.map(\.bitPattern))
    #expect(got.allSatisfy { $0 >= 0 && $0.isFinite })
    #expect(got.contains { $0 > 1 }, "the jumps must register")
  }

  @Test func firstStepIsZeroAndAJumpIsItsLogRatio() throws {
    var s = try LossJumpStress()
    #expect(s.update(loss: 1) == 0)
    #expect(s.update(loss: 1) == 0)
    #expect(s.update(loss: 10) == Foundation.log(10.0))  // ln 10 above a baseline of ln 1 = 0
    #expect(s.update(loss: 0.5) == 0)
  }

  @Test(arguments: [Double.nan, .infinity, -.infinity, -1, -0.5e-300])
  func anInvalidLossGivesZeroAndLeavesTheBaseline(loss: Double) throws {
    var s = try LossJumpStress()
    _ = s.update(loss: 2)
    let before = s
    let out = s.measure(Input(step: 3, loss: loss, env: 7))
    #expect(out.env == 0)
    #expect(out.step == 3 && out.loss.bitPattern == loss.bitPattern)
    #expect(s == before)
  }

  @Test(arguments: [
    (1.0, "invalid parameter loss-jump.lambda = 1.0: expected a number in [0, 1)"),
    (-0.1, "invalid parameter loss-jump.lambda = -0.1: expected a number in [0, 1)"),
    (Double.nan, "invalid parameter loss-jump.lambda = nan: expected a number in [0, 1)"),
  ])
  func lambdaOutOfRangeIsATypedError(lambda: Double, message: String) {
    #expect(throws: ParameterError.self) { try LossJumpStress(lambda: lambda) }
    do {
      _ = try LossJumpStress(lambda: lambda)
    } catch { #expect(error.description == message) }
  }

  @Test func optionText() throws {
    #expect(try LossJumpStress.parse(options: "").lambda == 0.98)
    #expect(try LossJumpStress.parse(options: "lambda=0.5").lambda == 0.5)
    for (text, message) in [
      (
        "gamma=1",
        "invalid parameter loss-jump = gamma=1: expected lambda=X with X in [0, 1), e.g. loss-jump:lambda=0.98"
      ),
      (
        "lambda=",
        "invalid parameter loss-jump = lambda=: expected lambda=X with X in [0, 1), e.g. loss-jump:lambda=0.98"
      ),
      ("lambda=2", "invalid parameter loss-jump.lambda = 2.0: expected a number in [0, 1)"),
    ] {
      do {
        _ = try LossJumpStress.parse(options: Substring(text))
        Issue.record("\(text) parsed")
      } catch { #expect(error.description == message) }
    }
  }

  @Test func repoVariantHasNoExternalStress() {
    do {
      _ = try LossJumpController(parameters: .repo)
      Issue.record("accepted")
    } catch {
      #expect(
        error.description
          == "invalid parameter env = loss-jump: expected a logged column: the repo variant has no external stress"
      )
    }
  }

  /// The controller consumes exactly `E_t` of the signal: the same records as a plain
  /// ``Controller`` fed the measured E by hand.
  @Test func controllerFeedsTheMeasuredStress() throws {
    let losses: [Double] = (0..<300).map { (k: Int) -> Double in (100..<150).contains(k) ? 20 : 0.5 }
    var measured = try LossJumpController(parameters: .report)
    var plain = Controller(parameters: .report)
    var signal = try LossJumpStress()
    var modes = Set<Mode>()
    for x in losses {
      let lr = try measured.update(loss: x)
      let e = signal.update(loss: x)
      #expect(lr == (try plain.update(loss: x, env: e)))
      #expect(measured.state == plain.state)
      #expect(measured.lastEnv == e)
      modes.insert(measured.state.mode)
    }
    #expect(modes.count >= 2, "the shock must move the mode")
  }

  @Test func rejectedLossLeavesControllerAndSignal() throws {
    var c = try LossJumpController(parameters: .report)
    try c.update(loss: 0.5)
    try c.update(loss: 3)
    let before = c
    #expect(throws: InputError(step: 2, field: .loss, value: .nan)) { try c.update(loss: .nan) }
    #expect(c == before)
  }

  @Test func resumesBitForBitThroughCodable() throws {
    let losses: [Double] = (0..<200).map { (k: Int) -> Double in
      let shock: Double = 12 + Double(k % 3)
      let clean: Double = 0.4 + Double(k % 5) / 10
      return (60..<90).contains(k) ? shock : clean
    }
    var straight = try LossJumpController(parameters: .report, signal: LossJumpStress(lambda: 0.9))
    let all = try losses.map { try straight.update(loss: $0) }
    var first = try LossJumpController(parameters: .report, signal: LossJumpStress(lambda: 0.9))
    let head = try losses[..<75].map { try first.update(loss: $0) }
    var resumed = try JSONDecoder().decode(
      LossJumpController.self, from: JSONEncoder().encode(first))
    let tail = try losses[75...].map { try resumed.update(loss: $0) }
    #expect(head + tail == all)
    #expect(resumed == straight)
  }

  @Test func decodingValidatesLambda() {
    let json = Data(#"{"lambda": 1.5}"#.utf8)
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(LossJumpStress.self, from: json) }
  }
}
