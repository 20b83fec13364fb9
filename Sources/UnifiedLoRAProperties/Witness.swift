import UnifiedLoRA

/// A reduced counterexample, printable as `unified-lora simulate` command lines that replay it.
public struct Witness: Sendable, Hashable, Codable {
  public var invariant: String
  public var message: String
  public var `case`: Case
  /// The shell command lines that reproduce it (two for the properties that compare two runs).
  public var commands: [String]
  /// The seed of the search that found it, and the index of the case in that search.
  public var seed: UInt64
  public var index: Int

  public init(invariant: Invariant, case c: Case, seed: UInt64, index: Int) {
    self.invariant = invariant.id
    self.message = invariant.counterexample(c) ?? "no counterexample"
    self.case = c
    self.seed = seed
    self.index = index
    var commands = [Witness.command(c.parameters, c.trace)]
    if let o = c.otherTrace { commands.append(Witness.command(c.parameters, o)) }
    if let b = c.otherInitial, let q = try? c.parameters.with(initial: b) {
      commands.append(Witness.command(q, c.trace))
    }
    self.commands = commands
  }

  /// A number as the shortest decimal that round-trips, integers without a fraction (`7`, not `7.0`).
  public static func number(_ x: Double) -> String {
    if x == x.rounded() && abs(x) <= 0x1p53 { return String(Int64(x)) }
    return x.description
  }

  /// The `simulate` flags of a parameter set: only what differs from the variant's defaults.
  public static func flags(_ p: Parameters) -> [String] {
    let d = Parameters.defaults(p.variant)
    var out: [String] = []
    if p.variant != .report { out += ["--variant", p.variant.rawValue] }
    if p.alpha != d.alpha { out += ["--alpha", number(p.alpha)] }
    if p.beta != d.beta { out += ["--beta", number(p.beta)] }
    if p.alphaE != d.alphaE { out += ["--alpha-e", number(p.alphaE)] }
    if p.theta0 != d.theta0 { out += ["--theta0", number(p.theta0)] }
    if p.theta1 != d.theta1 { out += ["--theta1", number(p.theta1)] }
    if p.cooldown != d.cooldown { out += ["--cooldown", String(p.cooldown)] }
    let r = p.learningRates
    if r != d.learningRates { out += ["--lr", "\(r.single),\(r.multi),\(r.mirror)"] }
    if p.initial.ehat != d.initial.ehat { out += ["--initial-ehat", number(p.initial.ehat)] }
    if p.initial.phi != d.initial.phi { out += ["--initial-phi", number(p.initial.phi)] }
    if p.initial.mode != d.initial.mode { out += ["--initial-mode", String(p.initial.mode.rawValue)] }
    return out
  }

  /// `printf 'loss,env\n0,9\n…' | unified-lora simulate …`, with runs of four or more equal rows
  /// written as `yes ROW | head -n COUNT`.
  public static func command(_ p: Parameters, _ t: Trace) -> String {
    let withEnv = t.envs.contains { $0 != 0 }
    let rows = (0..<t.count).map {
      withEnv ? "\(number(t.losses[$0])),\(number(t.envs[$0]))" : number(t.losses[$0])
    }
    var runs: [(String, Int)] = []
    for r in rows {
      if let last = runs.last, last.0 == r { runs[runs.count - 1].1 += 1 } else { runs.append((r, 1)) }
    }
    let header = withEnv ? "loss,env" : "loss"
    let tail = (["unified-lora", "simulate"] + flags(p)).joined(separator: " ")
    if runs.allSatisfy({ $0.1 < 4 }) {
      return "printf '\(([header] + rows).joined(separator: "\\n"))\\n' | \(tail)"
    }
    var parts = ["echo \(header)"]
    var pending: [String] = []
    func flush() {
      if !pending.isEmpty { parts.append("printf '\(pending.joined(separator: "\\n"))\\n'") }
      pending = []
    }
    for (row, n) in runs {
      if n >= 4 {
        flush()
        parts.append("yes \(row) | head -n \(n)")
      } else {
        pending += Array(repeating: row, count: n)
      }
    }
    flush()
    return "{ \(parts.joined(separator: "; ")); } | \(tail)"
  }
}
