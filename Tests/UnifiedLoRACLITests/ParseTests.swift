import ArgumentParser
import Foundation
import Testing
import UnifiedLoRA

@testable import UnifiedLoRACLI

/// The command line parsed in process (no binary): typed arguments, validation, help text.
@Suite struct ParseTests {
  @Test func rootDispatchesToSubcommands() throws {
    #expect(try UnifiedLoRACommand.parseAsRoot(["verify", "--shard", "1/2"]) is Verify)
    #expect(try UnifiedLoRACommand.parseAsRoot(["sweep", "merge", "a.csv"]) is SweepMerge)
    #expect(try UnifiedLoRACommand.parseAsRoot(["sweep", "--alpha", "0.1:0.2:2"]) is SweepRun)
    #expect(try UnifiedLoRACommand.parseAsRoot(["analyze"]) is Analyze)
  }

  @Test func shardParsesOnceAndIsCheckedByTheCommand() throws {
    let v = try Verify.parse(["--shard", "1/2"])
    #expect(v.shard == ShardArgument(index: 1, count: 2))
    #expect(try v.parsedShard().index == 1)
    #expect(ShardArgument(argument: "1/2/3") == nil)
    #expect(ShardArgument(argument: "a/2") == nil)
    #expect(ShardArgument(argument: "/2") == nil)
    #expect(throws: (any Error).self) { try Verify.parse(["--shard", "2/2"]) }
    #expect(throws: (any Error).self) { try Verify.parse(["--shard", "x"]) }
    #expect(throws: (any Error).self) { try TuneRun.parse(["--shard", "0/0"]) }
    #expect(throws: (any Error).self) { try SweepRun.parse(["--shard", "-1/2"]) }
    let s = try SweepRun.parse(["--alpha", "0.1:0.2:2", "--shard", "1/4"])
    #expect(try s.shardNumbers() == (1, 4))
    let message = Verify.message(for: ValidationErrorProbe.error(["--shard", "2/2"]))
    #expect(message == "invalid value shard = 2/2: expected i/n with 0 ≤ i < n, e.g. 0/2")
  }

  @Test func rangesParseToBounds() throws {
    let a = try Analyze.parse(["--loss-range", "0.5:inf", "--env-range", "0:1"])
    #expect(a.lossRange.bounds == 0.5...Double.infinity)
    #expect(a.envRange?.bounds == 0...1)
    #expect(try Analyze.parse([]).lossRange.bounds == 0...Double.infinity)
    let c = try ClaimsCommand.parse(["--loss-range", "0:3"])
    #expect(c.lossRange.bounds == 0...3)
    #expect(c.envRange.bounds == 0...0)
    for bad in ["3:1", "-1:2", "inf:inf", "nan:1", "1", "1:2:3", "a:b", ":"] {
      #expect(InputRange(argument: bad) == nil, "\(bad)")
      #expect(throws: (any Error).self) { try ClaimsCommand.parse(["--loss-range", bad]) }
    }
  }

  @Test func claimsAreAListOfIds() throws {
    #expect(try Verify.parse(["--claims", "C1, C4,,"]).claimList == ["C1", "C4"])
    #expect(try Verify.parse([]).claimList == [])
    #expect(throws: (any Error).self) { try Verify.parse(["--claims", "T1O"]) }
  }

