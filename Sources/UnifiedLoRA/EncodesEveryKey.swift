/// A `Codable` struct whose encoded object has every key, with a `nil` optional written as `null`
/// (the synthesised `encode(to:)` leaves the key out), so that the JSON of a report has the same
/// keys whatever it found.
///
/// The default ``encode(to:)`` writes each stored property under its own name, in declaration
/// order; decoding stays synthesised (a `null` or a missing key decodes as `nil`). Conform only
/// structs whose coding keys are their stored properties' names (no renamed or excluded property).
///
/// Non-finite numbers are left to the encoder's strategy: the project writes them as the strings
/// `"Infinity"`, `"-Infinity"` and `"NaN"` (`JSONFormat.encoder` in `UnifiedLoRASupport`).
public protocol EncodesEveryKey: Encodable {}

extension EncodesEveryKey {
  /// Writes every stored property, `nil` as `null`.
  ///
  /// - Precondition: every stored property is `Encodable` (the synthesised `Decodable` of the
  ///   conforming type already requires it).
  public func encode(to encoder: any Encoder) throws { try encodeEveryKey(to: encoder) }

  /// The default ``encode(to:)``, for a refinement that writes more keys after it.
  func encodeEveryKey(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: StringCodingKey.self)
    for child in Mirror(reflecting: self).children {
      guard let name = child.label else { continue }
      guard let value = child.value as? any Encodable else {
        preconditionFailure("\(Self.self).\(name) is not Encodable")
      }
      try c.encode(value, forKey: StringCodingKey(stringValue: name))
    }
  }
}

/// A coding key that is any string: a stored property's name, a key a JSON object holds, a key
/// added to a library's report.
package struct StringCodingKey: CodingKey {
  package var stringValue: String
  package var intValue: Int? { nil }
  package init(stringValue: String) { self.stringValue = stringValue }
  package init?(intValue: Int) { nil }
}
