import Foundation
import UnifiedLoRA

/// Reads a `--params` file: a JSON object with the keys of ``Parameters``' JSON form (as
/// `--format json` prints it), every key optional.
///
/// Stricter than a plain `JSONDecoder`: a key that is not a parameter (a typo such as
/// `alpha_e` or `cooldwn` would otherwise silently leave the default in force) and a key given
/// twice are errors naming the key, with the nearest valid key as a hint. The valid keys are
/// taken from ``Parameters``' own encoding, so they cannot drift from the decoder.
public enum ParameterFile {
  /// The largest parameter file read (a parameter file is a few hundred bytes).
  public static let maxBytes = 1 << 20

  /// A parameter file that cannot be used: the message names the key or position.
  public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
  }

  /// The parameters in `bytes` (the file's content), validated. More than ``maxBytes`` bytes is
  /// an error (a caller reads at most `maxBytes + 1`).
  public static func decode(_ bytes: [UInt8]) throws(Error) -> Parameters {
    guard bytes.count <= maxBytes else {
      throw Error(message: "more than \(maxBytes) bytes: a parameter file is at most \(maxBytes) bytes")
    }
    // A UTF-8 byte-order mark (editors on Windows write one) is not part of the JSON text.
    do { try JSONKeys.checkUnique(bytes) } catch { throw Error(message: error.description) }
    let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
    let tree: JSONValue
    do {
      tree = try bytes.withUnsafeBufferPointer { (p) throws(JSONFault) in try JSONValue.parse(p) }
    } catch {
      throw Error(message: "not JSON: byte \(error.offset + 1): \(error.message)")
    }
    guard case .object = tree else {
      throw Error(message: "expected a JSON object {…} of parameters")
    }
    try check(tree, against: schema, path: "")
    do {
      return try JSONDecoder().decode(Parameters.self, from: Data(bytes))
    } catch DecodingError.dataCorrupted(let context) {
      throw Error(message: context.debugDescription)
    } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
      let key = context.codingPath.map(\.stringValue).joined(separator: ".")
      throw Error(message: "key '\(key)': \(context.debugDescription)")
    } catch DecodingError.keyNotFound(let key, let context) {
      let at = (context.codingPath.map(\.stringValue) + [key.stringValue]).joined(separator: ".")
      throw Error(message: "key '\(at)' is missing")
    } catch {
      throw Error(message: "not a parameter file (\(error))")
    }
  }

  /// Every valid key, with the valid keys of the nested objects, from the encoding of a
  /// parameter set that has every optional field (`initial.lastSwitch` included).
  static let schema: JSONValue = {
    let full = try! Parameters.report.with(
      initial: ControllerState(ehat: 0, phi: 0, mode: .single, lastSwitch: 0))
    let data = try! JSONEncoder().encode(full)
    return try! [UInt8](data).withUnsafeBufferPointer { (p) throws(JSONFault) in try JSONValue.parse(p) }
  }()

  private static func check(_ value: JSONValue, against schema: JSONValue, path: String) throws(Error) {
    if case .number(let x) = value, !x.isFinite {
      throw Error(
        message: "key '\(Echo.cut(path))': the number is beyond ±\(Double.greatestFiniteMagnitude) (binary64)"
      )
    }
    guard case .object(let members) = value, case .object(let valid) = schema else { return }
    let names = valid.map(\.key).sorted()
    for (key, v) in members {
      let full = path.isEmpty ? key : "\(path).\(key)"
      guard let sub = valid.first(where: { $0.key == key })?.value else {
        let hint =
          Echo.nearest(key, in: names).map { "did you mean '\(path.isEmpty ? $0 : "\(path).\($0)")'? " } ?? ""
        throw Error(
          message:
            "unknown key '\(Echo.cut(full))' (\(hint)valid keys\(path.isEmpty ? "" : " in '\(path)'"): \(names.joined(separator: ", ")))"
        )
      }
      try check(v, against: sub, path: full)
    }
  }
}
