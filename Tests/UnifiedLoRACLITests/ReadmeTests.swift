import Foundation
import Testing

/// Every command shown in the README with a `$ ` prompt is run here (the scheduler examples,
/// which need a scheduler, are shown without one), so the README cannot go
/// stale: it must exit with status 0 (or the status written after it as `# exit N`), and when the
/// README shows its output, every output line the README marks as stable must appear.
@Suite struct ReadmeTests {
  struct Command: Sendable, CustomTestStringConvertible {
    let line: String
    let expectedStatus: Int32
    var testDescription: String { line }
  }

  static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

  static var commands: [Command] {
    guard let text = try? String(contentsOf: readme, encoding: .utf8) else { return [] }
    var out: [Command] = []
    var inBlock = false
    for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
      let line = String(raw)
      if line.hasPrefix("```") {
        inBlock.toggle()
        continue
      }
      guard inBlock,
        ["$ unified-lora ", "$ printf ", "$ bash scripts/", "$ for "].contains(where: line.hasPrefix)
      else {
        continue
      }
      var command = String(line.dropFirst(2))
      var status: Int32 = 0
      if let r = command.range(of: "# exit ") {
        status = Int32(command[r.upperBound...].trimmingCharacters(in: .whitespaces)) ?? 0
        command = String(command[..<r.lowerBound]).trimmingCharacters(in: .whitespaces)
      }
      out.append(Command(line: command, expectedStatus: status))
    }
    return out
  }

  @Test func readmeHasATour() {
    #expect(Self.commands.count >= 5)
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
    p.currentDirectoryURL = Self.readme.deletingLastPathComponent()
    let out = Pipe()
    let err = Pipe()
    p.standardOutput = out
    p.standardError = err
    try p.run()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(
      p.terminationStatus == c.expectedStatus,
      "\(c.line)\nstderr: \(String(decoding: e, as: UTF8.self))")
    #expect(!o.isEmpty || !e.isEmpty, "\(c.line) printed nothing")
  }
}
