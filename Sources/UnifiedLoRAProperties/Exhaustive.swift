import Dispatch
import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

/// Bounded-exhaustive checking: every trace of length `k` over a five-letter alphabet, for a grid
/// of parameter sets, by depth-first enumeration with shared prefixes (each prefix's state is
/// computed once, so the cost is the number of tree nodes, about 1.25·5^k steps per parameter set).
///
/// At every node the step-wise theorems are checked with their hypotheses: C1 (range and bounds),
/// C2 (cooldown), C4 (no Mirror while g(sup X) < θ1) and C4.order (no skipped Multi without
/// cooldown, α below the band bound).
public enum Exhaustive {
  /// One parameter set of the grid with its alphabet of `(loss, env)` letters.
  public struct Grid: Sendable {
    public var name: String
    public var parameters: Parameters
    public var alphabet: [(loss: Double, env: Double)]
  }

  /// The default grid: the report's defaults; without cooldown; the fastest dynamics (α = 1, β = 0,
  /// α_E = 1, N_s = 0); a middle setting with a short cooldown; the repo variant's defaults.
  /// Report letters: zero, the clean loss 0.5, L = 7 (just above the preimage 6 of θ0), the spike
  /// 1e300, and E = 9 (X above the preimage 7/3 of θ1); repo letters: 0, 0.5, 3/7, 7/3, 1e300.
  public static var grid: [Grid] {
    let report: [(Double, Double)] = [(0, 0), (0.5, 0), (7, 0), (1e300, 0), (0, 9)]
    let repo: [(Double, Double)] = [(0, 0), (0.5, 0), (3.0 / 7, 0), (7.0 / 3, 0), (1e300, 0)]
    var out = [Grid(name: "report defaults", parameters: .report, alphabet: report.map { ($0.0, $0.1) })]
    if let p = try? Parameters.report.with(cooldown: 0) {
      out.append(Grid(name: "report, N_s = 0", parameters: p, alphabet: report.map { ($0.0, $0.1) }))
    }
    if let p = try? Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0) {
      out.append(
        Grid(
          name: "report, α = 1, β = 0, α_E = 1, N_s = 0", parameters: p, alphabet: report.map { ($0.0, $0.1) }
        ))
    }
    if let p = try? Parameters(alpha: 0.5, beta: 0.5, cooldown: 2) {
      out.append(
        Grid(name: "report, α = β = 0.5, N_s = 2", parameters: p, alphabet: report.map { ($0.0, $0.1) }))
    }
    out.append(Grid(name: "repo defaults", parameters: .repo, alphabet: repo.map { ($0.0, $0.1) }))
    return out
  }

  public struct Result: Sendable {
    public var grid: String
    public var traces: Int
    /// Controller steps evaluated (tree nodes).
    public var steps: Int
    /// The first violation per property id, as a case.
    public var violations: [String: Case]
    public var seconds: Double
  }

  struct Node {
    var state: ControllerState
    var bound: Double  // max(Ê0, X so far)
    var emax: Double
  }

  /// Enumerates every trace of length `k` over the grid's alphabet (shard `i/n`: the subtrees of
  /// the first two letters whose number is `i` mod `n`).
  public static func run(_ g: Grid, length k: Int, shard: Shard = Shard()) -> Result {
    precondition(k >= 1 && g.alphabet.count >= 1)
    let start = DispatchTime.now().uptimeNanoseconds
    let p = g.parameters
    let a = g.alphabet
    let n = a.count
    let top = k >= 2 ? n * n : n
    let mine = (0..<top).filter { $0 % shard.count == shard.index }
    let tolE = 1 + Rounding.slack / (1 - p.beta)
    let tolTiny = Rounding.subnormalSlack / (1 - p.beta)
    let tolPhi = Rounding.slack * (1 + 1 / p.alpha)
    let orderHyp =
      (p.variant == .repo || p.cooldown == 0) && ClosedForm.multiCannotBeSkipped(p)
      && p.initial.mode == Mode.classify(p.initial.phi, theta0: p.theta0, theta1: p.theta1)
    let neverBase = p.initial.phi < p.theta1 && p.initial.mode != .mirror
    let xs = a.map { p.stressInput(loss: $0.loss, env: $0.env) }
    // One job per subtree, merged in subtree order (so the violation kept for a property, the
    // shortest and then the first, does not depend on the scheduling).
    let jobs = Parallel.map(mine.indices, chunk: 1) {
      job -> (traces: Int, steps: Int, found: [String: Case]) in
      let root = mine[job]
      let prefix = k >= 2 ? [root / n, root % n] : [root]
      var letters = [Int](repeating: 0, count: k)
      var nodes = [Node](
        repeating: Node(state: p.initial, bound: p.initial.ehat, emax: p.initial.ehat), count: k + 1)
      var localSteps = 0
      var localTraces = 0
      var found: [String: Case] = [:]
      func check(_ d: Int) -> Bool {
        // the step d (0-based) was just taken into nodes[d + 1]
        let prev = nodes[d].state
        let s = nodes[d + 1].state
        var fail: String?
        if !(s.ehat >= 0 && s.ehat.isFinite && s.phi >= 0 && s.phi <= 1
          && s.ehat <= nodes[d + 1].bound * tolE + tolTiny
          && s.phi <= max(p.initial.phi, ContinuousUpdate.squash(nodes[d + 1].emax)) + tolPhi)
        {
          fail = "C1"
        } else if p.variant == .report && s.mode != prev.mode, let last = prev.lastSwitch,
          d - last < p.cooldown
        {
          fail = "C2"
        } else if orderHyp && abs(s.mode.rawValue - prev.mode.rawValue) == 2 {
          fail = "C4.order"
        } else if neverBase && s.mode == .mirror
          && ContinuousUpdate.squash(max(nodes[d + 1].bound, p.initial.ehat)) < p.theta1
            - Rounding.degenerateMargin
        {
          fail = "C4"
        }
        guard let fail else { return true }
        if found[fail] == nil {
          let used = letters[0...d]
          found[fail] = Case(
            parameters: p, trace: Trace(losses: used.map { a[$0].loss }, envs: used.map { a[$0].env }))
        }
        return false
      }
      func step(_ d: Int, _ letter: Int) -> Bool {
        letters[d] = letter
        let prev = nodes[d]
        let s = p.advance(prev.state, Input(step: d, loss: a[letter].loss, env: a[letter].env))
        nodes[d + 1] = Node(state: s, bound: max(prev.bound, xs[letter]), emax: max(prev.emax, s.ehat))
        localSteps += 1
        return check(d)
      }
      func descend(_ d: Int) {
        if d == k {
          localTraces += 1
          return
        }
        for letter in 0..<n where step(d, letter) { descend(d + 1) }
      }
      var ok = true
      for (d, letter) in prefix.enumerated() where ok { ok = step(d, letter) }
      if ok { descend(prefix.count) }
      // the first letter's step is shared by the n jobs below it: count it once
      if k >= 2 && root % n != 0 { localSteps -= 1 }
      return (localTraces, localSteps, found)
    }
    var traces = 0
    var steps = 0
    var violations: [String: Case] = [:]
    for job in jobs {
      traces += job.traces
      steps += job.steps
      for (key, c) in job.found where violations[key] == nil || c.trace.count < violations[key]!.trace.count {
        violations[key] = c
      }
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return Result(grid: g.name, traces: traces, steps: steps, violations: violations, seconds: seconds)
  }
}
