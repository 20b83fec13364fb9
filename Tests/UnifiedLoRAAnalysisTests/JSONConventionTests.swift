import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRASupport

@testable import UnifiedLoRAAnalysis

/// The project's one JSON convention (`JSONFormat`): a non-finite number is the string
/// `"Infinity"`, `"-Infinity"` or `"NaN"`, whichever type holds it; a missing optional is `null`.
@Suite struct JSONConventionTests {
  func json<T: Encodable>(_ value: T) throws -> String {
    String(decoding: try JSONFormat.encoder.encode(value), as: UTF8.self)
  }

  /// Fails on any other spelling of a non-finite number (`inf`, `nan`, a bare `Infinity`
  /// literal, an overflowing `1e309`).
  func expectOnlyConventionalSpellings(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
    for bad in [
      #""inf""#, #""-inf""#, #""+inf""#, #""nan""#, #""+Infinity""#, ": Infinity", ": -Infinity", ": NaN",
      "e309",
    ] {
      #expect(!text.contains(bad), "\(bad) in \(text)", sourceLocation: sourceLocation)
    }
  }

  @Test(arguments: [Double.infinity, -Double.infinity, Double.nan])
  func thresholdValue(_ x: Double) throws {
    let v = ThresholdValue(
      exact: "x", decimal: x, binary64: x, binary64Note: nil, binary64Meaning: "least double reaching Mirror")
    let text = try json(v)
    let spelling = x.isNaN ? "NaN" : x > 0 ? "Infinity" : "-Infinity"
    #expect(text.contains(#""decimal" : "\#(spelling)""#), "\(text)")
    #expect(text.contains(#""binary64" : "\#(spelling)""#), "\(text)")
    #expect(text.contains(#""binary64Note" : null"#), "a missing optional keeps its key: \(text)")
    expectOnlyConventionalSpellings(text)
    let back = try JSONFormat.decoder.decode(ThresholdValue.self, from: Data(text.utf8))
    #expect(back.decimal.bitPattern == x.bitPattern || (x.isNaN && back.decimal.isNaN))
  }

  /// The input box's infinite bounds (the default `claims` box is `L ∈ [0, ∞)`) are written like
  /// every other non-finite number, and read back; the earlier spelling `"inf"` is still read.
  @Test func inputBox() throws {
    let box = InputBox(loss: 0...Double.infinity, env: 0...Double.infinity)
    let text = try json(box)
    #expect(text.contains(#""lossHi" : "Infinity""#), "\(text)")
    #expect(text.contains(#""envHi" : "Infinity""#), "\(text)")
    expectOnlyConventionalSpellings(text)
    #expect(try JSONFormat.decoder.decode(InputBox.self, from: Data(text.utf8)) == box)
    let old = #"{"lossLo": 0, "lossHi": "inf", "envLo": 0, "envHi": 2}"#
    #expect(try JSONDecoder().decode(InputBox.self, from: Data(old.utf8)).lossHi == .infinity)
    let bad = #"{"lossLo": 0, "lossHi": "lots", "envLo": 0, "envHi": 2}"#
    #expect(throws: DecodingError.self) { try JSONDecoder().decode(InputBox.self, from: Data(bad.utf8)) }
  }

  /// A whole `claims` report at the defaults (its box has an infinite loss bound): every
  /// non-finite number is spelled by the convention, and the report reads back unchanged.
  @Test func claimsReport() throws {
    let report = try Parameters.report.claims(ClaimsRequest())
    let text = try json(report)
    #expect(text.contains(#""lossHi" : "Infinity""#))
    expectOnlyConventionalSpellings(text)
    #expect(try JSONFormat.decoder.decode(ClaimsReport.self, from: Data(text.utf8)) == report)
  }

  /// `EncodesEveryKey`: a `nil` optional is written as `null` under its own key (the
  /// synthesised encoding would leave the key out), and decodes back to `nil`.
  @Test func missingOptionalsKeepTheirKeys() throws {
    let t = SettlingTime(
      convention: .relativeToStep, epsilon: 0.02, band: .infinity, steps: nil, certifiedFrom: nil,
      upperBound: nil, spectralRadiusEstimate: nil, note: "never")
    let text = try json(t)
    for key in ["steps", "certifiedFrom", "upperBound", "spectralRadiusEstimate"] {
      #expect(text.contains(#""\#(key)" : null"#), "\(key) in \(text)")
    }
    #expect(text.contains(#""band" : "Infinity""#))
    #expect(try JSONFormat.decoder.decode(SettlingTime.self, from: Data(text.utf8)) == t)
  }
}
