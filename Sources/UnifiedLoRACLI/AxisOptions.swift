import ArgumentParser

/// The six parameter axes of `sweep` and `tune` (α, β, α_E, θ0, θ1, N_s), declared once with the
/// parameter flags' names; each is text (a number, a list or `lo:hi:count`) that the command's
/// library parses. `Help` adds each command's note to the options' help.
struct AxisOptions<Help: AxisHelp>: ParsableArguments {
  @Option(name: ParameterFlag.alpha.name, help: Help.help(.alpha)) var alpha: String?
  @Option(name: ParameterFlag.beta.name, help: Help.help(.beta)) var beta: String?
  @Option(name: ParameterFlag.alphaE.name, help: Help.help(.alphaE)) var alphaE: String?
  @Option(name: ParameterFlag.theta0.name, help: Help.help(.theta0)) var theta0: String?
  @Option(name: ParameterFlag.theta1.name, help: Help.help(.theta1)) var theta1: String?
  @Option(name: ParameterFlag.cooldown.name, help: Help.help(.cooldown)) var cooldown: String?

  /// Each axis's flag name (`alpha-e`) with its text, `nil` where the flag was not given.
  var given: [(String, String?)] {
    [
      (ParameterFlag.alpha.rawValue, alpha), (ParameterFlag.beta.rawValue, beta),
      (ParameterFlag.alphaE.rawValue, alphaE), (ParameterFlag.theta0.rawValue, theta0),
      (ParameterFlag.theta1.rawValue, theta1), (ParameterFlag.cooldown.rawValue, cooldown),
    ]
  }
}

/// What a command adds to the help of its axis options: `α values` and the note, e.g.
/// ` (default 0.05,0.1,0.2,0.3)`.
protocol AxisHelp {
  static var notes: [ParameterFlag: String] { get }
}

extension AxisHelp {
  /// `α values (note).`
  static func help(_ axis: ParameterFlag) -> ArgumentHelp {
    let symbols: [ParameterFlag: String] = [
      .alpha: "α", .beta: "β", .alphaE: "α_E", .theta0: "θ0", .theta1: "θ1", .cooldown: "N_s",
    ]
    return ArgumentHelp("\(symbols[axis] ?? axis.rawValue) values\(notes[axis] ?? "").")
  }
}
