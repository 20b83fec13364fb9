import Foundation
import UnifiedLoRASupport

/// Pretrained bases kept on disk, so that a later experiment with the same base configuration
/// skips the pretraining (about a third of the default experiment's CPU time).
///
/// A base is stored under a key that hashes (FNV-1a, 64 bits) everything that determines it: the
/// seed, the model shape, the pretraining steps, batch and rate, the words it was trained on, the
/// BLAS build and kernel (a different OpenBLAS core type changes the low bits), the caller's
/// `salt` (the program's version) and ``formatVersion``. A cached base is therefore the same bits
/// the pretraining would compute on this machine. Files are written to a temporary name and
/// renamed (concurrent runs never see half a file); a missing, short or unreadable file is
/// ignored and the base is pretrained again.
public struct BaseCache: Sendable {
  public let directory: String
  public let salt: String
  /// Bumped whenever the pretraining or the network changes what a configuration computes.
  public static let formatVersion = 1

  public init(directory: String, salt: String) {
    self.directory = directory
    self.salt = salt
  }

  /// `$XDG_CACHE_HOME/unified-lora/bases`, else `~/.cache/unified-lora/bases`.
  public static var defaultDirectory: String {
    let env = ProcessInfo.processInfo.environment
    let root =
      env["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
      ?? ((env["HOME"] ?? NSTemporaryDirectory()) + "/.cache")
    return root + "/unified-lora/bases"
  }

  struct Header: Codable {
    var key: String
    var count: Int
    var finalLoss: Double
    var pigLatinBefore: Double
    var exactMatch: [Int: Double]
  }

  /// The key of a base configuration.
  public func key(words: [String], seed: UInt64, steps: Int, batchSize: Int, lr: Double, shape: ModelShape)
    -> String
  {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ s: String) {
      for b in s.utf8 {
        h ^= UInt64(b)
        h = h &* 0x100_0000_01b3
      }
      h ^= 0xff
      h = h &* 0x100_0000_01b3
    }
    mix("v\(BaseCache.formatVersion)|\(salt)|\(BLAS.configuration)")
    mix("seed \(seed) steps \(steps) batch \(batchSize) lr \(lr.bitPattern)")
    mix(
      "shape \(shape.dModel) \(shape.heads) \(shape.layers) \(shape.ffn) \(shape.vocabulary) \(shape.length)")
    for w in words { mix(w) }
    return String(h, radix: 16)
  }

  func paths(_ key: String) -> (header: String, weights: String) {
    ("\(directory)/base-\(key).json", "\(directory)/base-\(key).f32")
  }

  /// The cached result for `key`, or nil.
  func load(_ key: String, shape: ModelShape) -> Pretraining.Result? {
    let p = paths(key)
    guard let hd = FileManager.default.contents(atPath: p.header),
      let header = try? JSONFormat.decoder.decode(Header.self, from: hd), header.key == key,
      header.count == BaseLayout(shape).count,
      let wd = FileManager.default.contents(atPath: p.weights), wd.count == header.count * 4
    else { return nil }
    var parameters = [Float](repeating: 0, count: header.count)
    parameters.withUnsafeMutableBytes { dst in wd.withUnsafeBytes { dst.copyMemory(from: $0) } }
    var exact: [WordTask: Double] = [:]
    for (k, v) in header.exactMatch {
      guard let t = WordTask(rawValue: k) else { return nil }
      exact[t] = v
    }
    return Pretraining.Result(
      base: BaseModel(shape: shape, parameters: parameters), finalLoss: header.finalLoss, exactMatch: exact,
      pigLatinBefore: header.pigLatinBefore)
  }

  /// Stores `result` under `key`; a failure to write is ignored (the cache is an optimisation).
  func store(_ result: Pretraining.Result, key: String) {
    let fm = FileManager.default
    guard (try? fm.createDirectory(atPath: directory, withIntermediateDirectories: true)) != nil else {
      return
    }
    let p = paths(key)
    let header = Header(
      key: key, count: result.base.parameters.count, finalLoss: result.finalLoss,
      pigLatinBefore: result.pigLatinBefore,
      exactMatch: Dictionary(uniqueKeysWithValues: result.exactMatch.map { ($0.key.rawValue, $0.value) }))
    guard let hd = try? JSONFormat.encoder.encode(header) else { return }
    let wd = result.base.parameters.withUnsafeBytes { Data($0) }
    let tag = "\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
    // The weights first: a header is only ever beside complete weights.
    for (data, path) in [(wd, p.weights), (hd, p.header)] {
      let tmp = "\(path).tmp-\(tag)"
      guard fm.createFile(atPath: tmp, contents: data), rename(tmp, path) == 0 else {
        try? fm.removeItem(atPath: tmp)
        return
      }
    }
  }
}
