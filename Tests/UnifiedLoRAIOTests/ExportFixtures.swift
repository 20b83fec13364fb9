import Foundation

/// Small logs in the formats practitioners export, made here (the README's copies under
/// Tests/UnifiedLoRACLITests/Fixtures/ are checked against them by `ExportFormatTests`).
///
/// All share one loss curve: a decay from 2.9 towards 0.4 with a shock at step 20 (the loss
/// triples for three steps), 30 training steps, an eval every 10 steps.
enum ExportFixtures {
  static let steps = 30

  static func loss(_ t: Int) -> Double {
    let base = 2.5 * exp(-Double(t) / 12) + 0.4
    let shocked = (20..<23).contains(t) ? base * 3 : base
    return (shocked * 10_000).rounded() / 10_000
  }

  static func lr(_ t: Int) -> Double { t < 20 ? 1e-4 : 5e-5 }
  static func evalLoss(_ t: Int) -> Double { ((loss(t) + 0.1) * 10_000).rounded() / 10_000 }
  static let evalSteps = [10, 20, 30]

  /// W&B run history (`wandb.Api().run(...).history()` to CSV, as the Trainer's WandbCallback
  /// logs it): train rows, and eval rows with only eval metrics; the eval of step 10 shares its
  /// `_step` with the train row.
  static var wandbHistory: String {
    var s =
      "_step,_runtime,_timestamp,train/loss,train/learning_rate,train/epoch,train/global_step,eval/loss\n"
    var w = 0
    for t in 1...steps {
      s += "\(w),\(t * 3),\(1_700_000_000 + t * 3),\(loss(t)),\(lr(t)),\(Double(t) / 10),\(t),\n"
      if evalSteps.contains(t) {
        if t != 10 { w += 1 }
        s += "\(w),\(t * 3 + 1),\(1_700_000_001 + t * 3),,,\(Double(t) / 10),\(t),\(evalLoss(t))\n"
      }
      w += 1
    }
    return s
  }

  /// A W&B chart panel exported to CSV: `Step`, the run's metric and its __MIN/__MAX.
  static var wandbPanel: String {
    var s = "\"Step\",\"lora-r8 - train/loss\",\"lora-r8 - train/loss__MIN\",\"lora-r8 - train/loss__MAX\"\n"
    for t in 1...steps {
      s += "\(t),\(loss(t)),\(loss(t) - 0.05),\(loss(t) + 0.05)\n"
    }
    return s
  }

  /// PyTorch Lightning's CSVLogger `metrics.csv` with a LearningRateMonitor: the lr on its own
  /// row with the same step, validation rows with only `val_loss`.
  static var lightning: String {
    var s = "epoch,lr-AdamW,step,train_loss_step,val_loss\n"
    for t in 1...steps {
      let epoch = (t - 1) / 10
      s += "\(epoch),\(lr(t)),\(t),,\n"
      s += "\(epoch),,\(t),\(loss(t)),\n"
      if evalSteps.contains(t) { s += "\(epoch),,\(t),,\(evalLoss(t))\n" }
    }
    return s
  }

  /// Hugging Face Trainer's `trainer_state.json` (indented, as the Trainer writes it).
  static var trainerState: String {
    var entries: [String] = []
    for t in 1...steps {
      entries.append(
        "    {\n      \"epoch\": \(Double(t) / 10),\n      \"grad_norm\": 1.25,\n      \"learning_rate\": \(lr(t)),\n      \"loss\": \(loss(t)),\n      \"step\": \(t)\n    }"
      )
      if evalSteps.contains(t) {
        entries.append(
          "    {\n      \"epoch\": \(Double(t) / 10),\n      \"eval_loss\": \(evalLoss(t)),\n      \"eval_runtime\": 1.5,\n      \"step\": \(t)\n    }"
        )
      }
    }
    return """
      {
        "best_metric": null,
        "best_model_checkpoint": null,
        "epoch": 3.0,
        "eval_steps": 10,
        "global_step": \(steps),
        "is_hyper_param_search": false,
        "log_history": [
      \(entries.joined(separator: ",\n"))
        ],
        "logging_steps": 1,
        "max_steps": \(steps),
        "train_batch_size": 8
      }

      """
  }

  /// Tinker-style metrics: the loss summed over the step's 512 tokens, eval lines interleaved.
  static var tinker: String {
    var s = ""
    for t in 1...steps {
      let sum = (loss(t) * 512 * 100).rounded() / 100
      s += "{\"step\": \(t), \"metrics\": {\"loss:sum\": \(sum), \"num_tokens\": 512, \"lr\": \(lr(t))}}\n"
      if evalSteps.contains(t) { s += "{\"step\": \(t), \"metrics\": {\"test/nll\": \(evalLoss(t))}}\n" }
    }
    return s
  }

  // MARK: TensorBoard

