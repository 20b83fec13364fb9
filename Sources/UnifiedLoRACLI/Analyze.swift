import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis

struct Analyze: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Fixed points, spectra, settling times, latencies and reachability of the controller.",
    discussion: """
      Three constant-input regimes (SPEC §6): low stress (--loss, --env; default L = 0.5, E = 0) from the initial state; a shock (--shock-loss, --shock-env, default L = 20, E = 0) of --shock-length updates (default 100) from the low-stress fixed point with its mode and no recent switch; and the recovery back to the low-stress input.

      Every number is computed twice: fixed points in closed form and with GSL's hybrids solver on step(x) − x; the Jacobian analytically and by finite differences, its eigenvalues exactly (β and 1 − α) and with GSL; settling times by iterating the controller until an envelope proves the band is never left again, plus an analytic bound; thresholds in closed form and by Brent's method. Theorem ids (T03…T14) name the proof behind each number.

      Settling times come in both published conventions, each named: relative to the step (MATLAB stepinfo, |φ_t − φ*| ≤ ε·|φ_0 − φ*|) and relative to the final value (python-control step_info, |φ_t − φ*| ≤ ε·|φ*|), plus an absolute band. T counts updates. Latencies count updates k ≥ 1 until the mode after the k-th update is the target; "never" (JSON null) is certified, not a timeout.

      Examples:
        unified-lora analyze
        unified-lora analyze --shock-env 5 --format json
        unified-lora analyze --variant repo --loss 0.2
      """)

  @OptionGroup var parameters: ParameterOptions

  @OptionGroup var regimes: RegimeOptions
  @Option(help: "ε of the relative settling bands.")
  var epsilon: Double = 0.02
  @Option(
    name: .customLong("absolute-band"), help: "Half-width of the absolute settling band (default 0.01).")
  var absoluteBand: Double = 0.01
  @Option(name: .customLong("loss-range"), help: "Loss box for reachability, lo:hi (hi may be inf).")
  var lossRange = InputRange(0...Double.infinity)
  @Option(
    name: .customLong("env-range"),
    help: "Env box for reachability, lo:hi (default: the regimes' env values).")
  var envRange: InputRange?
  @Option(help: "table (default) or json.")
  var format: ReportFormat = .table
  @OptionGroup(title: "Noise") var noise: AnalyzeNoiseOptions

  func validate() throws {
    guard epsilon > 0, epsilon < 1 else {
      throw ValidationError("invalid value epsilon = \(epsilon): expected a number in (0, 1)")
    }
    guard absoluteBand > 0, absoluteBand.isFinite else {
      throw ValidationError("invalid value absolute-band = \(absoluteBand): expected a finite number > 0")
    }
  }

  func run() throws {
    let p = try parameters.parameters()
    let clean = regimes.clean
    let shock = regimes.shock
    let box = InputBox(
      loss: lossRange.bounds,
      env: envRange?.bounds
        ?? min(regimes.env, regimes.shockEnv)...max(regimes.env, regimes.shockEnv))
    let request = AnalysisRequest(
      clean: clean, shock: shock, shockLength: regimes.shockLength, epsilon: epsilon,
      absoluteBand: absoluteBand, box: box)
    let report = try reportingAnalysisFailure { () throws(AnalysisError) in try p.analysis(request) }
    if let n = try noise.analysis(p, clean) {
      StandardOutput.write(
        format == .json
          ? try AnalyzeNoiseOptions.json(report, n)
          : AnalyzeTable.render(report) + AnalyzeNoiseOptions.table(n))
      return
    }
    StandardOutput.write(format == .json ? try json(report) : AnalyzeTable.render(report))
  }
}

/// The readable form of an ``AnalysisReport``.
enum AnalyzeTable {
  static let order = ["lowStress", "shock", "recovery"]
  static let names = ["lowStress": "low stress", "shock": "shock", "recovery": "recovery"]

