import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis

struct ClaimsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "claims",
    abstract: "Evaluate the report's claims C1–C7 for a configuration, and lint it.",
    discussion: """
      For each claim of the Unified-LoRA report (SPEC §5): holds / holds only under stated conditions / refuted, the exact conditions, the theorem ids of the proofs (T01…T15) and their Coq theorems (Proofs/coq), and concrete witnesses: command lines you can paste to replay the trace with `simulate`. Every witness is replayed through the controller and checked before it is printed.

      How verdicts are judged: a verdict is about the configured initial state (a finding that needs another state is printed separately, labelled as such); C4 is about the spike's fixed point φ* (Mirror reached only because φ_0 starts high does not count), and a mode counts as reached only when a record shows it; C5's recovery is the return to the pre-shock mode, the low-stress fixed point's mode (Multi for the published controller at L = 0.5); a refutation always carries a witness, whose stated count is the number of mode changes between consecutive records of its command. Thresholds are printed exactly (the parameters as the decimals typed: 26/7, 6) and in binary64 (the least or largest double input for which the controller's own step reaches the mode). GSL only cross-checks: its failure is a note.

      --loss-range and --env-range are the sustained inputs you expect in training (default: any loss, E ≡ 0, the report's "optional" default). The lint warns about thresholds that can never be crossed in that range, modes that can never be left, and learning-rate maps that differ from the published ones. The answers section always says whether Mirror is reachable with E ≡ 0 and with E ∈ [0, 1], how large a sustained E must be, and whether the low-stress regime settles in Single.

      Examples:
        unified-lora claims
        unified-lora claims --env-range 0:10 --format json
        unified-lora claims --variant repo --loss-range 0:3
      """)

  @OptionGroup var parameters: ParameterOptions

  @Option(name: .customLong("loss-range"), help: "The sustained losses expected, lo:hi (hi may be inf).")
  var lossRange = InputRange(0...Double.infinity)
  @Option(
    name: .customLong("env-range"), help: "The sustained external stress expected, lo:hi.")
  var envRange = InputRange(0...0)
  @OptionGroup var regimes: RegimeOptions
  @Option(help: "table (default) or json.")
  var format: ReportFormat = .table

  func run() throws {
    let p = try parameters.parameters()
    let request = ClaimsRequest(
      box: InputBox(
        loss: lossRange.bounds, env: envRange.bounds),
      clean: regimes.clean, shock: regimes.shock, shockLength: regimes.shockLength)
    let report = try reportingAnalysisFailure { () throws(AnalysisError) in try p.claims(request) }
    let base = parameters.flags()
    StandardOutput.write(
      format == .json
        ? try json(claimsDocument(report, base: base)) : Self.render(report, base: base))
  }

  static func render(_ r: ClaimsReport, base: [String]) -> String {
    var out = "\(parameterLine(r.parameters))\n"
    out +=
      "sustained inputs: \(r.box); low stress \(r.clean); shock \(r.shock) for \(r.shockLength) updates\n\n"
    for c in r.claims {
      out += "\(c.id) [\(c.verdict.rawValue)] \(c.claim)   (\(c.theorems.joined(separator: ", ")))\n"
      for x in c.conditions { out += "    condition: \(x)\n" }
      for x in c.findings { out += "    \(x)\n" }
      for w in c.witnesses {
        out += "    witness: \(w.shows)\n      \(ReplayCommandLine.render(w, base: base))\n"
      }
      out += "\n"
    }
    out += "answers\n"
    for a in r.answers {
      out += "  \(a.question)\n    \(a.answer)   (\(a.theorems.joined(separator: ", ")))\n"
    }
    out += "\nlint\n"
    if r.lint.isEmpty { out += "  no warnings\n" }
    for l in r.lint { out += "  [\(l.kind)] \(l.message)\n" }
    out += coqSection(r.claims.flatMap(\.theorems) + r.answers.flatMap(\.theorems))
    return out
  }

  /// The Coq statements of the cited theorems, one line per id (in id order).
  static func coqSection(_ cited: [TheoremID]) -> String {
    var out = "\ncoq theorems (Proofs/coq, checked by scripts/check-proofs)\n"
    for id in Set(cited).sorted() {
      out += "  \(id): \(id.coqTheorems.joined(separator: ", "))\n"
    }
    return out
  }
}

/// The JSON of `claims`: the report, each witness with its `command` (the replaying command line,
/// as ``ReplayCommandLine`` renders it with the user's flags).
func claimsDocument(_ report: ClaimsReport, base: [String]) -> some Encodable {
  WithKey(
    report, "claims",
    report.claims.map { claim in
      WithKey(
        claim, "witnesses",
        claim.witnesses.map { WithKey($0, "command", ReplayCommandLine.render($0, base: base)) })
    })
}
