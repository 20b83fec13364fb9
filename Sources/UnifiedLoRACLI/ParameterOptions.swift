import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAIO
import UnifiedLoRASupport

extension Variant: ExpressibleByArgument {}
extension InputPolicy: ExpressibleByArgument {}

/// The controller's parameters, shared by every command that runs or analyses it.
struct ParameterOptions: ParsableArguments {
  @Option(.variant) var variant: Variant?
  @Option(.alpha) var alpha: Double?
  @Option(.beta) var beta: Double?
  @Option(.alphaE) var alphaE: Double?
  @Option(.theta0) var theta0: Double?
  @Option(.theta1) var theta1: Double?
  @Option(.cooldown) var cooldown: Int?

  @Option(
    name: ParameterFlag.learningRates.name, help: ParameterFlag.learningRates.help,
    transform: LearningRatesArgument.init(parsing:))
  var learningRates: LearningRatesArgument?

  @Option(.initialEhat) var initialEhat: Double?
  @Option(.initialPhi) var initialPhi: Double?
  @Option(.initialMode) var initialMode: Int?

  @Option(
    name: ParameterFlag.parameterFile.name, help: ParameterFlag.parameterFile.help,
    completion: .file(extensions: ["json"]))
  var parameterFile: String?

  /// Checked while parsing, so that a bad value is reported with the subcommand's usage.
  func validate() throws { _ = try parameters() }

  /// The validated parameter set, or a `ValidationError` naming the field and the value.
  /// Precedence: flags, then the parameter file, then the variant's defaults.
  func parameters() throws -> Parameters {
    var file: Parameters?
    if let parameterFile {
      // Read at most one byte past the limit, so a device or a huge file cannot exhaust memory.
      // (An empty file reads as nil: it is empty, not unreadable.)
      guard let handle = FileHandle(forReadingAtPath: parameterFile),
        let data = try? handle.read(upToCount: ParameterFile.maxBytes + 1) ?? Data()
      else {
        throw ValidationError("cannot read the parameter file '\(parameterFile)'")
      }
      do {
        file = try ParameterFile.decode([UInt8](data))
      } catch {
        throw ValidationError("\(parameterFile): \(error.description)")
      }
    }
    let variant = self.variant ?? file?.variant ?? .report
    let base = file?.variant == variant ? file! : Parameters.defaults(variant)
    var initial = base.initial
    if let initialEhat { initial.ehat = initialEhat }
    if let initialPhi { initial.phi = initialPhi }
    if let initialMode {
      guard let m = Mode(rawValue: initialMode) else {
        throw ValidationError("invalid parameter initial-mode = \(initialMode): expected 0, 1 or 2")
      }
      initial.mode = m
    }
    let cooldown = self.cooldown ?? base.cooldown
    try bounded(cooldown, "cooldown", 0...Self.cooldownLimit)
    let theta0 = self.theta0 ?? base.theta0
    let theta1 = self.theta1 ?? base.theta1
    // The order θ0 < θ1 is checked here when θ1 came from a flag, so that the message names the
    // flag the user gave (the core names θ0 whenever the pair is out of order).
    if let given = self.theta1, given > 0, given < 1, theta0 > 0, theta0 < 1, !(theta0 < given) {
      throw ValidationError(
        "invalid parameter theta1 = \(given): expected a number in (theta0, 1) = (\(theta0), 1)"
          + (self.theta0 == nil ? " (theta0 is \(theta0) unless --theta0 says otherwise)" : ""))
    }
    return try wrap { () throws(ParameterError) in
      try base.with(
        alpha: alpha, beta: beta, alphaE: alphaE, theta0: theta0, theta1: theta1, cooldown: cooldown,
        learningRates: learningRates?.rates, initial: initial)
    }
  }

  /// The largest cooldown accepted: 2^53, the largest step number a log can give exactly (a
  /// longer cooldown can never elapse).
  static let cooldownLimit = 1 << 53

  /// The flags that reproduce these parameters, for printing replayable command lines.
  func flags() -> [String] {
    let given: [(ParameterFlag, String?)] = [
      (.variant, variant?.rawValue), (.alpha, alpha?.description), (.beta, beta?.description),
      (.alphaE, alphaE?.description), (.theta0, theta0?.description), (.theta1, theta1?.description),
      (.cooldown, cooldown.map(String.init)), (.learningRates, learningRates?.text),
      (.initialEhat, initialEhat?.description), (.initialPhi, initialPhi?.description),
      (.initialMode, initialMode.map(String.init)), (.parameterFile, parameterFile),
    ]
    return given.flatMap { flag, value in value.map { [flag.spelling, $0] } ?? [] }
  }
}

extension ParameterFlag {
  /// The option's help text.
  var help: ArgumentHelp {
    switch self {
    case .variant:
      "Which equations: report (the report's, with E and a cooldown; the default) or repo (controller.py)."
    case .alpha: "α ∈ (0,1], the responsiveness of φ (default 0.1)."
    case .beta: "β ∈ [0,1), the smoothing factor of Ê (default 0.9)."
    case .alphaE: "α_E ∈ [0,1], the weight of the external stress (report; default 0.5)."
    case .theta0: "θ0 ∈ (0,1), the threshold to leave Single (default 0.3)."
    case .theta1: "θ1 ∈ (θ0,1), the threshold to enter Mirror (default 0.7)."
    case .cooldown: "N_s ≥ 0, the cooldown in steps between mode switches (report; default 30)."
    case .learningRates:
      ArgumentHelp(
        "The learning rates of Single, Multi and Mirror, comma-separated.",
        discussion: "Defaults: 2e-3,5e-4,1e-4 (report), 5e-5,3e-5,1e-5 (repo).")
    case .initialEhat: "Ê before the first step (report 0, repo 1)."
    case .initialPhi: "φ before the first step (report 0, repo 0.5)."
    case .initialMode: "The mode before the first step, 0/1/2 (report 0, repo 1)."
    case .parameterFile: "A JSON parameter file (keys as in `--format json` output); flags override it."
    }
  }
}

extension Option {
  /// The option of a parameter flag: its name and help from ``ParameterFlag``.
  init<T: ExpressibleByArgument>(_ flag: ParameterFlag) where Value == T? {
    self.init(name: flag.name, help: flag.help)
  }
}

/// Runs a throwing library call and turns its typed error into a `ValidationError`, whose text
/// the argument parser prints as `Error: …` with exit code 64.
func wrap<T>(_ body: () throws(ParameterError) -> T) throws -> T {
  do { return try body() } catch { throw ValidationError(error.commandLineMessage) }
}

extension ParameterError {
  /// The message as the command line prints it: the parameter named by the flag that sets it
  /// (`alpha-e`), or by its own name where no flag sets it alone (`lr.multi`, `initial.phi`).
  var commandLineMessage: String {
    description(naming: ParameterFlag.allCases.first { $0.parameter == field }?.rawValue ?? field.rawValue)
  }
}

/// Bad input data (a malformed log, an invalid record): printed as `Error: …` on standard
/// error, exit status 2. (Bad flags and parameters exit with 64, the parser's usage code.)
func reportingBadInput<T>(_ body: () throws -> T) throws -> T {
  do {
    return try body()
  } catch let error as LogError {
    return try badInput(error.description)
  } catch let error as InputError {
    return try badInput(error.description)
  }
}

func badInput<T>(_ message: String) throws -> T {
  StandardError.write("Error: \(message)\n")
  throw ExitCode(2)
}
