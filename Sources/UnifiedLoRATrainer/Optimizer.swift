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
    let eta = Float(lr)
    switch kind {
    case .sgd:
      parameters.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { g in
          for k in 0..<n { p[k] -= eta * g[k] }
        }
      }
    case .adam:
      let b1 = beta1, b2 = beta2, eps = epsilon
      let bc1 = 1 - Float(pow(Double(b1), Double(t)))
      let bc2 = 1 - Float(pow(Double(b2), Double(t)))
      let stepSize = eta / bc1
      let bc2Root = bc2.squareRoot()
      parameters.withUnsafeMutableBufferPointer { p in
        gradient.withUnsafeBufferPointer { g in
          m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
              for k in 0..<n {
                let gk = g[k]
                m[k] = b1 * m[k] + (1 - b1) * gk
                v[k] = b2 * v[k] + (1 - b2) * gk * gk
                p[k] -= stepSize * m[k] / (v[k].squareRoot() / bc2Root + eps)
              }
            }
          }
        }
      }
    }
  }
}
