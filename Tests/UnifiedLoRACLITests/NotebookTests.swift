import Foundation
import Testing

/// Executes every notebook in Notebooks/ headless, on a scratch copy, with a small budget
/// (`UNIFIED_LORA_NOTEBOOK_BUDGET=small`) and the binary of this build, so the notebooks cannot
/// rot. Needs `.venv/` (made by `scripts/bootstrap-notebooks`, which `make test` runs first).
@Suite struct NotebookTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let venvPython = root.appendingPathComponent(".venv/bin/python").path
  static var venvPresent: Bool { FileManager.default.isExecutableFile(atPath: venvPython) }

  @Test(
    .enabled(
      if: venvPresent,
      "skipped: no .venv with jupyter/nbclient/matplotlib; run scripts/bootstrap-notebooks (make test does)"),
    .timeLimit(.minutes(20)))
  func notebooksExecute() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/bin/bash")
    p.arguments = [NotebookTests.root.appendingPathComponent("scripts/run-notebooks").path, "--check"]
    var env = ProcessInfo.processInfo.environment
    env["UNIFIED_LORA_NOTEBOOK_BUDGET"] = "small"
    env["UNIFIED_LORA_BIN"] = CLI.binary.path
    p.environment = env
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    print(text, terminator: "")
    #expect(p.terminationStatus == 0, "\(text)")
    for name in [
      "01-shock-response", "02-phase-diagrams", "03-property-results", "04-trainer", "05-audit", "06-tune",
    ] {
      #expect(text.contains("ok   \(name).ipynb"), "\(text)")
    }
    #expect(!text.contains("FAIL"), "\(text)")
  }
}
