import ArgumentParser
import UnifiedLoRAAnalysis

/// The regimes of SPEC §6 shared by `analyze` and `claims`: a low-stress input, and a shock of
/// some length from its fixed point.
struct RegimeOptions: ParsableArguments {
  @Option(help: "The low-stress (clean) loss L.")
  var loss: Double = 0.5
  @Option(help: "The low-stress external stress E.")
  var env: Double = 0
  @Option(name: .customLong("shock-loss"), help: "The shock's loss.")
  var shockLoss: Double = 20
  @Option(name: .customLong("shock-env"), help: "The shock's external stress.")
  var shockEnv: Double = 0
  @Option(name: .customLong("shock-length"), help: "The shock's length in updates.")
  var shockLength: Int = 100

  var clean: ConstantInput { ConstantInput(loss: loss, env: env) }
  var shock: ConstantInput { ConstantInput(loss: shockLoss, env: shockEnv) }

  func validate() throws {
    for (v, n) in [(loss, "loss"), (env, "env"), (shockLoss, "shock-loss"), (shockEnv, "shock-env")] {
      try checkInput(v, n)
    }
    guard shockLength >= 1, shockLength <= 1_000_000 else {
      throw ValidationError("invalid value shock-length = \(shockLength): expected 1 … 1000000")
    }
  }
}
