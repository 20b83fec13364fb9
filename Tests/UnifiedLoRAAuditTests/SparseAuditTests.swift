import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAIO

@testable import UnifiedLoRAAudit

/// Sparse logs: consistency of the logged decisions with some inputs in the gaps.
@Suite struct SparseAuditTests {
  /// The report's Table 5.2 (§5.2): steps 200, 225, 250, 275, 350 with loss, mode and lr. Step
  /// 200 reads "M=0 → M=1" with lr "↓": the mode after it is Multi, the lr is not given.
  static let table52 = """
    step,loss,mode,lr
    200,18.42,1,
    225,2.56,1,5e-4
    250,0.0015,1,5e-4
    275,0.0010,2,1e-4
    350,0.0004,0,2e-3

    """

  func audit(
    _ text: String, _ p: Parameters = .report, gaps: GapInputs? = nil
  ) throws -> SparseReport {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("unified-lora-sparse-\(UUID().uuidString).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try SparseAudit.run(
      path: path, columns: AuditColumns(), parameters: p, gaps: gaps ?? GapInputs())
  }

  @Test func table52ReportVariantWithZeroEnvIsInconsistentAtMirror() throws {
    let r = try audit(Self.table52, gaps: try GapInputs(envZero: true))
    #expect(r.verdict == .inconsistent)
    #expect(r.step == 275)
    // With E ≡ 0, X ≤ (1 − α_E)·1 = 0.5, so Ê ≤ 0.5 and φ ≤ 1/3 < θ1: Mirror is out of reach.
    #expect(r.reason?.contains("mode Mirror") == true)
    #expect(!r.summary.contains("closest"))
  }

  @Test func table52ReportVariantWithFreeEnvIsConsistent() throws {
    let r = try audit(Self.table52)
    #expect(r.verdict == .consistent, "\(r.summary)")
    #expect(r.missingSteps == 351 - 5)
  }

  @Test func table52RepoVariantIsNotThisController() throws {
    let r = try audit(Self.table52, .repo)
    #expect(r.verdict == .notThisController)
    #expect(r.step == 225)
  }

  /// The cooldown spaces the switches: Mirror comes in 251…275, so with a cooldown of 100 Single
  /// cannot come before step 351; with 80 the gaps leave room (Multi by step 195, Mirror at 275,
  /// Single at 355 − 5 …).
  @Test func table52WithALongCooldownIsInconsistentAtTheLastSwitch() throws {
    let r = try audit(Self.table52, try Parameters(cooldown: 100))
    #expect(r.verdict == .inconsistent, "\(r.summary)")
    #expect(r.step == 350)
    #expect(try audit(Self.table52, try Parameters(cooldown: 75)).verdict == .consistent)
  }

  func denseLog(seed: UInt64 = 7) -> [LoggedStep] {
    Fixtures.log(UpdateRule(.report), Fixtures.inputs(seed: seed))
  }

  @Test(arguments: [UInt64(1), 7, 42])
  func denseConformingLogSubsampledEveryTenIsConsistent(seed: UInt64) throws {
    let sparse = denseLog(seed: seed).filter { $0.step % 10 == 0 }
    let r = try audit(Fixtures.csv(sparse))
    #expect(r.verdict == .consistent, "seed \(seed): \(r.summary)")
    #expect(r.missingSteps == 891 - 90)
  }

  @Test func modeOnlySubsampleIsConsistent() throws {
    let sparse = denseLog().filter { $0.step % 10 == 0 }.map {
      var s = $0
      s.phi = nil
      s.ehat = nil
      s.lr = nil
      return s
    }
    #expect(try audit(Fixtures.csv(sparse)).verdict == .consistent)
  }

  /// A switch logged back less than a cooldown after the one before: the check must fail.
  @Test(arguments: [UInt64(1), 7, 42])
  func plantedCooldownViolationIsCaught(seed: UInt64) throws {
    var sparse = denseLog(seed: seed).filter { $0.step % 10 == 0 }.map {
      var s = $0
      s.phi = nil
      s.ehat = nil
      s.lr = nil
      return s
    }
    let k = try #require(sparse.indices.dropFirst().first { sparse[$0].mode != sparse[$0 - 1].mode })
    try #require(k + 1 < sparse.count && sparse[k + 1].mode == sparse[k].mode)
    sparse[k + 1].mode = sparse[k - 1].mode
    let r = try audit(Fixtures.csv(sparse))
    #expect(r.verdict == .inconsistent, "seed \(seed): \(r.summary)")
    #expect(r.step == sparse[k + 1].step)
  }

