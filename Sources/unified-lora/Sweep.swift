import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis

struct Sweep: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Settling times, latencies and reachability over a grid of parameters, on all cores.",
    discussion: """
      Each axis is a number or start:end:count (inclusive, evenly spaced); the grid is their product, the last axis (shock-length) varying fastest. Axes not given keep the variant's defaults and SPEC §6's regimes. Output: one row per grid point, in index order, whatever the number of threads.

      --shard i/n computes the i-th of n contiguous blocks of the grid, so that array jobs (Slurm, Kubernetes Jobs, GNU parallel) can split a large grid; `sweep merge` joins the shard files and checks that they belong to one grid and cover it exactly once.

      Examples:
        unified-lora sweep --alpha 0.01:1:100 --beta 0:0.99:100 > grid.csv
        for i in 0 1 2 3; do unified-lora sweep --alpha 0.01:1:100 --shard $i/4 > s$i.csv; done
        unified-lora sweep merge s0.csv s1.csv s2.csv s3.csv > grid.csv
      """,
    subcommands: [SweepRun.self, SweepMerge.self],
    defaultSubcommand: SweepRun.self)
}

enum SweepFormat: String, ExpressibleByArgument, CaseIterable {
  case csv, json
}

struct SweepRun: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Compute a grid or one shard of it (the default subcommand).")

  @Option(help: "report (default) or repo.")
  var variant: Variant = .report
  @Option(help: "α values.") var alpha: String?
  @Option(help: "β values.") var beta: String?
  @Option(name: .customLong("alpha-e"), help: "α_E values (report).") var alphaE: String?
  @Option(help: "θ0 values.") var theta0: String?
  @Option(help: "θ1 values.") var theta1: String?
  @Option(help: "N_s values (integers; report).") var cooldown: String?
  @Option(help: "Low-stress loss values (default 0.5).") var loss: String?
  @Option(help: "Low-stress env values (default 0).") var env: String?
  @Option(name: .customLong("shock-loss"), help: "Shock loss values (default 20).") var shockLoss: String?
  @Option(name: .customLong("shock-env"), help: "Shock env values (default 0).") var shockEnv: String?
  @Option(name: .customLong("shock-length"), help: "Shock length values (integers; default 100).") var shockLength: String?
  @Option(help: "ε of the relative settling bands (default 0.02).") var epsilon: Double = 0.02
  @Option(help: "i/n: compute only the i-th of n contiguous blocks (0 ≤ i < n).") var shard: String = "0/1"
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(name: .customLong("max-steps"), help: "Iteration limit per quantity (default 1000000).")
  var maxSteps: Int = 1_000_000
  @Option(help: "csv (default) or json.") var format: SweepFormat = .csv

  func grid() throws -> SweepGrid {
    var specs: [String: String] = [:]
    let given: [(String, String?)] = [
      ("alpha", alpha), ("beta", beta), ("alpha-e", alphaE), ("theta0", theta0), ("theta1", theta1),
      ("cooldown", cooldown), ("loss", loss), ("env", env), ("shock-loss", shockLoss),
      ("shock-env", shockEnv), ("shock-length", shockLength),
    ]
    for (k, v) in given { if let v { specs[k] = v } }
    if variant == .repo {
      for (k, v) in given where ["alpha-e", "cooldown", "env", "shock-env"].contains(k) && v != nil {
        throw ValidationError(
          "invalid option --\(k) = \(v!): the repo variant has no \(k.hasSuffix("env") ? "external stress" : k == "cooldown" ? "cooldown" : "α_E"); drop it or use --variant report")
      }
    }
    do { return try SweepGrid(variant: variant, specs: specs, epsilon: epsilon) } catch {
      throw ValidationError(error.description)
    }
  }

  func shardNumbers() throws -> (Int, Int) {
    let parts = shard.split(separator: "/").map { Int($0) }
    guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else {
      throw ValidationError("invalid value shard = \(shard): expected i/n with 0 ≤ i < n, e.g. 0/4")
    }
    return (i, n)
  }

  func validate() throws {
    let g = try grid()
    _ = try shardNumbers()
    guard epsilon > 0, epsilon < 1 else {
      throw ValidationError("invalid value epsilon = \(epsilon): expected a number in (0, 1)")
    }
    guard g.count <= 100_000_000 else {
      throw ValidationError("the grid has \(g.count) points; at most 100000000 per run (use --shard)")
    }
    if let threads, threads < 1 { throw ValidationError("invalid value threads = \(threads): expected ≥ 1") }
    guard maxSteps >= 1 else { throw ValidationError("invalid value max-steps = \(maxSteps): expected ≥ 1") }
  }

  func run() throws {
    let g = try grid()
    let (i, n) = try shardNumbers()
    let rows = UnifiedLoRAAnalysis.Sweep.run(g, range: g.shard(i, of: n), threads: threads, maxSteps: maxSteps)
    let file = SweepFile(grid: g, shard: (i, n), rows: rows)
    let sink = FileHandle.standardOutput
    sink.write(Data((format == .csv ? file.csv : try json(file)).utf8))
  }
}

struct SweepMerge: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the shard files of one sweep (all CSV or all JSON) into the whole grid.",
    discussion: "Checks that every file is a shard of the same grid, that each shard appears once, and that together they cover every point exactly once; prints the merged file.")

  @Argument(help: "The shard files, in any order.")
  var files: [String]

  func run() throws {
    var texts: [(name: String, text: String)] = []
    for f in files {
      guard let data = FileManager.default.contents(atPath: f) else { return try badInput("cannot read '\(f)'") }
      texts.append((f, String(decoding: data, as: UTF8.self)))
    }
    let isJSON = texts.first.map { $0.text.drop { $0.isWhitespace }.first == "{" } ?? false
    do {
      if isJSON {
        var parsed: [(name: String, file: SweepFile)] = []
        for (name, text) in texts {
          do { parsed.append((name, try JSONDecoder().decode(SweepFile.self, from: Data(text.utf8)))) } catch {
            return try badInput("\(name) is not a sweep JSON file (\(error))")
          }
        }
        print(try json(try SweepFile.merge(parsed)), terminator: "")
      } else {
        print(try SweepFile.mergeCSV(texts), terminator: "")
      }
    } catch let error as SweepError {
      return try badInput(error.description)
    }
  }
}
