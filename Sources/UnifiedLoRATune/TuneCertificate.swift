import UnifiedLoRA
import UnifiedLoRAAnalysis

/// Why no configuration of the box meets the spec, and the least changes that would.
///
/// `certified`: every configuration was removed by a pruning rule, each a theorem (T03/T08,
/// T06/T07, T06/T14) about the nominal start; `statistical`: some configurations were simulated
/// and none met every goal at 95 % confidence (Monte Carlo evidence, not a proof).
package struct TuneCertificate: Sendable, Hashable, Codable {
  package var kind: String
  package var reasons: [String]
  package var leastChanges: [String]

  static func build(spec: TuneSpec, points: [Parameters], verdicts: [PruneVerdict], rows: [TuneRow])
    -> TuneCertificate
  {
    var reasons: [String] = []
    var changes: [String] = []
    let target = spec.target
    let thName = target == .multi ? "θ0" : "θ1"
    func by(_ r: PruneRule) -> [Int] { verdicts.indices.filter { verdicts[$0].rule == r } }

    let unreachable = by(.targetUnreachable)
    if !unreachable.isEmpty {
      let iBest = unreachable.max { verdicts[$0].shockPhiSup < verdicts[$1].shockPhiSup }!
      let p = points[iBest]
      let sup = verdicts[iBest].shockPhiSup
      let minTheta = unreachable.map { target.threshold(points[$0]) }.min()!
      let formula =
        p.variant == .report
        ? (spec.shockEnv == 0
          ? "sup φ = g(1 − α_E) = (1 − α_E)/(2 − α_E) with E ≡ 0"
          : "sup φ = g(α_E·E + 1 − α_E) with E = \(fmt(spec.shockEnv))")
        : "sup φ under the shock"
      reasons.append(
        "\(unreachable.count) configuration(s) never reach \(target.mode) whatever the shock's loss (T07, by the comparison principle T06): with D = 1 during the whole shock, \(formula); its largest value in the box is \(fmt(sup))\(p.variant == .report ? " (at α_E = \(fmt(p.alphaE)))" : ""), below every \(thName) of these configurations (the least is \(fmt(minTheta)))"
      )
      changes.append(
        "\(thName) below \(fmt(sup))\(p.variant == .report ? " with α_E = \(fmt(p.alphaE))" : ""): only then can a shock of any height reach \(target.mode)"
      )
      // An env signal: the least sustained E during the shock (with D = 1) that reaches the
      // threshold, per configuration with α_E > 0 (T07: X = α_E·E + (1 − α_E)·1 > θ/(1 − θ)).
      let limit = minTheta / (1 - minTheta)
      var bestEnv: (e: Double, i: Int)?
      for i in unreachable where points[i].variant == .report && points[i].alphaE > 0 {
        let p = points[i]
        let th = target.threshold(p)
        let e = (th / (1 - th) - (1 - p.alphaE)) / p.alphaE
        if bestEnv == nil || e < bestEnv!.e { bestEnv = (e, i) }
      }
      if let bestEnv {
        changes.append(
          "an env signal during the shock: E > \(fmt(bestEnv.e)) at α_E = \(fmt(points[bestEnv.i].alphaE)), \(thName) = \(fmt(target.threshold(points[bestEnv.i]))) makes X = α_E·E + (1 − α_E)·D exceed \(thName)/(1 − \(thName)) even with D = 1 (T07)"
        )
      } else if spec.box.variants.contains(.report) {
        let e = 2 * (limit - 0.5)
        changes.append(
          "an env signal during the shock with α_E > 0: at α_E = 0.5, E > \(fmt(max(e, 0))) makes X exceed \(thName)/(1 − \(thName)) = \(fmt(limit)) (T07)"
        )
      }
      do {
        let needed = limit
        let verdict =
          spec.shockLoss > needed
          ? "the spec's shock loss \(fmt(spec.shockLoss)) is above it"
          : "the spec's shock loss \(fmt(spec.shockLoss)) is not: a shock above \(fmt(needed)) is needed"
        if !spec.box.variants.contains(.repo) {
          changes.append(
            "the repo variant (`--variant repo`): Ê smooths the raw loss, so X = L is unbounded and sup φ = 1; a sustained loss above \(thName)/(1 − \(thName)) = \(fmt(needed)) reaches \(target.mode) (T07); \(verdict); the clean level stays in Single when θ0 > L/(1 + L) = \(fmt(ContinuousUpdate.squash(spec.cleanLoss)))"
          )
        }
      }
    }

    let clean = by(.cleanFixedPoint)
    if !clean.isEmpty {
      let i = clean.min { verdicts[$0].cleanPhi < verdicts[$1].cleanPhi }!
      let p = points[i]
      reasons.append(
        "\(clean.count) configuration(s) sit outside Single on the clean input: φ*(L = \(fmt(spec.cleanLoss))) ≥ θ0 (T03, T08); the least clean φ* among them is \(fmt(verdicts[i].cleanPhi))\(p.variant == .report ? " (at α_E = \(fmt(p.alphaE)))" : " (repo)")"
      )
      changes.append(
        "θ0 above \(fmt(verdicts[i].cleanPhi))\(p.variant == .report ? " with α_E = \(fmt(p.alphaE))" : " (repo)"), so that the clean fixed point φ* = g(X) is in Single (T03)"
      )
    }

    let slow = by(.latencyBound)
    if !slow.isEmpty {
      var least: (k: Int, i: Int)?
      for i in slow {
        var best: Int?
        for m in Mode.allCases where m >= target.mode {
          if case .steps(let k)? = try? points[i].latency(
            to: m, from: points[i].restingState(spec.clean), input: spec.bestShock, maxSteps: 1_000_000)
          {
            best = min(best ?? k, k)
          }
        }
        if let best, least == nil || best < least!.k { least = (best, i) }
      }
      reasons.append(
        "\(slow.count) configuration(s) cannot reach \(target.mode) within \(spec.reactWithin) updates even with D = 1 from the shock's first step (T06, T14)"
      )
      if let least {
        changes.append(
          "react-within ≥ \(least.k): the least best-case latency, at \(describe(points[least.i])); or a larger α"
        )
      }
    }

    if rows.isEmpty {
      return TuneCertificate(kind: "certified", reasons: reasons, leastChanges: changes)
    }
    reasons.insert(
      "\(rows.count) configuration(s) were simulated and none met every goal at 95% confidence (Monte Carlo evidence, not a proof)",
      at: 0)
    let okReact = { (r: TuneRow) in r.reacted.lo >= spec.reliability }
    let okRecover = { (r: TuneRow) in spec.recoverWithin == nil || r.recovered.lo >= spec.reliability }
    let okFalse = { (r: TuneRow) in r.falseSwitchesPer1000.hi <= spec.maxFalseSwitches }
    let pointOK = rows.filter { r in
      r.falseSwitchesPer1000.estimate <= spec.maxFalseSwitches && r.reacted.estimate >= spec.reliability
        && (spec.recoverWithin == nil || r.recovered.estimate >= spec.reliability)
    }
    if !pointOK.isEmpty {
      changes.append(
        "more traces (--traces): \(pointOK.count) configuration(s) meet every goal by their point estimates, but not yet at 95% confidence"
      )
    }
    if let r = rows.filter({ okReact($0) && okRecover($0) }).min(by: {
      $0.falseSwitchesPer1000.hi < $1.falseSwitchesPer1000.hi
    }) {
      changes.append(
        "max-false-switches ≥ \(fmt(r.falseSwitchesPer1000.hi)) (configuration \(r.index): \(describe(r.parameters)))"
      )
    }
    if let r = rows.filter({ okFalse($0) && okRecover($0) && $0.latency != nil }).min(by: {
      $0.latency! < $1.latency!
    }) {
      changes.append(
        "react-within ≥ \(r.latency!) (the \(fmt(spec.reliability))-quantile of configuration \(r.index)'s latency: \(describe(r.parameters)))"
      )
    }
    if spec.recoverWithin != nil,
      let r = rows.filter({ okFalse($0) && okReact($0) && $0.recovery != nil }).min(by: {
        $0.recovery! < $1.recovery!
      })
    {
      changes.append(
        "recover-within ≥ \(r.recovery!) (configuration \(r.index): \(describe(r.parameters)))")
    }
    return TuneCertificate(kind: "statistical", reasons: reasons, leastChanges: changes)
  }

  static func describe(_ p: Parameters) -> String {
    p.variant == .report
      ? "report α \(fmt(p.alpha)) β \(fmt(p.beta)) α_E \(fmt(p.alphaE)) θ0 \(fmt(p.theta0)) θ1 \(fmt(p.theta1)) N_s \(p.cooldown)"
      : "repo α \(fmt(p.alpha)) β \(fmt(p.beta)) θ0 \(fmt(p.theta0)) θ1 \(fmt(p.theta1))"
  }
}
