import Foundation
import UnifiedLoRA

/// The catalogue of properties: for each claim C1…C7 of SPEC §5 the conditioned theorem (which
/// must survive every search) and, where the report's wording is false, that wording as a
/// refutation (which must be found and reduced); plus the comparison principle (T06), the
/// convergence rate (T03) and the learning-rate map.
///
/// Every property states its hypotheses twice, in words (`hypotheses`) and in code (`premise`),
/// next to its check. An entry reads `Invariant(.theorem("C2", .t10), statement, generate: …,
/// given: hypotheses, premise: …, counterexample: …)`; entries that share how their cases are
/// drawn and which count share an `Invariant.Domain` (`over: anyValidCase`).
public enum Catalogue {
  static let u = Rounding.unit
  static let margin = Rounding.degenerateMargin
  static let tiny = Rounding.subnormalSlack

  public static let all: [Invariant] = [
    c1, c1Claim, c1Binary64, c2, c2Claim, c3, c3Claim, c4, c4Claim, c4Order, c4OrderClaim, c4OrderDefaults,
    c5, c5Claim, c6, c6Claim, c7, c7Claim, c7NoCooldown, t03, t06, t06Binary64, t06Mode, t06ModeClaim, lr,
  ]

  /// The description of the first element of `items` that `fails`, with its index (for a run's
  /// states, the record); nil when none does. The shape of most checks: "record t: …".
  static func firstFailure<C: Collection>(
    in items: C, where fails: (C.Element) -> Bool, _ describe: (Int, C.Element) -> String
  ) -> String? {
    for (t, x) in items.enumerated() where fails(x) { return describe(t, x) }
    return nil
  }

  /// The first two consecutive mode switches of the case's run for which `fails` holds,
  /// described; nil when no such pair exists.
  static func firstSwitchPair(
    _ c: Case, where fails: (Switch, Switch) -> Bool, _ describe: (Switch, Switch) -> String
  ) -> String? {
    let sw = c.parameters.switches(c.states)
    return firstFailure(in: Array(zip(sw, sw.dropFirst())), where: fails) { _, p in describe(p.0, p.1) }
  }

  /// The properties whose id or claim is in `ids` (e.g. `C1`, `C4.claim`, `T06`); all when empty.
  public static func select(_ ids: [String]) -> [Invariant] {
    if ids.isEmpty { return all }
    return all.filter { inv in
      ids.contains { id in id == inv.id || id == inv.claim || inv.theorems.contains { $0.rawValue == id } }
    }
  }
}
