#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// The core has no dependencies; these are the few libm functions the scenarios need.
@usableFromInline func _log(_ x: Double) -> Double { log(x) }
@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
@usableFromInline func _cos(_ x: Double) -> Double { cos(x) }
