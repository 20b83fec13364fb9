import Foundation
import Testing

@Suite struct AnalysisCLITests {
  func object(_ text: String) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
  }

  @Test func analyzeDefaultTable() throws {
    let r = try CLI.run(["analyze"])
    #expect(r.status == 0)
    #expect(r.stdout.contains("  low stress  L = 0.5, E = 0.0   0.166667  0.142857  Single"))
    #expect(r.stdout.contains("  to Mirror (sustained shock)             never        never"))
    #expect(r.stdout.contains("the Jacobian is defective"))
    #expect(
      r.stdout.contains(
        "  update 35 (shock): Single → Multi\n  update 108 (recovery update 8): Multi → Single\n"))
  }

  /// The documented JSON keys, with the values of the defaults.
  @Test func analyzeJSONKeys() throws {
    let r = try CLI.run(["analyze", "--format", "json"])
    #expect(r.status == 0)
    let o = try object(r.stdout)
    let fp = try #require(o["fixedPoint"] as? [String: Any])
    #expect(fp["ehat"] as? Double == 1.0 / 6 && fp["phi"] as? Double == 1.0 / 7 && fp["mode"] as? Int == 0)
    #expect((o["jacobian"] as? [[Double]])?[0] == [0.9, 0])
    #expect(o["eigenvalues"] as? [Double] == [0.9, 0.9])
    #expect(o["spectralRadius"] as? Double == 0.9)
    let st = try #require(o["settlingTime"] as? [String: Any])
    let rel = try #require(st["relativeToStep"] as? [String: Any])
    #expect(rel["steps"] as? Int == 55 && rel["convention"] as? String == "relativeToStep")
    #expect(st["relativeToFinal"] != nil && st["absolute"] != nil)
    let lat = try #require(o["latency"] as? [String: Any])
    #expect(lat["toMulti"] as? Int == 35 && lat["toMirror"] is NSNull && lat["toSingle"] as? Int == 8)
    let reach = try #require(o["reachability"] as? [String: Any])
    #expect(abs((reach["phiSup"] as? Double ?? 0) - 1.0 / 3) < 1e-15 && reach["phiInf"] as? Double == 0)
    #expect(reach["modes"] as? [Int] == [0, 1])
    #expect(abs((reach["minEnvForMirror"] as? Double ?? 0) - 26.0 / 7) < 1e-14)
    #expect(reach["minLossForMirror"] is NSNull)
  }

  @Test func analyzeRejectsBadInput() throws {
    let r = try CLI.run(["analyze", "--shock-loss=-1"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("Error: invalid value shock-loss = -1.0: expected a finite number ≥ 0"))
    let p = try CLI.run(["analyze", "--alpha", "1.5"])
    #expect(p.status == 64)
    #expect(p.stderr.contains("Error: invalid parameter alpha = 1.5: expected a number in (0, 1]"))
  }

  /// A regime whose fixed point sits on a threshold (L = 6 gives φ* = θ0 = 0.3 at the defaults)
  /// is reported at once as undecidable, not iterated to the step limit.
  @Test func analyzeFixedPointOnAThreshold() throws {
    let r = try CLI.run(["analyze", "--loss", "6"])
    #expect(r.status == 1)
    #expect(
      r.stderr
        == "Error: the low-stress input L = 6.0, E = 0.0 puts the fixed point φ* = 0.3 on the threshold θ0 = 0.3 (within rounding): the mode it settles in is not decided in binary64; move the input off the threshold (T08 gives the exact boundary)\n"
    )
    #expect(try CLI.run(["analyze", "--loss", "5.9"]).status == 0)
  }

  @Test func claimsDefaults() throws {
    let r = try CLI.run(["claims", "--format", "json"])
    #expect(r.status == 0)
    let o = try object(r.stdout)
    let claims = try #require(o["claims"] as? [[String: Any]])
    #expect(
      claims.map { $0["verdict"] as? String } == [
        "refuted", "holds", "holds only under stated conditions", "refuted",
        "holds only under stated conditions", "refuted", "refuted",
      ])
    // Every witness is a pasteable command line into simulate.
    for c in claims {
      for w in c["witnesses"] as? [[String: Any]] ?? [] {
        let command = try #require(w["command"] as? String)
        #expect(command.hasPrefix("{ echo loss,env; ") && command.contains(" | unified-lora simulate "))
      }
    }
    let table = try CLI.run(["claims"])
    #expect(table.stdout.contains("C4 [refuted] a loss spike"))
    #expect(
      table.stdout.contains(
        "With E ≡ 0 and any loss, can Mirror be reached?\n    no: φ ≤ 0.3333333333333333 < θ1 = 0.7 at every step where a switch is allowed"
      ))
    // Each threshold exactly and in binary64 (the least double reaching the mode).
    let reach = try #require(
      (try object(try CLI.run(["analyze", "--format", "json"]).stdout))["reachability"] as? [String: Any])
    let th = try #require(reach["thresholds"] as? [String: Any])
    let e = try #require(th["minEnvForMirrorValue"] as? [String: Any])
    #expect(e["exact"] as? String == "26/7" && e["binary64"] as? Double == 3.7142857142857215)
    // Each verdict names the state it is about.
    let claims2 = try #require(o["claims"] as? [[String: Any]])
    #expect(claims2.allSatisfy { $0.keys.contains("initialState") })
    let cth = try #require(o["thresholds"] as? [String: Any])
    let ce = try #require(cth["minEnvForMirrorValue"] as? [String: Any])
    #expect(ce["exact"] as? String == "26/7" && ce["binary64"] as? Double == 3.7142857142857215)
  }

  /// The C1 witness, pasted into simulate, shows φ = 0 in its first record.
  @Test func claimsWitnessReplaysThroughSimulate() throws {
    let r = try CLI.run(["claims", "--format", "json"])
    let o = try object(r.stdout)
    let claims = try #require(o["claims"] as? [[String: Any]])
    let c6 = try #require(claims.first { $0["id"] as? String == "C6" })
    let ws = try #require(c6["witnesses"] as? [[String: Any]])
    var phis: [String] = []
    for w in ws {
      let runs = try #require(w["runs"] as? [[String: Any]])
      let log =
        "loss,env\n"
        + runs.flatMap { run in
          Array(repeating: "\(run["loss"]!),\(run["env"]!)\n", count: run["count"] as! Int)
        }.joined()
      let initial = try #require(w["initial"] as? [String: Any])
      let out = try CLI.run(
        [
          "simulate", "--format", "csv", "--initial-ehat", "\(initial["ehat"]!)", "--initial-phi",
          "\(initial["phi"]!)",
        ],
        stdin: log)
      #expect(out.status == 0)
      phis.append(String(out.stdout.split(separator: "\n")[1].split(separator: ",")[4]))
    }
    #expect(phis.count == 2 && phis[0] != phis[1])
  }

  @Test func sweepShardsAndMerge() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sweep-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let whole = try CLI.run(["sweep", "--alpha", "0.1:0.9:5", "--beta", "0.5:0.9:3"])
    #expect(whole.status == 0)
    var paths: [String] = []
    for i in 0..<2 {
      let s = try CLI.run(["sweep", "--alpha", "0.1:0.9:5", "--beta", "0.5:0.9:3", "--shard", "\(i)/2"])
      let path = dir.appendingPathComponent("s\(i).csv").path
      try s.stdout.write(toFile: path, atomically: true, encoding: .utf8)
      paths.append(path)
    }
    let merged = try CLI.run(["sweep", "merge", paths[1], paths[0]])
    #expect(merged.status == 0 && merged.stdout == whole.stdout)
    let missing = try CLI.run(["sweep", "merge", paths[1]])
    #expect(missing.status == 2 && missing.stderr == "Error: missing shard(s) 0/2 of 2\n")
    let repoEnv = try CLI.run(["sweep", "--variant", "repo", "--env", "0:1:3"])
    #expect(repoEnv.status == 64)
    #expect(
      repoEnv.stderr.hasPrefix(
        "Error: invalid option --env = 0:1:3: the repo variant has no external stress; drop it or use --variant report"
      ))
    let bad = try CLI.run(["sweep", "--alpha", "0:1"])
    #expect(bad.status == 64 && bad.stderr.contains("expected a number or start:end:count"))
  }
}
