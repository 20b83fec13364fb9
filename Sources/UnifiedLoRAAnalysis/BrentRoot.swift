import CGSL

/// One-dimensional root finding with GSL's Brent–Dekker solver (`gsl_root_fsolver_brent`).
public enum BrentRoot {
  /// Finds `x ∈ [lo, hi]` with `f(x) = 0`, given `f(lo)` and `f(hi)` of opposite signs.
  ///
  /// Stops when `|hi − lo| ≤ absTol + relTol·|x|` (`gsl_root_test_interval`).
  ///
  /// - Throws: ``GSLError`` when the bracket is invalid (`GSL_EINVAL`), a function value is not
  ///   finite (`GSL_EBADFUNC`), or the solver has not converged after `maxIterations`
  ///   (`GSL_EMAXITER`).
  public static func solve(
    in lo: Double, _ hi: Double, absTol: Double = 0, relTol: Double = 1e-15,
    maxIterations: Int = 500, _ f: (Double) -> Double
  ) throws(GSLError) -> Double {
    GSL.initialize()
    return try withoutActuallyEscaping(f) { (f) throws(GSLError) -> Double in
      var box = f
      return try withUnsafeMutablePointer(to: &box) { (ctx) throws(GSLError) -> Double in
        var fn = gsl_function(
          function: { x, p in
            p!.assumingMemoryBound(to: ((Double) -> Double).self).pointee(x)
          }, params: UnsafeMutableRawPointer(ctx))
        guard let solver = gsl_root_fsolver_alloc(unified_lora_root_brent()) else {
          throw GSLError(code: Int32(GSL_ENOMEM), context: "allocating the Brent solver")
        }
        defer { gsl_root_fsolver_free(solver) }
        try GSL.check(gsl_root_fsolver_set(solver, &fn, lo, hi), "bracketing a root in [\(lo), \(hi)]")
        for _ in 0..<maxIterations {
          try GSL.check(gsl_root_fsolver_iterate(solver), "iterating Brent's method")
          let x = gsl_root_fsolver_root(solver)
          let a = gsl_root_fsolver_x_lower(solver)
          let b = gsl_root_fsolver_x_upper(solver)
          let status = gsl_root_test_interval(a, b, absTol, relTol)
          if status == GSL_SUCCESS { return x }
          if status != GSL_CONTINUE { try GSL.check(status, "testing Brent's interval") }
        }
        throw GSLError(code: Int32(GSL_EMAXITER), context: "finding a root in [\(lo), \(hi)]")
      }
    }
  }
}
