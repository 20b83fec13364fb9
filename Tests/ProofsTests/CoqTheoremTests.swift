import Foundation
import Testing
import UnifiedLoRA
import UnifiedLoRAAnalysis
import UnifiedLoRASupport

/// Every theorem the documentation cites rests on a compiled Coq theorem of that name.
///
/// `Proofs/README.md` has one table, "Theorems in Coq": id, statement, Coq name(s), status. This
/// suite checks that
/// - every theorem id (`T01`…) that `Proofs/README.md`, the top-level README or the `claims`
///   sources mention has a row in that table;
/// - every Coq name in the table is a `Theorem`/`Lemma`/`Corollary` of the development under
///   `Proofs/coq/` (binary64 rows may point at `Proofs/coq/binary64` instead of naming theorems),
///   and every row whose status says "mechanised" names at least one;
/// - every Coq-style name (`T07_…`, `B64_…`) cited by the `claims` sources exists;
/// - every claim in the verdict table cites at least one theorem id whose row is mechanised;
/// - every Coq name that `TheoremID.coqTheorems` maps an id to (what `claims` prints) is a
///   statement of a compiled `.v` file and is listed in that id's rows of the table;
/// - the development compiles with no axiom beyond the reals (`scripts/check-proofs --coq`, when
///   Coq is installed) and every file's `.vo` exists afterwards.
@Suite("Coq theorems = Proofs/README.md", .serialized)
struct CoqTheoremTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  static let coqDir = root.appendingPathComponent("Proofs/coq")

  static func read(_ path: String) throws -> String {
    try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
  }

  /// One row of the Coq table.
  struct Row {
    var id: String
    var names: [String]
    var status: String
    var cell: String
  }

  /// The rows of the table under "## Theorems in Coq".
  static func table(_ readme: String) -> [Row] {
    guard let start = readme.range(of: "## Theorems in Coq") else { return [] }
    var rows: [Row] = []
    for line in readme[start.upperBound...].split(separator: "\n") {
      if line.hasPrefix("## ") { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      // "| T03 | statement | `T03_a`, `T03_b` | mechanised over ℝ |" → 6 cells, the first empty.
      guard cells.count >= 6, let id = firstMatch(#"T\d\d"#, in: cells[1]) else { continue }
      rows.append(Row(id: id, names: backticked(cells[3]), status: cells[4], cell: cells[3]))
    }
    return rows
  }

  static func firstMatch(_ pattern: String, in text: some StringProtocol) -> String? {
    guard let r = String(text).range(of: pattern, options: .regularExpression) else { return nil }
    return String(String(text)[r])
  }

  static func allMatches(_ pattern: String, in text: String) -> Set<String> {
    guard let re = try? NSRegularExpression(pattern: pattern) else { return [] }
    let ns = text as NSString
    return Set(
      re.matches(in: text, range: NSRange(location: 0, length: ns.length)).map {
        ns.substring(with: $0.range)
      })
  }

  /// The identifiers written in backticks in a cell.
  static func backticked(_ cell: String) -> [String] {
    cell.split(separator: "`", omittingEmptySubsequences: false).enumerated()
      .filter { $0.offset % 2 == 1 }.map { String($0.element) }
      .filter { $0.range(of: #"^[A-Za-z][A-Za-z0-9_']*$"#, options: .regularExpression) != nil }
  }

  /// Every statement name declared in the `.v` files under `Proofs/coq` → its file.
  static func declared() throws -> [String: URL] {
    var names: [String: URL] = [:]
    let files = FileManager.default.enumerator(at: coqDir, includingPropertiesForKeys: nil)
    while let url = files?.nextObject() as? URL {
      guard url.pathExtension == "v" else { continue }
      let text = try String(contentsOf: url, encoding: .utf8)
      for line in text.split(separator: "\n") {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 2,
          ["Theorem", "Lemma", "Corollary", "Proposition", "Fact", "Remark"].contains(String(words[0]))
        else { continue }
        let name = words[1].prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "'" }
        names[String(name)] = url
      }
    }
    return names
  }

  static let coqAvailable: Bool = {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["coqc", "--version"]
    p.standardOutput = FileHandle.nullDevice
    p.standardError = FileHandle.nullDevice
    do { try p.run() } catch { return false }
    p.waitUntilExit()
    return p.terminationStatus == 0
  }()

  @Test("the table exists and every row names its Coq theorems or says why not")
  func tableIsWellFormed() throws {
    let rows = Self.table(try Self.read("Proofs/README.md"))
    #expect(rows.count >= 15, "the Coq table has \(rows.count) rows")
    let ids = Set(rows.map(\.id))
    for n in 1...15 {
      let id = String(format: "T%02d", n)
      #expect(ids.contains(id), "no row for \(id) in the Coq table")
    }
    for row in rows {
      let status = row.status.lowercased()
      #expect(
        status.contains("mechanised") || status.contains("tested only") || status.contains("binary64"),
        "\(row.id): unknown status \(row.status)")
      if status.hasPrefix("mechanised over") {
        #expect(!row.names.isEmpty, "\(row.id) is called mechanised but names no Coq theorem")
      }
      if status.contains("tested only") {
        #expect(status.contains("—") || status.contains(":"), "\(row.id): tested only, but no reason given")
      }
    }
  }

  @Test("every Coq name in the table is declared in Proofs/coq")
  func namesAreDeclared() throws {
    let declared = try Self.declared()
    let rows = Self.table(try Self.read("Proofs/README.md"))
    for row in rows {
      for name in row.names where name.hasPrefix(row.id + "_") || name.hasPrefix("T") {
        #expect(declared[name] != nil, "\(row.id): `\(name)` is not a theorem of Proofs/coq")
      }
      for name in row.names where name.hasPrefix("B64_") {
        #expect(declared[name] != nil, "\(row.id): `\(name)` is not a theorem of Proofs/coq/binary64")
      }
    }
  }

  /// The sources of `claims`: the analysis's report types and its `Parameters+Claim…`,
  /// `+Chatter` and `+Lint` extensions, and the command's file when it exists.
  static func claimsSources() throws -> [String] {
    let dir = "Sources/UnifiedLoRAAnalysis"
    let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(dir).path)
    let analysis = names.filter {
      $0 == "ClaimsReport.swift" || $0.hasPrefix("Parameters+Claim") || $0 == "Parameters+Chatter.swift"
        || $0 == "Parameters+Lint.swift"
    }.sorted().map { "\(dir)/\($0)" }
    #expect(analysis.count >= 10, "the claims sources in \(dir): \(analysis)")
    let command = "Sources/unified-lora/Claims.swift"
    let hasCommand = FileManager.default.fileExists(atPath: root.appendingPathComponent(command).path)
    return analysis + (hasCommand ? [command] : [])
  }

  @Test("every theorem id that the documentation and claims mention has a row")
  func mentionedIdsHaveRows() throws {
    let rows = Self.table(try Self.read("Proofs/README.md"))
    let ids = Set(rows.map(\.id))
    var mentioned: [String: Set<String>] = [:]
    mentioned["Proofs/README.md"] = Self.allMatches(#"\bT\d\d\b"#, in: try Self.read("Proofs/README.md"))
    mentioned["README.md"] = Self.allMatches(#"\bT\d\d\b"#, in: try Self.read("README.md"))
    for path in try Self.claimsSources() {
      mentioned[path] = Self.allMatches(#"\bT\d\d\b"#, in: try Self.read(path))
    }
    for (source, set) in mentioned {
      for id in set.sorted() {
        #expect(ids.contains(id), "\(source) mentions \(id), which has no row in the Coq table")
      }
    }
  }

  @Test("every Coq name the claims sources cite is declared")
  func claimsCiteDeclaredNames() throws {
    let declared = try Self.declared()
    for path in try Self.claimsSources() {
      let text = try Self.read(path)
      for name in Self.allMatches(#"\b(T\d\d|B64)_[A-Za-z0-9_']+"#, in: text).sorted() {
        #expect(declared[name] != nil, "\(path) cites `\(name)`, which is not a theorem of Proofs/coq")
      }
    }
  }

  /// The statements `scripts/check-proofs` compiles and checks under `dir`: every `Theorem`,
  /// `Lemma`, `Corollary`, `Proposition`, `Fact` or `Remark` of every `*.v` file (not hidden), as
  /// its own scanner `scripts/coq-scan.pl` lists them (comments and strings stripped).
  static func checkedStatements(under dir: URL = coqDir) throws -> Set<String> {
    var files: [String] = []
    let walk = FileManager.default.enumerator(
      at: dir, includingPropertiesForKeys: nil, options: [.skipsHiddenFiles])
    let prefix = dir.standardizedFileURL.path + "/"
    while let url = walk?.nextObject() as? URL {
      guard url.pathExtension == "v" else { continue }
      files.append(String(url.standardizedFileURL.path.dropFirst(prefix.count)))
    }
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments =
      ["perl", root.appendingPathComponent("scripts/coq-scan.pl").path, "UnifiedLoRA", dir.path]
      + files.sorted()
    let out = Pipe()
    p.standardOutput = out
    p.standardError = FileHandle.nullDevice
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    #expect(p.terminationStatus == 0, "coq-scan.pl failed on \(dir.path)")
    return Set(
      String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap {
        $0.split(separator: "\t").first.map(String.init)
      })
  }

  /// The names among `names` that are not statements checked by `scripts/check-proofs`.
  static func unchecked(_ names: [String], in statements: Set<String>) -> [String] {
    names.filter { !statements.contains($0) }
  }

  @Test("TheoremID.coqTheorems names compiled theorems, each listed in the id's rows")
  func coqMappingIsDeclared() throws {
    let statements = try Self.checkedStatements()
    #expect(statements.count > 100, "coq-scan.pl lists \(statements.count) statements")
    let rows = Self.table(try Self.read("Proofs/README.md"))
    for id in TheoremID.allCases {
      let names = id.coqTheorems
      let listed = Set(rows.filter { $0.id == id.rawValue }.flatMap(\.names))
      let mechanised = rows.contains {
        $0.id == id.rawValue && $0.status.lowercased().hasPrefix("mechanised")
      }
      if mechanised { #expect(!names.isEmpty, "\(id) is mechanised but TheoremID.coqTheorems is empty") }
      #expect(Set(names).count == names.count, "\(id): a Coq name is listed twice")
      let missing = Self.unchecked(names, in: statements)
      #expect(missing.isEmpty, "\(id): not statements checked by scripts/check-proofs: \(missing)")
      for name in names {
        #expect(listed.contains(name), "\(id): `\(name)` is not in its rows of Proofs/README.md")
      }
    }
  }

  @Test("a made-up Coq name fails the check")
  func madeUpNameFails() throws {
    let statements = try Self.checkedStatements()
    let real = TheoremID.t04.coqTheorems
    #expect(Self.unchecked(real, in: statements).isEmpty)
    let madeUp = ["T04_no_such_theorem", real[0] + "_x", String(real[0].dropLast())]
    #expect(Self.unchecked(real + madeUp, in: statements) == madeUp)
    // A name that occurs only in a comment, a string or a Definition is not a checked statement.
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("coq-names-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let body = """
      (* Theorem T04_in_comment : True.
      Lemma T04_in_comment_too : True. *)
      Definition T04_definition := 0.
      Definition s := "
      Theorem T04_in_string : True.".
      Lemma T04_real : True.
      Proof. exact I. Qed.

      """
    try body.write(to: dir.appendingPathComponent("A.v"), atomically: true, encoding: .utf8)
    let local = try Self.checkedStatements(under: dir)
    #expect(local == ["T04_real"])
    let names = ["T04_in_comment", "T04_in_comment_too", "T04_definition", "T04_in_string", "T04_real"]
    #expect(Self.unchecked(names, in: local) == Array(names.dropLast()))
  }

  @Test("claims JSON lists the Coq theorems of the ids it cites")
  func claimsJSONCitesCoq() throws {
    for variant in Variant.allCases {
      let report = try Parameters.defaults(variant).claims(ClaimsRequest())
      // The encoder `claims --format json` prints with (non-finite bounds as "Infinity").
      let data = try JSONFormat.encoder.encode(report)
      let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
      let claims = try #require(object["claims"] as? [[String: Any]])
      let answers = try #require(object["answers"] as? [[String: Any]])
      #expect(claims.count == report.claims.count && answers.count == report.answers.count)
      for (json, claim) in zip(claims, report.claims) {
        let coq = json["coqTheorems"] as? [String]
        #expect(coq == claim.theorems.coqTheorems, "\(variant) \(claim.id): \(String(describing: coq))")
        #expect(coq?.isEmpty == false, "\(variant) \(claim.id) cites no Coq theorem")
      }
      for (json, answer) in zip(answers, report.answers) {
        #expect(
          json["coqTheorems"] as? [String] == answer.theorems.coqTheorems, "\(variant): \(answer.question)")
      }
    }
  }

  @Test("every claim's verdict cites a mechanised theorem")
  func verdictsRestOnMechanisedTheorems() throws {
    let readme = try Self.read("Proofs/README.md")
    let declared = try Self.declared()
    let rows = Self.table(readme)
    let mechanised = Set(
      rows.filter { $0.status.lowercased().hasPrefix("mechanised") && !$0.names.isEmpty }.map(\.id))
    guard let start = readme.range(of: "## Verdicts on the report's claims") else {
      Issue.record("Proofs/README.md has no verdict table")
      return
    }
    var claims = 0
    for line in readme[start.upperBound...].split(separator: "\n") {
      if line.hasPrefix("## ") { break }
      let cells = line.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard cells.count >= 6, let claim = Self.firstMatch(#"^C\d"#, in: cells[1]) else { continue }
      claims += 1
      let cited = Self.allMatches(#"\bT\d\d\b"#, in: cells[4])
      #expect(!cited.isEmpty, "\(claim) cites no theorem")
      #expect(
        !cited.intersection(mechanised).isEmpty,
        "\(claim) cites \(cited.sorted()), none of them mechanised in Coq")
      let names = Self.backticked(cells[4])
      #expect(!names.isEmpty, "\(claim) names no Coq theorem")
      for name in names {
        #expect(declared[name] != nil, "\(claim) cites `\(name)`, which is not a theorem of Proofs/coq")
      }
    }
    #expect(claims == 7, "the verdict table has \(claims) claims")
  }

  @Test(
    "the development compiles without axioms and every file is compiled",
    .enabled(if: coqAvailable, "Coq is not installed: run scripts/bootstrap"))
  func developmentCompiles() throws {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["bash", Self.root.appendingPathComponent("scripts/check-proofs").path, "--coq"]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    #expect(p.terminationStatus == 0, "\(output)")
    #expect(output.contains("ok    coq:"), "\(output)")
    let declared = try Self.declared()
    for file in Set(declared.values) {
      let vo = file.deletingPathExtension().appendingPathExtension("vo")
      #expect(FileManager.default.fileExists(atPath: vo.path), "\(file.lastPathComponent) has no .vo")
    }
  }

  @Test(
    "check-proofs rejects Admitted, an axiom and a foreign axiom",
    .enabled(if: coqAvailable, "Coq is not installed: run scripts/bootstrap"))
  func forbiddenCommandsFail() throws {
    let cases: [(String, String)] = [
      ("Lemma x : 1 = 2.\nProof. Admitted.\n", "forbidden 'Admitted'"),
      ("Lemma x : 1 = 2.\nProof. admit. Qed.\n", "forbidden 'admit'"),
      ("Axiom a : False.\nLemma x : 1 = 2.\nProof. destruct a. Qed.\n", "forbidden 'Axiom'"),
      ("Parameter a : nat.\n", "forbidden 'Parameter'"),
      (
        "From Coq Require Import Classical.\nLemma x : forall P, P \\/ ~ P.\nProof. exact classic. Qed.\n",
        "rests on Classical_Prop.classic"
      ),
      ("Lemma x : 1 = 2.\nProof. reflexivity. Qed.\n", "does not compile"),
    ]
    for (body, message) in cases {
      let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("check-proofs-coq-\(UUID().uuidString)")
      try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
      defer { try? FileManager.default.removeItem(at: dir) }
      try body.write(to: dir.appendingPathComponent("A.v"), atomically: true, encoding: .utf8)
      let p = Process()
      p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      p.arguments = [
        "bash", Self.root.appendingPathComponent("scripts/check-proofs").path, "--coq", dir.path,
      ]
      let out = Pipe()
      p.standardOutput = out
      p.standardError = out
      try p.run()
      let data = out.fileHandleForReading.readDataToEndOfFile()
      p.waitUntilExit()
      let output = String(decoding: data, as: UTF8.self)
      #expect(p.terminationStatus == 1, "\(message): \(output)")
      #expect(output.contains(message), "expected \(message): \(output)")
    }
  }

  @Test(
    "Flocq's excluded middle is accepted in binary64/ only",
    .enabled(if: coqAvailable, "Coq is not installed: run scripts/bootstrap"))
  func binary64MayUseClassic() throws {
    let dir = FileManager.default.temporaryDirectory
      .appendingPathComponent("check-proofs-b64-\(UUID().uuidString)")
    try FileManager.default.createDirectory(
      at: dir.appendingPathComponent("binary64"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let body =
      "From Coq Require Import Classical.\nLemma x : forall P, P \\/ ~ P.\nProof. exact classic. Qed.\n"
    try body.write(to: dir.appendingPathComponent("binary64/A.v"), atomically: true, encoding: .utf8)
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = ["bash", Self.root.appendingPathComponent("scripts/check-proofs").path, "--coq", dir.path]
    let out = Pipe()
    p.standardOutput = out
    p.standardError = out
    try p.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    let output = String(decoding: data, as: UTF8.self)
    #expect(p.terminationStatus == 0, "\(output)")
  }
}
