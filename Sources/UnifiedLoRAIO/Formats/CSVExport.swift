/// A W&B export (run history or chart panel) or a Lightning `metrics.csv`: CSV with a header,
/// sparse rows.
///
/// **W&B chart panel.** Its columns are `Step`, then per run `"<run> - <metric>"`,
/// `"<run> - <metric>__MIN"` and `"<run> - <metric>__MAX"`: a metric name (`train/loss`) answers
/// the one column `"<run> - train/loss"`, never the `__MIN`/`__MAX` ones; two runs with that metric
/// are an error naming both (name one whole with `--loss-column`).
final class CSVExportSource: ExportSource {
  let format: LogSchema.Format
  private var lines: LineReader
  private var splitter = CSVSplitter()
  private var header: [String] = []
  private var index: [String: Int] = [:]
  private var isPanel = false
  private var cells: [FieldValue?] = []
  private(set) var row = 0
  let rowIsLine = true

  init(lines: consuming LineReader, format: LogSchema.Format) throws(LogError) {
    self.lines = lines
    self.format = format
    header = try self.lines.header(&splitter).fields
    row = self.lines.lineNumber
    isPanel = header.first == "Step" && header.contains { $0.contains(" - ") }
    for (k, name) in header.enumerated() {
      if let first = index[name] {
        throw LogError(line: row, .duplicateColumn(name, first: first + 1, second: k + 1))
      }
      index[name] = k
    }
    cells = Array(repeating: nil, count: header.count)
  }

  var isLive: Bool { lines.isLive }
  let namesAreFixed = true
  func prepare(names: [String]) {}
  var location: String { "line \(row)" }
  var names: [String] { header }

  func advance() throws(LogError) -> Bool {
    while true {
      let got: Bool?? = try lines.nextLine { (b, n) throws(LogError) -> Bool? in
        self.row = n
        if NumberParsing.trim(b).isEmpty { return nil }
        let quoted = try self.splitter.record(b, width: self.header.count, line: n)
        let scratch = quoted ? self.splitter.scratch : []
        scratch.withUnsafeBufferPointer { s in
          for k in 0..<self.header.count {
            let source = quoted ? s : b
            self.cells[k] = FieldValue.cell(
              UnsafeBufferPointer(rebasing: source[self.splitter.starts[k]..<self.splitter.ends[k]]))
          }
        }
        return true
      }
      guard let maybe = got else { return false }
      if maybe != nil { return true }
    }
  }

  func value(_ name: String) throws(LogError) -> FieldValue? {
    if let k = index[name] { return cells[k] }
    guard isPanel else { return nil }
    let suffix = " - " + name
    let matches = header.indices.filter { header[$0].hasSuffix(suffix) }
    if matches.count > 1 {
      throw LogError(
        line: lines.lineNumber,
        .io(
          "the W&B panel export has \(matches.count) columns for '\(Echo.cut(name))': \(Echo.list(matches.map { header[$0] })); name one whole with --loss-column"
        ))
    }
    guard let k = matches.first else { return nil }
    index[name] = k  // the same column from now on
    return cells[k]
  }
}
