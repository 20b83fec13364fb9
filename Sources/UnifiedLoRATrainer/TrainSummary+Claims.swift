extension TrainSummary {
  /// One of the report's empirical claims, tested on one unified arm with a confidence interval.
  public struct Claim: Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
      /// The controller reaches Mirror under the shocks (estimate: the fraction of seeds).
      case reachesMirror
      /// Smaller post-shock overshoot than fixed 5e-4 (estimate: the paired difference).
      case smallerOvershoot
      /// Faster recovery to the common level than fixed 5e-4 (estimate: paired difference in steps).
      case fasterRecovery
    }
    public enum Verdict: String, Sendable, Codable {
      /// The CI lies on the claim's side (above 1/2 for Mirror, below 0 for the differences).
      case reproduced
      /// The CI lies on the other side (below 1/2; above 0).
      case contradicted
      /// The CI straddles the boundary.
      case notShown
    }
    public var arm: String
    public var kind: Kind
    /// The shock (0-based) for the per-shock claims.
    public var shock: Int?
    public var estimate: Estimate
    public var verdict: Verdict
  }

  /// Every claim for every unified arm. The Mirror claim needs no baseline; the others are paired
  /// against fixed 5e-4 and are left out when it is not among the arms.
  ///
  /// - Parameter mirror: per arm, 1 or 0 per seed (in seed order): whether the run reached Mirror.
  static func claims(arms: [ArmSummary], shocks: Int, mirror reached: [String: [Double?]]) -> [Claim] {
    var out: [Claim] = []
    let hasBaseline = arms.contains { $0.arm == Arm.baseline.description }
    for a in arms where a.arm.hasPrefix("unified") {
      // The fraction of seeds that reached Mirror, as a bootstrap estimate over 0/1 per seed.
      let mirror = Estimate(reached[a.arm] ?? [])
      out.append(
        Claim(
          arm: a.arm, kind: .reachesMirror, shock: nil, estimate: mirror,
          verdict: mirror.above(0.5) ? .reproduced : (mirror.below(0.5) ? .contradicted : .notShown)))
      guard hasBaseline else { continue }
      for k in 0..<shocks {
        for (kind, quantity) in [
          (Claim.Kind.smallerOvershoot, Quantity.Kind.overshoot), (.fasterRecovery, .recoverySteps),
        ] {
          guard let d = a.pairedVsBaseline.first(where: { $0.quantity == Quantity(kind: quantity, shock: k) })
          else { continue }
          let e = d.difference
          out.append(
            Claim(
              arm: a.arm, kind: kind, shock: k, estimate: e,
              verdict: e.below(0) ? .reproduced : (e.above(0) ? .contradicted : .notShown)))
        }
      }
    }
    return out
  }
}
