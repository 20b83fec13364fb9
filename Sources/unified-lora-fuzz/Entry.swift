/// A fuzz target by name: the readers' (``FuzzTarget``) or the command line's (``ArgvTarget``).
func fuzzTarget(named name: String) -> (@Sendable ([UInt8]) -> Void)? {
  if name == ArgvTarget.name { return { ArgvTarget.run($0) } }
  return FuzzTarget(rawValue: name).map { target in { @Sendable in target.run($0) } }
}

#if FUZZING
  import Foundation

  /// The target libFuzzer drives: `UNIFIED_LORA_FUZZ_TARGET` (a ``FuzzTarget`` raw value or
  /// `argv`; default `loss-log`), set by `scripts/fuzz` for each run.
  let selectedTarget: @Sendable ([UInt8]) -> Void = {
    let name = ProcessInfo.processInfo.environment["UNIFIED_LORA_FUZZ_TARGET"] ?? "loss-log"
    guard let target = fuzzTarget(named: name) else {
      fatalError(
        "unknown fuzz target '\(name)': one of \(FuzzTarget.allCases.map(\.rawValue) + [ArgvTarget.name])")
    }
    return target
  }()

  /// libFuzzer's entry point (built with `-sanitize=fuzzer` by `make fuzz`).
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    selectedTarget(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
  }

  @_silgen_name("LLVMFuzzerRunDriver")
  func runDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> Int32
  ) -> Int32

  /// SwiftPM names an executable's entry point after its module; hand control to libFuzzer.
  @_cdecl("unified_lora_fuzz_main")
  public func fuzzMain(
    _ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
  ) -> Int32 {
    var argc = argc
    var argv = argv
    return runDriver(&argc, &argv) { data, size in fuzzOne(data, size) }
  }
#else
  import Foundation

  /// Without libFuzzer: replays inputs (crash reproducers, the regression corpus), so a finding
  /// can be debugged with an ordinary build. Each argument is a file, run through the target
  /// named by its directory (`loss-log` when the directory is not a target's name), or a
  /// directory: every file in it through the target of its name, or, for the corpus root, every
  /// target's directory in turn. One `ok` (or `pending`) line per argument.
  @main
  struct FuzzReplay {
    static func main() throws {
      for path in CommandLine.arguments.dropFirst() {
        let url = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
        if isDirectory.boolValue && isPending(url) {
          let n = try FileManager.default.contentsOfDirectory(atPath: path).count
          print("pending \(path) (\(n) reproducer\(n == 1 ? "" : "s") of a bug not yet fixed; not replayed)")
          continue
        }
        let count = isDirectory.boolValue ? try replay(directory: url) : try replay(file: url)
        print("ok \(path) (\(count) input\(count == 1 ? "" : "s"))")
      }
    }

    /// `TARGET-pending/`: reproducers of a finding in code that is fixed on another branch;
    /// the directory is renamed to join `TARGET/` once the fix is in, and replayed from then on.
    static func isPending(_ directory: URL) -> Bool {
      directory.lastPathComponent.hasSuffix("-pending")
    }

    static func target(for directory: URL) -> (([UInt8]) -> Void)? {
      let name = directory.lastPathComponent
      return fuzzTarget(named: isPending(directory) ? String(name.dropLast("-pending".count)) : name)
    }

    static func replay(file: URL) throws -> Int {
      let target = target(for: file.deletingLastPathComponent()) ?? FuzzTarget.lossLog.run
      target([UInt8](try Data(contentsOf: file)))
      return 1
    }

    static func replay(directory: URL) throws -> Int {
      let entries = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        .map { directory.appendingPathComponent($0) }
      var count = 0
      for entry in entries {
        var isDirectory: ObjCBool = false
        _ = FileManager.default.fileExists(atPath: entry.path, isDirectory: &isDirectory)
        if isDirectory.boolValue {
          if !isPending(entry) { count += try replay(directory: entry) }
        } else {
          let target = target(for: directory) ?? FuzzTarget.lossLog.run
          target([UInt8](try Data(contentsOf: entry)))
          count += 1
        }
      }
      return count
    }
  }
#endif
