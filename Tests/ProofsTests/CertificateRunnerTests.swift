import Foundation
import Testing

/// `scripts/check-proofs` must pass intact certificates and fail loudly on a broken one.
@Suite("check-proofs runner")
struct CertificateRunnerTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let certificates = root.appendingPathComponent("Proofs/certificates")
  static let runner = root.appendingPathComponent("scripts/check-proofs")

  static let z3Available: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["z3", "-version"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }()

  /// Runs the runner on `dir`; returns its exit status and standard output.
  func run(on dir: URL) throws -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["bash", Self.runner.path, dir.path]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
  }

  /// A fresh directory holding copies of the named certificates.
  func copy(_ names: [String]) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("check-proofs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    for n in names {
      try FileManager.default.copyItem(
        at: Self.certificates.appendingPathComponent(n), to: dir.appendingPathComponent(n))
    }
    return dir
  }

  func replace(_ old: String, with new: String, in file: URL) throws {
    let text = try String(contentsOf: file, encoding: .utf8)
    #expect(text.contains(old), "the certificate no longer contains \(old)")
    try text.replacingOccurrences(of: old, with: new).write(to: file, atomically: true, encoding: .utf8)
  }

  @Test(
    "intact copies pass", .enabled(if: z3Available, "z3 is not installed: run scripts/bootstrap"))
  func intactCopiesPass() throws {
    let dir = try copy(["T08-single.smt2", "T10-cooldown.smt2"])
    defer { try? FileManager.default.removeItem(at: dir) }
    let (status, output) = try run(on: dir)
    #expect(status == 0, "\(output)")
    #expect(output.hasSuffix("2 passed, 0 failed\n"), "\(output)")
  }

  @Test(
    "a changed constant fails the runner",
    .enabled(if: z3Available, "z3 is not installed: run scripts/bootstrap"))
  func changedConstantFails() throws {
    let dir = try copy(["T08-single.smt2", "T10-cooldown.smt2"])
    defer { try? FileManager.default.removeItem(at: dir) }
    // The threshold L < 6 of T08 becomes L < 7: the implication no longer holds, z3 finds a model.
    try replace("(< L 6)", with: "(< L 7)", in: dir.appendingPathComponent("T08-single.smt2"))
    let (status, output) = try run(on: dir)
    #expect(status == 1, "\(output)")
    #expect(output.contains("FAIL  T08-single.smt2"), "\(output)")
    #expect(
      output.contains("wrong answer: expected [unsat unsat unsat unsat], got [unsat sat unsat unsat]"),
      "\(output)")
    #expect(output.hasSuffix("1 passed, 1 failed\n"), "\(output)")
  }

  @Test(
    "a wrong expectation, a syntax error and a missing header fail",
    .enabled(if: z3Available, "z3 is not installed: run scripts/bootstrap"))
  func brokenFilesFail() throws {
    let dir = try copy(["T10-cooldown.smt2", "T14-latency-index.smt2", "T09-recovery-index.smt2"])
    defer { try? FileManager.default.removeItem(at: dir) }
    try replace(
      "; expect: sat", with: "; expect: unsat",
      in: dir.appendingPathComponent("T10-cooldown.smt2"))
    try replace(
      "(declare-const t Int)", with: "(declare-const t Int",
      in: dir.appendingPathComponent("T14-latency-index.smt2"))
    try replace(
      "; expect: unsat", with: "; (no expectation)", in: dir.appendingPathComponent("T09-recovery-index.smt2")
    )
    let (status, output) = try run(on: dir)
    #expect(status == 1, "\(output)")
    #expect(output.contains("FAIL  T10-cooldown.smt2"), "\(output)")
    #expect(output.contains("FAIL  T14-latency-index.smt2"), "\(output)")
    #expect(output.contains("FAIL  T09-recovery-index.smt2: no '; expect:' header"), "\(output)")
    #expect(output.hasSuffix("0 passed, 3 failed\n"), "\(output)")
  }

  @Test(
    "an undecided query (timeout) fails",
    .enabled(if: z3Available, "z3 is not installed: run scripts/bootstrap"))
  func timeoutFails() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("check-proofs-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    // Fermat's last theorem for n = 3 over the integers: z3 cannot decide it within a second.
    let text = """
      ; expect: unsat
      (set-logic QF_NIA)
      (declare-const x Int) (declare-const y Int) (declare-const z Int)
      (assert (and (> x 0) (> y 0) (> z 0) (= (+ (* x x x) (* y y y)) (* z z z))))
      (check-sat)
      """
    try text.write(to: dir.appendingPathComponent("undecided.smt2"), atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["Z3_TIMEOUT=1", "bash", Self.runner.path, dir.path]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    #expect(p.terminationStatus == 1, "\(output)")
    #expect(output.contains("could not decide it within 1s"), "\(output)")
    #expect(output.hasSuffix("0 passed, 1 failed\n"), "\(output)")
  }
}
