import Dispatch
import Foundation
import Testing
import UnifiedLoRA

/// Every witness `claims` prints is run, as printed, through the built binary for random
/// configurations, and its output must show what the witness's text says (the mode sequence, the
/// count, the inequality). A text this test cannot check fails it: a new kind of witness needs a
/// checker here. Also: `analyze --format json` through the binary agrees with brute force on the
/// core's step for a few random configurations (the in-process differential test covers 200).
///
/// The checks below are written independently of the analysis engine (they read the CSV that
/// `simulate` prints). The seed is printed with every failure; `CLI_TEST_SEED=<n>` replays.
@Suite struct WitnessCLITests {
  static func seed() -> UInt64 {
    if let s = ProcessInfo.processInfo.environment["CLI_TEST_SEED"], let v = UInt64(s) { return v }
    return UInt64.random(in: 0...UInt64.max)
  }

  struct Row {
    var step: Int
    var phi: Double
    var mode: Int
  }

  /// Runs a printed witness command with the binary of this build in place of `unified-lora`.
  static func runCommand(_ command: String) throws -> (Int32, [Row]) {
    let line = command.replacingOccurrences(
      of: "| unified-lora simulate ", with: "| '\(CLI.binary.path)' simulate ")
    let r = try CLI.run(["-c", line], executable: URL(fileURLWithPath: "/bin/sh"))
    let rows = r.stdout.split(separator: "\n").dropFirst().compactMap { l -> Row? in
      let c = l.split(separator: ",", omittingEmptySubsequences: false)
      guard c.count >= 6, let s = Int(c[0]), let phi = Double(c[4]), let m = Int(c[5]) else { return nil }
      return Row(step: s, phi: phi, mode: m)
    }
    return (r.status, rows)
  }

  static func match(_ pattern: String, _ text: String) -> [String]? {
    guard let re = try? NSRegularExpression(pattern: pattern),
      let m = re.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
    else { return nil }
    return (0..<m.numberOfRanges).map { i in
      Range(m.range(at: i), in: text).map { String(text[$0]) } ?? ""
    }
  }

  static let modeNames = ["Single": 0, "Multi": 1, "Mirror": 2]

