import ArgumentParser
import Foundation

/// The benchmarks' command line: `--rows N` and `--only NAME[,NAME…]`, parsed by
/// swift-argument-parser (a bad count or an unknown name is a usage error, exit 64).
struct BenchArguments: ParsableArguments {
  /// The benchmarks, in the order they run.
  static let names = ["step", "simulate", "audit", "stream", "sweep", "trainer", "verify"]

  /// The largest --rows: 10^10 rows.
  static let maxRows = 10_000_000_000

  @Option(help: "Rows of the simulate, audit and stream benchmarks.")
  var rows = 10_000_000

  @Option(
    help: "Run only these benchmarks, comma-separated: step, simulate, audit, stream, sweep, trainer, verify."
  )
  var only: BenchList?

  func validate() throws {
    guard rows >= 1, rows <= Self.maxRows else {
      throw ValidationError("invalid value rows = \(rows): expected 1 … \(Self.maxRows)")
    }
    for name in only?.names ?? [] where !Self.names.contains(name) {
      throw ValidationError(
        "unknown benchmark '\(name)' in --only: expected one of \(Self.names.joined(separator: ", "))")
    }
  }

  func wants(_ name: String) -> Bool { only?.names.contains(name) ?? true }
}

/// `--only`'s comma-separated benchmark names (checked by ``BenchArguments/validate()``).
struct BenchList: ExpressibleByArgument {
  var names: [String]
  init?(argument: String) { names = argument.split(separator: ",").map(String.init) }
}

/// Wall-clock seconds of `body`.
func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
  let start = DispatchTime.now().uptimeNanoseconds
  let result = try body()
  return (result, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
}

/// User + system CPU seconds used by this process so far (all threads).
func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  func sec(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
  return sec(usage.ru_utime) + sec(usage.ru_stime)
}

/// Peak resident memory of this process, in MiB.
func peakRSSMiB() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_maxrss) / 1024
}

func check(_ condition: Bool, _ what: String) {
  if !condition {
    FileHandle.standardError.write(Data("benchmark check failed: \(what)\n".utf8))
    exit(1)
  }
}
