import ArgumentParser
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRATune

/// A flag that a printed command line states: the commands declare their options with its name
/// and ``ReplayCommandLine`` prints its spelling, so renaming a flag is one edit.
protocol CommandFlag: RawRepresentable<String>, CaseIterable {}

extension CommandFlag {
  /// The name for `@Option(name:)`.
  var name: NameSpecification { .customLong(rawValue) }
  /// As typed: `--alpha-e`.
  var spelling: String { "--" + rawValue }
}

/// The long name of each parameter flag: ``ParameterOptions`` declares its options with these
/// names and ``ReplayCommandLine`` prints them, so renaming a flag is one edit here.
enum ParameterFlag: String, CommandFlag {
  case variant
  case alpha
  case beta
  case alphaE = "alpha-e"
  case theta0
  case theta1
  case cooldown
  case learningRates = "lr"
  case initialEhat = "initial-ehat"
  case initialPhi = "initial-phi"
  case initialMode = "initial-mode"
  case parameterFile = "params"

  /// The parameter this flag sets alone (`nil` for `--lr`, which sets three, for the initial
  /// Ê and φ, which errors name as fields of the state, and for `--params`).
  var parameter: ParameterID? {
    switch self {
    case .variant: .variant
    case .alpha: .alpha
    case .beta: .beta
    case .alphaE: .alphaE
    case .theta0: .theta0
    case .theta1: .theta1
    case .cooldown: .cooldown
    case .initialMode: .initialMode
    case .learningRates, .initialEhat, .initialPhi, .parameterFile: nil
    }
  }
}

/// The long name of each `scenario` flag that a replayed `tune` trace states: ``ScenarioCommand``
/// declares its options with these names and ``ReplayCommandLine`` prints them.
enum ScenarioFlag: String, CommandFlag {
  case steps
  case shocks
  case cleanLoss = "clean-loss"
  case shockLoss = "shock-loss"
  case shockEnv = "shock-env"
  case noise
  case seed
  case noiseModel = "noise-model"
  case noiseAR = "noise-ar"
}

extension ParameterSetting {
  /// The flag and its value, numbers written by `number`.
  func arguments(_ number: (Double) -> String) -> [String] {
    let (flag, value): (ParameterFlag, String) =
      switch self {
      case .variant(let v): (.variant, v.rawValue)
      case .alpha(let x): (.alpha, number(x))
      case .beta(let x): (.beta, number(x))
      case .alphaE(let x): (.alphaE, number(x))
      case .theta0(let x): (.theta0, number(x))
      case .theta1(let x): (.theta1, number(x))
      case .cooldown(let n): (.cooldown, String(n))
      case .learningRates(let r): (.learningRates, "\(r.single),\(r.multi),\(r.mirror)")
      case .initialEhat(let x): (.initialEhat, number(x))
      case .initialPhi(let x): (.initialPhi, number(x))
      case .initialMode(let m): (.initialMode, String(m.rawValue))
      }
    return [flag.spelling, value]
  }
}

/// The command lines printed to replay a finding with `simulate`: a shell pipeline writing the
/// input log into `unified-lora simulate` with the parameter flags. The one place where the
/// command line turns the libraries' replay data into text.
enum ReplayCommandLine {
  /// `unified-lora simulate`, as the parser knows the two names.
  static var simulate: String {
    "\(UnifiedLoRACommand.configuration.commandName!) \(Simulate._commandName)"
  }

  /// A number as the shortest decimal that round-trips, integers without a fraction.
  static func number(_ x: Double) -> String { x.shortestDecimal }

