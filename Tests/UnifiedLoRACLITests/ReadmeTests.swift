import Foundation
import Testing

/// Every command shown with a `$ ` prompt in README.md and in docs/*.md is run here (the scheduler
/// examples, which need a scheduler, are shown without one), so the documentation cannot go
/// stale: it must exit with status 0 (or the status written after it as `# exit N`), and every
/// output line shown under it (up to the next command or the end of its block) must be one of the
/// lines the command printed, on standard output or standard error. Lines are compared with
/// trailing blanks removed and with the figures that measure time masked (``stable(_:)``); a
/// line `…` stands for lines left out. `scripts/doc-outputs` rewrites the outputs from the
/// built binary.
@Suite struct ReadmeTests {
  struct Command: Sendable, CustomTestStringConvertible {
    /// The Markdown file, relative to the repository root (`README.md`, `docs/audit.md`).
    let file: String
    let line: String
    let expectedStatus: Int32
    let shown: [String]
    var testDescription: String { "\(file): \(line)" }
  }

  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()

  static let prefixes = ["$ unified-lora ", "$ printf ", "$ bash scripts/", "$ for "]

  /// README.md, then every docs/*.md in name order.
  static var files: [String] {
    let docs =
      (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("docs").path)) ?? []
    return ["README.md"] + docs.filter { $0.hasSuffix(".md") }.sorted().map { "docs/" + $0 }
  }

  static func commands(in file: String) -> [Command] {
    guard let text = try? String(contentsOf: root.appendingPathComponent(file), encoding: .utf8) else {
      return []
    }
    var out: [Command] = []
    var inBlock = false
    var current: (line: String, status: Int32, shown: [String])?
    func flush() {
      if let c = current {
        out.append(Command(file: file, line: c.line, expectedStatus: c.status, shown: c.shown))
      }
      current = nil
    }
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(raw)
      if line.hasPrefix("```") {
        if inBlock { flush() }
        inBlock.toggle()
        continue
      }
      guard inBlock else { continue }
      if prefixes.contains(where: line.hasPrefix) {
        flush()
        var command = String(line.dropFirst(2))
        var status: Int32 = 0
        if let r = command.range(of: "# exit ") {
          status = Int32(command[r.upperBound...].trimmingCharacters(in: .whitespaces)) ?? 0
          command = String(command[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
        }
        current = (command, status, [])
      } else if current != nil {
        current!.shown.append(line)
      }
    }
    flush()
    return out
  }

  static var commands: [Command] { files.flatMap(commands(in:)) }

  /// A line with its trailing blanks removed and its timings masked: `in 7.7 s` (tune) and a
  /// rate such as `1.82e+08` ending a line, with the padding before it (verify's steps/s column).
  static func stable(_ line: String) -> String {
    var s = line
    while let last = s.last, last == " " || last == "\t" || last == "\r" { s.removeLast() }
    s = s.replacingOccurrences(of: #"in [0-9]+(\.[0-9]+)? s\b"#, with: "in # s", options: .regularExpression)
    s = s.replacingOccurrences(of: #"\s+[0-9](\.[0-9]+)?e\+[0-9]+$"#, with: " #", options: .regularExpression)
    return s
  }

  @Test func readmeHasATour() {
    #expect(Self.commands(in: "README.md").count >= 5)
    #expect(Self.files.count > 1, "docs/*.md are scanned too")
  }

  /// The comparison can fail: a line the binary does not print is reported.
  @Test func aWrongOutputLineIsCaught() {
    let c = Command(
      file: "test", line: "unified-lora simulate --help", expectedStatus: 0, shown: ["no such line"])
    #expect(!Self.missing(c, printed: ["some", "lines"]).isEmpty)
    #expect(Self.missing(c, printed: ["no such line  "]).isEmpty)
    #expect(
      Self.stable("simulated: 1 configurations in 7.7 s")
        == Self.stable("simulated: 1 configurations in 12.0 s"))
    // The rate's width changes the padding before it, never what precedes the padding.
    #expect(Self.stable("C4  holds       2.43e+05") == Self.stable("C4  holds        2.5e+05"))
    #expect(Self.stable("C4  holds       2.43e+05") != Self.stable("C4  refuted     2.43e+05"))
  }

  static func missing(_ c: Command, printed: [String]) -> [String] {
    let got = Set(printed.map(stable))
    return c.shown.filter { !$0.isEmpty && $0 != "…" && !got.contains(stable($0)) }
  }

  @Test(arguments: commands)
  func commandRuns(_ c: Command) throws {
    let bin = CLI.binary.deletingLastPathComponent().path
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = ["-o", "pipefail", "-c", c.line]
    var env = ProcessInfo.processInfo.environment
    env["PATH"] = bin + ":" + (env["PATH"] ?? "/usr/bin:/bin")
    p.environment = env
    p.currentDirectoryURL = Self.root
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    // Standard error on its own thread, so that neither pipe fills while the other is read.
    let errors = ErrorBytes()
    let errorsRead = DispatchSemaphore(value: 0)
    let errReader = err.fileHandleForReading
    Thread.detachNewThread {
      errors.data = errReader.readDataToEndOfFile()
      errorsRead.signal()
    }
    let o = out.fileHandleForReading.readDataToEndOfFile()
    errorsRead.wait()
    p.waitUntilExit()
    let e = errors.data
    let stdout = String(decoding: o, as: UTF8.self)
    let stderr = String(decoding: e, as: UTF8.self)
    #expect(p.terminationStatus == c.expectedStatus, "\(c.file): \(c.line)\nstderr: \(stderr)")
    #expect(!o.isEmpty || !e.isEmpty, "\(c.file): \(c.line) printed nothing")
    let printed = (stdout + "\n" + stderr).split(separator: "\n", omittingEmptySubsequences: false).map(
      String.init)
    let missing = Self.missing(c, printed: printed)
    #expect(
      missing.isEmpty,
      "\(c.file): \(c.line)\nshown but not printed:\n\(missing.joined(separator: "\n"))\nprinted:\n\(stdout)\(stderr)"
    )
  }

  /// The bytes the standard-error thread collects, read after its semaphore is signalled.
  private final class ErrorBytes: @unchecked Sendable {
    var data = Data()
  }
}
