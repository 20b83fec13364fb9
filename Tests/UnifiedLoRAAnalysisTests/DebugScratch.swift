import Testing
import UnifiedLoRA
@testable import UnifiedLoRAAnalysis

@Test func scratch() throws {
  for p in [Parameters.repo, Parameters.report] {
  for l in [0.0, 0.5, 1.0, 2.0, 64.0, 1e6, 1e12] {
    do { let f = try p.fixedPointNumerically(ConstantInput(loss: l, env: l)); print(l, f, p.fixedPoint(ConstantInput(loss: l, env: l))) } catch { print(l, error) }
  }
  }
}
