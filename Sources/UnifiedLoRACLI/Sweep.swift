import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRAIO

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

struct SweepRun: ParsableCommand, AxisHelp {
  static let configuration = CommandConfiguration(
    commandName: "run", abstract: "Compute a grid or one shard of it (the default subcommand).")

  @Option(help: "report (default) or repo.")
  var variant: Variant = .report
  @OptionGroup var axes: AxisOptions<SweepRun>
  static let notes: [ParameterFlag: String] = [.alphaE: " (report)", .cooldown: " (integers; report)"]
  @Option(help: "Low-stress loss values (default 0.5).") var loss: String?
  @Option(help: "Low-stress env values (default 0).") var env: String?
  @Option(name: .customLong("shock-loss"), help: "Shock loss values (default 20).") var shockLoss: String?
  @Option(name: .customLong("shock-env"), help: "Shock env values (default 0).") var shockEnv: String?
  @Option(name: .customLong("shock-length"), help: "Shock length values (integers; default 100).")
  var shockLength: String?
  @Option(help: "ε of the relative settling bands.") var epsilon: Double = 0.02
  @Option(help: "i/n: compute only the i-th of n contiguous blocks (0 ≤ i < n).") var shard = ShardArgument()
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(name: .customLong("max-steps"), help: "Iteration limit per quantity.")
  var maxSteps: Int = 1_000_000
  @Option(help: "csv (default) or json.") var format: SweepFormat = .csv

  func grid() throws -> SweepGrid {
    var specs: [String: String] = [:]
    let given =
      axes.given + [
        ("loss", loss), ("env", env), ("shock-loss", shockLoss), ("shock-env", shockEnv),
        ("shock-length", shockLength),
      ]
    for (k, v) in given { if let v { specs[k] = v } }
    if variant == .repo {
      for (k, v) in given where ["alpha-e", "cooldown", "env", "shock-env"].contains(k) && v != nil {
        throw ValidationError(
          "invalid option --\(k) = \(v!): the repo variant has no \(k.hasSuffix("env") ? "external stress" : k == "cooldown" ? "cooldown" : "α_E"); drop it or use --variant report"
        )
      }
    }
    do { return try SweepGrid(variant: variant, specs: specs, epsilon: epsilon) } catch {
      throw ValidationError(error.description)
    }
  }

  func shardNumbers() throws -> (Int, Int) {
    try shard.checked(example: "0/4", maxCount: Self.maxShards)
  }

  /// At most this many points per run (one shard); a grid may be larger and split with --shard.
  static let maxPointsPerRun = 100_000_000
  /// At most this many shards of one grid.
  static let maxShards = 1_000_000
  /// At most this many worker threads.
  static let maxThreads = 4096
  /// The largest iteration limit per quantity.
  static let maxIterations = 1_000_000_000

  func validate() throws {
    let g = try grid()
    let (i, n) = try shardNumbers()
    guard epsilon > 0, epsilon < 1 else {
      throw ValidationError("invalid value epsilon = \(epsilon): expected a number in (0, 1)")
    }
    guard let total = g.exactCount, total <= SweepFile.maxPoints else {
      let product = g.axes.map { Double($0.values.count) }.reduce(1, *)
      throw ValidationError(
        "the grid has \(product) points (\(g.axes.filter { $0.values.count > 1 }.map { "\($0.name) \($0.values.count)" }.joined(separator: " × "))); at most \(SweepFile.maxPoints) in a grid and \(Self.maxPointsPerRun) per run (use --shard)"
      )
    }
    let points = g.shard(i, of: n).count
    guard points <= Self.maxPointsPerRun else {
      throw ValidationError(
        "the grid has \(total) points, \(points) in shard \(i)/\(n); at most \(Self.maxPointsPerRun) per run (use --shard i/n with n ≥ \((total + Self.maxPointsPerRun - 1) / Self.maxPointsPerRun))"
      )
    }
    if let threads { try bounded(threads, "threads", 1...Self.maxThreads) }
    try bounded(maxSteps, "max-steps", 1...Self.maxIterations)
  }

  /// Rows are computed and written in blocks of this many points, so memory stays bounded
  /// whatever the grid's size.
  static let block = 4096

