import UnifiedLoRA

/// A real 2×2 matrix, row-major: `[[a, b], [c, d]]`. Rows and columns are ordered `(Ê, φ)`.
public struct Matrix2: Sendable, Hashable, Codable {
  public var rows: [[Double]]

  public init(_ a: Double, _ b: Double, _ c: Double, _ d: Double) {
    rows = [[a, b], [c, d]]
  }

  public subscript(i: Int, j: Int) -> Double { rows[i][j] }

  /// The largest absolute difference of two matrices' entries.
  public func distance(to other: Matrix2) -> Double {
    (0..<2).flatMap { i in (0..<2).map { j in abs(self[i, j] - other[i, j]) } }.max() ?? 0
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    try c.encode(rows)
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    let rows = try c.decode([[Double]].self)
    guard rows.count == 2, rows.allSatisfy({ $0.count == 2 }) else {
      throw DecodingError.dataCorruptedError(in: c, debugDescription: "expected a 2×2 array")
    }
    self.rows = rows
  }
}

extension Parameters {
  /// The Jacobian of the `(Ê, φ)` map at state `s` under input `u`, analytically (T04).
  ///
  /// ```
  /// report: [[β, 0], [α·g'(Ê), 1 − α]]           g'(x) = 1/(1 + x)²
  /// repo:   [[β, 0], [α·β·g'(Ê'), 1 − α]]        Ê' = β·Ê + (1 − β)·L
  /// ```
  ///
  /// Lower-triangular because `Ê'` does not depend on `φ`; hence the eigenvalues are the
  /// diagonal, `β` and `1 − α`, whatever the state and input (T04). The mode and the cooldown do
  /// not enter: they never feed back into `(Ê, φ)`.
  ///
  /// - Precondition: `s.ehat > −1` (true for every valid state).
  public func jacobian(at s: ControllerState, input u: ConstantInput) -> Matrix2 {
    switch variant {
    case .report:
      return Matrix2(beta, 0, alpha * squashDerivative(s.ehat), 1 - alpha)
    case .repo:
      let e = beta * s.ehat + (1 - beta) * u.loss
      return Matrix2(beta, 0, alpha * beta * squashDerivative(e), 1 - alpha)
    }
  }

  /// The Jacobian by central finite differences of the core's step (`Parameters.advance`),
  /// independently of ``jacobian(at:input:)``: `∂fᵢ/∂xⱼ ≈ (fᵢ(x + h·eⱼ) − fᵢ(x − h·eⱼ))/(2h)`
  /// with `h = 1e-6·max(1, |xⱼ|)`. Truncation error O(h²·f'''), rounding O(2⁻⁵³/h): about 1e-9.
  public func jacobianByFiniteDifferences(at s: ControllerState, input u: ConstantInput)
    -> Matrix2
  {
    func f(_ e: Double, _ phi: Double) -> (Double, Double) {
      let t = next(ControllerState(ehat: e, phi: phi, mode: .single), u, at: 0)
      return (t.ehat, t.phi)
    }
    let he = 1e-6 * max(1, abs(s.ehat))
    let hp = 1e-6 * max(1, abs(s.phi))
    let (e1, p1) = f(s.ehat + he, s.phi)
    let (e0, p0) = f(s.ehat - he, s.phi)
    let (e3, p3) = f(s.ehat, s.phi + hp)
    let (e2, p2) = f(s.ehat, s.phi - hp)
    return Matrix2(
      (e1 - e0) / (2 * he), (e3 - e2) / (2 * hp), (p1 - p0) / (2 * he), (p3 - p2) / (2 * hp))
  }
}
