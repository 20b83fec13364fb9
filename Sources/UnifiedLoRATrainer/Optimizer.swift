#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// The optimizer of the adapters.
public enum OptimizerKind: String, Sendable, Hashable, Codable, CaseIterable {
  /// Adam (Kingma & Ba) with PyTorch's defaults β1 = 0.9, β2 = 0.999, ε = 1e-8, no weight decay.
  case adam
  /// Plain SGD: `θ ← θ − η·g` (no momentum), the setting of the `2/η` stability threshold.
  case sgd
}

/// The optimizer state and update, with the learning rate passed on every step.
///
/// Adam, in PyTorch's form (`torch.optim.Adam`, `amsgrad = false`):
///
/// ```
/// m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²
/// θ ← θ − (η / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
/// ```
public struct Optimizer: Sendable {
  public let kind: OptimizerKind
  public let beta1: Float = 0.9
  public let beta2: Float = 0.999
  public let epsilon: Float = 1e-8
  var m: [Float]
  var v: [Float]
  /// The number of updates taken.
  public private(set) var t = 0

  public init(kind: OptimizerKind, count: Int) {
    self.kind = kind
    m = kind == .adam ? [Float](repeating: 0, count: count) : []
    v = kind == .adam ? [Float](repeating: 0, count: count) : []
  }

  /// One update of `parameters` with `gradient` and learning rate `lr`.
  public mutating func step(_ parameters: inout [Float], gradient: [Float], lr: Double) {
    t += 1
    let n = parameters.count
    switch kind {
    case .sgd:
      let eta = Float(lr)
      parameters.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { g in
          for k in 0..<n { p[k] -= eta * g[k] }
        }
      }
    case .adam:
      let b1 = beta1
      let b2 = beta2
      let eps = epsilon
      // As PyTorch: the bias corrections and the step size in double precision from the
      // double-precision betas, then used as single-precision scalars.
      let bc1 = 1 - pow(0.9, Double(t))
      let bc2 = 1 - pow(0.999, Double(t))
      let stepSize = Float(lr / bc1)
      let bc2Root = Float(bc2.squareRoot())
      parameters.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { g in
          m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
              Optimizer.adam(
                p.baseAddress!, g.baseAddress!, m.baseAddress!, v.baseAddress!, n, b1: b1, b2: b2,
                eps: eps, stepSize: stepSize, bc2Root: bc2Root)
            }
          }
        }
      }
    }
  }

  /// The Adam update, eight lanes at a time; every lane performs exactly the scalar operations in
  /// the same order (IEEE `+ − × ÷ √` are correctly rounded per lane), so the bits equal the
  /// scalar loop's.
  static func adam(
    _ p: UnsafeMutablePointer<Float>, _ g: UnsafePointer<Float>, _ m: UnsafeMutablePointer<Float>,
    _ v: UnsafeMutablePointer<Float>, _ n: Int, b1: Float, b2: Float, eps: Float, stepSize: Float,
    bc2Root: Float
  ) {
    typealias V = SIMD8<Float>
    var k = 0
    let c1 = 1 - b1
    let c2 = 1 - b2
    while k + 8 <= n {
      let gk = Kernels.load(g + k)
      let mk = V(repeating: b1) * Kernels.load(m + k) + V(repeating: c1) * gk
      let vk = V(repeating: b2) * Kernels.load(v + k) + V(repeating: c2) * gk * gk
      Kernels.store(mk, m + k)
      Kernels.store(vk, v + k)
      let update = V(repeating: stepSize) * mk / (vk.squareRoot() / V(repeating: bc2Root) + V(repeating: eps))
      Kernels.store(Kernels.load(p + k) - update, p + k)
      k += 8
    }
    while k < n {
      let gk = g[k]
      m[k] = b1 * m[k] + c1 * gk
      v[k] = b2 * v[k] + c2 * gk * gk
      p[k] -= stepSize * m[k] / (v[k].squareRoot() / bc2Root + eps)
      k += 1
    }
  }
}
