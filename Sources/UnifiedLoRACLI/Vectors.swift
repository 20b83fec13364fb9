import ArgumentParser
import Foundation
import UnifiedLoRAAudit
import UnifiedLoRAIO

struct Vectors: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract:
      "Write the conformance vectors: input traces with the reference outputs, for other implementations.",
    discussion: """
      Writes DIR/index.json, DIR/SCHEMA.md (the layout and the equations) and DIR/cases/<id>.json: both variants, the defaults and edge values (zeros, huge losses, α = 1, β = 0, N_s = 0, φ on and beside the thresholds, step numbers that jump). Every float is written as the shortest round-trip decimal and as its IEEE-754 bit pattern, so any language can compare exactly. Each file is written atomically (temporary file, then rename), the index last.

      Check an implementation with scripts/check_vectors.py DIR (Python, standard library only).

      Example:
        unified-lora vectors --out vectors && python3 scripts/check_vectors.py vectors
      """)

  @Option(help: "The output directory (created when missing).", completion: .directory)
  var out: String

  @Option(help: "table (default) or json: the list of cases written.")
  var format: ReportFormat = .table

  func validate() throws {
    if let problem = ConformanceVectors.unusableDirectory(out) {
      throw ValidationError("invalid value out = '\(out)': \(problem)")
    }
  }

  func run() throws {
    let written = try reportingBadInput { try ConformanceVectors.write(to: out) }
    let cases = ConformanceVectors.cases()
    switch format {
    case .table:
      StandardOutput.write(
        "wrote \(written.count) files to \(out) (schema \(ConformanceVectors.schemaVersion)):\n")
      StandardOutput.write("  index.json, SCHEMA.md\n")
      for c in cases {
        StandardOutput.write(
          "  cases/\(c.id).json".padded(44) + " \(String(c.inputs.count).padded(5)) \(c.description)\n")
      }
    case .json:
      struct Entry: Encodable {
        var id: String
        var file: String
        var variant: String
        var records: Int
      }
      struct Summary: Encodable {
        var schema: Int
        var directory: String
        var files: [String]
        var cases: [Entry]
      }
      StandardOutput.write(
        try json(
          Summary(
            schema: ConformanceVectors.schemaVersion, directory: out, files: written,
            cases: cases.map {
              Entry(
                id: $0.id, file: "cases/\($0.id).json", variant: $0.parameters.variant.rawValue,
                records: $0.inputs.count)
            })))
    }
  }
}
