/// The median of values sorted in increasing order: the middle one, or for an even count the
/// mean of the two middle ones, as halves added (a sum halved overflows to inf for two values
/// near the largest double; halving is exact, so elsewhere the two agree to the bit).
///
/// - Precondition: `sorted` is not empty.
package func median(ofSorted sorted: [Double]) -> Double {
  let n = sorted.count
  return n % 2 == 1 ? sorted[n / 2] : sorted[n / 2 - 1] / 2 + sorted[n / 2] / 2
}
