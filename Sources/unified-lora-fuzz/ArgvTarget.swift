import ArgumentParser
import Foundation
import UnifiedLoRACLI

/// The `argv` fuzz target: arbitrary command lines through the parser and every command's
/// `validate()` (the work a command does before it runs), never its `run()`.
///
/// The first byte picks a subcommand path (`simulate`, `sweep merge`, …, or none); the rest is
/// split at NUL bytes into arguments. A one-byte argument in 0x01…0x1F stands for one of the
/// subcommand's flags (taken from its help), one in 0x80…0x9F for a value from ``values`` (the
/// boundary numbers and shapes the flags parse), so the search reaches past the flag names. An
/// argument that names an existing file or directory is replaced by a missing one: validation
/// reads `--params` and `--noise-from`, and the target is about argv, not file contents (those
/// have targets of their own).
///
/// A finding is a crash or trap, or a parse error with no message (checked on one input in 8,
/// ``rendersMessage(_:)``).
enum ArgvTarget {
  static let name = "argv"

  /// Every subcommand path, the root's first.
  static let paths: [[String]] = {
    func walk(_ command: any ParsableCommand.Type, _ prefix: [String]) -> [[String]] {
      [prefix]
        + command.configuration.subcommands.flatMap { walk($0, prefix + [$0._commandName]) }
    }
    return walk(UnifiedLoRACommand.self, [])
  }()

  /// Each path's long flags, read from its help text.
  static let flags: [[String]] = paths.map { path in
    var command: any ParsableCommand.Type = UnifiedLoRACommand.self
    for name in path {
      command = command.configuration.subcommands.first { $0._commandName == name } ?? command
    }
    let help = UnifiedLoRACommand.helpMessage(for: command)
    let pattern = /--[a-z][a-z0-9-]*/
    var seen: [String] = []
    for match in help.matches(of: pattern) where !seen.contains(String(match.output)) {
      seen.append(String(match.output))
    }
    return seen.isEmpty ? ["--help"] : seen
  }

  /// Values at the edges of what the flags accept.
  static let values = [
    "0", "1", "-1", "2", "0.5", "1e300", "-1e300", "1e-300", "nan", "inf", "-inf", "",
    "9223372036854775807", "-9223372036854775808", "18446744073709551615", "9223372036854775806",
    "0/1", "0/2", "1/2", "9223372036854775806/9223372036854775807", "0/0", "-1/2", "1/0",
    "0.01:1:10000", "0:0.9:10000", "1:2:3", "0.1:0.2:2", "1:0:2", "0.5:0.5:1",
    "C1", "C1,C4", "C4.order", "T06", "T1O", "all", ",", "C1,,C2",
    "2e-3,5e-4,1e-4", "1,2", "1,2,3,4", "a,b,c", "0,0,0",
    "report", "repo", "both", "table", "json", "csv", "jsonl", "auto", "-", "--", "0:1", "1e6:2",
  ]

  static func run(_ bytes: [UInt8]) {
    guard let control = bytes.first else { return }
    let index = Int(control) % paths.count
    let path = paths[index]
    var args = path
    for piece in bytes.dropFirst().split(separator: 0, omittingEmptySubsequences: false) {
      if piece.count == 1, let b = piece.first, (1...0x1F).contains(b) {
        args.append(flags[index][Int(b) % flags[index].count])
      } else if piece.count == 1, let b = piece.first, (0x80...0x9F).contains(b) {
        args.append(values[Int(b - 0x80) % values.count])
      } else {
        let text = String(decoding: piece, as: UTF8.self)
        args.append(FileManager.default.fileExists(atPath: text) ? "no-such-file" : text)
      }
    }
    if bytes.count == 1 { args = path }
    do {
      _ = try UnifiedLoRACommand.parseAsRoot(args)
    } catch is CleanExit {
      // --help, --version: printed by the caller.
    } catch is ExitCode {
      // Thrown after its message went to standard error.
    } catch  where rendersMessage(bytes) {
      precondition(!UnifiedLoRACommand.message(for: error).isEmpty, "an error with no message: \(args)")
    } catch {
      // Parsed and validated, the message not rendered (see ``rendersMessage(_:)``).
    }
  }

  /// Whether this input's error message is rendered and checked: for one input in 8, picked by
  /// a hash of its bytes, so every kind of error is still reached as the fuzzer mutates.
  ///
  /// Measured with `perf` on the release build with AddressSanitizer: an input costs about
  /// 3.4 ms of CPU, 64 % of it in the parse (swift-argument-parser rebuilds every command's
  /// argument set by reflection on each parse, twice for the passthrough check) and 31 % in
  /// rendering the message (the usage text rebuilds them again). Rendering one message in 8
  /// takes a quarter off each input; the parse and `validate()` run on every input.
  static func rendersMessage(_ bytes: [UInt8]) -> Bool {
    var h: UInt32 = 2_166_136_261
    for b in bytes { h = (h ^ UInt32(b)) &* 16_777_619 }
    return h & 7 == 0
  }
}
