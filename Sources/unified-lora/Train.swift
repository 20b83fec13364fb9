import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRATrainer

extension OptimizerKind: ExpressibleByArgument {}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train LoRA adapters on Pig Latin with shock windows and compare learning-rate policies.",
    discussion: """
      The task: real English words (lower-case a–z, length 2–8, from
      /usr/share/dict/words, Debian package wamerican) to Pig Latin. A base
      network (8×27 one-hot → 256 → 256 → 11×27) is pretrained in-process on
      copying the word, then frozen; rank-r LoRA adapters on all three layers
      are trained with Adam (or plain SGD). During the shock windows every
      training batch has random targets; validation and test data stay clean.

      Arms (same data order, base and initialisation per seed):
        unified     the report variant's controller on each batch's training
                    loss, E ≡ 0; with --env signal or both (the default) also
                    unified+signal, where E is a normalised loss-jump
                    statistic measured from the losses alone
        fixed:LR    a constant learning rate
        plateau     PyTorch ReduceLROnPlateau semantics on the clean
                    validation loss at each evaluation: start 2e-3, factor
                    0.5, patience 5, threshold 1e-4 rel, cooldown 0,
                    min_lr 1e-5

      Prints the report's loss table, shock overshoot and recovery, final
      test exact match (mean ± sd over seeds), and the analysis checks on
      every run's controller: (a) each mode switch against the latency
      interval predicted from the observed loss bounds, (b) steady-state φ
      against the fixed point; and for unified runs (c) the sharpness λ_max
      of the clean loss against 2/η. With --out, writes one CSV per run
      (step,loss,shocked,env,ehat,phi,mode,lr,val_loss) and summary.json,
      each atomically. Progress goes to standard error when it is a terminal.

      Example: unified-lora train --seeds 5 --out runs/
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }
  enum Env: String, ExpressibleByArgument, CaseIterable { case none, signal, both }

  @Option(help: "Comma-separated arms: unified, unified+signal, fixed:LR, plateau.")
  var arms: String = "unified,fixed:2e-3,fixed:5e-4,fixed:1e-4,plateau"

  @Option(help: "Number of seeds (1 … N) per arm.")
  var seeds: Int = 5

  @Option(name: .customLong("first-seed"), help: "The first seed (seeds are first-seed … first-seed + N − 1).")
  var firstSeed: UInt64 = 1

  @Option(help: "Training steps per run.")
  var steps: Int = 1000

  @Option(help: "Shock windows start:end (end exclusive), comma-separated, or none.")
  var shocks: String = "200:300,500:600"

  @Option(help: "LoRA rank r.")
  var rank: Int = 8

  @Option(name: .customLong("lora-alpha"), help: "LoRA scale numerator α (the adapters are scaled by α/r).")
  var loraAlpha: Double = 16

  @Option(help: "adam or sgd.")
  var optimizer: OptimizerKind = .adam

  @Option(help: "External stress for the unified arm: none (E ≡ 0), signal (loss-jump statistic) or both.")
  var env: Env = .both

  @Option(name: .customLong("batch-size"), help: "Training batch size.")
  var batchSize: Int = 64

  @Option(name: .customLong("eval-every"), help: "Clean validation loss every this many steps.")
  var evalEvery: Int = 5

  @Option(name: .customLong("sharpness-at"), help: "Steps at which to measure λ_max in unified runs, comma-separated, or none.")
  var sharpnessAt: String = "199,299,599,999"

  @Option(name: .customLong("pretrain-steps"), help: "Copy-task pretraining steps of the base.")
  var pretrainSteps: Int = 1000

  @Option(help: "The word list.")
  var words: String = WordList.defaultPath

  @Option(help: "Concurrent runs (each single-threaded; default: the number of processors).")
  var jobs: Int?

  @Option(help: "Write per-run CSV files and summary.json into this directory.")
  var out: String?

  @Option(help: "table (default) or json.")
  var format: Format = .table

  @OptionGroup var parameters: ParameterOptions

  func validate() throws {
    guard seeds >= 1 && seeds <= 1000 else { throw ValidationError("invalid value seeds = \(seeds): expected 1 … 1000") }
    guard steps >= 1 && steps <= 10_000_000 else { throw ValidationError("invalid value steps = \(steps): expected 1 … 10000000") }
    guard rank >= 1 && rank <= 256 else { throw ValidationError("invalid value rank = \(rank): expected 1 … 256") }
    guard loraAlpha.isFinite && loraAlpha > 0 else { throw ValidationError("invalid value lora-alpha = \(loraAlpha): expected a finite number > 0") }
    guard batchSize >= 1 && batchSize <= 4096 else { throw ValidationError("invalid value batch-size = \(batchSize): expected 1 … 4096") }
    guard evalEvery >= 1 else { throw ValidationError("invalid value eval-every = \(evalEvery): expected an integer ≥ 1") }
    guard pretrainSteps >= 0 else { throw ValidationError("invalid value pretrain-steps = \(pretrainSteps): expected an integer ≥ 0") }
    if let jobs, jobs < 1 { throw ValidationError("invalid value jobs = \(jobs): expected an integer ≥ 1") }
    // Upper bounds of every count and scale (first-seed + seeds − 1 must be a seed).
    guard seeds >= 1, firstSeed <= UInt64.max - UInt64(seeds - 1) else {
      throw ValidationError("invalid value first-seed = \(firstSeed): with --seeds \(seeds) the last seed first-seed + \(seeds - 1) must be at most \(UInt64.max); expected 0 … \(UInt64.max - UInt64(max(seeds, 1) - 1))")
    }
    try boundedFinite(loraAlpha, "lora-alpha", 0x1p-1022...1024)
    try bounded(evalEvery, "eval-every", 1...10_000_000)
    try bounded(pretrainSteps, "pretrain-steps", 0...10_000_000)
    if let jobs { try bounded(jobs, "jobs", 1...1024) }
    _ = try armList()
    _ = try schedule()
    _ = try checkpoints()
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
        throw ValidationError("invalid value sharpness-at = '\(sharpnessAt)': expected steps separated by commas, or none")
      }
      return t
    }
  }

  func run() throws {
    let p = try parameters.parameters()
    guard p.variant == .report else {
      throw ValidationError("invalid parameter variant = repo: the trainer runs the report variant (it has the external stress and the cooldown the checks use)")
    }
    var c = RunConfiguration()
    c.steps = steps
    c.batchSize = batchSize
    c.rank = rank
    c.loraAlpha = loraAlpha
    c.optimizer = optimizer
    c.shocks = try schedule()
    c.evalEvery = evalEvery
    c.controller = p
    c.sharpnessCheckpoints = try checkpoints()
    c.pretrainSteps = pretrainSteps
    let experiment = Experiment(
      arms: try armList(), seeds: (0..<UInt64(seeds)).map { firstSeed + $0 }, configuration: c, jobs: jobs)
    let progress = isatty(2) != 0 ? TerminalProgress() : nil
    var callback: (@Sendable (Experiment.Progress) -> Void)?
    if let progress { callback = { progress.show($0) } }
    let result: Experiment.Result
    do throws(DataError) {
      result = try experiment.run(words: words, progress: callback)
    } catch {
      progress?.finish()
      return try badInput(error.description)
    }
    progress?.finish()
    let report = TrainReport(result: result, command: commandLine())
    if let out { try reportingBadInput { try report.write(to: out) } }
    switch format {
    case .table: print(report.table(), terminator: "")
    case .json: print(report.json())
    }
  }

  func commandLine() -> String {
    (["unified-lora"] + CommandLine.arguments.dropFirst()).joined(separator: " ")
  }
}

/// One status line on standard error, rewritten in place.
final class TerminalProgress: @unchecked Sendable {
  private let lock = NSLock()
  private let start = Date()

  func show(_ p: Experiment.Progress) {
    lock.lock()
    defer { lock.unlock() }
    let elapsed = Date().timeIntervalSince(start)
    let eta = p.stepsDone > 0 ? elapsed * Double(p.stepsTotal - p.stepsDone) / Double(p.stepsDone) : 0
    let line =
      "\r\u{1B}[2Kstep \(p.stepsDone)/\(p.stepsTotal)  runs \(p.runsDone)/\(p.runsTotal)  \(p.arm) seed \(p.seed)  elapsed \(Int(elapsed))s  ETA \(Int(eta.rounded()))s"
    FileHandle.standardError.write(Data(line.utf8))
  }

  func finish() {
    FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
  }
}
