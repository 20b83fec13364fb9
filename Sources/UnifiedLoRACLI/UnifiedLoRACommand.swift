import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRASupport

/// The `unified-lora` command: its subcommands, parsed by swift-argument-parser. A library target
/// (package access) so that tests and the argv fuzz target parse commands without the binary.
package struct UnifiedLoRACommand: ParsableCommand {
  package init() {}

  static let version = "0.1.0"

  package static let configuration = CommandConfiguration(
    commandName: "unified-lora",
    abstract: "Formal analysis and property testing of the Unified-LoRA learning-rate controller.",
    discussion: """
      The controller maps a training loss (and an optional external stress) through a smoothed stress signal φ to one of three modes — Single, Multi, Mirror — each with its own learning rate. Two variants are implemented bit for bit: `report` (the technical report's equations, with external stress and a cooldown; the default) and `repo` (the published controller.py).

      Every command prints a table for people by default; --format selects a machine format.
      """,
    version: version,
    subcommands: [
      Simulate.self, ScenarioCommand.self, Analyze.self, ClaimsCommand.self, Sweep.self, Verify.self,
      Train.self, Audit.self, Vectors.self, TuneCommand.self,
    ]
  )

  /// Exit status when the output cannot be written (`EX_IOERR` of sysexits.h, beside the
  /// parser's 64 for usage errors).
  static let writeFailureStatus: Int32 = 74

  /// Says on standard error that standard output could not be written (`reason`: the system's
  /// words), the one message every command gives, and returns the exit status to end with.
  static func standardOutputFailed(_ reason: String) -> ExitCode {
    StandardError.write("Error: cannot write to standard output: \(reason)\n")
    return ExitCode(writeFailureStatus)
  }

  /// `arguments` with each negative number that follows a long option attached to it
  /// (`--cooldown -1` becomes `--cooldown=-1`), so that the option's own check says the value is
  /// out of range. The parser reads an argument that starts with `-` as an option, and
  /// `--cooldown -1` would be refused as a missing value followed by an unknown option `-1`; no
  /// option name starts with a digit or a point, so such an argument is always a value. Nothing
  /// after `--` is touched.
  package static func attachingNegativeNumbers(_ arguments: [String]) -> [String] {
    var out: [String] = []
    out.reserveCapacity(arguments.count)
    var k = 0
    while k < arguments.count {
      let a = arguments[k]
      if a == "--" {
        out += arguments[k...]
        break
      }
      if k + 1 < arguments.count, a.hasPrefix("--"), a.count > 2, !a.contains("="),
        isNegativeNumber(arguments[k + 1])
      {
        out.append(a + "=" + arguments[k + 1])
        k += 2
        continue
      }
      out.append(a)
      k += 1
    }
    return out
  }

  /// Whether `s` reads as a negative number (or a list or range starting with one): a minus,
  /// then a digit, a point and a digit, or `inf`/`nan` in any case.
  static func isNegativeNumber(_ s: String) -> Bool {
    let b = Array(s.utf8.prefix(4))
    guard b.count >= 2, b[0] == UInt8(ascii: "-") else { return false }
    if b[1] &- 48 < 10 { return true }
    if b[1] == UInt8(ascii: "."), b.count >= 3, b[2] &- 48 < 10 { return true }
    let word = String(decoding: b[1...], as: UTF8.self).lowercased()
    return word.hasPrefix("inf") || word.hasPrefix("nan")
  }

  /// Parses, runs, and then makes sure everything printed reached standard output: a failed
  /// write (`> /dev/full`, a closed pipe) is an error with its own exit status, never a silent
  /// exit 0 with the output lost.
  package static func main() {
    // A process inherits its parent's signal mask (a thread pool's workers block SIGINT and
    // SIGTERM, for one): unblock them and every other signal that ends the run, so that an
    // interrupt always ends it and removes any temporary output file.
    var interrupts = sigset_t()
    sigemptyset(&interrupts)
    for sig in TemporaryFiles.fatalSignals { sigaddset(&interrupts, sig) }
    pthread_sigmask(SIG_UNBLOCK, &interrupts, nil)
    // swift-argument-parser compares an unknown option with every known one by edit distance,
    // in time proportional to its length (a 100 KB option took a minute to be refused). No
    // option name is that long: such an argument is refused at once.
    let arguments = Array(CommandLine.arguments.dropFirst())
    if let long = arguments.prefix(while: { $0 != "--" }).first(where: {
      $0.hasPrefix("-") && ($0.split(separator: "=", maxSplits: 1).first?.utf8.count ?? 0) > 256
    }) {
      StandardError.write("Error: unknown option '\(Echo.cut(long))'\n")
      Foundation.exit(ExitCode.validationFailure.rawValue)
    }
    let outcome: (any Error)?
    do {
      var command = try parseAsRoot(attachingNegativeNumbers(arguments))
      try command.run()
      outcome = nil
    } catch {
      // Help and version requests are printed here, through the same checked output.
      if exitCode(for: error) == .success {
        let text = fullMessage(for: error)
        if !text.isEmpty { StandardOutput.write(text + "\n") }
        outcome = nil
      } else {
        outcome = error
      }
    }
    if let failure = StandardOutput.finish() {
      Foundation.exit(standardOutputFailed(failure).rawValue)
    }
    if let outcome {
      // As `exit(withError:)`, with overlong echoed values cut (the parser quotes a flag's
      // value whole).
      let text = fullMessage(for: outcome)
      if !text.isEmpty { StandardError.write(Echo.cutLongRuns(text) + "\n") }
      Foundation.exit(exitCode(for: outcome).rawValue)
    }
    Foundation.exit(0)
  }
}
