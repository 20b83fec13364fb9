/// Hugging Face Trainer's `trainer_state.json`: one JSON document whose `log_history` array
/// holds one object per logging event (`{"loss": 2.1, "learning_rate": 5e-05, "step": 10, …}`;
/// eval events have `eval_loss` and no `loss`).
///
/// The document is read whole (it is not a stream), at most ``maxBytes``: a larger file is an
/// error saying so. Rows are the entries of `log_history`, numbered from 1 in messages
/// ("log_history entry 3").
final class TrainerStateSource: ExportSource {
  /// The largest `trainer_state.json` read: 256 MiB (a run of a million logging steps writes
  /// about 150 MB).
  static let maxBytes = 256 << 20

  let format: LogSchema.Format = .trainerState
  let isLive = false
  let rowIsLine = false
  private let entries: [JSONValue]
  private var current: [(key: String, value: JSONValue)] = []
  private(set) var row = 0
  private(set) var names: [String] = []

  init(chunks: ByteChunks, maxBytes: Int = TrainerStateSource.maxBytes) throws(LogError) {
    var bytes: [UInt8] = []
    while true {
      let c = try chunks.next()
      if c.isEmpty { break }
      if let nul = c.firstIndex(of: 0) {
        throw LogError(
          line: 0, .io("trainer_state.json: byte \(bytes.count + nul): a NUL byte: the file is not JSON text")
        )
      }
      bytes += c
      if bytes.count > maxBytes {
        throw LogError(
          line: 0,
          .io(
            "trainer_state.json: the document is larger than \(maxBytes) bytes, the most read whole; export log_history as JSON Lines (jq -c '.log_history[]') to stream it"
          ))
      }
    }
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
    let document: JSONValue
    do {
      document = try bytes.withUnsafeBufferPointer { (p) throws(JSONFault) in try JSONValue.parse(p) }
    } catch {
      let at = bytes.withUnsafeBufferPointer { p in
        position(of: min(error.offset, p.count), in: p, firstLine: 1)
      }
      throw LogError(line: at.line, .badJSON("column \(at.column): \(error.message)"))
    }
    guard case .array(let history)? = document["log_history"] else {
      let keys: [String]
      if case .object(let o) = document { keys = o.map(\.key) } else { keys = [] }
      throw LogError(
        line: 0,
        .io(
          "trainer_state.json: no 'log_history' array (keys: \(Echo.list(keys))): is this the Trainer's state file?"
        ))
    }
    entries = history
    var seen: Set<String> = []
    for case .object(let o) in history {
      for (k, _) in o where seen.insert(k).inserted { names.append(k) }
    }
  }

  var location: String { "log_history entry \(row)" }

  let namesAreFixed = false
  func prepare(names: [String]) {}

  func advance() throws(LogError) -> Bool {
    guard row < entries.count else { return false }
    row += 1
    guard case .object(let o) = entries[row - 1] else {
      throw LogError(line: 0, .io("\(location): not a JSON object"))
    }
    current = o
    return true
  }

  func value(_ name: String) throws(LogError) -> FieldValue? {
    guard let v = current.first(where: { $0.key == name })?.value else { return nil }
    switch v {
    case .number(let x): return .number(x)
    case .null: return .missing
    case .string(let s): return Array(s.utf8).withUnsafeBufferPointer { FieldValue.cell($0) }
    case .bool(let b): return .text(b ? "true" : "false")
    case .object: return .text("{…}")
    case .array: return .text("[…]")
    }
  }
}
