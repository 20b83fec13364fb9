import Foundation
import Testing

/// Hostile, huge and live input through the built binary: exit status and the message, for
/// every reader example of the issue that reaches the command line.
@Suite struct HostileInputCLITests {
  /// Writes `bytes` to a fresh temporary file with the given extension.
  func file(_ bytes: [UInt8], _ ext: String = "csv") throws -> String {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("hostile-\(UUID()).\(ext)").path
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  func file(_ text: String, _ ext: String = "csv") throws -> String { try file(Array(text.utf8), ext) }

  func simulate(_ path: String, _ extra: [String] = []) throws -> CLI.Result {
    try CLI.run(["simulate", "--format", "csv", "--input", path] + extra)
  }

  static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

  /// A conforming log with a byte-order mark before `step` still conforms (the mark once hid
  /// the step column, renumbered the steps and flipped the verdict).
  @Test func byteOrderMarkAudit() throws {
    let trace = try CLI.run(
      ["simulate", "--format", "csv", "--cooldown", "4"],
      stdin: "step,loss,env\n"
        + (0..<60).map { "\(100 + $0),\($0 % 20 == 7 ? 30 : 0.5),0" }.joined(separator: "\n") + "\n")
    #expect(trace.status == 0)
    let path = try file(Self.bom + Array(trace.stdout.utf8))
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["audit", "--input", path, "--cooldown", "4"])
    #expect(r.status == 0, "\(r.stdout)")
    #expect(r.stdout.hasPrefix("verdict: conforms"))
    #expect(r.stdout.contains("steps 100…159"))
    let loss = try file(Self.bom + Array("loss\n0.5\n".utf8))
    defer { try? FileManager.default.removeItem(atPath: loss) }
    #expect(try simulate(loss).status == 0)
  }

  @Test(arguments: [
    ("a,loss\n1,\"x\n2,y\"\n", "Error: line 2: column 'loss': 'x\\n2,y' is not a number\n"),
    (
      "loss\n\"0.5\n",
      "Error: line 2: column 1: a quoted field is not closed before the end of the file (CSV, RFC 4180)\n"
    ),
    (
      "loss\n0.5\"\n",
      "Error: line 2: column 4: a quote inside an unquoted field (CSV, RFC 4180: a quoted field starts with its quote)\n"
    ),
    (
      "loss\n\"0\".\"5\"\n",
      "Error: line 2: column 4: text after the closing quote of a field (CSV, RFC 4180: a quote inside a quoted field is written \"\")\n"
    ),
    (
      "loss,loss\n1,2\n",
      "Error: line 1: column 'loss' appears twice in the header (fields 1 and 2): which one is meant is ambiguous\n"
    ),
    (
      "step,loss\n1.5,1\n",
      "Error: line 2: column 'step': '1.5' is not an integer step (steps are integers in −2^62 … 2^62)\n"
    ),
  ])
  func csvRejected(_ text: String, _ message: String) throws {
    let path = try file(text)
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try simulate(path)
    #expect(r.status == 2)
    #expect(r.stderr == message)
  }

  @Test(arguments: [
    ("{\"loss\":null}\n", "Error: line 1: column 'loss' is null: every record needs a value there\n"),
    (
      "{\"loss\":1e400}\n",
      "Error: step 0: loss = inf is not a finite number ≥ 0; the controller state is unchanged\n"
    ),
    (
      "{\"loss\":1,\"loss\":2}\n",
      "Error: line 1: key 'loss' appears twice in one object: which value is meant is ambiguous\n"
    ),
    (
      "{\"loss\":\"0.5\\u0000zz\"}\n",
      "Error: line 1: not a JSON object: column 13: a NUL (\\u0000) inside a string: the log is not text\n"
    ),
    (
      "{\"step\":1.5,\"loss\":1}\n",
      "Error: line 1: column 'step': '1.5' is not an integer step (steps are integers in −2^62 … 2^62)\n"
    ),
  ])
  func jsonRejected(_ text: String, _ message: String) throws {
    let path = try file(text, "jsonl")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try simulate(path)
    #expect(r.status == 2)
    #expect(r.stderr == message)
  }

