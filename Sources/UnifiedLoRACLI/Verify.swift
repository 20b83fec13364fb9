import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAProperties
import UnifiedLoRASupport

struct Verify: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check the controller's claims by randomized, exhaustive and directed search.",
    discussion: """
      Each property is either a conditioned theorem (verdict `holds`: no counterexample in the search) or the report's unconditional wording (verdict `refuted`, with a minimal witness printed as a `unified-lora simulate` command line that replays it). A violated theorem or an unrefuted claim exits with status 1.

      Properties (ids as in Proofs/ and `claims`): C1 C1.claim C1.binary64 C2 C2.claim C3 C3.claim C4 C4.claim C4.order C4.order.claim C4.order.defaults C5 C5.claim C6 C6.claim C7 C7.claim C7.nocooldown T03 T06 T06.binary64 T06.mode T06.mode.claim LR. --claims C4 selects every property of C4; --claims T06 every property about T06.

      Engines: `lanes` runs --traces traces of --steps steps through the SIMD engine (8 traces per vector, all cores), checking C1 C2 C3 C4 C4.order C5 C7 T03 T06 T06.mode at every step; `scalar` runs every property of the catalogue through the core's scalar step (--scalar-traces cases each); --exhaustive k enumerates every trace of length k over a 5-letter alphabet for 5 parameter sets; the IEEE-754 search bisects binary64 and binary32 bit patterns for x/(1+x) = 1, φ = 1 and Ê overflow (--no-ieee skips it). The seed is printed; the same seed gives the same cases.

      Examples:
        unified-lora verify
        unified-lora verify --traces 1000000 --steps 1000 --exhaustive 10
        unified-lora verify --claims C4,C7 --seed 42 --format json
        unified-lora verify --exhaustive 10 --shard 0/2
      """)

  @Option(help: "Comma-separated property ids or claims (default: all).")
  var claims: ClaimList?

  @Option(help: "Traces for the SIMD engine (and the cap for the scalar search).")
  var traces: Int = 100_000

  @Option(help: "Steps per trace.")
  var steps: Int = 1000

  @Option(
    name: .customLong("scalar-traces"),
    help: "Cases per property in the scalar search (default: min(traces, 5000)).")
  var scalarTraces: Int?

  @Option(help: "The random seed (default: from the clock; printed with the result).")
  var seed: UInt64?

  @Option(help: "Also enumerate every trace of this length over the 5-letter alphabet (0 = off).")
  var exhaustive: Int = 0

  @Option(help: "i/n: check only the cases whose number is i mod n (for several machines).")
  var shard = ShardArgument()

  @Flag(help: "Skip the directed IEEE-754 search.")
  var noIeee = false

  @Option(help: "table (default) or json.")
  var format: ReportFormat = .table

  func parsedShard() throws -> Shard {
    let (i, n) = try shard.checked(example: "0/2")
    return Shard(index: i, count: n)
  }

  func validate() throws {
    guard traces >= 1 else {
      throw ValidationError("invalid value traces = \(traces): expected an integer ≥ 1")
    }
    try bounded(steps, "steps", 1...10_000_000)
    try bounded(exhaustive, "exhaustive", 0...14)
    if let scalarTraces, scalarTraces < 0 {
      throw ValidationError("invalid value scalar-traces = \(scalarTraces): expected ≥ 0")
    }
    try bounded(traces, "traces", 1...Self.maxTraces)
    if let scalarTraces { try bounded(scalarTraces, "scalar-traces", 0...Self.maxTraces) }
    let (total, overflow) = max(traces, scalarTraces ?? 0).multipliedReportingOverflow(by: steps)
    guard !overflow, total <= Self.maxTotalSteps else {
      throw ValidationError(
        "invalid values traces = \(max(traces, scalarTraces ?? 0)), steps = \(steps): at most \(Self.maxTotalSteps) steps (traces × steps) in one run"
      )
    }
    let shard = try parsedShard()
    // A shard must get at least one case of each search it runs: with more shards than cases,
    // some would check nothing and still report "holds".
    let request = try self.request
    let perProperty = request.casesPerProperty
    let smallest = request.smallestSearch
    guard shard.count <= smallest else {
      throw ValidationError(
        "invalid value shard = \(self.shard): \(shard.count) shards of \(smallest) cases leave shards with no case to check; expected n ≤ \(smallest) (raise --traces\(perProperty < traces ? " or --scalar-traces" : ""))"
      )
    }
    let ids = claimList
    let known = Set(Catalogue.all.flatMap { [$0.id, $0.claim] + $0.theorems.map(\.rawValue) })
    for id in ids where !known.contains(id) {
      throw ValidationError(
        "unknown claim '\(id)': expected one of \(Catalogue.all.map(\.id).joined(separator: ", "))")
    }
  }

  /// The largest --traces (and --scalar-traces): 10^12 traces.
  static let maxTraces = 1_000_000_000_000
  /// The largest traces × steps of one run (step counters stay far from overflow).
  static let maxTotalSteps = 10_000_000_000_000_000

  var claimList: [String] { claims?.ids ?? [] }

  var request: Verification.Request {
    get throws {
      Verification.Request(
        claims: claimList, traces: traces, steps: steps, scalarTraces: scalarTraces,
        seed: seed ?? UInt64(Date().timeIntervalSince1970 * 1000), exhaustive: exhaustive,
        shard: try parsedShard(), ieee: !noIeee)
    }
  }

  func run() throws {
    // A status line in place on a terminal; nothing otherwise (the report says everything).
    let progress = ProgressReporter(style: isatty(2) == 1 ? .inPlace : .silent)
    let report = Verification.run(try request, progress: { progress.update($0) })
    progress.clear()
    switch format {
    case .table: StandardOutput.write(report.table() + "\n")
    case .json: StandardOutput.write(try report.json())
    }
    if report.failed { throw ExitCode(1) }
  }
}

