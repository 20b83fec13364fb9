import Dispatch

/// One batch's loss and adapter gradient computed on several threads by splitting the batch:
/// each part's forward and backward pass runs on its own ``Network`` with single-threaded BLAS,
/// and the parts' losses and gradients are combined in a fixed order, weighted by their sizes.
///
/// This is how one run uses more than one core. OpenBLAS's own threads do not pay at these
/// shapes: the products are small (at most 608 × 128 × 64), so each threaded call's hand-off
/// costs about as much as the product, and the waiting threads spin on the CPU.
///
/// The result equals ``Network/evaluate(adapters:inputs:markers:targets:count:gradient:baseGradient:)``
/// on the whole batch up to rounding (the loss is a mean over examples, and so is its gradient);
/// for a given batch size and number of parts it is the same bits on every call.
public final class SplitBatch: @unchecked Sendable {
  /// One network per part, each used by one thread at a time.
  let parts: [Network]
  let partGradients: [UnsafeMutablePointer<Float>]
  let count: Int

  /// - Parameters:
  ///   - parts: the number of threads (and batch parts), at least 1.
  ///   - capacity: the largest batch.
  public init(
    base: BaseModel, rank: Int, alpha: Double, targets: [AdapterTarget] = [.q, .v], capacity: Int, parts: Int
  ) {
    precondition(rank > 0 && capacity >= 1 && parts >= 1)
    let per = (capacity + parts - 1) / parts
    let networks = (0..<parts).map { _ in
      Network(base: base, rank: rank, alpha: alpha, targets: targets, capacity: per)
    }
    let size = networks[0].layout!.count
    self.parts = networks
    count = size
    partGradients = (0..<parts).map { _ in
      let p = UnsafeMutablePointer<Float>.allocate(capacity: max(1, size))
      p.initialize(repeating: 0, count: max(1, size))
      return p
    }
  }

  deinit { for p in partGradients { p.deallocate() } }

  /// The adapter layout (the same for every part).
  public var layout: AdapterLayout { parts[0].layout! }

  /// The mean cross-entropy of the batch of `n` sequences (at most the capacity) and its gradient
  /// with respect to the adapters, into `gradient` (overwritten).
  public func batch(
    adapters: [Float], inputs: [UInt8], markers: [UInt8], targets: [UInt8], count n: Int,
    gradient: inout [Float]
  ) -> Double {
    precondition(gradient.count == count && adapters.count == count)
    let k = parts.count
    let per = parts[0].capacity
    precondition(n >= 1 && n <= per * k)
    // Part j holds examples [j·per, min(n, (j+1)·per)); trailing parts may be empty.
    let sizes = (0..<k).map { j in max(0, min(n, (j + 1) * per) - j * per) }
    var losses = [Double](repeating: 0, count: k)
    inputs.withUnsafeBufferPointer { ip in
      markers.withUnsafeBufferPointer { mp in
        targets.withUnsafeBufferPointer { tp in
          adapters.withUnsafeBufferPointer { ap in
            losses.withUnsafeMutableBufferPointer { lp in
              let (ip, mp, tp, ap, lp) = (
                SendablePointer(ip.baseAddress!), SendablePointer(mp.baseAddress!),
                SendablePointer(tp.baseAddress!), SendablePointer(ap.baseAddress!),
                SendableMutablePointer(lp.baseAddress!)
              )
              DispatchQueue.concurrentPerform(iterations: k) { j in
                guard sizes[j] > 0 else { return }
                let start = j * per
                lp.pointer[j] = parts[j].evaluate(
                  adapters: ap.pointer, inputs: ip.pointer + start * Encoding.inputLength,
                  markers: mp.pointer + start, targets: tp.pointer + start * Encoding.outputLength,
                  count: sizes[j], gradient: partGradients[j])
              }
            }
          }
        }
      }
    }
    // Fixed order: the same bits whatever thread finished first.
    var loss = 0.0
    gradient.withUnsafeMutableBufferPointer { g in
      g.update(repeating: 0)
      for j in 0..<k where sizes[j] > 0 {
        let wgt = Float(Double(sizes[j]) / Double(n))
        let pg = partGradients[j]
        for i in 0..<count { g[i] += wgt * pg[i] }
        loss += losses[j] * Double(sizes[j]) / Double(n)
      }
    }
    return loss
  }
}

/// A read-only pointer handed to the threads of one ``SplitBatch/batch`` call, which outlives none
/// of them.
struct SendablePointer<T>: @unchecked Sendable {
  let pointer: UnsafePointer<T>
  init(_ p: UnsafePointer<T>) { pointer = p }
}

/// A pointer each thread of one ``SplitBatch/batch`` call writes at its own index only.
struct SendableMutablePointer<T>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<T>
  init(_ p: UnsafeMutablePointer<T>) { pointer = p }
}
