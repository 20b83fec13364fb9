import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis

/// The figures that are both proved in Coq and printed by `analyze`: the test reads the Coq
/// statement (the theorem's text in `Proofs/coq/T15Shock.v`: its configuration and its numbers)
/// and checks that the analysis engine computes the proved value for that configuration, so a
/// change on either side fails here.
///
/// - `T15_least_shock_defaults`: no shock of ≤ 32 updates reaches Mirror, 33 do (after update 38)
///   — `analyze --shock-env 5` prints "least shock length reaching Mirror 33";
/// - `T15_least_shock_defaults_N0`: the same with N_s = 0 is 31;
/// - `T15_sustained_latency_defaults`: the sustained shock reaches Mirror at update 38 — the
///   "to Mirror (sustained shock)" latency.
@Suite("Coq figures = analyze")
struct CoqFigureTests {
  static let shockFile = CoqTheoremTests.root.appendingPathComponent("Proofs/coq/T15Shock.v")

  /// The text of the Coq file with comments removed (comments may mention other numbers).
  static func coqText(_ file: URL = shockFile) throws -> String {
    let raw = try String(contentsOf: file, encoding: .utf8)
    var out = ""
    var depth = 0
    var i = raw.startIndex
    while i < raw.endIndex {
      let next = raw.index(after: i)
      if next < raw.endIndex, raw[i] == "(", raw[next] == "*" {
        depth += 1
        i = raw.index(after: next)
        continue
      }
      if depth > 0, next < raw.endIndex, raw[i] == "*", raw[next] == ")" {
        depth -= 1
        i = raw.index(after: next)
        continue
      }
      if depth == 0 { out.append(raw[i]) }
      i = next
    }
    return out
  }

  /// The statement of `name`: from its `Theorem` line to `Proof.`, whitespace collapsed.
  static func statement(_ name: String, in text: String) throws -> String {
    let start = try #require(text.range(of: "Theorem \(name) "), "no Theorem \(name) in T15Shock.v")
    let end = try #require(text.range(of: "Proof.", range: start.upperBound..<text.endIndex))
    return text[start.lowerBound..<end.lowerBound].split(whereSeparator: \.isWhitespace).joined(
      separator: " ")
  }

