import UnifiedLoRA

extension Parameters {
  func answers(_ r: ClaimsRequest) throws(AnalysisError) -> [Answer] {
    var out: [Answer] = []
    for (name, env) in [("E ≡ 0", 0.0...0.0), ("E ∈ [0, 1]", 0.0...1.0)] {
      let box = InputBox(loss: 0...Double.infinity, env: env)
      let q = try reachability(box)
      let answer: String
      if q.modes.contains(.mirror) {
        let fixed = squash(stressTarget(box.upperCorner))
        answer =
          fixed > theta1
          ? "yes: the sustained largest input has φ* = \(fixed) > θ1 = \(theta1)"
          : "yes, from the configured initial state only: φ_0 = \(initial.phi) selects Mirror (φ ≥ θ1 = \(theta1) at a step where a switch is allowed), though every sustained input has φ* ≤ \(fixed) < θ1"
      } else if q.modesPossible.contains(.mirror) {
        answer =
          "not by a sustained input; sup φ where a switch is allowed is \(q.phiSupSwitchable) ≥ θ1 = \(theta1), so a varying input might (not decided)"
      } else {
        answer =
          "no: φ ≤ \(q.phiSupSwitchable) < θ1 = \(theta1) at every step where a switch is allowed"
          + (q.phiSup > q.phiSupSwitchable
            ? " (φ_0 = \(initial.phi) is held by the initial cooldown or precedes the first switch)" : "")
      }
      out.append(
        Answer(
          question: "With \(name) and any loss, can Mirror be reached?", answer: answer,
          theorems: [.t06, .t07]))
    }
    let shockTh = try inputThresholds(givenLoss: r.shock.loss, givenEnv: r.shock.env)
    if variant == .report {
      var infTh = try inputThresholds(givenLoss: 1e300, givenEnv: 0)
      infTh.minEnvForMirrorValue = thresholdValue(
        .minEnvForMirror, given: .infinity, bound: infTh.minEnvForMirror)
      out.append(
        Answer(
          question: "How large must a sustained E be for Mirror?",
          answer:
            "E > \(text(shockTh.minEnvForMirrorValue, shockTh.minEnvForMirror)) at L = \(r.shock.loss) (Brent: \(shockTh.minEnvForMirrorBrent.map(\.description) ?? "not available")); E > \(text(infTh.minEnvForMirrorValue, infTh.minEnvForMirror)) for an arbitrarily large loss (Brent: \(infTh.minEnvForMirrorBrent.map(\.description) ?? "not available"))",
          theorems: [.t07]))
    } else {
      out.append(
        Answer(
          question: "How large must a sustained E be for Mirror?",
          answer: "E has no effect in the repo variant; a sustained loss L > \(mirrorLimit) reaches Mirror",
          theorems: [.t07]))
    }
    out.append(
      Answer(
        question: "How large must a sustained L be for Mirror at E = \(r.shock.env)?",
        answer: shockTh.minLossForMirror == .none
          ? "no loss reaches Mirror" : "L > \(text(shockTh.minLossForMirrorValue, shockTh.minLossForMirror))",
        theorems: [.t07]))
    let f = fixedPoint(r.clean)
    let th = try inputThresholds(givenLoss: r.clean.loss, givenEnv: r.clean.env)
    out.append(
      Answer(
        question: "Does the low-stress regime \(r.clean) settle in Single?",
        answer:
          "\(f.mode == .single ? "yes" : "no"): φ* = \(f.phi) \(f.mode == .single ? "<" : "≥") θ0 = \(theta0); it settles in Single iff L < \(text(th.maxLossForSingleValue, th.maxLossForSingle)) at E = \(r.clean.env)",
        theorems: [.t03, .t08]))
    return out
  }

  /// A threshold in words: the exact value and the binary64 one, or the bound's own words.
  func text(_ v: ThresholdValue?, _ b: InputBound) -> String {
    v?.description ?? b.description
  }
}
