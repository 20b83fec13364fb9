import Testing

@testable import UnifiedLoRAAnalysis

@Suite struct GSLLayerTests {
  /// GSL is linked and Brent's method finds the loss at which the report variant's fixed point
  /// leaves Single with E = 0: X* = 3/7 ⇔ D = 6/7 ⇔ L = 6 (closed form).
  @Test func brentFindsTheSingleBoundary() throws {
    let theta0 = 0.3
    let root = try BrentRoot.solve(in: 0, 1000) { l in
      let x = 0.5 * (l / (1 + l))
      return x / (1 + x) - theta0
    }
    #expect(abs(root - 6) < 1e-12)
  }

  /// A bad bracket is a thrown GSLError, not GSL's abort().
  @Test func badBracketThrows() {
    #expect(throws: GSLError.self) {
      try BrentRoot.solve(in: 0, 1) { x in x * x + 1 }
    }
  }

  @Test func versionIsLinked() {
    #expect(GSL.version.hasPrefix("2."))
  }
}
