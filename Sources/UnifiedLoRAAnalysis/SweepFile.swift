import UnifiedLoRA

/// A sweep's output, one shard of it, or the merge of all shards.
///
/// CSV: a first line `# unified-lora sweep grid=<spec> shard=<i>/<n> points=<N>`, a header
/// (`index`, the axes of ``SweepAxis/names``, ``SweepRow/resultColumns``), then one row per
/// point in index order. Latencies and thresholds print `never` when never, `unbounded` when
/// every value works; a point with an `error` leaves its result cells empty.
/// JSON: `{"grid", "shard", "points", "rows": [SweepRow…]}` with `null` for never.
public struct SweepFile: Sendable, Hashable, Codable {
  /// ``SweepGrid/spec``.
  public var grid: String
  /// `i/n`.
  public var shard: String
  /// Points in the whole grid.
  public var points: Int
  public var rows: [SweepRow]

  public init(grid: SweepGrid, shard: (Int, Int), rows: [SweepRow]) {
    self.grid = grid.spec
    self.shard = "\(shard.0)/\(shard.1)"
    self.points = grid.count
    self.rows = rows
  }

  init(grid: String, shard: String, points: Int, rows: [SweepRow]) {
    self.grid = grid
    self.shard = shard
    self.points = points
    self.rows = rows
  }

  static let magic = "# unified-lora sweep"

  /// The CSV text.
  public var csv: String {
    var out = "\(SweepFile.magic) grid=\(grid) shard=\(shard) points=\(points)\n"
    out += (["index"] + SweepAxis.names + SweepRow.resultColumns).joined(separator: ",") + "\n"
    for r in rows { out += SweepFile.csvLine(r) + "\n" }
    return out
  }

  public static func csvLine(_ r: SweepRow) -> String {
    func d(_ x: Double?) -> String { x.map { $0.description } ?? "" }
    func i(_ x: Int?) -> String { x.map(String.init) ?? "" }
    func l(_ x: Latency?) -> String { x.map(\.description) ?? "" }
    func b(_ x: InputBound?) -> String { x.map(\.description) ?? "" }
    func quoted(_ s: String?) -> String {
      guard let s else { return "" }
      return "\"" + s.replacingAll("\"", "\"\"") + "\""
    }
    let axes = SweepAxis.names.map { d(r.point[$0]) }
    let results = [
      d(r.phiStar), i(r.mode?.rawValue), d(r.shockPhiStar), i(r.shockMode?.rawValue),
      i(r.settlingRelativeToStep), i(r.settlingRelativeToFinal), l(r.toMulti), l(r.toMirror),
      l(r.toSingle), d(r.phiSup), b(r.minEnvForMirror), b(r.minLossForMirror), b(r.maxLossForSingle),
      quoted(r.error),
    ]
    return ([String(r.index)] + axes + results).joined(separator: ",")
  }

  /// The index range shard `i` of `n` of a grid of `points` covers (as ``SweepGrid/shard(_:of:)``).
  ///
  /// - Precondition: `0 ≤ i < n`, `points ≥ 0` (the products are taken at double width, so any
  ///   such values give the exact range without overflow).
  static func range(_ i: Int, _ n: Int, points: Int) -> Range<Int> {
    precondition(n >= 1 && i >= 0 && i < n && points >= 0, "shard i/n with 0 ≤ i < n of points ≥ 0")
    func bound(_ k: Int) -> Int { n.dividingFullWidth(points.multipliedFullWidth(by: k)).quotient }
    return bound(i)..<bound(i + 1)
  }

  /// The largest `points` a file may declare: 2^53, the largest row index a JSON number holds
  /// exactly.
  public static let maxPoints = 1 << 53

  /// Whether `indices` are exactly `expected`, in order (without materialising the range).
  static func holdsExactly<S: Sequence<Int>>(_ indices: S, _ expected: Range<Int>) -> Bool {
    var next = expected.lowerBound
    for k in indices {
      guard next < expected.upperBound, k == next else { return false }
      next += 1
    }
    return next == expected.upperBound
  }

  static func parseShard(_ s: String) -> (Int, Int)? {
    let parts = s.split(separator: "/").map { Int($0) }
    guard parts.count == 2, let i = parts[0], let n = parts[1], n >= 1, i >= 0, i < n else { return nil }
    return (i, n)
  }

