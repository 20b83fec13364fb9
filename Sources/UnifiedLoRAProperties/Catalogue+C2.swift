import Foundation
import UnifiedLoRA

// C2: the cooldown (T10).
extension Catalogue {
  static let c2 = Invariant(
    .theorem("C2", .t10),
    "consecutive mode switches are at least N_s steps apart",
    generate: { rng, n in
      let p = Generators.parameters(.report, using: &rng)
      return Case(parameters: p, trace: Generators.anyTrace(count: n, using: &rng))
    },
    given: "report variant, any valid parameters and trace, initial s = −∞",
    premise: { c in
      c.trace.isValid && c.parameters.variant == .report && c.parameters.initial.lastSwitch == nil
    },
    counterexample: { c in
      firstSwitchPair(c, where: { a, b in b.step - a.step < c.parameters.cooldown }) { a, b in
        "switches at steps \(a.step) and \(b.step) are \(b.step - a.step) < N_s = \(c.parameters.cooldown) apart"
      }
    })

  static let c2Claim = Invariant(
    .refutation("C2.claim", .t10),
    "the published controller respects the report's cooldown: switches ≥ 30 steps apart",
    generate: { rng, n in
      Case(parameters: .repo, trace: Generators.anyTrace(count: n, envs: [.off], using: &rng))
    },
    given: "repo variant with its defaults, any valid trace",
    premise: { c in c.trace.isValid && c.parameters.variant == .repo },
    counterexample: { c in
      firstSwitchPair(c, where: { a, b in b.step - a.step < 30 }) { a, b in
        "switches at steps \(a.step) (\(a.from)→\(a.to)) and \(b.step) (\(b.from)→\(b.to)) are \(b.step - a.step) < 30 steps apart"
      }
    })
}
