import Foundation
import Testing

/// `docs/modules.md` says which targets each target imports: every row is held to the `import`
/// lines of that target's sources (the package's own modules, the C shims and the third-party
/// modules), and every target directory under `Sources/` has a row.
@Suite struct ModulesDocumentTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  /// The modules whose imports the table lists (system modules such as Foundation are not listed).
  static func listed(_ module: String) -> Bool {
    module.hasPrefix("UnifiedLoRA")
      || ["CGSL", "COpenBLAS", "SwiftProtobuf", "ArgumentParser", "CSV"].contains(module)
  }

  /// Module name → the names in backquotes of its "Imports" cell.
  static func table() throws -> [String: Set<String>] {
    let text = try String(contentsOf: root.appendingPathComponent("docs/modules.md"), encoding: .utf8)
    var rows: [String: Set<String>] = [:]
    for line in text.split(separator: "\n") where line.hasPrefix("| `") {
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard cells.count >= 5 else { continue }
      let name = cells[1].trimmingCharacters(in: CharacterSet(charactersIn: "`"))
      let imports = cells[3].split(separator: ",").map {
        $0.trimmingCharacters(in: CharacterSet(charactersIn: "` "))
      }
      rows[name] = Set(imports.filter { $0 != "—" && !$0.isEmpty })
    }
    return rows
  }

  /// The listed modules that the Swift sources of `Sources/<target>` import.
  static func imports(of target: String) throws -> Set<String> {
    let dir = root.appendingPathComponent("Sources/\(target)")
    var found: Set<String> = []
    guard let files = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else {
      return []
    }
    for case let url as URL in files where url.pathExtension == "swift" {
      for line in try String(contentsOf: url, encoding: .utf8).split(separator: "\n") {
        let words = line.split(separator: " ")
        guard let i = words.firstIndex(of: "import"), i + 1 < words.count,
          words[..<i].allSatisfy({ $0.hasPrefix("@") || $0 == "package" || $0 == "public" })
        else { continue }
        let module = String(words[i + 1])
        if listed(module) && module != target { found.insert(module) }
      }
    }
    return found
  }

  @Test func everyTargetHasItsImportsInTheTable() throws {
    let rows = try Self.table()
    let targets = try FileManager.default.contentsOfDirectory(
      atPath: Self.root.appendingPathComponent("Sources").path
    ).filter { !$0.hasPrefix(".") }
    #expect(Set(rows.keys) == Set(targets), "docs/modules.md rows vs Sources/")
    for target in targets {
      let documented = rows[target] ?? []
      #expect(try Self.imports(of: target) == documented, "\(target): imports vs docs/modules.md")
    }
  }
}
