import Foundation
import Testing

/// The `train` command on the built binary: a short run (20 steps, a 5-step base pretraining).
@Suite struct TrainCLITests {
  @Test func shortRunWritesCSVAndSummary() throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("train-cli-\(getpid())")
    defer { try? FileManager.default.removeItem(at: dir) }
    let r = try CLI.run([
      "train", "--steps", "20", "--seeds", "1", "--arms", "unified,fixed:1e-4", "--pretrain-steps", "5",
      "--shocks", "5:10", "--sharpness-at", "none", "--format", "json", "--out", dir.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.isEmpty)  // no progress output when standard error is not a terminal
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    for key in ["arms", "blas", "checks", "command", "configuration", "pretraining", "runs", "seconds", "version"] {
      #expect(json[key] != nil, "missing key \(key)")
    }
    let arms = try #require(json["arms"] as? [[String: Any]])
    #expect(arms.map { $0["arm"] as? String } == ["unified", "unified+signal", "fixed:1e-4"])
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    #expect(files == ["fixed_1e-4-seed1.csv", "summary.json", "unified-seed1.csv", "unified-signal-seed1.csv"])
    let csv = try String(contentsOf: dir.appendingPathComponent("unified-seed1.csv"), encoding: .utf8)
    let lines = csv.split(separator: "\n")
    #expect(lines.first == "step,loss,shocked,env,ehat,phi,mode,lr,val_loss")
    #expect(lines.count == 21)
    #expect(lines[6].split(separator: ",", omittingEmptySubsequences: false)[2] == "1")  // step 5 is shocked
    let blas = try #require(json["blas"] as? [String: Any])
    #expect((blas["sgemm_provider"] as? String)?.contains("openblas") == true)
  }

  @Test func tableByDefault() throws {
    let r = try CLI.run([
      "train", "--steps", "10", "--seeds", "1", "--arms", "plateau", "--pretrain-steps", "2", "--shocks", "none",
      "--sharpness-at", "none",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("Training loss at the report's steps"))
    #expect(r.stdout.contains("End of training:"))
  }

  @Test func missingWordListIsABadInputError() throws {
    let r = try CLI.run(["train", "--words", "/nonexistent/words", "--steps", "5"])
    #expect(r.status == 2)
    #expect(r.stderr == "Error: cannot read the word list '/nonexistent/words': install it with `apt-get install wamerican` (or run `make bootstrap`), or pass --words FILE\n")
  }

  @Test func invalidArmIsAUsageError() throws {
    let r = try CLI.run(["train", "--arms", "fixed:0"])
    #expect(r.status == 64)
    #expect(r.stderr.hasPrefix("Error: invalid arm 'fixed:0': expected unified, unified+signal, fixed:LR (e.g. fixed:2e-3) or plateau"))
  }
}