  /// `0.<99,999 zeros>1e1000000` is +∞ (rejected), not 1.0; text after a NUL is not ignored.
  @Test func numbersReadWhole() throws {
    let huge = try file("loss\n0." + String(repeating: "0", count: 99_999) + "1e1000000\n")
    defer { try? FileManager.default.removeItem(atPath: huge) }
    let r = try simulate(huge)
    #expect(r.status == 2)
    #expect(
      r.stderr == "Error: step 0: loss = inf is not a finite number ≥ 0; the controller state is unchanged\n")
    let nul = try file(Array("loss\n123456789012345678901".utf8) + [0] + Array("zz\n".utf8))
    defer { try? FileManager.default.removeItem(atPath: nul) }
    let n = try simulate(nul)
    #expect(n.status == 2)
    #expect(n.stderr == "Error: line 2: column 22: a NUL byte: the log is not text\n")
  }

  /// `audit` does not read step 9007199254740993 as 9007199254740992.
  @Test func auditStepBeyondTwoToThe53() throws {
    let path = try file("step,loss,mode\n9007199254740992,1,0\n9007199254740993,1,0\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["audit", "--input", path])
    #expect(r.status == 2)
    #expect(r.stdout.contains("line 3: column 'step': '9007199254740993' is not an integer step"))
  }

  /// `/dev/zero` has no line break: both commands fail at once, naming the line, within a
  /// 2 GB address-space limit (an unbounded buffer would crash instead).
  @Test(arguments: ["simulate", "audit"])
  func endlessLine(_ command: String) throws {
    let start = Date()
    let r = try CLI.run(
      ["-c", "ulimit -v 2000000; exec \"$0\" \(command) --input /dev/zero", CLI.binary.path],
      executable: URL(fileURLWithPath: "/bin/sh"))
    #expect(r.status == 2)
    #expect(
      r.stderr.contains(
        "line 1: the line is longer than 1048576 bytes (the limit; raise it with --max-line-length)"))
    #expect(Date().timeIntervalSince(start) < 30)
  }

  @Test func maxLineLengthFlag() throws {
    let path = try file("loss\n" + String(repeating: "1", count: 60) + "\n")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try simulate(path, ["--max-line-length", "50"])
    #expect(r.status == 2)
    #expect(
      r.stderr
        == "Error: line 2: the line is longer than 50 bytes (the limit; raise it with --max-line-length)\n")
    #expect(try simulate(path, ["--max-line-length", "60"]).status == 0)
    let zero = try simulate(path, ["--max-line-length", "0"])
    #expect(zero.status == 64)
    #expect(zero.stderr.contains("invalid --max-line-length 0: expected 1 … 1073741824 bytes"))
  }

  /// A 100 KB cell and a 100,000-column header are echoed cut, with their length.
  @Test func echoedTextIsCut() throws {
    let cell = try file("loss\n" + String(repeating: "x", count: 100_000) + "\n")
    defer { try? FileManager.default.removeItem(atPath: cell) }
    let r = try simulate(cell)
    #expect(r.status == 2)
    #expect(r.stderr.utf8.count < 200)
    #expect(r.stderr.contains("… (100000 bytes)"))
    let wide = try file((0..<100_000).map { "c\($0)" }.joined(separator: ",") + "\n1\n")
    defer { try? FileManager.default.removeItem(atPath: wide) }
    let w = try simulate(wide)
    #expect(w.status == 2)
    #expect(w.stderr.utf8.count < 600)
    #expect(w.stderr.contains("(100000 in all)"))
  }

  @Test func parameterFileTypos() throws {
    let path = try file(#"{"alpha_e": 0.2}"#, "json")
    defer { try? FileManager.default.removeItem(atPath: path) }
    let r = try CLI.run(["simulate", "--params", path], stdin: "loss\n1\n")
    #expect(r.status == 64)
    #expect(r.stderr.contains("unknown key 'alpha_e' (did you mean 'alphaE'?"))
    try Data(#"{"cooldwn": 3}"#.utf8).write(to: URL(fileURLWithPath: path))
    let c = try CLI.run(["simulate", "--params", path], stdin: "loss\n1\n")
    #expect(c.status == 64)
    #expect(c.stderr.contains("unknown key 'cooldwn' (did you mean 'cooldown'?"))
  }
}

/// `simulate` beside a training loop: on a pipe each record is written as soon as its line
/// arrives, and what was written survives a kill.
@Suite struct LiveStreamCLITests {
  /// Collects a stream's bytes on a background thread.
  final class Collector: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
      Thread {
        while true {
          let chunk = handle.availableData
          if chunk.isEmpty { break }
          self.lock.lock()
          self.data.append(chunk)
          self.lock.unlock()
        }
        self.done.signal()
      }.start()
    }

    var lines: [Substring] {
      lock.lock()
      defer { lock.unlock() }
      return String(decoding: data, as: UTF8.self).split(separator: "\n")
    }

    /// Waits until at least `n` lines arrived, for at most `seconds`.
    func wait(forLines n: Int, seconds: Double) -> Bool {
      let deadline = Date().addingTimeInterval(seconds)
      while Date() < deadline {
        if lines.count >= n { return true }
        Thread.sleep(forTimeInterval: 0.02)
      }
      return lines.count >= n
    }

    func waitForEnd() { done.wait() }
  }

  func start(_ args: [String]) throws -> (Process, FileHandle, Collector) {
    let p = Process()
    p.executableURL = CLI.binary
    p.arguments = args
    let out = Pipe()
    let inp = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    p.standardInput = inp
    try p.run()
    return (p, inp.fileHandleForWriting, Collector(out.fileHandleForReading))
  }

  @Test func recordsComeAsTheyAreWritten() throws {
    let (p, stdin, output) = try start(["simulate", "--format", "csv"])
    stdin.write(Data("loss\n0.5\n".utf8))
    #expect(output.wait(forLines: 2, seconds: 20), "no record while the input stays open")
    for k in 0..<5 {
      stdin.write(Data("0.\(k)\n".utf8))
      #expect(output.wait(forLines: 3 + k, seconds: 20), "record \(k + 1) did not come")
    }
    // Killed while waiting for more: every record written so far is kept. (SIGKILL: a test
    // runner may start children with SIGTERM blocked.)
    kill(p.processIdentifier, SIGKILL)
    p.waitUntilExit()
    output.waitForEnd()
    #expect(output.lines.count == 7)
    #expect(output.lines.last?.hasPrefix("5,0.4,") == true)
    try? stdin.close()
  }

  /// `--no-line-buffered` batches instead: nothing comes while the input stays open.
  @Test func noLineBufferedBatches() throws {
    let (p, stdin, output) = try start(["simulate", "--format", "csv", "--no-line-buffered"])
    stdin.write(Data("loss\n0.5\n0.5\n".utf8))
    #expect(!output.wait(forLines: 1, seconds: 1))
    try stdin.close()
    p.waitUntilExit()
    output.waitForEnd()
    #expect(p.terminationStatus == 0)
    #expect(output.lines.count == 3)
  }
}
