import Foundation

struct BenchArguments {
  var rows = 10_000_000
  var only: Set<String>?

  init(_ args: [String]) {
    var i = 1
    while i < args.count {
      switch args[i] {
      case "--rows" where i + 1 < args.count:
        rows = Int(args[i + 1]) ?? rows
        i += 1
      case "--only" where i + 1 < args.count:
        only = Set(args[i + 1].split(separator: ",").map(String.init))
        i += 1
      default:
        FileHandle.standardError.write(Data("unknown argument \(args[i])\n".utf8))
        exit(64)
      }
      i += 1
    }
  }

  func wants(_ name: String) -> Bool { only?.contains(name) ?? true }
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