  func run() throws {
    let g = try grid()
    let (i, n) = try shardNumbers()
    let range = g.shard(i, of: n)
    let empty = SweepFile(grid: g, shard: (i, n), rows: [])
    guard !range.isEmpty else { return StandardOutput.write(format == .csv ? empty.csv : try json(empty)) }
    // The file is written as it is computed: the header (or the JSON object up to its rows), then
    // block after block of rows, then the end. The text is the same as encoding the whole file.
    let (prefix, separator, suffix): (String, String, String)
    switch format {
    case .csv: (prefix, separator, suffix) = (empty.csv, "", "")
    case .json: (prefix, separator, suffix) = try Self.jsonFrame(empty)
    }
    StandardOutput.write(prefix)
    var lo = range.lowerBound
    var first = true
    while lo < range.upperBound {
      let hi = min(range.upperBound, lo + Self.block)
      let rows = UnifiedLoRAAnalysis.Sweep.run(g, range: lo..<hi, threads: threads, maxSteps: maxSteps)
      var text = ""
      for r in rows {
        switch format {
        case .csv: text += SweepFile.csvLine(r) + "\n"
        case .json:
          text += (first ? "" : separator) + (try Self.jsonRow(r))
          first = false
        }
      }
      StandardOutput.write(text)
      // Stop computing once the output is lost; the failure is reported on exit.
      if StandardOutput.hasFailed { return }
      lo = hi
    }
    StandardOutput.write(suffix)
  }

  /// The JSON of a file with no rows cut where the rows go: the text before the first row, the
  /// separator between rows, and the text after the last one (`json(file)` of the whole file is
  /// `prefix + rows.joined(separator) + suffix`).
  static func jsonFrame(_ empty: SweepFile) throws -> (String, String, String) {
    let marker = try JSONOutput.decoder.decode(SweepRow.self, from: Data(#"{"index":-1,"point":{}}"#.utf8))
    var one = empty
    one.rows = [marker, marker]
    let text = try json(one)
    let row = try jsonRow(marker)
    guard let a = text.range(of: row), let b = text.range(of: row, range: a.upperBound..<text.endIndex) else {
      throw ValidationError("internal: the sweep's JSON layout changed")
    }
    return (
      String(text[..<a.lowerBound]), String(text[a.upperBound..<b.lowerBound]), String(text[b.upperBound...])
    )
  }

  /// One row as it appears inside the file's `rows` array (indented by two levels).
  static func jsonRow(_ r: SweepRow) throws -> String {
    let own = try json(r).dropLast()  // no trailing newline
    return own.split(separator: "\n", omittingEmptySubsequences: false).map { $0.isEmpty ? "" : "    " + $0 }
      .joined(separator: "\n").dropFirst(4).description
  }
}

struct SweepMerge: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Join the shard files of one sweep (all CSV or all JSON) into the whole grid.",
    discussion:
      "Checks that every file is a shard of the same grid, that each shard appears once, and that together they cover every point exactly once; prints the merged file."
  )

  @Argument(help: "The shard files, in any order.", completion: .file())
  var files: [String]

  /// The most bytes one merge reads, all files together (the merged file is built in memory).
  static let maxBytes = 1 << 30

  /// The bytes of one shard file (of `sweep merge` or `tune merge`), adding them to `total`.
  /// Read through a handle, so that a pipe (`<(unified-lora sweep …)`) is read too, and at most
  /// up to ``maxBytes`` for all files together, so that a device (/dev/zero) or a huge file
  /// cannot exhaust memory. A directory, an unreadable file and an empty one are named.
  static func readShard(_ f: String, total: inout Int) throws -> Data {
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: f, isDirectory: &isDirectory), isDirectory.boolValue {
      return try badInput("cannot read '\(Echo.cut(f))': it is a directory")
    }
    guard let handle = FileHandle(forReadingAtPath: f) else {
      return try badInput("cannot read '\(Echo.cut(f))'")
    }
    defer { try? handle.close() }
    let data: Data
    do { data = try handle.read(upToCount: maxBytes - total + 1) ?? Data() } catch {
      return try badInput("cannot read '\(Echo.cut(f))': \(error.localizedDescription)")
    }
    total += data.count
    guard total <= maxBytes else {
      return try badInput(
        "'\(Echo.cut(f))': the shard files hold more than \(maxBytes) bytes, the most one merge reads")
    }
    if data.isEmpty { return try badInput("'\(Echo.cut(f))' is empty: not a shard file") }
    return data
  }

  func run() throws {
    var texts: [(name: String, text: String)] = []
    var total = 0
    for f in files {
      let data = try Self.readShard(f, total: &total)
      texts.append((f, SweepFile.shardText(data)))
    }
    let isJSON = texts.first.map { $0.text.drop { $0.isWhitespace }.first == "{" } ?? false
    do {
      if isJSON {
        var parsed: [(name: String, file: SweepFile)] = []
        for (name, text) in texts {
          do {
            parsed.append((name, try JSONOutput.decoder.decode(SweepFile.self, from: Data(text.utf8))))
          } catch {
            return try badInput("\(name) is not a sweep JSON file (\(error))")
          }
        }
        StandardOutput.write(try json(try SweepFile.merge(parsed)))
      } else {
        StandardOutput.write(try SweepFile.mergeCSV(texts))
      }
    } catch let error as SweepError {
      return try badInput(error.description)
    }
  }
}
