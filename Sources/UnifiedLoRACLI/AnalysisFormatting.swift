import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis

/// `table` for people (the default) or `json` (stable keys, documented in the README).
enum ReportFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json
}

/// A column-aligned text table.
struct TextTable {
  var header: [String]
  var rows: [[String]] = []

  init(_ header: String...) { self.header = header }

  mutating func add(_ cells: String...) { rows.append(cells) }

  func render(indent: String = "  ") -> String {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { i < $0.count ? $0[i].count : 0 }.max() ?? 0 }
    return all.map { row in
      indent
        + row.enumerated().map { i, cell in i == row.count - 1 ? cell : cell.padding(widths[i]) }
        .joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
  }
}

/// Six significant digits for tables (JSON keeps every digit).
func num(_ x: Double) -> String {
  if x.isInfinite { return x > 0 ? "inf" : "-inf" }
  if x == 0 { return "0" }
  if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
  return String(format: "%.6g", x)
}

func num(_ b: InputBound) -> String {
  switch b {
  case .value(let v): num(v)
  case .unbounded: "any"
  case .none: "never"
  }
}

func num(_ l: Latency) -> String { l.value.map(String.init) ?? "never" }

/// Parses `a:b` (b may be `inf`) into a range of non-negative numbers.
func parseRange(_ text: String, name: String) throws -> ClosedRange<Double> {
  let parts = text.split(separator: ":", omittingEmptySubsequences: false).map {
    $0 == "inf" ? Double.infinity : Double($0)
  }
  guard parts.count == 2, let a = parts[0], let b = parts[1], a.isFinite, a >= 0, !b.isNaN, a <= b
  else {
    throw ValidationError(
      "invalid value \(name) = \(text): expected lo:hi with 0 ≤ lo ≤ hi (hi may be inf), e.g. 0:10")
  }
  return a...b
}

/// Checks that an input option is finite and ≥ 0.
func checkInput(_ value: Double, _ name: String) throws {
  guard value.isFinite, value >= 0 else {
    throw ValidationError("invalid value \(name) = \(value): expected a finite number ≥ 0")
  }
}

/// An analysis that could not finish (GSL failure, undecided iteration, invalid input):
/// `Error: …` on standard error, exit status 1 (2 for invalid input data).
func reportingAnalysisFailure<T>(_ body: () throws(AnalysisError) -> T) throws -> T {
  do { return try body() } catch {
    if case .input(let e) = error { return try badInput(e.description) }
    FileHandle.standardError.write(Data("Error: \(error.description)\n".utf8))
    throw ExitCode(1)
  }
}

/// Stable, sorted, pretty JSON.
func json<T: Encodable>(_ value: T) throws -> String {
  let encoder = JSONEncoder()
  encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
  return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
}

func parameterLine(_ p: Parameters) -> String {
  let lr = p.learningRates
  return
    "variant \(p.variant)  alpha \(p.alpha)  beta \(p.beta)  alpha_E \(p.alphaE)  theta0 \(p.theta0)  theta1 \(p.theta1)  cooldown \(p.cooldown)  lr \(lr.single),\(lr.multi),\(lr.mirror)  initial (Ê \(p.initial.ehat), φ \(p.initial.phi), \(p.initial.mode))"
}
