import CGSL

/// A failure reported by GSL (a `GSL_E…` return code), or a method that did not converge.
///
/// GSL's default error handler calls `abort()`; ``GSL/initialize()`` turns it off once, and
/// every call into GSL in this module checks its return code and throws this error instead. Only
/// this module makes one (its memberwise initialiser is internal): every one comes from a GSL call
/// or a solver here.
public struct GSLError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The `GSL_E…` code (`GSL_EMAXITER` for non-convergence).
  public let code: Int32
  /// What was being computed.
  public let context: String

  public var description: String {
    let reason = String(cString: gsl_strerror(code))
    return "GSL failed while \(context): \(reason) (code \(code))"
  }
}

/// The thin layer over the GSL C library: one place that initializes it and checks codes.
public enum GSL {
  private static let initialized: Bool = {
    unified_lora_gsl_disable_abort()
    return true
  }()

  /// Turns off GSL's aborting error handler (idempotent, thread-safe). Every wrapper calls it.
  public static func initialize() {
    _ = initialized
  }

  /// The linked GSL version, e.g. `2.7.1`.
  public static var version: String { String(cString: unified_lora_gsl_version()) }

  /// Throws when `status` is not `GSL_SUCCESS`.
  public static func check(_ status: Int32, _ context: @autoclosure () -> String) throws(GSLError) {
    if status != GSL_SUCCESS { throw GSLError(code: status, context: context()) }
  }
}