  /// Checks that `shards` (in any order) are all the shards of one grid, each complete, and
  /// returns the shard numbers `(i, n)` in file order.
  static func validate(_ heads: [(name: String, grid: String, shard: String, points: Int)])
    throws(SweepError) -> [(Int, Int)]
  {
    guard let first = heads.first else { throw SweepError(message: "sweep merge needs at least one file") }
    var out: [(Int, Int)] = []
    for h in heads {
      guard h.points >= 0, h.points <= maxPoints else {
        throw SweepError(message: "\(h.name): invalid points=\(h.points): expected 0 … \(maxPoints)")
      }
      guard let s = parseShard(h.shard) else {
        throw SweepError(message: "\(h.name): invalid shard '\(h.shard)': expected i/n with 0 ≤ i < n")
      }
      guard h.grid == first.grid, h.points == first.points else {
        throw SweepError(
          message:
            "\(h.name) is a shard of another grid (grid=\(h.grid), points=\(h.points)) than \(first.name) (grid=\(first.grid), points=\(first.points))"
        )
      }
      out.append(s)
    }
    let n = out[0].1
    guard out.allSatisfy({ $0.1 == n }) else {
      throw SweepError(
        message:
          "the files split the grid into different numbers of shards: \(heads.map(\.shard).joined(separator: ", "))"
      )
    }
    var seen: Set<Int> = []
    for (i, _) in out where !seen.insert(i).inserted {
      throw SweepError(message: "shard \(i)/\(n) is given twice")
    }
    // Every shard must be given, so n is at most the number of files: anything larger is
    // reported from the files' own count, never by enumerating the declared n.
    if n > heads.count {
      let missing = n - heads.count
      if n <= 1000 {
        let absent = (0..<n).filter { !seen.contains($0) }
        let listed = absent.prefix(20).map { "\($0)/\(n)" }.joined(separator: ", ")
        throw SweepError(
          message:
            "missing shard(s) \(listed)\(absent.count > 20 ? " and \(absent.count - 20) more" : "") of \(n)")
      }
      throw SweepError(
        message:
          "\(first.name) is shard \(first.shard): a merge needs all \(n) shards, \(heads.count) file\(heads.count == 1 ? " was" : "s were") given (\(missing) missing)"
      )
    }
    return out
  }

  /// Joins JSON shards into the whole grid's file (shard `0/1`).
  ///
  /// - Throws: ``SweepError`` when the files belong to different grids, a shard is missing or
  ///   repeated, or a shard's rows are not exactly its index range.
  public static func merge(_ files: [(name: String, file: SweepFile)]) throws(SweepError) -> SweepFile {
    let shards = try validate(files.map { ($0.name, $0.file.grid, $0.file.shard, $0.file.points) })
    let grid = try checkedGrid(files[0].name, files[0].file.grid, points: files[0].file.points)
    var rows: [SweepRow] = []
    for ((name, f), (i, n)) in zip(files, shards).sorted(by: { $0.1.0 < $1.1.0 }) {
      let expected = range(i, n, points: f.points)
      guard holdsExactly(f.rows.lazy.map(\.index), expected) else {
        throw SweepError(
          message:
            "\(name): shard \(i)/\(n) must hold rows \(expected.lowerBound)..<\(expected.upperBound) in order"
        )
      }
      let points = f.rows.lazy.map { r in
        (
          index: r.index,
          point: r.point.count == SweepAxis.names.count ? SweepAxis.names.map { r.point[$0] } : [nil]
        )
      }
      if let (index, axis) = firstMisplaced(points, grid) {
        throw SweepError(
          message:
            "\(name): row \(index): its point (\(axis)) is not the grid's point \(index): the file was edited"
        )
      }
      rows += f.rows
    }
    return SweepFile(grid: files[0].file.grid, shard: "0/1", points: files[0].file.points, rows: rows)
  }