  /// An event file as PyTorch's SummaryWriter writes it (`file_version` first, one scalar per
  /// event as `simple_value`), with the loss of steps 5 and 6 written the TF2 way (a scalar
  /// tensor: `float_val`, then `tensor_content`) and eval events between.
  static var tensorboard: [UInt8] {
    var out = record(event(wallTime: 1.7e9, step: 0, fileVersion: "brain.Event:2"))
    for t in 1...steps {
      let value: [UInt8]
      switch t {
      case 5: value = summaryValue(tag: "train/loss", tensorFloat: Float(loss(t)), asContent: false)
      case 6: value = summaryValue(tag: "train/loss", tensorFloat: Float(loss(t)), asContent: true)
      default: value = summaryValue(tag: "train/loss", simple: Float(loss(t)))
      }
      out += record(event(wallTime: 1.7e9 + Double(t), step: t, summary: [value]))
      out += record(
        event(
          wallTime: 1.7e9 + Double(t), step: t, summary: [summaryValue(tag: "train/lr", simple: Float(lr(t)))]
        ))
      if evalSteps.contains(t) {
        out += record(
          event(
            wallTime: 1.7e9 + Double(t), step: t,
            summary: [summaryValue(tag: "eval/loss", simple: Float(evalLoss(t)))]))
      }
    }
    return out
  }

  /// TFRecord framing, written here independently of the reader: little-endian length, masked
  /// CRC32C of it, data, masked CRC32C of the data.
  static func record(_ data: [UInt8]) -> [UInt8] {
    let length = le(UInt64(data.count), 8)
    return length + le(UInt64(maskedCRC(length)), 4) + data + le(UInt64(maskedCRC(data)), 4)
  }

  static func le(_ v: UInt64, _ n: Int) -> [UInt8] {
    (0..<n).map { UInt8(truncatingIfNeeded: v >> (8 * UInt64($0))) }
  }

  /// The test's own CRC-32C: bit by bit from the polynomial (reflected 0x82F63B78), no table,
  /// so that it is an oracle independent of the reader's table-driven `TFRecord.crc32c`.
  /// Check value: "123456789" → 0xE3069283 (RFC 3720, B.4).
  static func crc32c(_ bytes: [UInt8]) -> UInt32 {
    var crc: UInt32 = ~0
    for byte in bytes {
      crc ^= UInt32(byte)
      for _ in 0..<8 {
        let lsb = crc & 1
        crc >>= 1
        if lsb == 1 { crc ^= 0x82F6_3B78 }
      }
    }
    return ~crc
  }

  static func maskedCRC(_ bytes: [UInt8]) -> UInt32 {
    let c = crc32c(bytes)
    return ((c >> 15) | (c << 17)) &+ 0xA282_EAD8
  }

  // A protocol-buffer writer, by hand (the wire format: varint keys, little-endian fixed
  // widths, length-delimited messages), independent of swift-protobuf.
  static func varint(_ v: UInt64) -> [UInt8] {
    var v = v
    var out: [UInt8] = []
    repeat {
      let b = UInt8(v & 0x7F)
      v >>= 7
      out.append(v == 0 ? b : b | 0x80)
    } while v != 0
    return out
  }

  static func key(_ field: UInt64, _ wire: UInt64) -> [UInt8] { varint(field << 3 | wire) }
  static func delimited(_ field: UInt64, _ bytes: [UInt8]) -> [UInt8] {
    key(field, 2) + varint(UInt64(bytes.count)) + bytes
  }

  static func event(wallTime: Double, step: Int, fileVersion: String? = nil, summary: [[UInt8]]? = nil)
    -> [UInt8]
  {
    var e = key(1, 1) + le(wallTime.bitPattern, 8) + key(2, 0) + varint(UInt64(step))
    if let fileVersion { e += delimited(3, Array(fileVersion.utf8)) }
    if let summary { e += delimited(5, summary.flatMap { delimited(1, $0) }) }
    return e
  }

  static func summaryValue(tag: String, simple: Float) -> [UInt8] {
    delimited(1, Array(tag.utf8)) + key(2, 5) + le(UInt64(simple.bitPattern), 4)
  }

  /// A scalar tensor (DT_FLOAT = 1, shape []), its value in `float_val` (packed) or in
  /// `tensor_content`.
  static func summaryValue(tag: String, tensorFloat x: Float, asContent: Bool) -> [UInt8] {
    let bits = le(UInt64(x.bitPattern), 4)
    let tensor =
      key(1, 0) + varint(1) + delimited(2, []) + (asContent ? delimited(4, bits) : delimited(5, bits))
    return delimited(1, Array(tag.utf8)) + delimited(8, tensor)
  }

  /// Every fixture with the file name the README uses.
  static var files: [(name: String, bytes: [UInt8])] {
    [
      ("wandb-history.csv", Array(wandbHistory.utf8)),
      ("wandb-panel.csv", Array(wandbPanel.utf8)),
      ("lightning-metrics.csv", Array(lightning.utf8)),
      ("trainer_state.json", Array(trainerState.utf8)),
      ("tinker-metrics.jsonl", Array(tinker.utf8)),
      ("events.out.tfevents.fixture", tensorboard),
    ]
  }
}
