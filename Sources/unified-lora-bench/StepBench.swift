import UnifiedLoRA

/// The controller step alone: nanoseconds per step, both variants.
enum StepBench {
  static func run() {
    let n = 50_000_000
    for variant in Variant.allCases {
      let p = Parameters.defaults(variant)
      // A loss trace with structure (so branches are exercised), generated before timing.
      var rng = SeededGenerator(seed: 1)
      let losses = (0..<4096).map { _ in 10 * rng.nextUnit() * rng.nextUnit() }
      let envs = (0..<4096).map { _ in rng.nextUnit() < 0.1 ? 6.0 : 0 }
      let (state, seconds) = timed { () -> ControllerState in
        var s = p.initial
        for t in 0..<n {
          let k = t & 4095
          s = p.advance(s, Input(step: t, loss: losses[k], env: envs[k]))
        }
        return s
      }
      check(state.phi >= 0 && state.phi < 1, "phi in range")
      print(
        "step[\(variant)]: \(fmt(seconds * 1e9 / Double(n))) ns/step  (\(n) steps, final phi \(state.phi))")
    }
  }
}

func fmt(_ x: Double, _ digits: Int = 2) -> String {
  var s = String(x.rounded(toPlaces: digits))
  if !s.contains(".") { s += ".0" }
  return s
}

extension Double {
  func rounded(toPlaces p: Int) -> Double {
    var m = 1.0
    for _ in 0..<p { m *= 10 }
    return (self * m).rounded() / m
  }
}
