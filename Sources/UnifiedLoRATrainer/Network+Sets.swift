extension Network {
  /// The mean cross-entropy over a whole example set (processed in chunks of ``capacity``).
  public func loss(adapters: [Float]?, on examples: Examples) -> Double {
    var total = 0.0
    forEachChunk(examples) { start, n, inputs, targets in
      let l = withAdapters(adapters) {
        evaluate(adapters: $0, inputs: inputs, targets: targets, count: n, gradient: nil)
      }
      total += l * Double(n)
    }
    return total / Double(max(examples.count, 1))
  }

  /// The fraction of examples whose every output position (padding included) is predicted
  /// exactly by the arg-max of the logits.
  public func exactMatch(adapters: [Float]?, on examples: Examples) -> Double {
    var correct = 0
    let a = Encoding.alphabet
    forEachChunk(examples) { start, n, inputs, targets in
      _ = withAdapters(adapters) {
        evaluate(adapters: $0, inputs: inputs, targets: targets, count: n, gradient: nil)
      }
      let logits = x[3]
      for i in 0..<n {
        var ok = true
        for p in 0..<Encoding.outputLength where ok {
          let row = logits + i * widths[3] + p * a
          var best = 0
          for k in 1..<a where row[k] > row[best] { best = k }
          if best != Int(targets[i * Encoding.outputLength + p]) { ok = false }
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
    forEachChunk(examples) { start, n, inputs, targets in
      let l = adapters.withUnsafeBufferPointer { ap in
        chunk.withUnsafeMutableBufferPointer { gp in
          evaluate(adapters: ap.baseAddress!, inputs: inputs, targets: targets, count: n, gradient: gp.baseAddress!)
        }
      }
      let wgt = Float(Double(n) / count)
      for k in gradient.indices { gradient[k] += wgt * chunk[k] }
      total += l * Double(n)
    }
    return total / count
  }

  func withAdapters<R>(_ adapters: [Float]?, _ body: (UnsafePointer<Float>?) -> R) -> R {
    guard let adapters else { return body(nil) }
    return adapters.withUnsafeBufferPointer { body($0.baseAddress!) }
  }

  func forEachChunk(
    _ examples: Examples,
    _ body: (Int, Int, UnsafePointer<UInt8>, UnsafePointer<UInt8>) -> Void
  ) {
    examples.inputs.withUnsafeBufferPointer { ip in
      examples.targets.withUnsafeBufferPointer { tp in
        var start = 0
        while start < examples.count {
          let n = min(capacity, examples.count - start)
          body(start, n, ip.baseAddress! + start * Encoding.inputLength, tp.baseAddress! + start * Encoding.outputLength)
          start += n
        }
      }
    }
  }
}
