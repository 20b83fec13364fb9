import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAudit

/// The sparse audit's "inconsistent" is a proof: on a dense log it never refutes a record that
/// the dense audit's tolerance rule accepts, whatever τ and however far above 1 the value is.
@Suite struct SparseToleranceTests {
  func sparse(_ text: String, _ tau: Double) throws -> SparseReport {
    let path = FileManager.default.temporaryDirectory
      .appendingPathComponent("unified-lora-sparse-tolerance-\(UUID().uuidString).csv").path
    try text.write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try SparseAudit.run(
      path: path, columns: AuditColumns(), parameters: .report, tolerance: Tolerance(tau),
      gaps: GapInputs())
  }

  /// One step from Ê = 0 with loss 1 and env 70: the report variant's Ê after it is 3.525. A
  /// logged Ê down to the rule's reach `3.525·(1 − τ)` is accepted by both audits.
  @Test(arguments: [0.5, 0.1, 1e-3, 1e-6])
  func sparseKeepsEveryAcceptedValue(_ tau: Double) throws {
    let reference = Parameters.report.advance(.reportInitial, Input(step: 0, loss: 1, env: 70)).ehat
    #expect(abs(reference - 3.525) < 1e-12)
    let tolerance = Tolerance(tau)
    // The smallest logged value the rule accepts (|l − r| ≤ τ·r), found by bisection on the rule.
    var lo = 0.0
    var hi = reference
    for _ in 0..<200 {
      let mid = (lo + hi) / 2
      if tolerance.agrees(.ehat, logged: mid, reference: reference) { hi = mid } else { lo = mid }
    }
    for logged in [hi, reference * (1 - tau / 2), reference] {
      #expect(tolerance.agrees(.ehat, logged: logged, reference: reference))
      let report = try sparse("step,loss,env,ehat\n0,1,70,\(logged)\n", tau)
      #expect(report.verdict == .consistent, "τ \(tau), logged \(logged): \(report.summary)")
      #expect(
        tolerance.halfWidth(around: logged) >= reference - logged,
        "τ \(tau): the band around \(logged) reaches \(reference)")
    }
  }

  /// A value the rule refutes is still refuted (the band is no wider than it must be).
  @Test func sparseStillRefutesAValueOutsideTheRule() throws {
    let report = try sparse("step,loss,env,ehat\n0,1,70,1\n", 0.5)
    #expect(report.verdict == .inconsistent)
  }
}
