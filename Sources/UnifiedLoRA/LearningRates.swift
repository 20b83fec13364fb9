/// The learning-rate map `η[M]` of SPEC §2.4: one positive, finite rate per mode.
public struct LearningRates: Sendable, Hashable, Codable {
  /// `η0`, used in Single.
  public let single: Double
  /// `η1`, used in Multi.
  public let multi: Double
  /// `η2`, used in Mirror.
  public let mirror: Double

  /// Builds the map, checking that every rate is finite and positive.
  ///
  /// - Throws: ``ParameterError`` naming the field (`lr.single`, `lr.multi`, `lr.mirror`) and value.
  public init(single: Double, multi: Double, mirror: Double) throws(ParameterError) {
    for (field, value) in [(ParameterID.lrSingle, single), (.lrMulti, multi), (.lrMirror, mirror)] {
      guard value.isFinite, value > 0 else {
        throw ParameterError(field: field, value: value, requirement: "a finite number > 0")
      }
    }
    self.single = single
    self.multi = multi
    self.mirror = mirror
  }

  init(unchecked single: Double, _ multi: Double, _ mirror: Double) {
    self.single = single
    self.multi = multi
    self.mirror = mirror
  }

  /// The report's rates (SPEC §2): 2e-3, 5e-4, 1e-4.
  public static let report = LearningRates(unchecked: 2e-3, 5e-4, 1e-4)
  /// The published implementation's rates (SPEC §3): 5e-5, 3e-5, 1e-5.
  public static let repo = LearningRates(unchecked: 5e-5, 3e-5, 1e-5)

  /// `η[M]`.
  @inlinable
  public subscript(mode: Mode) -> Double {
    switch mode {
    case .single: single
    case .multi: multi
    case .mirror: mirror
    }
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    do {
      try self.init(
        single: c.decode(Double.self, forKey: .single), multi: c.decode(Double.self, forKey: .multi),
        mirror: c.decode(Double.self, forKey: .mirror))
    } catch let error as ParameterError {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: error.description))
    }
  }
}
