import CGSL
import UnifiedLoRA

/// A complex eigenvalue.
public struct Eigenvalue: Sendable, Hashable, Codable {
  public var re: Double
  public var im: Double
  public var magnitude: Double { (re * re + im * im).squareRoot() }
}

/// Eigenvalues of a real non-symmetric matrix with GSL (`gsl_eigen_nonsymm`).
public enum Eigen {
  /// The eigenvalues of `m`, sorted by decreasing real part, then imaginary part.
  ///
  /// A defective matrix (a Jordan block, as at the defaults α = 0.1, β = 0.9) has eigenvalues
  /// that are ill-conditioned: a perturbation of size δ moves them by about √δ, so GSL's answer
  /// may differ from the exact double eigenvalue by ~1e-8 (and may carry a tiny imaginary part).
  ///
  /// - Throws: ``GSLError`` on any GSL error (for example non-convergence of the QR algorithm).
  public static func eigenvalues(of m: Matrix2) throws(GSLError) -> [Eigenvalue] {
    GSL.initialize()
    guard let a = gsl_matrix_alloc(2, 2) else {
      throw GSLError(code: Int32(GSL_ENOMEM), context: "allocating a 2×2 matrix")
    }
    defer { gsl_matrix_free(a) }
    for i in 0..<2 { for j in 0..<2 { gsl_matrix_set(a, i, j, m[i, j]) } }
    guard let eval = gsl_vector_complex_alloc(2) else {
      throw GSLError(code: Int32(GSL_ENOMEM), context: "allocating the eigenvalue vector")
    }
    defer { gsl_vector_complex_free(eval) }
    guard let w = gsl_eigen_nonsymm_alloc(2) else {
      throw GSLError(code: Int32(GSL_ENOMEM), context: "allocating the eigen workspace")
    }
    defer { gsl_eigen_nonsymm_free(w) }
    try GSL.check(gsl_eigen_nonsymm(a, eval, w), "computing the eigenvalues of \(m.rows)")
    let values = (0..<2).map { i -> Eigenvalue in
      let z = gsl_vector_complex_get(eval, i)
      return Eigenvalue(re: unified_lora_gsl_complex_real(z), im: unified_lora_gsl_complex_imag(z))
    }
    return values.sorted { ($0.re, $0.im) > ($1.re, $1.im) }
  }
}

/// The linearization of the `(Ê, φ)` map at a fixed point (T03, T04).
public struct SpectralAnalysis: Sendable, Hashable, Codable {
  /// The analytic Jacobian at the fixed point.
  public var jacobian: Matrix2
  /// The same by finite differences of the core's step.
  public var jacobianFiniteDifference: Matrix2
  /// The exact eigenvalues `[β, 1 − α]`, larger first (T04).
  public var eigenvalues: [Double]
  /// The eigenvalues computed by GSL from the analytic Jacobian (the cross-check); `nil` when
  /// GSL failed (``gslFailure`` says why).
  public var eigenvaluesGSL: [Eigenvalue]?
  /// GSL's error when ``eigenvaluesGSL`` is `nil`.
  public var gslFailure: String?
  /// `ρ = max(β, 1 − α)`.
  public var spectralRadius: Double
  /// `ρ < 1`: the fixed point attracts (always true in the domain of SPEC §4; it is global, T03).
  public var stable: Bool
  /// `β = 1 − α` with a non-zero coupling entry: a Jordan block. The deviation of `φ` then
  /// decays like `t·ρᵗ`, not `ρᵗ`, and a settling time from the spectral radius alone is wrong.
  public var defective: Bool
  /// `τ = −1/ln|λ|` per exact eigenvalue, in updates (`0` for `λ = 0`).
  public var timeConstants: [Double]
}

extension Parameters {
  /// The Jacobian at the fixed point of `u`, both ways, and its spectrum, both ways (T04).
  ///
  /// A GSL failure leaves ``SpectralAnalysis/eigenvaluesGSL`` `nil` with the reason: the exact
  /// eigenvalues are the answer, GSL only their cross-check.
  public func spectralAnalysis(_ u: ConstantInput) -> SpectralAnalysis {
    let f = fixedPoint(u)
    let s = ControllerState(ehat: f.ehat, phi: f.phi, mode: f.mode)
    let j = jacobian(at: s, input: u)
    let fd = jacobianByFiniteDifferences(at: s, input: u)
    var gslValues: [Eigenvalue]?
    var failure: String?
    do { gslValues = try Eigen.eigenvalues(of: j) } catch { failure = error.description }
    let exact = [beta, 1 - alpha].sorted(by: >)
    return SpectralAnalysis(
      jacobian: j, jacobianFiniteDifference: fd, eigenvalues: exact, eigenvaluesGSL: gslValues,
      gslFailure: failure,
      spectralRadius: exact[0], stable: exact[0] < 1,
      defective: beta == 1 - alpha && j[1, 0] != 0,
      timeConstants: exact.map { $0 == 0 ? 0 : -1 / logarithm($0) })
  }
}
