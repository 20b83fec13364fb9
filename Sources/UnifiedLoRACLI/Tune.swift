import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRASupport
import UnifiedLoRATune

extension TuneTarget: ExpressibleByArgument {}

/// `report`, `repo` or `both`: the variants of the box.
enum TuneVariants: String, ExpressibleByArgument, CaseIterable {
  case report, repo, both
  var variants: [Variant] { self == .both ? [.report, .repo] : self == .report ? [.report] : [.repo] }
}

struct TuneCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune",
    abstract: "Controller parameters from a specification: latency, false alarms under noise, recovery.",
    discussion: TuneRun.configuration.discussion,
    subcommands: [TuneRun.self, TuneMerge.self],
    defaultSubcommand: TuneRun.self)
}

struct TuneMerge: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract:
      "Join the shard files of one tune run (each from --format json --all-rows) and print the whole result.",
    discussion:
      "Checks that the files share one spec, that each shard appears once and that together they cover the box; recomputes the Pareto front (and the certificate when it is empty). Exit status 1 when nothing meets the spec."
  )

  @Argument(help: "The shard files (JSON), in any order.", completion: .file(extensions: ["json"])) var files:
    [String]
  @Option(help: "Front rows in the table.") var rows: Int = 15
  @Option(help: "table (default), json or csv.") var format: TuneRun.Format = .table

  func run() throws {
    var parts: [TuneResult] = []
    var total = 0
    for f in files {
      let data = try SweepMerge.readShard(f, total: &total)
      do { parts.append(try JSONOutput.decoder.decode(TuneResult.self, from: data)) } catch {
        return try badInput("\(f) is not a tune JSON file (\(error))")
      }
    }
    let merged: TuneResult
    do { merged = try Tune.merge(parts) } catch { return try badInput(error.description) }
    try TuneRun.emit(merged, format: format, rows: rows, allRows: true)
  }
}

