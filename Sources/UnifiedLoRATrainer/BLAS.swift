import COpenBLAS

/// The trainer's BLAS layer: single-precision matrix products through OpenBLAS's CBLAS.
///
/// Every product in the trainer goes through ``gemm(_:_:_:_:_:_:_:_:_:_:_:_:_:)``. OpenBLAS is
/// set to one thread (``configure()``) so that a given input gives the same bits on every call;
/// the trainer uses the machine's cores by training several runs at once instead.
public enum BLAS {
  /// Sets OpenBLAS to a single thread, once per process (the first call does it; later calls,
  /// from any thread, return at once). Called by every entry point of the trainer.
  public static func configure() {
    _ = singleThreaded
  }

  private static let singleThreaded: Void = unified_lora_blas_set_threads(1)

  /// Sets OpenBLAS's thread count for the whole process (for benchmarks: the trainer itself runs
  /// single-threaded BLAS; results are reproducible for a given thread count).
  public static func setThreads(_ n: Int) {
    configure()
    unified_lora_blas_set_threads(Int32(max(1, n)))
  }

  /// OpenBLAS's build string (version, target kernel, threading), e.g. `OpenBLAS 0.3.21 … Haswell`.
  public static var configuration: String {
    guard let s = unified_lora_blas_config() else { return "unknown" }
    return String(cString: s)
  }

  /// The path of the shared object that provides the `cblas_sgemm` this process calls.
  ///
  /// GSL's `libgslcblas` exports the same symbol; the package links GSL against OpenBLAS so that
  /// there is one CBLAS, and this property lets a test and the benchmark confirm it.
  public static var sgemmProvider: String {
    guard let s = unified_lora_sgemm_provider() else { return "unknown" }
    return String(cString: s)
  }

  /// `C ← α·op(A)·op(B) + β·C` in row-major storage, `op(A)` of shape `m × k`, `op(B)` `k × n`.
  ///
  /// - Parameters:
  ///   - transA, transB: whether `A`, `B` are used transposed.
  ///   - lda, ldb, ldc: row strides (the stored matrices' column counts).
  /// - Precondition: the buffers hold the shapes given (unchecked: the callers are internal).
  /// - Complexity: `2·m·n·k` floating-point operations.
  @inline(__always)
  public static func gemm(
    _ transA: Bool, _ transB: Bool, _ m: Int, _ n: Int, _ k: Int, _ alpha: Float,
    _ a: UnsafePointer<Float>, _ lda: Int, _ b: UnsafePointer<Float>, _ ldb: Int, _ beta: Float,
    _ c: UnsafeMutablePointer<Float>, _ ldc: Int
  ) {
    unified_lora_sgemm(
      transA ? 1 : 0, transB ? 1 : 0, Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b,
      Int32(ldb), beta, c, Int32(ldc))
  }
}
