import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRATrainer

extension OptimizerKind: ExpressibleByArgument {}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Adapt a transformer with LoRA to Pig Latin, shock it, and compare learning-rate policies.",
    discussion: """
      The report's experiment in miniature. A decoder-only transformer (2 layers,
      d_model 64, 4 heads, character vocabulary) is pretrained in-process on
      related word transformations (copy, reverse, rotate + ay, append way, drop
      the onset) and frozen; rank-r LoRA adapters on the attention projections
      (q,v by default) are adapted to Pig Latin on /usr/share/dict/words
      (Debian package wamerican) for --warm-steps clean steps. Every arm starts
      at step 0 from that converged model and sees the same batches; in the
      shock windows a fraction of each batch gets a conflicting mapping (the
      word reversed + ay) or random symbols. Validation and test stay clean.

      Arms: unified (E ≡ 0), unified+signal (E: a loss-jump statistic), fixed:LR
      (fixed:5e-4 is the report's baseline), plateau (reduce-on-plateau from
      2e-3, factor 0.5, patience 10 evaluations, threshold 1% rel, cooldown 10,
      floor 1e-4), clip:LR (gradient norm ≤ 1), skip:LR (skip a batch whose loss
      exceeds 4× the running mean), cosine:LR (cosine decay to 1%).

      Prints the report's Tables 5.2/5.3 beside ours, per-arm exact match and
      losses with bootstrap 95% CIs, per-seed paired differences against
      fixed:5e-4, verdicts on the report's claims, the switch predictions made
      before each later shock against what happened, Adam's preconditioned
      sharpness against 38/η, and two consistency checks of the log. With --out,
      writes one CSV per run (step,loss,shocked,env,ehat,phi,mode,lr,val_loss)
      and summary.json, published as one set (the directory is checked before
      training). Progress and predictions go to standard error on a terminal or
      with --progress. Reproducible for a given seed, thread count and BLAS
      kernel (OPENBLAS_CORETYPE).

      Example: unified-lora train --seeds 10 --out runs/
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
  enum Env: String, ExpressibleByArgument, CaseIterable { case none, signal, both }

  @Option(
    help: "Comma-separated arms: unified, unified+signal, plateau, fixed:LR, clip:LR, skip:LR, cosine:LR.")
  var arms: String = "unified,fixed:5e-4,fixed:2e-3,fixed:1e-4,plateau,clip:5e-4,skip:5e-4,cosine:2e-3"

  @Option(help: "Number of seeds (1 … 1000) per arm.")
  var seeds: Int = 10

  @Option(
    name: .customLong("first-seed"), help: "The first seed (seeds are first-seed … first-seed + N − 1).")
  var firstSeed: UInt64 = 1

  @Option(help: "Training steps per run (from the start of the adapter training).")
  var steps: Int = 800

  @Option(help: "Shock windows start:end (end exclusive), comma-separated, or none.")
  var shocks: String = "200:300,500:600"

  @Option(
    name: .customLong("shock-kind"),
    help: "conflict (a fixed alternative mapping, reverse + ay) or noise (random target symbols).")
  var shockKind: Shock.Kind = .conflict

  @Option(
    name: .customLong("shock-fraction"), help: "Fraction of each shocked batch that is shocked, in [0, 1].")
  var shockFraction: Double = 1

  @Option(
    name: .customLong("warm-steps"),
    help: "Clean adaptation steps before step 0 (Adam at 2e-3), shared by every arm of a seed.")
  var warmSteps: Int = 1500

  @Option(help: "LoRA rank r.")
  var rank: Int = 8

  @Option(
    name: .customLong("lora-alpha"),
    help: "LoRA scale numerator α (the adapters are scaled by α/r), in (0, 1024].")
  var loraAlpha: Double = 16

  @Option(
    name: .customLong("lora-targets"),
    help: "Attention projections with adapters, comma-separated subset of q,k,v,o.")
  var loraTargets: String = "q,v"

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
      "Steps at which to measure Adam's preconditioned sharpness in unified runs, comma-separated, or none.")
  var sharpnessAt: String = "199,299"

  @Option(name: .customLong("power-iterations"), help: "Most power iterations per sharpness measurement.")
  var powerIterations: Int = 60

  @Option(
    name: .customLong("pretrain-steps"), help: "Pretraining steps of the base on the related word tasks.")
  var pretrainSteps: Int = 2000

  @Option(help: "The word list.")
  var words: String = WordList.defaultPath

  @Option(help: "Concurrent runs (each single-threaded; default: the number of processors).")
  var jobs: Int?

  @Option(help: "Write per-run CSV files and summary.json into this directory (replaced as one set).")
  var out: String?

  @Option(help: "table (default) or json.")
  var format: Format = .table

  @Flag(help: "Progress on standard error even when it is not a terminal (it is shown on a terminal anyway).")
  var progress = false

  @OptionGroup var parameters: ParameterOptions

  func validate() throws {
    guard seeds >= 1 && seeds <= 1000 else {
      throw ValidationError("invalid value seeds = \(seeds): expected 1 … 1000")
    }
    guard UInt64.max - firstSeed >= UInt64(seeds - 1) else {
      throw ValidationError(
        "invalid value first-seed = \(firstSeed): with seeds = \(seeds) the last seed would exceed \(UInt64.max); expected first-seed ≤ \(UInt64.max - UInt64(seeds - 1))"
      )
    }
    guard steps >= 1 && steps <= 1_000_000 else {
      throw ValidationError("invalid value steps = \(steps): expected 1 … 1000000")
    }
    guard rank >= 1 && rank <= 256 else {
      throw ValidationError("invalid value rank = \(rank): expected 1 … 256")
    }
    guard rank <= dModel else {
      throw ValidationError("invalid value rank = \(rank): expected at most d-model = \(dModel)")
    }
    guard loraAlpha.isFinite && loraAlpha > 0 && loraAlpha <= 1024 else {
      throw ValidationError("invalid value lora-alpha = \(loraAlpha): expected a number in (0, 1024]")
    }
    guard shockFraction.isFinite && shockFraction >= 0 && shockFraction <= 1 else {
      throw ValidationError("invalid value shock-fraction = \(shockFraction): expected a number in [0, 1]")
    }
    guard warmSteps >= 0 && warmSteps <= 1_000_000 else {
      throw ValidationError("invalid value warm-steps = \(warmSteps): expected 0 … 1000000")
    }
    guard batchSize >= 1 && batchSize <= 1024 else {
      throw ValidationError("invalid value batch-size = \(batchSize): expected 1 … 1024")
    }
    guard evalEvery >= 1 && evalEvery <= 1_000_000 else {
      throw ValidationError("invalid value eval-every = \(evalEvery): expected 1 … 1000000")
    }
    guard testSize >= 0 && testSize <= 1_000_000 else {
      throw ValidationError("invalid value test-size = \(testSize): expected 0 … 1000000")
    }
    guard pretrainSteps >= 0 && pretrainSteps <= 1_000_000 else {
      throw ValidationError("invalid value pretrain-steps = \(pretrainSteps): expected 0 … 1000000")
    }
    guard powerIterations >= 1 && powerIterations <= 10_000 else {
      throw ValidationError("invalid value power-iterations = \(powerIterations): expected 1 … 10000")
    }
    guard dModel >= 1 && dModel <= 1024 else {
      throw ValidationError("invalid value d-model = \(dModel): expected 1 … 1024")
    }
    guard heads >= 1 && heads <= dModel && dModel % heads == 0 else {
      throw ValidationError("invalid value heads = \(heads): expected a divisor of d-model = \(dModel)")
    }
    guard layers >= 1 && layers <= 16 else {
      throw ValidationError("invalid value layers = \(layers): expected 1 … 16")
    }
    guard ffn >= 1 && ffn <= 8192 else {
      throw ValidationError("invalid value ffn = \(ffn): expected 1 … 8192")
    }
    if let jobs, jobs < 1 || jobs > 256 {
      throw ValidationError("invalid value jobs = \(jobs): expected 1 … 256")
    }
    _ = try armList()
    _ = try schedule()
    _ = try checkpoints()
    _ = try targets()
  }

  func targets() throws -> [AdapterTarget] {
    do { return try AdapterTarget.parse(loraTargets) } catch { throw ValidationError(error.description) }
  }

  func armList() throws -> [Arm] {
    var out: [Arm] = []
    for name in arms.split(separator: ",").map({ String($0).trimmingCharacters(in: .whitespaces) }) {
      let parsed: [Arm]
      do {
        if name == "unified" {
          switch env {
          case .none: parsed = [.unified(env: .none)]
          case .signal: parsed = [.unified(env: .signal)]
          case .both: parsed = [.unified(env: .none), .unified(env: .signal)]
          }
        } else {
          parsed = [try Arm.parse(name)]
        }
      } catch { throw ValidationError(error.description) }
      for a in parsed where !out.contains(a) { out.append(a) }
    }
    guard !out.isEmpty else { throw ValidationError("invalid value arms = '\(arms)': give at least one arm") }
    return out
  }

  func schedule() throws -> ShockSchedule {
    do { return try ShockSchedule.parse(shocks) } catch { throw ValidationError(error.description) }
  }

  func checkpoints() throws -> [Int] {
    if sharpnessAt == "none" || sharpnessAt.isEmpty { return [] }
    return try sharpnessAt.split(separator: ",").map {
      guard let t = Int($0.trimmingCharacters(in: .whitespaces)), t >= 0 else {
        throw ValidationError(
          "invalid value sharpness-at = '\(sharpnessAt)': expected steps separated by commas, or none")
      }
      return t
    }
  }

  func run() throws {
    let p = try parameters.parameters()
    guard p.variant == .report else {
      throw ValidationError(
        "invalid parameter variant = repo: the trainer runs the report variant (it has the external stress and the cooldown the checks use)"
      )
    }
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
    c.shocks = try schedule()
    c.shock = Shock(kind: shockKind, fraction: shockFraction)
    c.warmSteps = warmSteps
    c.evalEvery = evalEvery
    c.testSize = testSize
    c.controller = p
    c.sharpnessCheckpoints = try checkpoints()
    c.powerIterations = powerIterations
    c.pretrainSteps = pretrainSteps
    let experiment = Experiment(
      arms: try armList(), seeds: (0..<UInt64(seeds)).map { firstSeed + $0 }, configuration: c, jobs: jobs)
    let terminal = isatty(2) != 0
    let reporter: ProgressReporter? = terminal || progress ? ProgressReporter(terminal: terminal) : nil
    let result: Experiment.Result
    do throws(DataError) {
      var show: (@Sendable (Experiment.Progress) -> Void)?
      var announce: (@Sendable (Arm, UInt64, SwitchPrediction) -> Void)?
      if let reporter {
        show = { reporter.show($0) }
        announce = { reporter.announce($0, $1, $2) }
      }
      result = try experiment.run(words: words, progress: show, announce: announce)
    } catch {
      reporter?.finish()
      return try badInput(error.description)
    }
    reporter?.finish()
    let report = TrainReport(result: result, command: commandLine())
    // The tables first, whatever happens to the files.
    let text = format == .table ? report.table() : report.json() + "\n"
    do {
      try FileHandle.standardOutput.write(contentsOf: Data(text.utf8))
    } catch {
      FileHandle.standardError.write(
        Data("Error: cannot write to standard output: \(error.localizedDescription)\n".utf8))
      throw ExitCode(1)
    }
    if let target {
      do { try target.publish(report.files()) } catch let e as RunDirectoryError {
        return try badInput(e.description)
      }
    }
  }

  func commandLine() -> String {
    (["unified-lora"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
  }
}

extension Shock.Kind: ExpressibleByArgument {}

/// The `--out` directory of a run, checked before training and replaced as one set.
///
/// The target must not be empty or `/`; if it exists it must be a directory that holds nothing but
/// a previous run's files (CSV files and `summary.json`), so replacing it loses nothing else. The
/// files are written into a fresh sibling directory, which is then renamed over the target (the
/// previous directory is moved aside first and removed after): a reader sees the old set or the
/// new set, never a mixture, and a failure part-way leaves the old set and no half-written one.
struct RunDirectory {
  let url: URL

  init(_ path: String) throws {
    guard !path.isEmpty else { throw RunDirectoryError("invalid value out = '': give a directory") }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    guard url.path != "/" else {
      throw RunDirectoryError("invalid value out = '\(path)': refusing to replace the filesystem root")
    }
    self.url = url
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
      guard isDir.boolValue else {
        throw RunDirectoryError("invalid value out = '\(path)': it exists and is not a directory")
      }
      let entries = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
      let foreign = entries.filter { !($0 == "summary.json" || $0.hasSuffix(".csv")) }
      guard foreign.isEmpty else {
        throw RunDirectoryError(
          "invalid value out = '\(path)': it holds files that are not a previous run's (\(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? ", …" : "")); give an empty or new directory"
        )
      }
    }
    let parent = url.deletingLastPathComponent()
    guard fm.fileExists(atPath: parent.path, isDirectory: &isDir), isDir.boolValue else {
      throw RunDirectoryError(
        "invalid value out = '\(path)': the parent directory '\(parent.path)' does not exist")
    }
    // A probe directory beside the target proves that the set can be staged there.
    let probe = parent.appendingPathComponent(".\(url.lastPathComponent).probe-\(getpid())")
    do {
      try fm.createDirectory(at: probe, withIntermediateDirectories: false)
      try fm.removeItem(at: probe)
    } catch {
      throw RunDirectoryError(
        "invalid value out = '\(path)': cannot create files in '\(parent.path)' (\(error.localizedDescription))"
      )
    }
  }

  /// Writes `files` into a temporary sibling, then swaps it in for the target.
  func publish(_ files: [(String, Data)]) throws {
    let fm = FileManager.default
    let parent = url.deletingLastPathComponent()
    let tag = "\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
    let staging = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(tag)")
    let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(tag)")
    do {
      try fm.createDirectory(at: staging, withIntermediateDirectories: false)
      for (name, data) in files { try data.write(to: staging.appendingPathComponent(name)) }
      var moved = false
      if fm.fileExists(atPath: url.path) {
        try fm.moveItem(at: url, to: old)
        moved = true
      }
      do {
        try fm.moveItem(at: staging, to: url)
      } catch {
        if moved { try? fm.moveItem(at: old, to: url) }
        throw error
      }
      if moved { try? fm.removeItem(at: old) }
    } catch {
      try? fm.removeItem(at: staging)
      throw RunDirectoryError(
        "cannot write the run's files into '\(url.path)': \(error.localizedDescription) (nothing was changed there)"
      )
    }
  }
}

struct RunDirectoryError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}

/// Progress on standard error: one line rewritten in place on a terminal; otherwise a line every
/// 10 % of the steps (and at most every 30 s of wall time otherwise silent). Predictions are
/// printed as soon as they are made.
final class ProgressReporter: @unchecked Sendable {
  private let lock = NSLock()
  private let start = Date()
  private let terminal: Bool
  private var lastDecile = -1

  init(terminal: Bool) { self.terminal = terminal }

  func show(_ p: Experiment.Progress) {
    lock.lock()
    defer { lock.unlock() }
    let elapsed = Date().timeIntervalSince(start)
    let eta = p.stepsDone > 0 ? elapsed * Double(p.stepsTotal - p.stepsDone) / Double(p.stepsDone) : 0
    let text =
      "step \(p.stepsDone)/\(p.stepsTotal)  runs \(p.runsDone)/\(p.runsTotal)  \(p.arm) seed \(p.seed)  elapsed \(Int(elapsed))s  ETA \(Int(eta.rounded()))s"
    if terminal {
      FileHandle.standardError.write(Data("\r\u{1B}[2K\(text)".utf8))
    } else {
      let decile = p.stepsTotal > 0 ? 10 * p.stepsDone / p.stepsTotal : 10
      guard decile > lastDecile else { return }
      lastDecile = decile
      FileHandle.standardError.write(Data("progress: \(text)\n".utf8))
    }
  }

  func announce(_ arm: Arm, _ seed: UInt64, _ p: SwitchPrediction) {
    lock.lock()
    defer { lock.unlock() }
    let list =
      p.predicted.isEmpty ? "no switch" : p.predicted.map { "\($0.step)→\($0.to)" }.joined(separator: " ")
    let line =
      "prediction \(arm) seed \(seed), made at step \(p.madeAt) for steps \(p.stretch.lowerBound)…\(p.stretch.upperBound - 1): \(list); Mirror \(p.predictedMirror ? "yes" : "no")\n"
    FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[2K" : "") + line).utf8))
  }

  func finish() {
    if terminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
  }
}
