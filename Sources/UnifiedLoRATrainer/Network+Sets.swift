extension Network {
  /// The mean cross-entropy over a whole example set (processed in chunks of ``capacity``).
  public func loss(adapters: [Float]?, on examples: Examples) -> Double {
    var total = 0.0
    forEachChunk(examples) { n, inputs, markers, targets in
      let l = withAdapters(adapters) {
        evaluate(adapters: $0, inputs: inputs, markers: markers, targets: targets, count: n, gradient: nil)
      }
      total += l * Double(n)
    }
    return total / Double(max(examples.count, 1))
  }

  /// The fraction of examples whose every output symbol (padding included) is the arg-max of the
  /// logits given the correct prefix — equivalently, that greedy decoding reproduces exactly
  /// (``Encoding``).
  public func exactMatch(adapters: [Float]?, on examples: Examples) -> Double {
    var correct = 0
    let vocab = shape.vocabulary
    let li = Encoding.inputLength
    let lo = Encoding.outputLength
    forEachChunk(examples) { n, inputs, markers, targets in
      _ = withAdapters(adapters) {
        evaluate(adapters: $0, inputs: inputs, markers: markers, targets: targets, count: n, gradient: nil)
      }
      for i in 0..<n {
        var ok = true
        for p in 0..<lo where ok {
          let z = logits + (row(i, li) + p) * vocab
          var best = 0
          for c in 1..<vocab where z[c] > z[best] { best = c }
          if best != Int(targets[i * lo + p]) { ok = false }
        }
        if ok { correct += 1 }
      }
    }
    return Double(correct) / Double(max(examples.count, 1))
  }

  /// The mean loss of a whole set and its gradient (the mean of the chunk gradients weighted by
  /// size), into `gradient`.
  public func lossAndGradient(adapters: [Float], on examples: Examples, gradient: inout [Float]) -> Double {
    precondition(gradient.count == adapters.count)
    var total = 0.0
    var chunk = [Float](repeating: 0, count: adapters.count)
    for k in gradient.indices { gradient[k] = 0 }
    let count = Double(examples.count)
    forEachChunk(examples) { n, inputs, markers, targets in
      let l = adapters.withUnsafeBufferPointer { ap in
        chunk.withUnsafeMutableBufferPointer { gp in
          evaluate(
            adapters: ap.baseAddress!, inputs: inputs, markers: markers, targets: targets, count: n,
            gradient: gp.baseAddress!)
        }
      }
      let wgt = Float(Double(n) / count)
      for k in gradient.indices { gradient[k] += wgt * chunk[k] }
      total += l * Double(n)
    }
    return total / count
  }

  /// The loss of one batch and, when `gradient` is not nil, the adapter gradient (overwritten).
  public func batch(
    adapters: [Float], inputs: [UInt8], markers: [UInt8], targets: [UInt8], count n: Int,
    gradient: inout [Float]
  ) -> Double {
    inputs.withUnsafeBufferPointer { ip in
      markers.withUnsafeBufferPointer { mp in
        targets.withUnsafeBufferPointer { tp in
          adapters.withUnsafeBufferPointer { ap in
            gradient.withUnsafeMutableBufferPointer { gp in
              evaluate(
                adapters: ap.baseAddress!, inputs: ip.baseAddress!, markers: mp.baseAddress!,
                targets: tp.baseAddress!, count: n, gradient: gp.baseAddress!)
            }
          }
        }
      }
    }
  }

  func withAdapters<R>(_ adapters: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let adapters else { return body(nil) }
    return adapters.withUnsafeBufferPointer { body($0.baseAddress!) }
  }

  func forEachChunk(
    _ examples: Examples,
    _ body: (Int, UnsafePointer<UInt8>, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> Void
  ) {
    examples.inputs.withUnsafeBufferPointer { ip in
      examples.markers.withUnsafeBufferPointer { mp in
        examples.targets.withUnsafeBufferPointer { tp in
          var start = 0
          while start < examples.count {
            let n = min(capacity, examples.count - start)
            body(
              n, ip.baseAddress! + start * Encoding.inputLength, mp.baseAddress! + start,
              tp.baseAddress! + start * Encoding.outputLength)
            start += n
          }
        }
      }
    }
  }
}
