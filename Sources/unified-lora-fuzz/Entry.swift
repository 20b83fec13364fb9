#if FUZZING
  /// libFuzzer's entry point (built with `-sanitize=fuzzer` by `make fuzz`).
  @_cdecl("LLVMFuzzerTestOneInput")
  public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    FuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
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

  /// Without libFuzzer: replays the inputs named on the command line (crash reproducers, the
  /// regression corpus), so a finding can be debugged with an ordinary build.
  @main
  struct FuzzReplay {
    static func main() throws {
      for path in CommandLine.arguments.dropFirst() {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        FuzzTarget.run([UInt8](data))
        print("ok \(path)")
      }
    }
  }
#endif