  /// What the witness text claims, checked on its records; nil when it holds, else the reason.
  static func check(_ shows: String, _ rows: [Row]) -> String? {
    guard !rows.isEmpty else { return "no records" }
    var recognized = false
    var problems: [String] = []
    func need(_ ok: Bool, _ why: String) { if !ok { problems.append(why) } }
    if let m = match(#"phi = 0 in the record of step (\d+)"#, shows), let k = Int(m[1]) {
      recognized = true
      need(k < rows.count && rows[k].phi == 0, "record \(k) has φ = \(k < rows.count ? rows[k].phi : .nan)")
    }
    if let m = match(#"phi = 1\.0 exactly in the record of step (\d+)"#, shows), let k = Int(m[1]) {
      recognized = true
      need(k < rows.count && rows[k].phi == 1, "record \(k) has φ ≠ 1")
    }
    if let m = match(#"(\d+) mode changes between consecutive records in (\d+) steps"#, shows),
      let n = Int(m[1]), let total = Int(m[2])
    {
      recognized = true
      let changes = (1..<rows.count).filter { rows[$0].mode != rows[$0 - 1].mode }
      need(changes.count == n, "\(changes.count) mode changes, the text says \(n)")
      need(rows.count == total, "\(rows.count) records, the text says \(total)")
      if let g = match(#"two of them (\d+) steps apart"#, shows), let gap = Int(g[1]) {
        let gaps = zip(changes.dropFirst(), changes).map { rows[$0].step - rows[$1].step }
        need(
          gaps.min() == gap, "closest changes \(String(describing: gaps.min())) apart, the text says \(gap)")
      }
    }
    if let m = match(#"settles in (Single|Multi|Mirror)(, not Single)? \(last record\)"#, shows) {
      recognized = true
      need(
        rows.last!.mode == modeNames[m[1]], "last record in mode \(rows.last!.mode), the text says \(m[1])")
    }
    if let m = match(#"ends below θ1 = ([0-9.e+-]+), not in Mirror \(last record\)"#, shows),
      let t = Double(m[1])
    {
      recognized = true
      need(
        rows.last!.phi < t && rows.last!.mode != 2,
        "last record φ = \(rows.last!.phi), mode \(rows.last!.mode)")
    }
    if shows.contains("never reaches Mirror") {
      recognized = true
      need(!rows.contains { $0.mode == 2 }, "a record shows Mirror")
    }
    if shows.contains("Single → Mirror directly between two consecutive records") {
      recognized = true
      need(
        (1..<rows.count).contains { rows[$0 - 1].mode == 0 && rows[$0].mode == 2 }, "no Single → Mirror step")
    }
    if let m = match(#"back in (Single|Multi|Mirror) from the record of step (\d+) on"#, shows),
      let k = Int(m[2])
    {
      recognized = true
      let want = modeNames[m[1]]!
      need(k < rows.count && rows[k...].allSatisfy { $0.mode == want }, "not in \(m[1]) from record \(k) on")
      need(k == 0 || rows[k - 1].mode != want, "already in \(m[1]) at record \(k - 1)")
    }
    if shows.hasPrefix("the shock and the recovery") || shows.contains("compare phi with the next command")
      || shows.contains("same φ, different phi afterwards")
    {
      recognized = true  // informational (C5), or checked as a pair (C6) by the caller
    }
    if !recognized { return "no checker for the witness text \"\(shows)\"" }
    return problems.isEmpty ? nil : problems.joined(separator: "; ")
  }

  /// A random valid configuration of `claims`, as flags.
  static func configuration(_ rng: inout SeededGenerator) -> [String] {
    func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
    let repo = rng.nextUnit() < 0.4
    var f: [String] = repo ? ["--variant", "repo"] : []
    let alpha = rng.nextUnit() < 0.15 ? 1 : u(0.02, 1)
    let beta = rng.nextUnit() < 0.15 ? 0 : u(0, 0.95)
    let t0 = u(0.05, 0.8)
    let t1 = u(t0 + 0.02, 0.97)
    f += ["--alpha", "\(alpha)", "--beta", "\(beta)", "--theta0", "\(t0)", "--theta1", "\(t1)"]
    if !repo {
      f += [
        "--alpha-e", "\([0, 1, u(0, 1)][Int(rng.next() % 3)])", "--cooldown",
        "\(rng.nextUnit() < 0.3 ? 0 : Int(rng.next() % 40))",
      ]
      if rng.nextUnit() < 0.5 { f += ["--env-range", "0:\(u(0, 10))"] }
    }
    if rng.nextUnit() < 0.5 {
      f += [
        "--initial-ehat", "\(u(0, 10))", "--initial-phi", "\(u(0, 0.99))", "--initial-mode",
        "\(rng.next() % 3)",
      ]
    }
    if rng.nextUnit() < 0.3 { f += ["--loss-range", "0:\(u(0.5, 50))"] }
    f += [
      "--loss", "\(u(0, 3))", "--shock-loss", "\(u(1, 100))", "--shock-length", "\(1 + rng.next() % 120)",
    ]
    return f
  }

  @Test func everyWitnessShowsWhatItsTextSays() throws {
    let seed = Self.seed()
    var rng = SeededGenerator(seed: seed)
    let configs = (0..<20).map { _ in Self.configuration(&rng) }
    let failures = Failures()
    DispatchQueue.concurrentPerform(iterations: configs.count) { i in
      let flags = configs[i]
      do {
        let r = try CLI.run(["claims", "--format", "json"] + flags)
        guard r.status == 0 else {
          // An undecided iteration or an on-threshold fixed point is a stated refusal, not a witness.
          if r.status != 1 || !r.stderr.hasPrefix("Error: ") {
            failures.add("seed \(seed) \(flags): exit \(r.status) \(r.stderr)")
          }
          return
        }
        let o = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        for c in o?["claims"] as? [[String: Any]] ?? [] {
          let id = c["id"] as? String ?? "?"
          let ws = c["witnesses"] as? [[String: Any]] ?? []
          if c["verdict"] as? String == "refuted", ws.isEmpty {
            failures.add("seed \(seed) \(flags): \(id) refuted without a witness")
          }
          if c["initialState"] == nil { failures.add("seed \(seed) \(flags): \(id) has no initialState key") }
          var phis: [[Double]] = []
          for w in ws {
            let command = w["command"] as? String ?? ""
            let shows = w["shows"] as? String ?? ""
            // A flag never appears twice in a printed command.
            let words = command.split(separator: " ").filter { $0.hasPrefix("--") }
            if Set(words).count != words.count {
              failures.add("seed \(seed) \(id): duplicate flags in \(command)")
            }
            let (status, rows) = try Self.runCommand(command)
            if status != 0 {
              failures.add("seed \(seed) \(id): exit \(status) for \(command)")
              continue
            }
            if let why = Self.check(shows, rows) {
              failures.add("seed \(seed) \(flags) \(id) \"\(shows)\": \(why)\n  \(command)")
            }
            if shows.contains("compare phi") || shows.contains("different phi") {
              phis.append(rows.map(\.phi))
            }
          }
          if phis.count == 2, phis[0] == phis[1] {
            failures.add("seed \(seed) \(id): the C6 pair has the same φ")
          }
        }
      } catch {
        failures.add("seed \(seed) \(flags): \(error)")
      }
    }
    for f in failures.all { Issue.record(Comment(rawValue: f)) }
  }

  /// `analyze --format json` through the binary: the recovery and detection numbers agree with
  /// brute-force iteration of the core's step (an independent oracle: it reads only the JSON).
  @Test func analyzeThroughTheBinaryAgreesWithBruteForce() throws {
    let seed = Self.seed()
    var rng = SeededGenerator(seed: seed)
    for _ in 0..<6 {
      func u(_ a: Double, _ b: Double) -> Double { a + (b - a) * rng.nextUnit() }
      let repo = rng.nextUnit() < 0.5
      let alpha = u(0.02, 1)
      let beta = u(0, 0.95)
      let t0 = u(0.05, 0.8)
      let t1 = u(t0 + 0.02, 0.97)
      let loss = u(0, 3)
      let shockLoss = u(1, 100)
      let length = 1 + Int(rng.next() % 100)
      var flags = [
        "--alpha", "\(alpha)", "--beta", "\(beta)", "--theta0", "\(t0)", "--theta1", "\(t1)", "--loss",
        "\(loss)",
        "--shock-loss", "\(shockLoss)", "--shock-length", "\(length)", "--format", "json",
      ]
      if repo { flags += ["--variant", "repo"] }
      let r = try CLI.run(["analyze"] + flags)
      guard r.status == 0 else { continue }  // a fixed point on a threshold: a stated refusal
      let o = try #require(JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
      let p = try Parameters(
        variant: repo ? .repo : .report, alpha: alpha, beta: beta, theta0: t0, theta1: t1)
      // Brute force: the resting state of the clean input, the shock, then the clean input.
      let x = repo ? loss : p.alphaE * 0 + (1 - p.alphaE) * (loss / (1 + loss))
      let phi = x / (1 + x)
      var s = ControllerState(ehat: x, phi: phi, mode: phi < t0 ? .single : phi < t1 ? .multi : .mirror)
      var modes: [Mode] = []
      for k in 0..<(length + 20_000) {
        s = p.advance(s, Input(step: k, loss: k < length ? shockLoss : loss))
        modes.append(s.mode)
      }
      let rec = modes[length...]
      let toSingle = rec.firstIndex(of: .single).map { $0 - length + 1 }
      let settled =
        rec.last == .single ? (rec.lastIndex { $0 != .single }.map { $0 - length + 1 } ?? 0) + 1 : nil
      let resp = try #require(o["shockResponse"] as? [String: Any])
      let ctx = "seed \(seed) analyze \(flags.joined(separator: " "))"
      #expect(
        resp["toSingle"] as? Int == toSingle,
        "\(ctx): toSingle \(String(describing: resp["toSingle"])) vs \(String(describing: toSingle))")
      #expect(
        resp["settledInSingle"] as? Int == settled,
        "\(ctx): settledInSingle \(String(describing: resp["settledInSingle"])) vs \(String(describing: settled))"
      )
    }
  }
}

final class Failures: @unchecked Sendable {
  private let lock = NSLock()
  private var items: [String] = []
  func add(_ s: String) {
    lock.lock()
    items.append(s)
    lock.unlock()
  }
  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return items
  }
}