  static func render(_ r: AnalysisReport) -> String {
    let p = r.parameters
    var out = "\(parameterLine(p))\n"
    out +=
      "regimes: low stress \(r.regimes["lowStress"]!.input); shock \(r.regimes["shock"]!.input) for \(r.shockLength) updates from the low-stress fixed point; recovery back to the low-stress input\n\n"

    out += "fixed points (T03): closed form, and GSL hybrids on step(x) − x\n"
    var t = TextTable("regime", "input", "Ê*", "φ*", "mode", "GSL Ê*", "GSL φ*", "|difference|")
    for k in order {
      let g = r.regimes[k]!
      t.add(
        names[k]!, "\(g.input)", num(g.fixedPoint.ehat), num(g.fixedPoint.phi),
        g.fixedPoint.mode.description, g.fixedPointGSL.map { num($0.ehat) } ?? "failed (note)",
        g.fixedPointGSL.map { num($0.phi) } ?? "failed (note)",
        g.fixedPointDiscrepancy.map { String(format: "%.1e", $0) } ?? "-")
    }
    out += t.render() + "\n"

    out += "Jacobian at the fixed points (T04): analytic, and |difference| to finite differences\n"
    t = TextTable(
      "regime", "Jacobian [[β,0],[c,1−α]]", "FD |diff|", "eigenvalues exact", "GSL", "ρ", "stable",
      "defective", "time constants")
    for k in order {
      let s = r.regimes[k]!.spectrum
      let j = s.jacobian
      t.add(
        names[k]!, "[[\(num(j[0, 0])), \(num(j[0, 1]))], [\(num(j[1, 0])), \(num(j[1, 1]))]]",
        String(format: "%.1e", j.distance(to: s.jacobianFiniteDifference)),
        s.eigenvalues.map(num).joined(separator: ", "),
        s.eigenvaluesGSL.map { values in
          values.map { $0.im == 0 ? num($0.re) : "\(num($0.re))\($0.im < 0 ? "-" : "+")\(num(abs($0.im)))i" }
            .joined(separator: ", ")
        } ?? "failed (note)",
        num(s.spectralRadius), s.stable ? "yes" : "no", s.defective ? "yes" : "no",
        s.timeConstants.map(num).joined(separator: ", "))
    }
    out += t.render() + "\n"

    out +=
      "settling time of φ (T05), in updates: exact (iteration + envelope certificate) / analytic bound / ρ-only estimate\n"
    t = TextTable(
      "regime", "from φ", "relative to step, ε=\(num(r.epsilon)) (stepinfo)",
      "relative to final, ε=\(num(r.epsilon)) (step_info)", "absolute, ±\(num(r.absoluteBand))")
    for k in order {
      let g = r.regimes[k]!
      t.add(
        names[k]!, num(g.start.phi), cell(g.settlingTime.relativeToStep),
        cell(g.settlingTime.relativeToFinal), cell(g.settlingTime.absolute))
    }
    out += t.render() + "\n"

    out += "latency (T14), updates until the mode after the k-th update is the target\n"
    t = TextTable("", "cooldown \(p.cooldown)", "no cooldown")
    t.add("to Multi (sustained shock)", num(r.latency.toMulti), num(r.latencyWithoutCooldown.toMulti))
    t.add("to Mirror (sustained shock)", num(r.latency.toMirror), num(r.latencyWithoutCooldown.toMirror))
    t.add(
      "to Single (after the \(r.shockLength)-update shock)", num(r.latency.toSingle),
      num(r.latencyWithoutCooldown.toSingle))
    out += t.render() + "\n"

    let s = r.shockResponse
    out +=
      "shock response (T09, T13): start (Ê \(num(s.start.ehat)), φ \(num(s.start.phi)), \(s.start.mode))\n"
    if s.switches.isEmpty { out += "  no mode switch: the controller stays in \(s.start.mode)\n" }
    for w in s.switches {
      out +=
        "  update \(w.update) (\(w.duringShock ? "shock" : "recovery update \(w.update - s.length)")): \(w.from) → \(w.to)\n"
    }
    out +=
      "  peak φ \(num(s.peakPhi)) after update \(s.peakUpdate); modes visited: \(s.modesVisited.map(\.description).joined(separator: ", ")); final mode \(s.finalMode)\n"
    out +=
      "  Single regained after recovery update: \(num(s.toSingle)); in Single for good from recovery update: \(num(s.settledInSingle))\n\n"

    let q = r.reachability
    let th = q.thresholds
    out += "reachability (T06, T07, T08) over \(q.box)\n"
    t = TextTable(
      "quantity", "closed form / certified (exact)", "binary64 (core step)", "Brent on the GSL fixed point")
    t.add("sup φ", num(q.phiSup), "", "")
    t.add("inf φ", num(q.phiInf), "", "")
    t.add(
      "reachable modes",
      q.modes.map(\.description).joined(separator: ", ") + (q.modesExact ? "" : " (lower bound)"), "", "")
    let low = r.regimes["lowStress"]!.input
    let single = q.thresholdsAtLowStress
    // Each threshold three ways: exact, in binary64, and by Brent's method on the GSL fixed point.
    let thresholds: [(String, InputBound, ThresholdValue?, InputBound?)] = [
      (
        "least sustained E for Mirror at L = \(num(th.givenLoss))", q.minEnvForMirror,
        th.minEnvForMirrorValue,
        th.minEnvForMirrorBrent
      ),
      (
        "least sustained L for Mirror at E = \(num(th.givenEnv))", q.minLossForMirror,
        th.minLossForMirrorValue,
        th.minLossForMirrorBrent
      ),
      (
        "largest E settling in Single at L = \(num(low.loss))", q.maxEnvForSingle,
        single.maxEnvForSingleValue, single.maxEnvForSingleBrent
      ),
      (
        "largest L settling in Single at E = \(num(low.env))", q.maxLossForSingle,
        single.maxLossForSingleValue, single.maxLossForSingleBrent
      ),
    ]
    for (name, bound, value, brent) in thresholds {
      t.add(name, exact(bound, value), b64(value), Self.brent(brent))
    }
    t.add("least shock length reaching Mirror", q.minShockLengthForMirror.map(String.init) ?? "never", "", "")
    out += t.render()
    if !r.notes.isEmpty {
      out += "\nnotes:\n" + r.notes.map { "  - \($0)\n" }.joined()
    }
    return out
  }

  /// A threshold's exact value (`26/7 ≈ 3.71429`), or the bound's word.
  static func exact(_ b: InputBound, _ v: ThresholdValue?) -> String {
    guard let v else { return num(b) }
    return v.exact.count > 24
      ? "\(num(v.decimal)) (closed form)"
      : v.exact == num(v.decimal) ? v.exact : "\(v.exact) ≈ \(num(v.decimal))"
  }

  /// The binary64 threshold, every digit (it differs from the exact one in the last places).
  static func b64(_ v: ThresholdValue?) -> String {
    guard let v else { return "" }
    return v.binary64.map(\.description) ?? "not established"
  }

  static func brent(_ b: InputBound?) -> String { b.map(num) ?? "failed (note)" }

  static func cell(_ s: SettlingTime) -> String {
    guard let steps = s.steps else { return "n/a" }
    return
      "\(steps) / ≤\(s.upperBound.map(String.init) ?? "?") / ρ:\(s.spectralRadiusEstimate.map(String.init) ?? "-")"
  }
}
