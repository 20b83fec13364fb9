import UnifiedLoRAIO

/// Any key of a JSON object, to find the ones a spec does not know.
private struct AnyKey: CodingKey {
  var stringValue: String
  var intValue: Int? { nil }
  init(stringValue: String) { self.stringValue = stringValue }
  init?(intValue: Int) { nil }
}

/// Refuses a key of the object being decoded that `keys` does not list, naming the nearest
/// valid one: a typo in a spec file (`cleanLos`, `box.alpah`) would otherwise be ignored and
/// silently leave the default in force.
func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ decoder: any Decoder, _ keys: K.Type) throws {
  let names = K.allCases.map(\.stringValue).sorted()
  let path = decoder.codingPath.map(\.stringValue).joined(separator: ".")
  for key in try decoder.container(keyedBy: AnyKey.self).allKeys where !names.contains(key.stringValue) {
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