extension VerifyReport {
  func table() -> String {
    var out =
      "unified-lora verify  seed \(seed)  traces \(traces)  steps \(steps)  shard \(shard.index)/\(shard.count)  version \(UnifiedLoRACommand.version)\n\n"
    out += "id                 claim  theorems     engine      traces         steps  verdict        steps/s\n"
    for o in outcomes {
      out +=
        o.id.padded(18) + " " + o.claim.padded(6) + " " + o.theorems.joined(separator: ",").padded(12)
        + " "
      out +=
        o.engine.padded(10) + " " + String(o.traces).leftPadded(8) + " " + String(o.steps).leftPadded(13)
        + "  "
      out +=
        o.verdict.rawValue.padded(12) + " " + String(format: "%.3g", o.stepsPerSecond).leftPadded(9) + "\n"
    }
    out += "\n(lanes: every lane property is checked in one pass; steps/s is that pass's rate.)\n"
    let notes = outcomes.filter { $0.note != nil }
    if !notes.isEmpty {
      out += "\nnot refuted:\n"
      for o in notes { out += "  \(o.id): \(o.note!)\n" }
    }
    let witnesses = outcomes.filter { $0.witness != nil }
    if !witnesses.isEmpty {
      out += "\nwitnesses (minimal counterexamples; each command line replays one):\n"
      for o in witnesses {
        let w = o.witness!
        out += "\n\(o.id) [\(o.direction.rawValue), \(o.verdict.rawValue)] \(o.statement)\n  \(w.message)\n"
        for r in w.replays { out += "  $ \(ReplayCommandLine.render(r))\n" }
      }
    }
    if !exhaustive.isEmpty {
      out +=
        "\nbounded-exhaustive: every trace of length \(exhaustiveLength) over 5 letters (C1, C2, C4, C4.order at every step)\n"
      for r in exhaustive {
        let v =
          r.violations.isEmpty ? "holds" : "VIOLATED: " + r.violations.keys.sorted().joined(separator: ",")
        out +=
          "  " + r.grid.padded(42) + " traces " + String(r.traces).leftPadded(9) + "  steps "
          + String(r.steps).leftPadded(10) + "  " + v + String(format: "  %.1f s", r.seconds) + "\n"
      }
      out += "  total traces \(exhaustive.reduce(0) { $0 + $1.traces })\n"
    }
    if !ieee.isEmpty {
      out += "\nIEEE-754 (directed search over bit patterns, T02):\n"
      for f in ieee {
        out += "  [\(f.format)] \(f.id): \(f.statement)\n"
        if let r = f.replay { out += "    $ \(ReplayCommandLine.render(r))\n" }
      }
    }
    return out
  }

  func json() throws -> String {
    struct ExhaustiveDoc: Encodable {
      let grid: String
      let length: Int
      let traces: Int
      let steps: Int
      let violations: [String]
      let seconds: Double
    }
    struct Doc: Encodable {
      let seed: UInt64
      let version: String
      let traces: Int
      let steps: Int
      let shard: String
      let properties: [OutcomeDocument]
      let exhaustive: [ExhaustiveDoc]
      let ieee: [IEEEFindingDocument]
    }
    let doc = Doc(
      seed: seed, version: UnifiedLoRACommand.version, traces: traces, steps: steps,
      shard: "\(shard.index)/\(shard.count)",
      properties: outcomes.map(outcomeDocument),
      exhaustive: exhaustive.map {
        ExhaustiveDoc(
          grid: $0.grid, length: exhaustiveLength, traces: $0.traces, steps: $0.steps,
          violations: $0.violations.keys.sorted(), seconds: $0.seconds)
      },
      ieee: ieee.map(ieeeFindingDocument))
    return try UnifiedLoRACLI.json(doc)
  }
}

/// An outcome in `verify`'s JSON: its witness with the command lines that replay it (`commands`).
typealias OutcomeDocument = WithKey<Outcome, WithKey<Counterexample, [String]>>

func outcomeDocument(_ o: Outcome) -> OutcomeDocument {
  WithKey(o, "witness", o.witness.map { WithKey($0, "commands", $0.replays.map(ReplayCommandLine.render)) })
}

/// An IEEE-754 finding in `verify`'s JSON, with the command line that shows it (`command`,
/// absent when none applies).
typealias IEEEFindingDocument = WithKey<IEEEFinding, String>

func ieeeFindingDocument(_ f: IEEEFinding) -> IEEEFindingDocument {
  WithKey(f, "command", f.replay.map(ReplayCommandLine.render))
}
