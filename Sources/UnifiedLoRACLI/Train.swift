import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRASupport
import UnifiedLoRATrainer

extension OptimizerKind: ExpressibleByArgument {}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Adapt a transformer with LoRA to Pig Latin, shock it, and compare learning-rate policies.",
    discussion: """
      The report's experiment in miniature. A decoder-only transformer (2 layers, d_model 64, 4 heads, character vocabulary) is pretrained in-process on related word transformations (copy, reverse, rotate + ay, append way, drop the onset) and frozen; pretrained bases are kept in a cache directory keyed by everything that determines them (--base-cache, --no-base-cache). Rank-r LoRA adapters on the attention projections (q,k,v,o by default) are adapted to Pig Latin on /usr/share/dict/words (Debian package wamerican) for --warm-steps clean steps, the rate cosine-decayed from --warm-rate to warm-rate × --warm-floor. Every arm starts at step 0 from that converged model and sees the same batches; in the shock windows a fraction of each batch gets a conflicting mapping (the word reversed + ay) or random symbols. Validation and test stay clean.

      Arms: unified (E ≡ 0), unified+signal (E: a loss-jump statistic), fixed:LR (fixed:5e-4 is the report's baseline), plateau (reduce-on-plateau from 2e-3, factor 0.5, patience 10 evaluations, threshold 1% rel, cooldown 10, floor 1e-4), clip:LR (gradient norm ≤ 1), skip:LR (skip a batch whose loss exceeds 4× the running mean), cosine:LR (cosine decay to 1%).

      Prints the report's Tables 5.2/5.3 beside ours, per-arm exact match and losses with bootstrap 95% CIs, per-seed paired differences against fixed:5e-4, verdicts on the report's claims, the switch predictions made before each later shock against what happened, Adam's preconditioned sharpness against 38/η (reported without a value when the Lanczos residual stays above 1%), and two consistency checks of the log. With --out, writes one CSV per run (step,loss,shocked,env,ehat,phi,mode,lr,val_loss) and summary.json (the --format json document), published as one set (the directory is checked before training). Progress and predictions go to standard error on a terminal or with --progress. Reproducible for a given seed, thread count and BLAS kernel (OPENBLAS_CORETYPE); the number of concurrent runs (--jobs) does not change any result.

      Example: unified-lora train --seeds 10 --out runs/
      """)

  enum Env: String, ExpressibleByArgument, CaseIterable { case none, signal, both }

  @Option(
    help: "Comma-separated arms: unified, unified+signal, plateau, fixed:LR, clip:LR, skip:LR, cosine:LR.",
    transform: TrainArgument.arms)
  var arms: ArmSelection = .standard

  @Option(help: "Number of seeds (1 … 1000) per arm.")
  var seeds: Int = 10

  @Option(
    name: .customLong("first-seed"), help: "The first seed (seeds are first-seed … first-seed + N − 1).")
  var firstSeed: UInt64 = 1

  @Option(help: "Training steps per run (from the start of the adapter training).")
  var steps: Int = 800

  @Option(
    help: "Shock windows start:end (end exclusive), comma-separated, or none.",
    transform: TrainArgument.shocks)
  var shocks: ShockSchedule = .report

  @Option(
    name: .customLong("shock-kind"),
    help: "conflict (a fixed alternative mapping, reverse + ay) or noise (random target symbols).")
  var shockKind: Shock.Kind = .conflict

  @Option(
    name: .customLong("shock-fraction"), help: "Fraction of each shocked batch that is shocked, in [0, 1].")
  var shockFraction: Double = 1

  @Option(
    name: .customLong("warm-steps"),
    help: "Clean adaptation steps before step 0 (Adam, see warm-rate), shared by every arm of a seed.")
  var warmSteps: Int = RunConfiguration().warmSteps

  @Option(
    name: .customLong("warm-rate"), help: "Adam's rate at the start of the clean adaptation, in (0, 1].")
  var warmRate: Double = RunConfiguration().warmRate

  @Option(
    name: .customLong("warm-floor"),
    help: "The clean adaptation's rate decays by a cosine to warm-rate × this, in (0, 1] (1: constant).")
  var warmFloor: Double = RunConfiguration().warmFloor

  @Option(help: "LoRA rank r.")
  var rank: Int = 8

  @Option(
    name: .customLong("lora-alpha"),
    help: "LoRA scale numerator α (the adapters are scaled by α/r), in (0, 1024].")
  var loraAlpha: Double = 16

  @Option(
    name: .customLong("lora-targets"),
    help: "Attention projections with adapters, comma-separated subset of q,k,v,o.")
  var loraTargets: String = RunConfiguration().targets.map(\.rawValue).joined(separator: ",")

  @Option(name: .customLong("d-model"), help: "Transformer width.")
  var dModel: Int = 64

  @Option(help: "Attention heads (must divide d-model).")
  var heads: Int = 4

  @Option(help: "Transformer layers.")
  var layers: Int = 2

  @Option(help: "Feed-forward width.")
  var ffn: Int = 128

  @Option(help: "adam or sgd.")
  var optimizer: OptimizerKind = .adam

  @Option(help: "External stress for the unified arm: none (E ≡ 0), signal (loss-jump statistic) or both.")
  var env: Env = .both

  @Option(name: .customLong("batch-size"), help: "Training batch size.")
  var batchSize: Int = 32

  @Option(name: .customLong("eval-every"), help: "Clean validation loss every this many steps.")
  var evalEvery: Int = 5

  @Option(
    name: .customLong("test-size"), help: "Test words for the final exact match (0: the whole test split).")
  var testSize: Int = 0

  @Option(
    name: .customLong("sharpness-at"),
    help:
      "Steps at which to measure Adam's preconditioned sharpness in unified runs, comma-separated, or none.",
    transform: TrainArgument.checkpoints)
  var sharpnessAt: SharpnessSteps = SharpnessSteps(RunConfiguration().sharpnessCheckpoints)

  @Option(
    name: .customLong("power-iterations"),
    help: "Most Lanczos steps (Hessian-vector products) per sharpness measurement.")
  var powerIterations: Int = 60

  @Option(
    name: .customLong("pretrain-steps"), help: "Pretraining steps of the base on the related word tasks.")
  var pretrainSteps: Int = 2000

  @Option(
    name: .customLong("base-cache"),
    help: ArgumentHelp(
      "Directory of pretrained bases, keyed by everything that determines them (default: ~/.cache/unified-lora/bases).",
      valueName: "dir"),
    completion: .directory)
  var baseCache: String?

  @Flag(
    name: .customLong("no-base-cache"), help: "Pretrain every base, neither reading nor writing the cache.")
  var noBaseCache = false

  @Option(help: "The word list.")
  var words: String = WordList.defaultPath

  @Option(
    help:
      "Concurrent runs (each single-threaded; default and most that run at once: the number of processors; no result depends on it)."
  )
  var jobs: Int?

  @Option(help: "Write per-run CSV files and summary.json into this directory (replaced as one set).")
  var out: String?

  @Option(help: "table (default) or json.")
  var format: ReportFormat = .table

  @Flag(help: "Progress on standard error even when it is not a terminal (it is shown on a terminal anyway).")
  var progress = false

  @OptionGroup var parameters: ParameterOptions

  func validate() throws {
    try bounded(seeds, "seeds", 1...1000)
    guard UInt64.max - firstSeed >= UInt64(seeds - 1) else {
      throw ValidationError(
        "invalid value first-seed = \(firstSeed): with seeds = \(seeds) the last seed would exceed \(UInt64.max); expected first-seed ≤ \(UInt64.max - UInt64(seeds - 1))"
      )
    }
    try bounded(steps, "steps", 1...1_000_000)
    try bounded(rank, "rank", 1...256)
    guard rank <= dModel else {
      throw ValidationError("invalid value rank = \(rank): expected at most d-model = \(dModel)")
    }
    try boundedPositive(loraAlpha, "lora-alpha", atMost: 1024)
    guard shockFraction.isFinite && shockFraction >= 0 && shockFraction <= 1 else {
      throw ValidationError("invalid value shock-fraction = \(shockFraction): expected a number in [0, 1]")
    }
    try bounded(warmSteps, "warm-steps", 0...1_000_000)
    try boundedPositive(warmRate, "warm-rate", atMost: 1)
    try boundedPositive(warmFloor, "warm-floor", atMost: 1)
    try bounded(batchSize, "batch-size", 1...1024)
    try bounded(evalEvery, "eval-every", 1...1_000_000)
    try bounded(testSize, "test-size", 0...1_000_000)
    try bounded(pretrainSteps, "pretrain-steps", 0...1_000_000)
    try bounded(powerIterations, "power-iterations", 1...10_000)
    try bounded(dModel, "d-model", 1...1024)
    guard heads >= 1 && heads <= dModel && dModel % heads == 0 else {
      throw ValidationError("invalid value heads = \(heads): expected a divisor of d-model = \(dModel)")
    }
    try bounded(layers, "layers", 1...16)
    try bounded(ffn, "ffn", 1...8192)
    if let jobs { try bounded(jobs, "jobs", 1...256) }
    _ = try targets()
  }

  func targets() throws -> [AdapterTarget] {
    do { return try AdapterTarget.parse(loraTargets) } catch { throw ValidationError(error.description) }
  }

  /// The arms, `unified` expanded by `--env`.
  func armList() -> [Arm] {
    let sources: [EnvironmentKind] =
      switch env {
      case .none: [.none]
      case .signal: [.signal]
      case .both: [.none, .signal]
      }
    return arms.arms(unified: sources)
  }

  func run() throws {
    let p = try parameters.parameters()
    // The output directory is checked before any training, so a bad target loses nothing.
    let target: RunDirectory?
    do { target = try out.map { try RunDirectory($0) } } catch let e as RunDirectoryError {
      return try badInput(e.description)
    }
    var c = RunConfiguration()
    c.steps = steps
    c.batchSize = batchSize
    c.rank = rank
    c.loraAlpha = loraAlpha
    c.targets = try targets()
    c.shape = ModelShape(dModel: dModel, heads: heads, layers: layers, ffn: ffn)
    c.optimizer = optimizer
    c.shocks = shocks
    c.shock = Shock(kind: shockKind, fraction: shockFraction)
    c.warmSteps = warmSteps
    c.warmRate = warmRate
    c.warmFloor = warmFloor
    c.evalEvery = evalEvery
    c.testSize = testSize
    c.controller = p
    c.sharpnessCheckpoints = sharpnessAt.steps
    c.powerIterations = powerIterations
    c.pretrainSteps = pretrainSteps
    let experiment: Experiment
    do {
      experiment = try Experiment(
        arms: armList(), seeds: (0..<UInt64(seeds)).map { firstSeed + $0 }, configuration: c, jobs: jobs,
        baseCache: noBaseCache
          ? nil
          : BaseCache(directory: baseCache ?? BaseCache.defaultDirectory, salt: UnifiedLoRACommand.version))
    } catch { throw ValidationError(error.description) }
    let reporter = TrainProgress(force: progress)
    let result: Experiment.Result
    do throws(DataError) {
      var show: (@Sendable (Experiment.Progress) -> Void)?
      var announce: (@Sendable (Arm, UInt64, SwitchPrediction) -> Void)?
      var prepared: (@Sendable (Experiment.Preparation) -> Void)?
      if let reporter {
        show = { reporter.show($0) }
        announce = { reporter.announce($0, $1, $2) }
        prepared = { reporter.prepared($0) }
      }
      result = try experiment.run(words: words, progress: show, announce: announce, prepared: prepared)
    } catch {
      reporter?.finish()
      return try badInput(error.description)
    }
    reporter?.finish()
    let summary = TrainSummary(result, command: commandLine(), version: UnifiedLoRACommand.version)
    // The tables first, whatever happens to the files.
    let text: String
    do {
      text = format == .table ? TrainReport(summary: summary).table() : try summary.json()
    } catch {
      return try badInput("cannot encode the summary: \(error)")
    }
    // A failed write is reported, with exit status 74, when the command ends: the files are
    // published first.
    StandardOutput.write(text)
    if let target {
      do { try target.publish { try TrainFiles.write(result, summary, into: $0) } } catch let e
        as RunDirectoryError
      {
        return try badInput(e.description)
      }
    }
  }

  func commandLine() -> String {
    ([UnifiedLoRACommand.configuration.commandName!] + CommandLine.arguments.dropFirst()).joined(
      separator: " ")
  }
}

extension Shock.Kind: ExpressibleByArgument {}
