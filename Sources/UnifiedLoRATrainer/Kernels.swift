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
  static func addBias(_ row: UnsafeMutablePointer<Float>, _ bias: UnsafePointer<Float>, _ n: Int, relu: Bool)
  {
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

extension Kernels {
  /// `out[k] = x[k] · m[k]` (`out` may be `x`).
  static func multiply(
    _ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ m: UnsafePointer<Float>, _ n: Int
  ) {
    for k in 0..<n { out[k] = x[k] * m[k] }
  }

  /// `out[k] = max(x[k], 0)`.
  static func relu(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ n: Int) {
    for k in 0..<n { out[k] = x[k] > 0 ? x[k] : 0 }
  }

  /// `x[0] + x[1] + … + x[n − 1]`, added left to right (the order the scalar loops used).
  static func sum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var s: Float = 0
    for j in 0..<n { s += x[j] }
    return s
  }

  /// LayerNorm of each of `rows` rows of width `d` (ε = 1e-5, biased variance, as PyTorch):
  /// `y = g ⊙ x̂ + b`, keeping `x̂` and `ρ = 1/√(σ² + ε)` for the backward pass.
  static func layerNorm(
    _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ xhat: UnsafeMutablePointer<Float>,
    _ rstd: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ rows: Int,
    _ d: Int
  ) {
    let invD = 1 / Float(d)
    for r in 0..<rows {
      let xr = x + r * d
      let mean = sum(xr, d) * invD
      var variance: Float = 0
      for j in 0..<d {
        let c = xr[j] - mean
        variance += c * c
      }
      variance *= invD
      let rs = 1 / (variance + 1e-5).squareRoot()
      rstd[r] = rs
      for j in 0..<d {
        let h = (xr[j] - mean) * rs
        xhat[r * d + j] = h
        y[r * d + j] = g[j] * h + b[j]
      }
    }
  }

  /// The backward pass of ``layerNorm``: `dx (+)= ρ·(∂x̂ − mean(∂x̂) − x̂·mean(∂x̂ ⊙ x̂))`,
  /// `∂x̂ = g ⊙ dy`; adds `Σ dy ⊙ x̂` into `dg` and `Σ dy` into `db` when given.
  static func layerNormBackward(
    _ dy: UnsafePointer<Float>, _ xhat: UnsafePointer<Float>, _ rstd: UnsafePointer<Float>,
    _ g: UnsafePointer<Float>,
    _ dx: UnsafeMutablePointer<Float>, _ rows: Int, _ d: Int, _ dg: UnsafeMutablePointer<Float>?,
    _ db: UnsafeMutablePointer<Float>?, accumulate: Bool
  ) {
    let invD = 1 / Float(d)
    for r in 0..<rows {
      let dyr = dy + r * d
      let hr = xhat + r * d
      let dxr = dx + r * d
      var m1: Float = 0
      var m2: Float = 0
      for j in 0..<d {
        let gh = g[j] * dyr[j]
        m1 += gh
        m2 += gh * hr[j]
      }
      m1 *= invD
      m2 *= invD
      let rs = rstd[r]
      for j in 0..<d {
        let v = rs * (g[j] * dyr[j] - m1 - hr[j] * m2)
        dxr[j] = accumulate ? dxr[j] + v : v
      }
      if let dg { for j in 0..<d { dg[j] += dyr[j] * hr[j] } }
      if let db { for j in 0..<d { db[j] += dyr[j] } }
    }
  }
}
