import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAudit

@Suite(.serialized) struct VectorsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  func temporaryDirectory() throws -> String {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("unified-lora-vectors-\(UUID().uuidString)").path
    return dir
  }

  func bits(_ any: Any?) -> UInt64? {
    guard let s = any as? String, s.hasPrefix("0x") else { return nil }
    return UInt64(s.dropFirst(2), radix: 16)
  }

  /// Every case file, read back, is reproduced by replaying its own inputs and parameters.
  @Test func writtenVectorsAreReproducedByReplay() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let written = try ConformanceVectors.write(to: dir)
    #expect(written.last == "index.json")
    let index = try #require(
      JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/index.json")))
        as? [String: Any])
    let entries = try #require(index["cases"] as? [[String: Any]])
    #expect(entries.count == ConformanceVectors.cases().count)
    #expect(Set(entries.compactMap { $0["variant"] as? String }) == ["report", "repo"])
    for entry in entries {
      let file = try #require(entry["file"] as? String)
      let c = try #require(
        JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/" + file)))
          as? [String: Any])
      let q = try #require(c["parameters"] as? [String: Any])
      func f(_ o: [String: Any], _ k: String) throws -> Double {
        let b = try #require(bits(o[k + "_bits"]), "\(file): \(k)_bits")
        // Only the bits: Foundation's JSONSerialization on Linux reads some 17-digit decimals a
        // few ulps off (which is why the vectors carry bit patterns). The Python checker, whose
        // float() is correctly rounded, checks that each decimal reads back as its bits.
        return Double(bitPattern: b)
      }
      let lr = try #require(q["lr"] as? [[String: Any]]).map { try f($0, "value") }
      let initial = try #require(q["initial"] as? [String: Any])
      let p = try Parameters(
        variant: Variant(rawValue: try #require(c["variant"] as? String))!,
        alpha: f(q, "alpha"), beta: f(q, "beta"), alphaE: f(q, "alpha_e"), theta0: f(q, "theta0"),
        theta1: f(q, "theta1"), cooldown: try #require(q["cooldown"] as? Int),
        learningRates: LearningRates(single: lr[0], multi: lr[1], mirror: lr[2]),
        initial: ControllerState(
          ehat: f(initial, "ehat"), phi: f(initial, "phi"),
          mode: Mode(rawValue: try #require(initial["mode"] as? Int))!))
      let inputs = try #require(c["inputs"] as? [[String: Any]]).map {
        Input(step: $0["step"] as! Int, loss: try f($0, "loss"), env: try f($0, "env"))
      }
      var s = p.initial
      let records = try #require(c["records"] as? [[String: Any]])
      #expect(records.count == inputs.count)
      for (input, r) in zip(inputs, records) {
        s = p.advance(s, input)
        #expect(bits(r["ehat_bits"]) == s.ehat.bitPattern, "\(file) step \(input.step)")
        #expect(bits(r["phi_bits"]) == s.phi.bitPattern, "\(file) step \(input.step)")
        #expect(bits(r["lr_bits"]) == p.learningRates[s.mode].bitPattern, "\(file) step \(input.step)")
        #expect(r["mode"] as? Int == s.mode.rawValue, "\(file) step \(input.step)")
        #expect((r["last_switch"] as? Int) == s.lastSwitch, "\(file) step \(input.step)")
      }
    }
  }

  /// The edge cases are what their descriptions say.
  @Test func edgeCasesHitTheirEdges() throws {
    let cases = Dictionary(uniqueKeysWithValues: ConformanceVectors.cases().map { ($0.id, $0) })
    for v in Variant.allCases {
      let c = try #require(cases["\(v)-threshold-adjacent"])
      let phis = Set(c.states().map(\.phi))
      for theta in [0.3, 0.7] {
        #expect(phis.isSuperset(of: [theta.nextDown, theta, theta.nextUp]), "\(v) around \(theta)")
      }
    }
    #expect(try cases["report-sustained-env"]!.records().contains { $0.mode == .mirror })
    #expect(try cases["report-huge-losses"]!.records().allSatisfy { $0.ehat.isFinite && $0.phi < 1 })
    #expect(try cases["repo-huge-losses"]!.records().allSatisfy { $0.ehat.isFinite })
    let chatter = try cases["report-cooldown-zero"]!.records()
    #expect(zip(chatter, chatter.dropFirst()).filter { $0.mode != $1.mode }.count >= 30)
  }

  /// The stand-alone Python checker agrees with every vector (python3 must be installed).
  @Test func pythonCheckerPasses() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ConformanceVectors.write(to: dir)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", VectorsTests.root.appendingPathComponent("scripts/check_vectors.py").path, dir]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "\(text)")
    #expect(text.hasSuffix("\(ConformanceVectors.cases().count) passed, 0 failed\n"), "\(text)")
  }

  /// The checker is not vacuous: one flipped bit in a record fails it.
  @Test func pythonCheckerCatchesAFlippedBit() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try ConformanceVectors.write(to: dir)
    let path = dir + "/cases/report-zeros.json"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // Record 3 of report-zeros has phi = 0 (bits 0x0000000000000000); claim the next double.
    let record = "{\"step\": 3, \"ehat\": 0.0, \"ehat_bits\": \"0x0000000000000000\", \"phi\": "
    let tampered = text.replacingOccurrences(
      of: record + "0.0, \"phi_bits\": \"0x0000000000000000\"",
      with: record + "5e-324, \"phi_bits\": \"0x0000000000000001\"")
    #expect(tampered != text)
    try tampered.write(toFile: path, atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["python3", VectorsTests.root.appendingPathComponent("scripts/check_vectors.py").path, dir]
    let out = Pipe()
    p.standardOutput = out
    try p.run()
    let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    #expect(p.terminationStatus == 1)
    #expect(output.contains("FAIL report-zeros"), "\(output)")
    #expect(
      output.contains("step 3: phi = 0.0 (0x0000000000000000), expected 5e-324 (0x0000000000000001)"),
      "\(output)")
  }
}
