import Foundation
import SwiftProtobuf

/// TensorBoard event files (`events.out.tfevents.*`): TFRecord-framed `Event` protocol buffers
/// (``TFRecordReader`` checks the framing), decoded with swift-protobuf from the minimal
/// `events.proto` beside this file.
///
/// Each event with a summary is a row: its `step`, and per summary value its tag with its scalar,
/// taken from `simple_value` (PyTorch's SummaryWriter, TF1) or from a tensor with one element of
/// type float or double (TF2's `tf.summary.scalar`: `float_val`, `double_val` or
/// `tensor_content`). Values that are not scalars (histograms, images, text) are not columns.
/// Events without a summary (the file version, graphs) are not rows. The step column is the
/// event's step; columns are tags (`--loss-column` names the loss tag).
final class TensorBoardSource: ExportSource {
  let format: LogSchema.Format = .tensorboard
  let rowIsLine = false
  private let records: TFRecordReader
  private var step: Int64 = 0
  private var scalars: [(tag: String, value: Double)] = []
  private var seen: Set<String> = []
  private(set) var names: [String] = []

  init(records: TFRecordReader) {
    self.records = records
  }

  var isLive: Bool { records.isLive }
  var row: Int { records.record }
  var location: String { "record \(records.record) (byte offset \(records.offset))" }

  let namesAreFixed = false
  func prepare(names: [String]) {}

  func advance() throws(LogError) -> Bool {
    while let data = try records.next() {
      let event: Tensorboard_Event
      do {
        event = try Tensorboard_Event(serializedBytes: data)
      } catch {
        throw LogError(line: 0, .io("\(location): not a TensorBoard Event protocol buffer (\(error))"))
      }
      guard event.hasSummary else { continue }
      step = event.step
      scalars.removeAll(keepingCapacity: true)
      for v in event.summary.value {
        guard let x = TensorBoardSource.scalar(v) else { continue }
        if seen.insert(v.tag).inserted { names.append(v.tag) }
        if !scalars.contains(where: { $0.tag == v.tag }) { scalars.append((v.tag, x)) }
      }
      return true
    }
    return false
  }

  func value(_ name: String) throws(LogError) -> FieldValue? {
    if name == "step" { return .number(Double(step)) }
    guard let v = scalars.first(where: { $0.tag == name }) else { return nil }
    return .number(v.value)
  }

  /// The scalar of a summary value, or nil when it holds something else.
  static func scalar(_ v: Tensorboard_Summary.Value) -> Double? {
    switch v.value {
    case .simpleValue(let f)?: return Double(f)
    case .tensor(let t)?:
      guard t.tensorShape.dim.allSatisfy({ $0.size == 1 }) else { return nil }
      switch t.dtype {
      case .dtFloat:
        if let f = t.floatVal.first, t.floatVal.count == 1 { return Double(f) }
        if t.tensorContent.count == 4 {
          let bits = t.tensorContent.enumerated().reduce(UInt32(0)) {
            $0 | UInt32($1.element) << (8 * UInt32($1.offset))
          }
          return Double(Float(bitPattern: bits))
        }
        return nil
      case .dtDouble:
        if let d = t.doubleVal.first, t.doubleVal.count == 1 { return d }
        if t.tensorContent.count == 8 {
          let bits = t.tensorContent.enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * UInt64($1.offset))
          }
          return Double(bitPattern: bits)
        }
        return nil
      default: return nil
      }
    case nil: return nil
    }
  }
}