  /// The capture groups of the first match of `pattern` in `text`.
  static func groups(_ pattern: String, in text: String) throws -> [String] {
    let re = try NSRegularExpression(pattern: pattern)
    let ns = text as NSString
    let m = try #require(
      re.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)), "no match for \(pattern)")
    return (1..<m.numberOfRanges).map { ns.substring(with: m.range(at: $0)) }
  }

  /// A Coq real literal as written in the file: `20`, `(1/2)`, `1/6`.
  static func real(_ s: String) throws -> Double {
    let t = s.trimmingCharacters(in: CharacterSet(charactersIn: "() "))
    let parts = t.split(separator: "/").map { Double($0) }
    switch parts.count {
    case 1: return try #require(parts[0])
    case 2: return try #require(parts[0]) / #require(parts[1])
    default: throw CocoaError(.formatting)
    }
  }

  /// The configuration the theorems are about: `u_shock n = shock_trace 0 n L E L_c E_c` and
  /// `s_clean = mkState Ê φ Single None`.
  static func configuration(_ text: String) throws -> (
    shock: ConstantInput, clean: ConstantInput, ehat: Double, phi: Double
  ) {
    let u = try groups(
      #"Definition u_shock \(n : nat\) : trace := shock_trace 0 n (\S+) (\S+) (\(\S+\)|\S+) (\S+)\s*\."#,
      in: text)
    let s = try groups(#"Definition s_clean : state := mkState (\(\S+\)) (\(\S+\)) Single None\."#, in: text)
    return (
      ConstantInput(loss: try real(u[0]), env: try real(u[1])),
      ConstantInput(loss: try real(u[2]), env: try real(u[3])), try real(s[0]), try real(s[1])
    )
  }

  @Test("the least shock length reaching Mirror that analyze computes is T15_least_shock_defaults'")
  func leastShockLength() throws {
    let text = try Self.coqText()
    let (shock, clean, ehat, phi) = try Self.configuration(text)
    #expect(shock == ConstantInput(loss: 20, env: 5) && clean == ConstantInput(loss: 0.5))
    let thm = try Self.statement("T15_least_shock_defaults", in: text)
    let none = try Self.groups(
      #"\(n <= (\d+)\)%nat -> ~ reaches_mirror defaults_report s_clean \(u_shock n\)"#, in: thm)
    let some = try Self.groups(
      #"md \(run_report defaults_report s_clean \(u_shock (\d+)\) (\d+)\) = Mirror"#, in: thm)
    let (bound, length, record) = (
      try #require(Int(none[0])), try #require(Int(some[0])), try #require(Int(some[1]))
    )
    // The theorem states "least": every length ≤ bound fails and bound + 1 succeeds.
    #expect(length == bound + 1, "T15_least_shock_defaults: never ≤ \(bound) but Mirror at \(length)")

    let p = Parameters.report
    let start = p.restingState(clean)
    // The engine's start is the theorem's s_clean (the closed-form fixed point, to rounding).
    #expect(abs(start.ehat - ehat) <= 1e-15 && abs(start.phi - phi) <= 1e-15, "\(start)")
    #expect(start.mode == .single && start.lastSwitch == nil)
    let engine = try p.minShockLengthForMirror(from: start, shock: shock, clean: clean)
    #expect(engine == length, "analyze computes \(engine.map(String.init) ?? "never"), Coq proves \(length)")
    // And what `analyze` itself reports (the field the CLI prints).
    let report = try p.analysis(AnalysisRequest(clean: clean, shock: shock))
    #expect(report.reachability.minShockLengthForMirror == length)
    // The record of the theorem: Mirror after update `record` of the 33-update shock.
    let atEnd = p.run(start, shock, count: length, firstStep: 0)
    let s = p.run(atEnd, clean, count: record - length, firstStep: length)
    #expect(s.mode == .mirror, "after update \(record): \(s)")
  }

  @Test("without the cooldown the least shock length is T15_least_shock_defaults_N0's")
  func leastShockLengthNoCooldown() throws {
    let text = try Self.coqText()
    let (shock, clean, _, _) = try Self.configuration(text)
    let def = try Self.groups(
      #"Definition defaults_report_N0 : params := mkParams (\S+) (\S+) (\S+) (\S+) (\S+) (\d+)\."#, in: text)
    let cooldown = try #require(Int(def[5]))
    let thm = try Self.statement("T15_least_shock_defaults_N0", in: text)
    let none = try Self.groups(#"\(n <= (\d+)\)%nat -> ~ reaches_mirror defaults_report_N0"#, in: thm)
    let some = try Self.groups(
      #"reaches_mirror defaults_report_N0 s_clean \(u_shock (\d+)\)\s*\.?$"#, in: thm)
    let (bound, length) = (try #require(Int(none[0])), try #require(Int(some[0])))
    #expect(length == bound + 1)
    let p = try Parameters(
      alpha: try Self.real(def[0]), beta: try Self.real(def[1]), alphaE: try Self.real(def[2]),
      theta0: try Self.real(def[3]), theta1: try Self.real(def[4]), cooldown: cooldown)
    let engine = try p.minShockLengthForMirror(from: p.restingState(clean), shock: shock, clean: clean)
    #expect(engine == length, "engine \(engine.map(String.init) ?? "never"), Coq \(length)")
    // The finding: the cooldown, not the overshoot alone, sets the default figure.
    let withCooldown = try Parameters.report.minShockLengthForMirror(
      from: Parameters.report.restingState(clean), shock: shock, clean: clean)
    #expect(withCooldown != engine)
  }

  @Test("the sustained shock's Mirror latency that analyze computes is T15_sustained_latency_defaults'")
  func sustainedLatency() throws {
    let text = try Self.coqText()
    let (shock, clean, _, _) = try Self.configuration(text)
    let thm = try Self.statement("T15_sustained_latency_defaults", in: text)
    let before = try Self.groups(
      #"md \(run_report defaults_report s_clean \(u_shock n\) (\d+)\) = Multi"#, in: thm)
    let at = try Self.groups(
      #"md \(run_report defaults_report s_clean \(u_shock n\) (\d+)\) = Mirror"#, in: thm)
    let k = try #require(Int(at[0]))
    #expect(Int(before[0]) == k - 1)
    let p = Parameters.report
    let engine = try p.latency(to: .mirror, from: p.restingState(clean), input: shock, firstStep: 0)
    #expect(engine.value == k, "engine \(engine), Coq \(k)")
  }

  @Test("the detection and recovery latencies that analyze prints are T14_defaults_table_E0's")
  func defaultsLatencies() throws {
    let text = try Self.coqText(CoqTheoremTests.root.appendingPathComponent("Proofs/coq/T14Defaults.v"))
    let u = try Self.groups(
      #"Definition u_shock0 \(n : nat\) : trace := shock_trace 0 n (\S+) (\S+) (\(\S+\)|\S+) (\S+)\s*\."#,
      in: text)
    let shock = ConstantInput(loss: try Self.real(u[0]), env: try Self.real(u[1]))
    let clean = ConstantInput(loss: try Self.real(u[2]), env: try Self.real(u[3]))
    let thm = try Self.statement("T14_defaults_table_E0", in: text)
    let run = #"md \(run_report defaults_report s_clean \(u_shock0 (\d+)\) (\d+)\) = "#
    let single = try Self.groups(run + "Single", in: thm)
    let multi = try Self.groups(run + "Multi", in: thm)
    let lastMulti = try Self.groups(
      run + #"Multi /\\ \(forall k, \(k >= (\d+)\)%nat -> "#
        + #"md \(run_report defaults_report s_clean \(u_shock0 \d+\) k\) = Single"#, in: thm)
    let length = try #require(Int(single[0]))
    let (beforeMulti, firstMulti) = (try #require(Int(single[1])), try #require(Int(multi[1])))
    let (multiAt, singleFrom) = (try #require(Int(lastMulti[1])), try #require(Int(lastMulti[2])))
    #expect(beforeMulti == firstMulti - 1 && multiAt == singleFrom - 1)
    #expect(firstMulti <= length && singleFrom > length)

    let p = Parameters.report
    let report = try p.analysis(AnalysisRequest(clean: clean, shock: shock, shockLength: length))
    // Records ≤ the shock length are the sustained shock's: the detection latency is the first Multi.
    #expect(report.latency.toMulti.value == firstMulti, "engine \(report.latency.toMulti), Coq \(firstMulti)")
    // Recovery updates after the shock until Single (for good: the theorem says for every later record).
    #expect(
      report.latency.toSingle.value == singleFrom - length,
      "engine \(report.latency.toSingle), Coq \(singleFrom - length)")
  }

  @Test("the shock regime's settling times that analyze prints are T05_settling_defaults'")
  func defaultsSettling() throws {
    let text = try Self.coqText(CoqTheoremTests.root.appendingPathComponent("Proofs/coq/T05Defaults.v"))
    let u = try Self.groups(
      #"Definition u_sust : trace := mk_trace 0 \(fun _ => (\S+)\) \(fun _ => (\S+)\)\."#, in: text)
    let shock = ConstantInput(loss: try Self.real(u[0]), env: try Self.real(u[1]))
    let eps = try Self.groups(#"Definition band : R := (\d+) / (\d+) \* Rabs"#, in: text)
    let epsilon = try #require(Double(eps[0])) / #require(Double(eps[1]))
    let thm = try Self.statement("T05_settling_defaults", in: text)
    let cert = try Self.groups(#"Ubound defaults_report A_def K_def (\d+) <= band"#, in: thm)
    let exact = try Self.groups(#"\(t >= (\d+)\)%nat -> Rabs"#, in: thm)
    let outside = try Self.groups(
      #"band < Rabs \(phi \(run_report defaults_report s_clean u_sust (\d+)\)"#, in: thm)
    let tCert = try #require(Int(cert[0])) + 1  // Ubound … m bounds record m + 1
    let tExact = try #require(Int(exact[0]))
    #expect(Int(outside[0]) == tExact - 1)

    let p = Parameters.report
    let report = try p.analysis(AnalysisRequest(shock: shock, epsilon: epsilon))
    let st = try #require(report.regimes["shock"]).settlingTime.relativeToStep
    #expect(st.steps == tExact, "engine \(st.steps.map(String.init) ?? "-"), Coq \(tExact)")
    // The engine certifies the band from its own envelope no later than T05's certificate T_cert
    // proves it (T05_certified_settling_report); its printed analytic bound (≤59 at the defaults,
    // from the initial state alone) is a weaker bound, so only its soundness is checked.
    #expect(
      (st.certifiedFrom ?? Int.max) <= tCert,
      "engine certifies from \(st.certifiedFrom.map(String.init) ?? "-")")
    #expect((st.upperBound ?? 0) >= tExact)
  }
}
