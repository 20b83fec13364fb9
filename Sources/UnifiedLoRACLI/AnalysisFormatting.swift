import ArgumentParser
import Foundation
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRASupport

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
    StandardError.write("Error: \(error.description)\n")
    throw ExitCode(1)
  }
}

func parameterLine(_ p: Parameters) -> String {
  let lr = p.learningRates
  return
    "variant \(p.variant)  alpha \(p.alpha)  beta \(p.beta)  alpha_E \(p.alphaE)  theta0 \(p.theta0)  theta1 \(p.theta1)  cooldown \(p.cooldown)  lr \(lr.single),\(lr.multi),\(lr.mirror)  initial (Ê \(p.initial.ehat), φ \(p.initial.phi), \(p.initial.mode))"
}
