import Foundation
import Testing

/// Runs the built `unified-lora` binary and captures its output and exit status.
struct CLI {
  static var binary: URL {
    // The test bundle lives next to the products of the same build.
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
      let candidate = dir.appendingPathComponent("unified-lora")
      if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
      dir = dir.deletingLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/unified-lora")
  }

  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  static func run(_ args: [String], stdin: String? = nil) throws -> Result {
    let p = Process()
    p.executableURL = binary
    p.arguments = args
    let out = Pipe(), err = Pipe(), inp = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = inp
    try p.run()
    if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
    try inp.fileHandleForWriting.close()
    let o = out.fileHandleForReading.readDataToEndOfFile()
    let e = err.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return Result(
      status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
      stderr: String(decoding: e, as: UTF8.self))
  }
}

@Suite struct SimulateCLITests {
  @Test func csvFromStandardInput() throws {
    let r = try CLI.run(["simulate", "--format", "csv"], stdin: "loss\n1\n2\n")
    #expect(r.status == 0)
    let lines = r.stdout.split(separator: "\n")
    #expect(lines.first == "step,loss,env,ehat,phi,mode,lr")
    #expect(lines.count == 3)
    #expect(lines[1].hasPrefix("0,1.0,0.0,"))
  }

  @Test func nanLossNamesTheStep() throws {
    let r = try CLI.run(["simulate", "--format", "csv"], stdin: "step,loss\n5,1\n6,nan\n")
    #expect(r.status == 2)
    #expect(r.stderr == "Error: step 6: loss = nan is not a finite number ≥ 0; the controller state is unchanged\n")
  }
}