  @Test func learningRatesParseOnceAtTheParser() throws {
    let s = try Simulate.parse(["--lr", "3e-3, 5e-4,1e-4"])
    #expect(s.parameters.learningRates?.rates == (try LearningRates(single: 3e-3, multi: 5e-4, mirror: 1e-4)))
    #expect(try s.parameters.parameters().learningRates.multi == 5e-4)
    // printed command lines repeat the rates as typed
    #expect(s.parameters.flags() == ["--lr", "3e-3, 5e-4,1e-4"])
    for bad in ["1,2", "1,2,3,4", "a,b,c", "1,0,2", "1,inf,2", "1,-1,2"] {
      #expect(LearningRatesArgument(argument: bad) == nil, "\(bad)")
      #expect(throws: (any Error).self) { try UnifiedLoRACommand.parseAsRoot(["simulate", "--lr", bad]) }
    }
    let message = Simulate.message(for: Self.error { try Simulate.parse(["--lr", "1,2"]) })
    #expect(
      message
        == "The value '1,2' is invalid for '--lr <lr>': invalid parameter lr = 1,2: expected three numbers separated by commas, e.g. 2e-3,5e-4,1e-4"
    )
  }

  @Test func trainTakesTheOneReportFormat() throws {
    #expect(try Train.parse(["--format", "json"]).format == ReportFormat.json)
    #expect(try Train.parse([]).format == ReportFormat.table)
    #expect(throws: (any Error).self) { try Train.parse(["--format", "csv"]) }
  }

  static func error(_ body: () throws -> some Any) -> any Error {
    do {
      _ = try body()
      return CancellationError()
    } catch { return error }
  }

  @Test func everyFormatFlagTakesTheOneReportFormat() throws {
    #expect(try Verify.parse(["--format", "json"]).format == ReportFormat.json)
    #expect(try Audit.parse(["--format", "json"]).format == ReportFormat.json)
    #expect(try Vectors.parse(["--out", "v", "--format", "json"]).format == ReportFormat.json)
    #expect(try Analyze.parse(["--format", "json"]).format == ReportFormat.json)
    #expect(throws: (any Error).self) { try Verify.parse(["--format", "csv"]) }
  }

  /// A bad parameter is reported with the subcommand's usage, not the root's.
  @Test func badParameterShowsTheSubcommandsUsage() throws {
    for sub in ["analyze", "claims", "simulate", "scenario", "audit"] {
      do {
        _ = try UnifiedLoRACommand.parseAsRoot([sub, "--alpha", "2"])
        Issue.record("\(sub) --alpha 2 parsed")
      } catch {
        let text = UnifiedLoRACommand.fullMessage(for: error)
        #expect(text.contains("invalid parameter alpha = 2.0"), "\(text)")
        #expect(text.contains("Usage: unified-lora \(sub)"), "\(text)")
        #expect(UnifiedLoRACommand.exitCode(for: error).rawValue == 64)
      }
    }
  }

  /// Descriptions are single paragraphs the parser wraps to the terminal: at 200 columns no
  /// line of a discussion breaks before 100 characters when the next line goes on with prose.
  @Test func discussionsAreNotHardWrapped() throws {
    for command in [Simulate.self, ScenarioCommand.self, Vectors.self, UnifiedLoRACommand.self]
      as [any ParsableCommand.Type]
    {
      let lines = UnifiedLoRACommand.helpMessage(for: command, columns: 200).split(
        separator: "\n", omittingEmptySubsequences: false)
      for (a, b) in zip(lines, lines.dropFirst())
      where !a.hasPrefix(" ") && !b.hasPrefix(" ") && !a.isEmpty && !b.isEmpty && a.count < 100
        && !a.hasSuffix(":") && !b.hasPrefix("-") && b.first?.isLowercase == true
      {
        Issue.record("\(command._commandName): '\(a)' / '\(b)'")
      }
    }
  }

  /// Path options complete as files in the generated shell completions.
  @Test func pathOptionsCompleteAsFiles() throws {
    let script = UnifiedLoRACommand.completionScript(for: .zsh)
    for flag in ["--input", "--params", "--spec", "--noise-from", "--output"] {
      // A definition reads '--input[help]:input:ACTION' or '(--output -o)'{--output,-o}'[help]:…'.
      let lines = script.split(separator: "\n").filter {
        $0.contains("'\(flag)[") || $0.contains("{\(flag),")
      }
      #expect(!lines.isEmpty, "\(flag) is not in the completion script")
      #expect(lines.contains { $0.contains("_files") }, "\(flag): \(lines)")
    }
  }

  /// Every command's path (the root's, then each subcommand's).
  static let commands: [any ParsableCommand.Type] = {
    func walk(_ c: any ParsableCommand.Type) -> [any ParsableCommand.Type] {
      [c] + c.configuration.subcommands.flatMap(walk)
    }
    return walk(UnifiedLoRACommand.self)
  }()

  /// A default written in the help text and printed again by the parser reads
  /// "(default 0.5). (default: 0.5)": no option's help says its default twice.
  @Test func noHelpStatesADefaultTwice() throws {
    #expect(Self.commands.count >= 12)
    var doubled: [String] = []
    for command in Self.commands {
      let help = UnifiedLoRACommand.helpMessage(for: command, columns: 10_000)
      for line in help.split(separator: "\n") where line.trimmingCharacters(in: .whitespaces).hasPrefix("-") {
        if line.matches(of: /\(default[: ]/).count > 1 { doubled.append("\(command._commandName): \(line)") }
      }
    }
    #expect(doubled.isEmpty, "\(doubled.joined(separator: "\n"))")
  }

  /// Prose in a command's discussion flows: one line per paragraph, wrapped by the terminal, never
  /// broken by hand at some width (which breaks raggedly at any other). Indented lines (examples,
  /// lists) and lines ending in a colon (their headings) are laid out on purpose.
  @Test func noDiscussionIsHardWrapped() throws {
    var wrapped: [String] = []
    for command in Self.commands {
      let lines = command.configuration.discussion.split(separator: "\n", omittingEmptySubsequences: false)
      for (a, b) in zip(lines, lines.dropFirst()) {
        let prose = { (l: Substring) in !l.isEmpty && !l.hasPrefix(" ") }
        if prose(a), prose(b), !a.hasSuffix(":") { wrapped.append("\(command._commandName): \(a)") }
      }
    }
    #expect(wrapped.isEmpty, "\(wrapped.joined(separator: "\n"))")
  }
}

/// The error a command's `parse` throws for `arguments`.
enum ValidationErrorProbe {
  static func error(_ arguments: [String]) -> any Error {
    do {
      _ = try Verify.parse(arguments)
      return CancellationError()
    } catch { return error }
  }
}