  /// `printf 'loss,env\n0,9\n…' | unified-lora simulate …`, with runs of four or more equal rows
  /// written as `yes ROW | head -n COUNT`; the env column only when some env is not 0.
  static func render(_ r: SimulateReplay) -> String {
    let withEnv = r.envs.contains { $0 != 0 }
    let rows = zip(r.losses, r.envs).map { l, e in withEnv ? "\(number(l)),\(number(e))" : number(l) }
    var runs: [(String, Int)] = []
    for row in rows {
      if let last = runs.last, last.0 == row { runs[runs.count - 1].1 += 1 } else { runs.append((row, 1)) }
    }
    let header = withEnv ? "loss,env" : "loss"
    let tail = ([simulate] + r.settings.flatMap { $0.arguments(number) }).joined(separator: " ")
    if runs.allSatisfy({ $0.1 < 4 }) {
      return "printf '\(([header] + rows).joined(separator: "\\n"))\\n' | \(tail)"
    }
    var parts = ["echo \(header)"]
    var pending: [String] = []
    func flush() {
      if !pending.isEmpty { parts.append("printf '\(pending.joined(separator: "\\n"))\\n'") }
      pending = []
    }
    for (row, n) in runs {
      if n >= 4 {
        flush()
        parts.append("yes \(row) | head -n \(n)")
      } else {
        pending += Array(repeating: row, count: n)
      }
    }
    flush()
    return "{ \(parts.joined(separator: "; ")); } | \(tail)"
  }

  /// `unified-lora scenario steady …` replaying a `tune` trace: the scenario's flags, then the
  /// parameter settings, every number in its shortest round-trip form (`description`).
  static func render(_ r: TuneReplay) -> String {
    let s = r.scenario
    let scenario: [(ScenarioFlag, String)] = [
      (.steps, String(s.steps)),
      (.shocks, s.shocks.map { "\($0.lowerBound):\($0.upperBound)" }.joined(separator: ",")),
      (.cleanLoss, s.cleanLoss.description), (.shockLoss, s.shockLoss.description),
      (.shockEnv, s.shockEnv.description), (.noise, s.noise.description), (.noiseModel, s.noiseKind.rawValue),
      (.noiseAR, s.noiseCorrelation.description), (.seed, String(s.seed)),
    ]
    let command = [
      UnifiedLoRACommand.configuration.commandName!, ScenarioCommand.configuration.commandName!,
      s.kind.rawValue,
    ]
    return
      (command + scenario.flatMap { [$0.0.spelling, $0.1] }
      + r.settings.flatMap { $0.arguments(\.description) })
      .joined(separator: " ")
  }

  /// A claim's witness: its runs as a shell pipeline (`{ echo loss,env; yes 20,0 | head -n 100; }`,
  /// a repeated cycle as a `for` loop) into `simulate` with the user's flags `base`, the witness's
  /// own settings (initial state, cooldown) replacing any the user gave, and `--format csv`.
  static func render(_ w: Witness, base: [String]) -> String {
    let own = w.settings.flatMap { $0.arguments(\.description) }
    let flags = merged(base, own).map { $0.contains(" ") ? "'\($0)'" : $0 }
    return "\(shellLog(w)) | \(simulate) \((flags + ["--format", "csv"]).joined(separator: " "))"
  }

  /// The trace of a witness as a shell pipeline producing the CSV log.
  static func shellLog(_ w: Witness) -> String {
    func shell(_ rs: ArraySlice<Witness.Run>) -> String {
      rs.map { r in
        let line = "\(r.loss),\(r.env)"
        return r.count == 1 ? "echo \(line);" : "yes \(line) | head -n \(r.count);"
      }.joined(separator: " ")
    }
    var body = shell(w.runs[..<w.cycleStart])
    if w.repeats > 1 {
      body +=
        (body.isEmpty ? "" : " ") + "for i in $(seq \(w.repeats)); do \(shell(w.runs[w.cycleStart...])) done;"
    } else {
      body += (body.isEmpty ? "" : " ") + shell(w.runs[w.cycleStart...])
    }
    return "{ echo loss,env; \(body) }"
  }

  /// The user's flags with the witness's own flags replacing any the user gave (each flag takes
  /// one value): a flag is never printed twice.
  static func merged(_ base: [String], _ extra: [String]) -> [String] {
    let overridden = Set(stride(from: 0, to: extra.count, by: 2).map { extra[$0] })
    var out: [String] = []
    var i = 0
    while i < base.count {
      if overridden.contains(base[i]) {
        i += 2
        continue
      }
      out.append(base[i])
      if i + 1 < base.count { out.append(base[i + 1]) }
      i += 2
    }
    return out + extra
  }
}
