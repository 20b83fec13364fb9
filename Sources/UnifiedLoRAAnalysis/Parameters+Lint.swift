import UnifiedLoRA

extension Parameters {
  func lint(_ r: ClaimsRequest, _ reach: Reachability) throws(AnalysisError) -> [LintWarning] {
    var out: [LintWarning] = []
    let sup = reach.phiSupSwitchable
    if sup < theta0 {
      out.append(
        LintWarning(
          kind: .thresholdNeverCrossed,
          message:
            "θ0 = \(theta0) is never crossed over \(r.box): sup φ = \(sup) where a switch is allowed; the controller never leaves Single"
        ))
    } else if sup < theta1 {
      out.append(
        LintWarning(
          kind: .thresholdNeverCrossed,
          message:
            "θ1 = \(theta1) is never crossed over \(r.box): sup φ = \(sup) where a switch is allowed; Mirror is unreachable and η_Mirror = \(learningRates.mirror) is never used"
        ))
    }
    if reach.phiInfSwitchable >= theta1 {
      out.append(
        LintWarning(
          kind: .modeNeverLeft,
          message: "Mirror can never be left over \(r.box): inf φ = \(reach.phiInfSwitchable) ≥ θ1"))
    } else if reach.phiInfSwitchable >= theta0 {
      out.append(
        LintWarning(
          kind: .modeNeverLeft,
          message:
            "Single is never regained over \(r.box): inf φ = \(reach.phiInfSwitchable) ≥ θ0 (every sustained input settles in Multi or Mirror)"
        ))
    }
    let lr = learningRates
    if lr != .report && lr != .repo {
      out.append(
        LintWarning(
          kind: .learningRates,
          message:
            "the learning rates \(lr.single), \(lr.multi), \(lr.mirror) differ from both published maps (report 0.002, 0.0005, 0.0001; repo 5e-05, 3e-05, 1e-05)"
        ))
    } else if variant == .report && lr == .repo || variant == .repo && lr == .report {
      out.append(
        LintWarning(
          kind: .learningRates,
          message: "the \(variant) variant runs with the other variant's published learning rates"))
    }
    if !(lr.single >= lr.multi && lr.multi >= lr.mirror) {
      out.append(
        LintWarning(
          kind: .learningRates,
          message:
            "the learning rates do not decrease Single ≥ Multi ≥ Mirror: a more stressed mode trains faster"))
    }
    if variant == .report && alphaE == 0 && r.box.envHi > 0 {
      out.append(LintWarning(kind: .envIgnored, message: "α_E = 0: the external stress E has no effect"))
    }
    if variant == .report && cooldown == 0 {
      out.append(
        LintWarning(kind: .noCooldown, message: "N_s = 0: the mode may switch at every step (T12)"))
    }
    if beta == 1 - alpha {
      out.append(
        LintWarning(
          kind: .defectiveJacobian,
          message:
            "β = 1 − α: the Jacobian is a Jordan block (T04); settling takes longer than the spectral radius suggests"
        ))
    }
    return out
  }
}
