import UnifiedLoRA

extension AuditReport {
  /// The report for people: verdict, first divergence with the state there, counts per field,
  /// the explanations tried, the invariant checks and the log's issues.
  public var table: String {
    var out = "verdict: \(verdict.rawValue)\n\(summary)\n\n"
    let p = parameters
    out += "log: \(records) records"
    if let firstStep, let lastStep { out += ", steps \(firstStep)…\(lastStep)" }
    out +=
      "; decisions: \(columns.sorted { $0.key < $1.key }.map { "\($0.key) ← '\($0.value)'" }.joined(separator: ", "))\n"
    out +=
      "reference: \(p.variant) variant, alpha \(p.alpha), beta \(p.beta), alpha_E \(p.alphaE), theta0 \(p.theta0), theta1 \(p.theta1), cooldown \(p.cooldown), lr \(p.learningRates.single),\(p.learningRates.multi),\(p.learningRates.mirror)\n"
    out += "tolerance: tau = \(tolerance) (\(toleranceRule))\n"
    if let c = comparison {
      out += "\nfield   compared  mismatched  first mismatch\n"
      for f in c.fields {
        out +=
          "\(f.field.rawValue.padded(6))  \(String(f.compared).leftPadded(8))  \(String(f.mismatched).leftPadded(10))  \(f.firstMismatchStep.map(String.init) ?? "-")\n"
      }
      out += "steps with a mismatch: \(c.mismatchedSteps)\n"
      if let d = c.firstDivergence {
        out += "\nfirst divergence: step \(d.step) (line \(d.line))\n"
        out += "  input         loss \(d.loss), env \(d.env)\n"
        out += "  state before  \(d.stateBefore.text)\n"
        out += "  reference     \(d.stateAfter.text)\n"
        out +=
          "  mode rule     candidate \(d.candidate) (\(d.candidate.rawValue)), cooldown \(d.cooldownElapsed ? "elapsed" : "not elapsed")\n"
        for f in d.fields {
          out += "  \(f.field.rawValue.padded(12))  \(f.description.dropFirst(f.field.rawValue.count + 1))\n"
        }
      }
    }
    if hypothesesTried > 0 {
      out += "\nexplanations (\(hypothesesTried) single changes tried; best first):\n"
      out += "  full      agreed  first   change\n"
      for h in hypotheses {
        out +=
          "  \((h.explainsFully ? "yes" : "no").padded(4))  \(String(h.agreedSteps).leftPadded(10))  \((h.firstDivergenceStep.map(String.init) ?? "-").padded(6))  \(h.change)\n"
      }
      if explainedBy.count > hypotheses.count {
        out +=
          "  … \(explainedBy.count - hypotheses.filter(\.explainsFully).count) more full explanations (see --format json)\n"
      }
    }
    if !invariants.isEmpty {
      out += "\ninvariants on the logged values:\n"
      for i in invariants {
        let status: String
        if let skipped = i.skipped {
          status = "skipped: \(skipped)"
        } else if i.holds {
          status = "holds (\(i.checked) checked)"
        } else {
          status =
            "VIOLATED \(i.violations) of \(i.checked); first at step \(i.firstViolation!.step): \(i.firstViolation!.detail)"
        }
        out += "  \(i.id.padded(16)) \(i.theorem.padded(9)) \(status)\n"
      }
    }
    if !issues.isEmpty {
      out += "\nlog issues:\n"
      for i in issues { out += "  \(i.fatal ? "error  " : "note   ") \(i)\n" }
    }
    return out
  }
}

extension ControllerState {
  var text: String {
    "ehat \(ehat), phi \(phi), mode \(mode) (\(mode.rawValue)), last switch \(lastSwitch.map(String.init) ?? "none")"
  }
}

extension String {
  func padded(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
  func leftPadded(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
