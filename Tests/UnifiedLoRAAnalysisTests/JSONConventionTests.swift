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

  /// `claims` JSON gives the numbers behind each verdict as numbers (`figures`), beside the prose
  /// of `findings`: a consumer decodes them without parsing sentences.
  @Test func claimFiguresAreNumbers() throws {
    struct Consumer: Decodable {
      struct Claim: Decodable {
        var id: String
        var findings: [String]
        var figures: [String: Double]
      }
      var claims: [Claim]
    }
    let p = Parameters.report
    let request = ClaimsRequest()
    let report = try p.claims(request)
    let read = try JSONFormat.decoder.decode(Consumer.self, from: JSONFormat.encoder.encode(report))
    func claim(_ id: String) -> Consumer.Claim? { read.claims.first { $0.id == id } }

    let c4 = try #require(claim("C4"))
    let phiSup = try p.reachability(request.box).phiSup
    #expect(c4.figures["theta1"] == p.theta1)
    #expect(c4.figures["phiSup"] == phiSup)
    #expect(c4.findings[0].contains("sup φ = \(phiSup)"), "the prose quotes the same number")
    // C4 is refuted at the defaults: the fixed point of the largest input stays below θ1
    #expect(try #require(c4.figures["supPhiStar"]) < p.theta1)

    let c5 = try #require(claim("C5"))
    let shock = try p.shockResponse(clean: request.clean, shock: request.shock, length: request.shockLength)
    #expect(c5.figures["peakPhi"] == shock.peakPhi)
    #expect(c5.figures["peakUpdate"] == Double(shock.peakUpdate))
    #expect(c5.figures["timeConstant"] == -1 / log(p.beta))

    let c7 = try #require(claim("C7"))
    #expect(c7.figures["cooldown"] == Double(p.cooldown))
    #expect(try #require(c7.figures["witnessSwitches"]) >= 4)

    #expect(claim("C3")?.figures["phiStar"] == p.fixedPoint(request.clean).phi)
    // from the defaults' initial state φ = 0 exactly in record 0, as the prose says
    #expect(claim("C1")?.figures["exactZeroRecord"] == 0)
    #expect(claim("C6")?.figures.isEmpty == true, "a claim without numbers has none")
  }
}