  /// φ ≤ 1 − 0.9^t from φ0 = 0 whatever the inputs, and the mode reads the old φ: no Mirror at step 10.
  @Test func plantedEarlyMirrorIsCaught() throws {
    let r = try audit("step,loss,mode\n10,1,2\n")
    #expect(r.verdict == .inconsistent)
    #expect(r.step == 10)
    // With θ1 lowered to 0.5, φ_10 ≤ 1 − 0.9^9 ≈ 0.61 could read Mirror, but from Single φ passes
    // θ0 first (one step adds at most 0.1), Multi is taken and the cooldown holds it: still out of
    // reach. Without the cooldown it is reachable.
    #expect(try audit("step,loss,mode\n10,1,2\n", try Parameters(theta1: 0.5)).verdict == .inconsistent)
    #expect(
      try audit("step,loss,mode\n10,1,2\n", try Parameters(theta1: 0.5, cooldown: 0)).verdict == .consistent)
  }

  @Test func loggedPhiOutsideTheEnvelopeIsCaught() throws {
    var sparse = denseLog().filter { $0.step % 10 == 0 }
    sparse[5].phi = sparse[5].phi! + 0.2
    let r = try audit(Fixtures.csv(sparse))
    #expect(r.verdict == .inconsistent)
    #expect(r.step == sparse[5].step)
  }

  @Test func cosineScheduleIsNotThisController() throws {
    var text = "step,loss,lr\n"
    for t in stride(from: 0, to: 200, by: 10) {
      text += "\(t),1.5,\(1e-4 + 0.5 * (2e-3 - 1e-4) * (1 + cos(Double.pi * Double(t) / 200)))\n"
    }
    let r = try audit(text)
    #expect(r.verdict == .notThisController)
    #expect(r.reason?.contains("not a three-level map") == true)
  }

  /// With E ≡ 0 the gap losses bound φ: D ≤ 1 gives φ ≤ 1/3 (Multi reachable by step 50), a loss
  /// ≤ 1 gives D ≤ 1/2, Ê ≤ 1/4, φ ≤ 1/5 < θ0 (Multi out of reach).
  @Test func theGapLossRangeDecides() throws {
    let log = "step,loss,mode\n50,1,1\n"
    #expect(try audit(log, gaps: try GapInputs(envZero: true)).verdict == .consistent)
    let r = try audit(log, gaps: try GapInputs(lossLow: 0, lossHigh: 1, envZero: true))
    #expect(r.verdict == .inconsistent)
    #expect(r.step == 50)
  }

  @Test func gapLossRangeIsValidated() {
    #expect(throws: ParameterError.self) { try GapInputs(lossLow: 2, lossHigh: 1) }
    #expect(throws: ParameterError.self) { try GapInputs(lossLow: -1) }
    #expect(GapInputs.lossRange("0:inf")! == (0, .infinity))
    #expect(GapInputs.lossRange("0:x") == nil)
  }

  /// The set is sound: on a dense log the true state after every record is inside its box.
  @Test func theEnvelopeContainsTheTrueStateOnEveryStep() {
    let p = Parameters.report
    let inputs = Fixtures.inputs(seed: 3, count: 300)
    var truth = p.initial
    var set = StateSet(p)
    for input in inputs {
      truth = p.advance(truth, input)
      set = set.step(at: input.step, lossLo: 0, lossHi: .infinity, envLo: 0, envHi: .infinity, p)
      let age: StateSet.Age =
        truth.lastSwitch.map { input.step + 1 - $0 < p.cooldown ? .since(input.step + 1 - $0) : .elapsed }
        ?? .elapsed
      let box = set.boxes[StateSet.Key(mode: truth.mode, age: age)]
      #expect(box != nil, "step \(input.step): \(truth)")
      if let box {
        #expect(box.phiLo <= truth.phi && truth.phi <= box.phiHi)
        #expect(box.ehatLo <= truth.ehat && truth.ehat <= box.ehatHi)
      }
    }
  }
}
