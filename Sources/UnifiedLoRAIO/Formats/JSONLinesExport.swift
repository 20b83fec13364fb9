/// Tinker-style JSON Lines: one object per line, the metrics under `metrics`
/// (`{"step": 12, "metrics": {"loss:sum": 1264.5, "lr": 1e-4}}`), eval lines interleaved.
///
/// A key path is looked up as ``JSONScanner`` does (a whole key first, then dot-separated keys
/// into nested objects); each line is checked whole, and only the values at the asked paths are
/// kept. The paths asked for are the candidates of every column (see ``ExportColumns``), so a
/// line is scanned once.
final class JSONLinesExportSource: ExportSource {
  let format: LogSchema.Format = .tinker
  private var lines: LineReader
  private var scanner: JSONScanner?
  private var paths: [String] = []
  private var slot: [String: Int] = [:]
  private var found: [FieldValue?] = []
  private var keys: [String] = []
  private(set) var row = 0
  let rowIsLine = true

  init(lines: consuming LineReader) {
    self.lines = lines
  }

  var isLive: Bool { lines.isLive }
  var location: String { "line \(row)" }
  var names: [String] { keys }

  let namesAreFixed = false
  func prepare(names: [String]) {
    for name in names where slot[name] == nil {
      paths.append(name)
      slot[name] = paths.count - 1
    }
    found = Array(repeating: nil, count: paths.count)
    scanner = JSONScanner(paths: paths)
  }

  /// Reads the next non-blank line, scanning it for every path asked for.
  func advance() throws(LogError) -> Bool {
    if scanner == nil { prepare(names: []) }
    while true {
      let got: Bool?? = try lines.nextLine { (b, n) throws(LogError) -> Bool? in
        self.row = n
        if NumberParsing.trim(b).isEmpty { return nil }
        let tokens: [JSONToken?]
        do throws(JSONFault) {
          tokens = try self.scanner!.scan(b)
        } catch {
          throw LogError(fault: error, in: b, line: n)
        }
        if self.keys.isEmpty { self.keys = JSONScanner.topLevelKeys(b) }
        for (k, t) in tokens.enumerated() {
          switch t {
          case nil: self.found[k] = nil
          case .null?: self.found[k] = .missing
          case .number(let r)?: self.found[k] = FieldValue.cell(UnsafeBufferPointer(rebasing: b[r]))
          case .string(let s)?: self.found[k] = Array(s.utf8).withUnsafeBufferPointer { FieldValue.cell($0) }
          case let t?: self.found[k] = .text(t.text(in: b))
          }
        }
        return true
      }
      guard let maybe = got else { return false }
      if maybe != nil { return true }
    }
  }

  func value(_ name: String) throws(LogError) -> FieldValue? {
    guard let k = slot[name] else { return nil }
    return found[k]
  }
}
