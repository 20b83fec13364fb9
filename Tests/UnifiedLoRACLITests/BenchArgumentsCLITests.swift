import Foundation
import Testing

/// The benchmark binary's flags go through the argument parser: a bad value is a usage error
/// naming the flag, never silently the default.
@Suite struct BenchArgumentsCLITests {
  static var bench: URL { CLI.product("unified-lora-bench") }

  @Test(arguments: [
    (["--rows", "abc"], "--rows"), (["--rows", "0"], "rows = 0"),
    (["--only", "typo"], "unknown benchmark 'typo'"),
    (["--only", "step,typo"], "unknown benchmark 'typo'"), (["--bogus"], "--bogus"), (["--rows"], "--rows"),
  ])
  func badArgumentsAreUsageErrors(args: [String], expected: String) throws {
    let r = try CLI.run(args, executable: Self.bench)
    #expect(r.status == 64, "\(args): \(r.stderr)")
    #expect(r.stderr.contains(expected), "\(args): \(r.stderr)")
    #expect(!r.stdout.contains("machine:"), "\(args) ran the benchmarks")
  }

  @Test func helpListsTheBenchmarks() throws {
    let r = try CLI.run(["--help"], executable: Self.bench)
    #expect(r.status == 0)
    #expect(r.stdout.contains("--only") && r.stdout.contains("trainer"))
  }
}
