#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

// The few libm functions the analysis needs, without importing Foundation.
@inlinable func power(_ x: Double, _ y: Double) -> Double { pow(x, y) }
@inlinable func logarithm(_ x: Double) -> Double { log(x) }

@inlinable func expMinusOne(_ x: Double) -> Double { expm1(x) }
@inlinable func logOnePlus(_ x: Double) -> Double { log1p(x) }