  /// The text of a shard file's bytes: UTF-8 without a leading byte-order mark, CRLF line ends
  /// read as LF. An editor that re-saves a shard may add either; the content is unchanged, so
  /// the merge reads it as the sweep wrote it (and writes LF).
  public static func shardText(_ bytes: some Collection<UInt8>) -> String {
    var body = bytes[...]
    if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
    // "\r\n" is one Character in Swift: split on "\n", such a text would be a single line.
    guard body.contains(UInt8(ascii: "\r")) else { return String(decoding: body, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(body.count)
    var i = body.startIndex
    while i != body.endIndex {
      let next = body.index(after: i)
      if body[i] != UInt8(ascii: "\r") || next == body.endIndex || body[next] != UInt8(ascii: "\n") {
        out.append(body[i])
      }
      i = next
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// Joins CSV shards (the text of each file) into the whole grid's CSV.
  ///
  /// - Throws: ``SweepError`` as ``merge(_:)``, or for a file that is not a sweep CSV.
  public static func mergeCSV(_ files: [(name: String, text: String)]) throws(SweepError) -> String {
    var heads: [(name: String, grid: String, shard: String, points: Int)] = []
    var bodies: [[Substring]] = []
    var header: Substring?
    for (name, text) in files {
      let lines = text.split(separator: "\n", omittingEmptySubsequences: true)
      guard lines.count >= 2, lines[0].hasPrefix(magic) else {
        throw SweepError(message: "\(name) is not a sweep CSV (its first line must start with '\(magic)')")
      }
      // A sweep file ends with a newline and every row has the header's columns: anything
      // else was cut short or edited, and is named before it is compared with the others.
      guard text.utf8.last == UInt8(ascii: "\n") else {
        throw SweepError(message: "\(name) is truncated: its last line (line \(lines.count)) has no newline")
      }
      let columns = lines[1].split(separator: ",", omittingEmptySubsequences: false).count
      for (k, line) in lines.enumerated().dropFirst(2) {
        let found = csvFieldCount(line)
        guard found == columns else {
          throw SweepError(
            message:
              "\(name) line \(k + 1): \(found) fields where the header has \(columns): the file is truncated or was edited"
          )
        }
      }
      // The first line holds grid=, shard= and points=, once each: an unknown or repeated key
      // (a hand edit) is an error, never read past or overwritten.
      var fields: [String: String] = [:]
      for part in lines[0].dropFirst(magic.count).split(separator: " ") {
        guard let eq = part.firstIndex(of: "="), ["grid", "shard", "points"].contains(part[..<eq]) else {
          throw SweepError(
            message:
              "\(name) line 1: unexpected '\(part.prefix(100))\(part.count > 100 ? "…" : "")': expected grid=…, shard=i/n and points=N"
          )
        }
        let key = String(part[..<eq])
        guard fields[key] == nil else {
          throw SweepError(message: "\(name) line 1: \(key)= is given twice")
        }
        fields[key] = String(part[part.index(after: eq)...])
      }
      guard let grid = fields["grid"], let shard = fields["shard"],
        let pts = fields["points"].flatMap({ Int($0) })
      else { throw SweepError(message: "\(name): malformed first line '\(lines[0].prefix(200))'") }
      if let header, header != lines[1] {
        throw SweepError(message: "\(name): its columns differ from the other files'")
      }
      header = lines[1]
      heads.append((name, grid, shard, pts))
      bodies.append(Array(lines.dropFirst(2)))
    }
    let shards = try validate(heads)
    let grid = try checkedGrid(heads[0].name, heads[0].grid, points: heads[0].points)
    var out = "\(magic) grid=\(heads[0].grid) shard=0/1 points=\(heads[0].points)\n\(header!)\n"
    for (k, (i, n)) in shards.enumerated().sorted(by: { $0.1.0 < $1.1.0 }) {
      let expected = range(i, n, points: heads[k].points)
      let indices = bodies[k].lazy.map { line in Int(line.prefix { $0 != "," }) ?? -1 }
      guard holdsExactly(indices, expected) else {
        throw SweepError(
          message:
            "\(heads[k].name): shard \(i)/\(n) must hold rows \(expected.lowerBound)..<\(expected.upperBound) in order"
        )
      }
      let points = bodies[k].lazy.map { line in
        let cells = line.split(
          separator: ",", maxSplits: SweepAxis.names.count + 1, omittingEmptySubsequences: false)
        return (
          index: Int(cells[0]) ?? -1,
          point: cells.count > SweepAxis.names.count
            ? cells[1...SweepAxis.names.count].map { Double(String($0)) } : [nil]
        )
      }
      if let (index, axis) = firstMisplaced(points, grid) {
        throw SweepError(
          message:
            "\(heads[k].name): row \(index): its \(axis) is not the grid's value at point \(index): the file was edited"
        )
      }
      for line in bodies[k] { out += line + "\n" }
    }
    return out
  }

  /// The grid a file's `grid=` spec describes: it must be a spec the sweep writes (parsed and
  /// printed again, it is the same text) of `points` points. A hand-edited spec or count is named.
  static func checkedGrid(_ name: String, _ spec: String, points: Int) throws(SweepError) -> SweepGrid {
    func bad(_ why: String) -> SweepError {
      SweepError(
        message: "\(name): grid=\(spec.prefix(300))\(spec.count > 300 ? "…" : "") is not a sweep grid: \(why)"
      )
    }
    var variant: Variant?
    var epsilon: Double?
    var specs: [String: String] = [:]
    var counts = 1
    for part in spec.split(separator: ";", omittingEmptySubsequences: false) {
      guard let eq = part.firstIndex(of: "=") else { throw bad("'\(part.prefix(100))' is not key=value") }
      let key = String(part[..<eq])
      let value = String(part[part.index(after: eq)...])
      switch key {
      case "variant":
        guard variant == nil else { throw bad("variant is given twice") }
        guard let v = Variant(rawValue: value) else { throw bad("unknown variant '\(value.prefix(100))'") }
        variant = v
      case "epsilon":
        guard epsilon == nil else { throw bad("epsilon is given twice") }
        guard let e = Double(value) else { throw bad("epsilon '\(value.prefix(100))' is not a number") }
        epsilon = e
      default:
        guard SweepAxis.names.contains(key) else { throw bad("unknown axis '\(key.prefix(100))'") }
        guard specs[key] == nil else { throw bad("\(key) is given twice") }
        specs[key] = value
        // The number of points is checked before any axis is built, so that a hand-edited
        // count costs nothing.
        let k = value.split(separator: ":", omittingEmptySubsequences: false)
        let n = k.count == 3 ? Double(String(k[2])).flatMap { Int(exactly: $0) } ?? 1 : 1
        let (product, overflow) = counts.multipliedReportingOverflow(by: max(n, 1))
        guard !overflow, product <= points else {
          throw SweepError(message: "\(name): points=\(points) but its grid has more points")
        }
        counts = product
      }
    }
    guard let variant, let epsilon else { throw bad("it has no variant= or no epsilon=") }
    let grid: SweepGrid
    do { grid = try SweepGrid(variant: variant, specs: specs, epsilon: epsilon) } catch {
      throw bad(error.message)
    }
    guard grid.spec == spec else {
      throw bad("it is not written as the sweep writes it (\(grid.spec.prefix(300)))")
    }
    guard grid.exactCount == points else {
      throw SweepError(message: "\(name): points=\(points) but its grid has \(grid.count) points")
    }
    return grid
  }

  /// The first row of `rows` whose grid point (the axis values) is not the grid's at its index,
  /// with the axis that differs.
  static func firstMisplaced(_ rows: some Sequence<(index: Int, point: [Double?])>, _ grid: SweepGrid)
    -> (index: Int, axis: String)?
  {
    for r in rows {
      let expected = grid.point(r.index)
      for (k, v) in r.point.enumerated() where v != expected[k] {
        return (r.index, SweepAxis.names[k])
      }
    }
    return nil
  }

  /// The number of fields of a CSV line whose only quoted field is the last (`error`).
  static func csvFieldCount(_ line: Substring) -> Int {
    var n = 1
    var quoted = false
    for c in line.utf8 {
      if c == UInt8(ascii: "\"") { quoted.toggle() } else if c == UInt8(ascii: ","), !quoted { n += 1 }
    }
    return n
  }
}

extension String {
  func replacingAll(_ a: Character, _ b: String) -> String {
    var out = ""
    for c in self { if c == a { out += b } else { out.append(c) } }
    return out
  }
}
