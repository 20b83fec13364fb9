/// The element-wise loops of the forward and backward pass, eight lanes at a time (`SIMD8<Float>`),
/// with a scalar tail. Each lane computes exactly what the scalar loop would, so the results do
/// not depend on the vector width.
enum Kernels {
  typealias V = SIMD8<Float>

  @inline(__always)
  static func load(_ p: UnsafePointer<Float>) -> V {
    UnsafeRawPointer(p).loadUnaligned(as: V.self)
  }

  @inline(__always)
  static func store(_ v: V, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: v, as: V.self)
  }

  /// `dx[k] = act[k] > 0 ? dx[k] : 0` (the ReLU derivative; `act` holds post-activation values).
  static func reluMask(_ dx: UnsafeMutablePointer<Float>, _ act: UnsafePointer<Float>, _ n: Int) {
    var k = 0
    let zero = V(repeating: 0)
    while k + 8 <= n {
      store(load(dx + k).replacing(with: zero, where: load(act + k) .<= zero), dx + k)
      k += 8
    }
    while k < n {
      if !(act[k] > 0) { dx[k] = 0 }
      k += 1
    }
  }

  /// `row[j] = max(row[j] + bias[j], 0)`; with `relu == false`, `row[j] += bias[j]`.
  static func addBias(_ row: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int, relu: Bool) {
    var j = 0
    let zero = V(repeating: 0)
    while j + 8 <= n {
      var v = load(row + j) + load(bias + j)
      if relu { v = v.replacing(with: zero, where: v .<= zero) }
      store(v, row + j)
      j += 8
    }
    while j < n {
      let v = row[j] + bias[j]
      row[j] = relu ? (v > 0 ? v : 0) : v
      j += 1
    }
  }

  /// `dst[j] += src[j]`.
  static func add(_ dst: UnsafeMutablePointer<Float>, _ src: UnsafePointer<Float>, _ n: Int) {
    var j = 0
    while j + 8 <= n {
      store(load(dst + j) + load(src + j), dst + j)
      j += 8
    }
    while j < n {
      dst[j] += src[j]
      j += 1
    }
  }
}