struct TuneRun: ParsableCommand, AxisHelp {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract: "Search the box for the spec (the default subcommand).",
    discussion: """
      The spec: a clean loss level with noise (--noise σ, --noise-model lognormal|gaussian, --noise-ar ρ, or --noise-from LOG to fit them from a loss log); a shock (--shock-loss or --shock-factor, --shock-length, --shock-env); the goals (reach --target within --react-within updates of the shock's start, at most --max-false-switches per 1000 clean steps, back in Single within --recover-within updates of its end, for a --reliability fraction of shocks); the box (--alpha … --cooldown: a number, a list a,b,c or lo:hi:count; --variant report|repo|both). --spec FILE reads the same as JSON (keys as in the JSON output's "spec"); flags override it.

      The search: the analysis removes every configuration whose clean fixed point is outside Single (T03, T08), that can never reach the target (T06, T07: sup φ with D = 1 during the shock), or whose best case (D = 1 from the shock's first step, T14) needs more than --react-within updates; the rest run on SIMD lanes (eight configurations per vector, all cores) over --traces noisy traces of --clean-steps clean steps, the shock and the recovery window, all configurations on the same traces. Rates carry 95% intervals (batch means over traces for false switches, Wilson for fractions). Output: the Pareto front of the feasible configurations (latency, false-switch rate, recovery), each with the `scenario steady` command that replays its trace 0 (trace j: seed + j). When nothing works: a certificate with the theorem, and the least change; exit status 1.

      --shard i/n runs the i-th of n contiguous blocks of the box; `tune merge` joins the shards' `--format json --all-rows` files and recomputes the front. Progress on standard error.

      Examples:
        unified-lora tune --clean-loss 1 --noise 0.3 --shock-loss 4 --react-within 20 --max-false-switches 2
        unified-lora tune --clean-loss 1 --noise 0.3 --shock-loss 4 --target mirror --theta1 0.7
        unified-lora tune --spec spec.json --format json
        for i in 0 1; do unified-lora tune --shard $i/2 --format json --all-rows > t$i.json; done; unified-lora tune merge t0.json t1.json
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, csv }

  /// The standard box (``TuneBox/standard``), as the axis options' help states it.
  static let notes: [ParameterFlag: String] = [
    .alpha: " (default 0.05,0.1,0.2,0.3)", .beta: " (default 0.5,0.7,0.9,0.95)",
    .alphaE: " (default 0,0.25,0.5)",
    .theta0: " (default 0.1:0.45:8)", .theta1: " (default 0.6,0.7,0.8,0.9)",
    .cooldown: " (default 0,5,10,30)",
  ]

  @Option(help: "A JSON spec file; flags override its values.", completion: .file(extensions: ["json"]))
  var spec: String?
  @Option(name: .customLong("clean-loss"), help: "The clean loss level (default 0.5).") var cleanLoss: Double?
  @Option(help: "σ, the relative size of the noise (default 0.15).") var noise: Double?
  @Option(name: .customLong("noise-model"), help: "lognormal (default) or gaussian.") var noiseModel:
    NoiseModel.Kind?
  @Option(name: .customLong("noise-ar"), help: "The AR(1) correlation of the noise, in (−1, 1) (default 0).")
  var noiseAR: Double?
  @Option(
    name: .customLong("noise-from"),
    help: "Fit the clean level, σ and ρ from this loss log (CSV or JSON Lines; its second half).",
    completion: .file())
  var noiseFrom: String?
  @Option(name: .customLong("loss-column"), help: "The loss column of --noise-from (default loss).")
  var lossColumn: String = "loss"
  @Option(name: .customLong("shock-loss"), help: "The shock's loss level (default 20).") var shockLoss:
    Double?
  @Option(name: .customLong("shock-factor"), help: "The shock's loss as a multiple of the clean loss.")
  var shockFactor: Double?
  @Option(name: .customLong("shock-length"), help: "The shock's length in updates (default 100).")
  var shockLength: Int?
  @Option(name: .customLong("shock-env"), help: "The external stress E during the shock (default 0).")
  var shockEnv: Double?
  @Option(help: "multi (default; Multi or Mirror counts) or mirror.") var target: TuneTarget?
  @Option(
    name: .customLong("react-within"),
    help: "N: the target within N updates of the shock's start (default 50).") var reactWithin: Int?
  @Option(
    name: .customLong("max-false-switches"),
    help: "r: at most r false switches per 1000 clean steps (default 1).") var maxFalseSwitches: Double?
  @Option(
    name: .customLong("recover-within"),
    help: "M: back in Single within M updates of the shock's end (default: no goal; 500 steps are simulated)."
  ) var recoverWithin: Int?
  @Option(help: "The fraction of shocks that must meet the latency and recovery goals (default 0.9).")
  var reliability: Double?
  @Option(help: "report (default), repo or both.") var variant: TuneVariants?
  @OptionGroup var axes: AxisOptions<TuneRun>
  @Option(help: "Monte Carlo traces per configuration (default 400).") var traces: Int?
  @Option(name: .customLong("clean-steps"), help: "Clean steps per trace before the shock (default 1000).")
  var cleanSteps: Int?
  @Option(help: "The seed of trace 0 (trace j: seed + j; default 1).") var seed: UInt64?
  @Option(help: "i/n: only the i-th of n contiguous blocks of the box.") var shard = ShardArgument()
  @Option(help: "Worker threads (default: all cores).") var threads: Int?
  @Option(help: "Front rows in the table (JSON and CSV have all).") var rows: Int = 15
  @Flag(
    name: .customLong("all-rows"), help: "JSON: include every simulated configuration, not only the front.")
  var allRows = false
  @Option(help: "table (default), json or csv (the front).") var format: Format = .table

  func shardNumbers() throws -> (Int, Int) { try shard.checked(example: "0/4") }

  /// The spec: defaults, then the file, then the flags; validated.
  func resolvedSpec() throws -> (TuneSpec, NoiseFit?) {
    var s = TuneSpec()
    if let path = spec {
      guard let data = FileManager.default.contents(atPath: path) else {
        throw ValidationError("cannot read the spec file '\(path)'")
      }
      do { try JSONKeys.checkUnique([UInt8](data)) } catch { throw ValidationError("\(path): \(error)") }
      do { s = try JSONOutput.decoder.decode(TuneSpec.self, from: data) } catch let
        DecodingError.dataCorrupted(c)
      {
        throw ValidationError("\(path): \(c.debugDescription)")
      } catch {
        throw ValidationError("\(path): not a tune spec (\(error))")
      }
    }
    var fit: NoiseFit?
    if let noiseFrom {
      do {
        let f = try NoiseFit.fit(
          path: noiseFrom,
          schema: LogSchema(format: LogSchema.Format.guess(path: noiseFrom), loss: lossColumn),
          kind: noiseModel ?? .lognormal)
        s.cleanLoss = f.level
        s.noise = f.model
        fit = f
      } catch let e as LogError {
        throw ValidationError("\(noiseFrom): \(e.description)")
      }
    }
    if let cleanLoss { s.cleanLoss = cleanLoss }
    if let noise { s.noise.sigma = noise }
    if let noiseModel, noiseFrom == nil { s.noise.kind = noiseModel }
    if let noiseAR { s.noise.correlation = noiseAR }
    if shockLoss != nil && shockFactor != nil {
      throw ValidationError("give --shock-loss or --shock-factor, not both")
    }
    if let shockLoss { s.shockLoss = shockLoss }
    if let shockFactor {
      guard shockFactor.isFinite, shockFactor >= 0 else {
        throw ValidationError("invalid value shock-factor = \(shockFactor): expected a finite number ≥ 0")
      }
      s.shockLoss = shockFactor * s.cleanLoss
    }
    if let shockLength { s.shockLength = shockLength }
    if let shockEnv { s.shockEnv = shockEnv }
    if let target { s.target = target }
    if let reactWithin { s.reactWithin = reactWithin }
    if let maxFalseSwitches { s.maxFalseSwitches = maxFalseSwitches }
    if let recoverWithin { s.recoverWithin = recoverWithin }
    if let reliability { s.reliability = reliability }
    if let variant { s.box.variants = variant.variants }
    func axis(_ text: String?, _ name: String, _ keyPath: WritableKeyPath<TuneBox, TuneAxis>) throws {
      if let text { s.box[keyPath: keyPath] = try TuneAxis(parsing: text, field: name) }
    }
    do {
      try axis(axes.alpha, "alpha", \.alpha)
      try axis(axes.beta, "beta", \.beta)
      try axis(axes.alphaE, "alpha-e", \.alphaE)
      try axis(axes.theta0, "theta0", \.theta0)
      try axis(axes.theta1, "theta1", \.theta1)
      try axis(axes.cooldown, "cooldown", \.cooldown)
      if let traces { s.traces = traces }
      if let cleanSteps { s.cleanSteps = cleanSteps }
      if let seed { s.seed = seed }
      try s.validate()
    } catch let e as TuneError {
      throw ValidationError(e.description)
    }
    // The noise must leave every simulated loss finite, as `scenario` requires.
    try ScenarioCommand.checkNoise(s.noise.sigma, largestLoss: max(s.cleanLoss, s.shockLoss))
    if s.box.variants == [.repo] && (axes.alphaE != nil || axes.cooldown != nil || (shockEnv ?? 0) != 0) {
      throw ValidationError(
        "the repo variant has no α_E, cooldown or external stress: drop --alpha-e, --cooldown and --shock-env, or use --variant report or both"
      )
    }
    return (s, fit)
  }

  func validate() throws {
    _ = try shardNumbers()
    _ = try resolvedSpec()
    if let threads { try bounded(threads, "threads", 1...1024) }
    try bounded(rows, "rows", 1...100_000)
  }

  func run() throws {
    let (spec, fit) = try resolvedSpec()
    let (i, n) = try shardNumbers()
    let progress = ProgressReporter(style: isatty(2) == 1 ? .inPlace : .silent)
    if let fit {
      StandardError.write(
        "noise fitted from \(noiseFrom!) (\(fit.records) records): clean loss \(fit.level), \(fit.model)\n")
    }
    let result: TuneResult
    do {
      result = try Tune.run(
        spec, shard: (i, n), version: UnifiedLoRACommand.version,
        threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
        progress: { f, phase in progress.update("tune seed \(spec.seed): \(phase) \(Int(f * 100))%") })
    } catch { throw ValidationError(error.description) }
    progress.clear()
    try Self.emit(result, format: format, rows: rows, allRows: allRows)
  }

  static func emit(_ result: TuneResult, format: Format, rows: Int, allRows: Bool) throws {
    switch format {
    case .table: StandardOutput.write(TuneTable.render(result, rows: rows))
    case .json:
      var r = result
      if !allRows { r.rows = [] }
      StandardOutput.write(try json(TuneTable.document(r)))
    case .csv:
      StandardOutput.write(TuneTable.csv(result.front, spec: result.spec))
      if let c = result.certificate { StandardError.write(TuneTable.certificate(c)) }
    }
    if result.front.isEmpty { throw ExitCode(1) }
  }
}

/// The readable and CSV forms of a ``TuneResult``.
enum TuneTable {
  static func render(_ r: TuneResult, rows limit: Int) -> String {
    let s = r.spec
    var out = "unified-lora tune  seed \(s.seed)  version \(r.version)  shard \(r.shard)\n"
    out +=
      "spec: clean loss \(num(s.cleanLoss)) with \(s.noise); shock loss \(num(s.shockLoss)), E \(num(s.shockEnv)) for \(s.shockLength) updates after \(s.cleanSteps) clean steps\n"
    out +=
      "goals: \(s.target.mode) within \(s.reactWithin) updates of the shock's start; ≤ \(num(s.maxFalseSwitches)) false switches per 1000 clean steps; "
      + (s.recoverWithin.map { "back in Single within \($0) updates of its end" }
        ?? "recovery measured over \(s.recoveryWindow) updates (no goal)")
      + "; in ≥ \(num(s.reliability)) of shocks\n"
    let b = s.box
    out +=
      "box: \(b.variants.map(\.rawValue).joined(separator: ",")) α {\(b.alpha)} β {\(b.beta)} α_E {\(b.alphaE)} θ0 {\(b.theta0)} θ1 {\(b.theta1)} N_s {\(b.cooldown)}: \(r.configurations) configurations (\(r.invalid) outside the domain)\n"
    out += "pruned by the analysis: "
    out += PruneRule.allCases.map {
      "\($0) (\($0.theorems.joined(separator: ", "))) \(r.pruned[$0.rawValue] ?? 0)"
    }.joined(
      separator: ", ")
    out +=
      "\nsimulated: \(r.simulated) configurations × \(s.traces) traces × \(s.stepsPerTrace) steps = \(r.monteCarloSteps) controller steps in \(String(format: "%.1f", r.seconds)) s\n\n"
    if r.front.isEmpty {
      out += "no configuration meets the spec\n"
      if let c = r.certificate { out += certificate(c) }
      return out
    }
    let feasible = r.rows.filter(\.feasible).count
    out +=
      "Pareto front: \(r.front.count) of \(feasible) feasible configurations (latency and recovery: \(num(s.reliability))-quantiles over traces, in updates)\n"
    var t = TextTable(
      "#", "variant", "α", "β", "α_E", "θ0", "θ1", "N_s", "latency", "best", "reacted [95%]",
      "false/1000 [95%]",
      "recovery", "recovered [95%]")
    for (k, row) in r.front.prefix(limit).enumerated() {
      t.add(
        String(k + 1), row.variant.rawValue, num(row.alpha), num(row.beta), num(row.alphaE), num(row.theta0),
        num(row.theta1), String(row.cooldown), row.latency.map(String.init) ?? "-",
        String(row.bestCaseLatency),
        interval(row.reacted), interval(row.falseSwitchesPer1000), row.recovery.map(String.init) ?? "-",
        interval(row.recovered))
    }
    out += t.render()
    if r.front.count > limit { out += "  … \(r.front.count - limit) more (--rows, or --format json/csv)\n" }
    out += "\nreplay (trace 0; trace j: --seed \(s.seed)+j):\n"
    for (k, row) in r.front.prefix(limit).enumerated() { out += "  [\(k + 1)] \(command(row, s))\n" }
    out += "\n\(r.intervalNote).\n"
    return out
  }

  static func interval(_ i: Interval) -> String {
    "\(num(round(i.estimate * 1e4) / 1e4)) [\(num(round(i.lo * 1e4) / 1e4)), \(num(round(i.hi * 1e4) / 1e4))]"
  }

  static func certificate(_ c: TuneCertificate) -> String {
    var out = "certificate (\(c.kind)):\n"
    for r in c.reasons { out += "  - \(r)\n" }
    out += "least changes:\n"
    for l in c.leastChanges { out += "  - \(l)\n" }
    return out
  }

  static let csvHeader =
    "rank,index,variant,alpha,beta,alpha_e,theta0,theta1,cooldown,latency,mean_latency,best_case_latency,reacted,reacted_lo,reacted_hi,false_per_1000,false_lo,false_hi,false_method,recovery,mean_recovery,recovered,recovered_lo,recovered_hi,seed,command"

  /// The command line replaying trace 0 of `row` (replace the seed for trace j).
  static func command(_ row: TuneRow, _ spec: TuneSpec) -> String {
    ReplayCommandLine.render(spec.replay(row.parameters, trace: 0))
  }

  /// The result's JSON document: each row with the `command` that replays its trace 0.
  static func document(_ r: TuneResult) -> some Encodable {
    func rendered(_ rows: [TuneRow]) -> [WithKey<TuneRow, String>] {
      rows.map { WithKey($0, "command", command($0, r.spec)) }
    }
    return WithKey(WithKey(r, "rows", rendered(r.rows)), "front", rendered(r.front))
  }

  static func csv(_ front: [TuneRow], spec: TuneSpec) -> String {
    var out = csvHeader + "\n"
    func o(_ x: Int?) -> String { x.map(String.init) ?? "" }
    func d(_ x: Double?) -> String { x.map(\.description) ?? "" }
    for (k, r) in front.enumerated() {
      let cells: [String] = [
        String(k + 1), String(r.index), r.variant.rawValue, r.alpha.description, r.beta.description,
        r.alphaE.description, r.theta0.description, r.theta1.description, String(r.cooldown), o(r.latency),
        d(r.meanLatency), String(r.bestCaseLatency), r.reacted.estimate.description, r.reacted.lo.description,
        r.reacted.hi.description, r.falseSwitchesPer1000.estimate.description,
        r.falseSwitchesPer1000.lo.description, r.falseSwitchesPer1000.hi.description,
        r.falseSwitchesPer1000.method, o(r.recovery), d(r.meanRecovery), r.recovered.estimate.description,
        r.recovered.lo.description, r.recovered.hi.description, String(r.seed), "\"\(command(r, spec))\"",
      ]
      out += cells.joined(separator: ",") + "\n"
    }
    return out
  }
}
