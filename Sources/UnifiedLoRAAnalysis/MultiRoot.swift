import CGSL

/// Multidimensional root finding with GSL's hybrid Powell solver
/// (`gsl_multiroot_fsolver_hybrids`, finite-difference Jacobian).
public enum MultiRoot {
  /// Finds `x` with `f(x) = 0` near `x0`.
  ///
  /// With `scale = max(1, maxᵢ|xᵢ|)`, it stops when the residual `Σ|fᵢ|` is below
  /// `residualTol·scale`, or when the step is below `relTol·|x|` (`gsl_multiroot_test_delta`)
  /// with the residual below `1e3·residualTol·scale`. When GSL reports an error (no progress, a
  /// bad function value) after a point with residual below `1e3·residualTol·scale` was seen,
  /// that point is returned: the function is evaluated in binary64, so the residual cannot
  /// always go lower, and the trust region can collapse at that floor.
  ///
  /// - Parameters:
  ///   - f: must return `x0.count` values; a non-finite value stops the solver with
  ///     `GSL_EBADFUNC`.
  /// - Throws: ``GSLError`` for any GSL error code, no progress with a large residual, or
  ///   `GSL_EMAXITER` after `maxIterations`.
  public static func solve(
    from x0: [Double], relTol: Double = 1e-15, residualTol: Double = 4e-16,
    maxIterations: Int = 1000, _ f: ([Double]) -> [Double]
  ) throws(GSLError) -> [Double] {
    GSL.initialize()
    let n = x0.count
    precondition(n > 0, "MultiRoot.solve needs at least one unknown")
    return try withoutActuallyEscaping(f) { (f) throws(GSLError) -> [Double] in
      var box = f
      return try withUnsafeMutablePointer(to: &box) { (ctx) throws(GSLError) -> [Double] in
        var fn = gsl_multiroot_function(
          f: { x, params, out in
            guard let x, let params, let out else { return Int32(GSL_EFAULT) }
            let count = Int(x.pointee.size)
            let input = (0..<count).map { gsl_vector_get(x, $0) }
            let body = params.assumingMemoryBound(to: (([Double]) -> [Double]).self).pointee
            let values = body(input)
            guard values.count == count else { return Int32(GSL_EBADLEN) }
            for (i, v) in values.enumerated() {
              guard v.isFinite else { return Int32(GSL_EBADFUNC) }
              gsl_vector_set(out, i, v)
            }
            return Int32(GSL_SUCCESS)
          }, n: n, params: UnsafeMutableRawPointer(ctx))
        guard let solver = gsl_multiroot_fsolver_alloc(unified_lora_multiroot_hybrids(), n) else {
          throw GSLError(code: Int32(GSL_ENOMEM), context: "allocating the hybrids solver")
        }
        defer { gsl_multiroot_fsolver_free(solver) }
        guard let start = gsl_vector_alloc(n) else {
          throw GSLError(code: Int32(GSL_ENOMEM), context: "allocating the starting point")
        }
        defer { gsl_vector_free(start) }
        for (i, v) in x0.enumerated() { gsl_vector_set(start, i, v) }
        try GSL.check(
          gsl_multiroot_fsolver_set(solver, &fn, start), "starting the hybrids solver at \(x0)")
        func current() -> [Double] { (0..<n).map { gsl_vector_get(solver.pointee.x, $0) } }
        func residual() -> Double { (0..<n).reduce(0) { $0 + abs(gsl_vector_get(solver.pointee.f, $1)) } }
        func scale() -> Double { current().reduce(1) { max($0, abs($1)) } }
        // The best point seen: binary64 evaluation puts a floor under the residual, and near
        // that floor the trust region can collapse (GSL then reports no progress, or steps to
        // NaN). A point within `1e3·residualTol·scale` of zero is accepted then.
        var best = (x: current(), r: residual(), scale: scale())
        if best.r <= residualTol * best.scale { return best.x }
        for _ in 0..<maxIterations {
          let status = gsl_multiroot_fsolver_iterate(solver)
          let r = residual()
          if status == Int32(GSL_SUCCESS), r < best.r { best = (current(), r, scale()) }
          if status != Int32(GSL_SUCCESS) {
            if best.r <= 1e3 * residualTol * best.scale { return best.x }
            try GSL.check(status, "iterating the hybrids solver from \(x0)")
          }
          if r <= residualTol * scale() { return current() }
          let small = gsl_multiroot_test_delta(solver.pointee.dx, solver.pointee.x, 0, relTol)
          if small == Int32(GSL_SUCCESS) && r <= 1e3 * residualTol * scale() { return current() }
        }
        throw GSLError(code: Int32(GSL_EMAXITER), context: "finding a root from \(x0)")
      }
    }
  }
}
