import UnifiedLoRA
import UnifiedLoRAIO

/// Refuses a key of the object being decoded that `keys` does not list, naming the nearest
/// valid one: a typo in a spec file (`cleanLos`, `box.alpah`) would otherwise be ignored and
/// silently leave the default in force.
func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: K.Type) throws {
  let names = K.allCases.map(\.stringValue).sorted()
  let path = decoder.codingPath.map(\.stringValue).joined(separator: ".")
  for key in try decoder.container(keyedBy: StringCodingKey.self).allKeys
  where !names.contains(key.stringValue) {
    let full = path.isEmpty ? key.stringValue : "\(path).\(key.stringValue)"
    let hint = Echo.nearest(key.stringValue, in: names).map { "did you mean '\($0)'? " } ?? ""
    throw DecodingError.dataCorrupted(
      DecodingError.Context(
        codingPath: decoder.codingPath,
        debugDescription:
          "unknown key '\(Echo.cut(full))' (\(hint)valid keys\(path.isEmpty ? "" : " in '\(path)'"): \(names.joined(separator: ", ")))"
      ))
  }
}

extension KeyedDecodingContainer {
  /// Replaces `value` with the one under `key` when the key is present and not `null`: every key
  /// of a spec file is optional, and an absent one keeps the default.
  func update<T: Decodable>(_ value: inout T, forKey key: Key) throws {
    if let v = try decodeIfPresent(T.self, forKey: key) { value = v }
  }
}
