import Testing
import UnifiedLoRA
import UnifiedLoRAAudit

/// The gap range's error names its parameter by the typed id, with the value and the whole message.
@Suite struct GapInputsTests {
  @Test(arguments: [(2.0, 1.0, "2.0:1.0"), (-1, .infinity, "-1.0:inf"), (0, .nan, "0.0:nan")])
  func badRangeNamesGapLossRange(_ low: Double, _ high: Double, _ value: String) {
    let requirement = "LOW:HIGH with 0 ≤ LOW ≤ HIGH (HIGH may be inf)"
    #expect(throws: ParameterError(field: .gapLossRange, value: value, requirement: requirement)) {
      try GapInputs(lossLow: low, lossHigh: high)
    }
    #expect(ParameterID.gapLossRange.rawValue == "gap-loss-range")
    #expect(
      ParameterError(field: .gapLossRange, value: value, requirement: requirement).description
        == "invalid parameter gap-loss-range = \(value): expected \(requirement)")
  }
}
