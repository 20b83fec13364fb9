import Foundation
import UnifiedLoRA

/// Reduces a counterexample to a minimal witness: the shortest trace, then the simplest values,
/// then parameters as close to the variant's defaults as the property allows.
///
/// A candidate is kept only when it is still inside the property's hypotheses (`premise`) and
/// still a counterexample. The result is a local minimum: no single deletion, value
/// simplification or parameter reset keeps it failing.
public enum Shrinker {
  /// How simple a number is to read: 0 first, then short decimals, then small magnitudes.
  package static func complexity(_ x: Double) -> Double {
    if x == 0 { return 0 }
    let text = x.description
    let digits = Double(text.filter(\.isNumber).count)
    return digits * 10 + (x == x.rounded() ? 0 : 5) + log2(abs(x) + 1) / 1100
  }

  /// Simpler candidates for a value: 0, 1, integers around it, fewer significant digits, powers of ten.
  package static func candidates(_ x: Double) -> [Double] {
    guard x != 0 else { return [] }
    var out: [Double] = [0, 1, 10, x.rounded(.down), x.rounded(.up), x.rounded()]
    out += (1...3).map { x.rounded(.down) - Double($0) }
    for digits in 1...3 {
      if let y = Double(String(format: "%.\(digits)g", x)) { out.append(y) }
    }
    if x > 0 {
      let e = log10(x)
      out += [pow(10, e.rounded(.down)), pow(10, e.rounded(.up))]
      out += [x / 2, x * 2]
    }
    let c = complexity(x)
    return out.filter { $0.isFinite && $0 >= 0 && $0 != x && complexity($0) < c }
      .sorted { complexity($0) < complexity($1) }
  }

  public static func shrink(_ start: Case, _ inv: Invariant, budget: Int = 20_000) -> Case {
    var best = start
    var tries = 0
    func fails(_ c: Case) -> Bool {
      tries += 1
      return inv.premise(c) && inv.counterexample(c) != nil
    }
    func apply(_ c: Case, _ edit: (inout Trace) -> Void) -> Case {
      var d = c
      edit(&d.trace)
      if var o = d.otherTrace {
        edit(&o)
        d.otherTrace = o
      }
      return d
    }
    /// `c` with every occurrence of `v` in the losses (`field` 0) or the envs (1) replaced by `w`.
    func replacing(_ c: Case, field: Int, _ v: Double, with w: Double) -> Case {
      apply(c) { t in
        if field == 0 {
          t.losses = t.losses.map { $0 == v ? w : $0 }
        } else {
          t.envs = t.envs.map { $0 == v ? w : $0 }
        }
      }
    }
    var progress = true
    while progress && tries < budget {
      progress = false
      // 2. Simpler values: each distinct value everywhere at once, then one position at a time.
      for field in 0..<2 {
        let values = Set(field == 0 ? best.trace.losses : best.trace.envs).sorted()
        for v in values {
          for w in candidates(v) where tries < budget {
            let c = replacing(best, field: field, v, with: w)
            if fails(c) {
              best = c
              progress = true
              break
            }
          }
        }
        // merge values: replace one value by another value of the trace, everywhere
        let present = Set(field == 0 ? best.trace.losses : best.trace.envs).sorted {
          complexity($0) < complexity($1)
        }
        if present.count <= 40 {
          outer: for v in present.reversed() {
            for w in present where complexity(w) <= complexity(v) && w != v && tries < budget {
              let c = replacing(best, field: field, v, with: w)
              if fails(c) {
                best = c
                progress = true
                continue outer
              }
            }
          }
        }
      }
      // 1. Shorter: drop chunks, largest first (from the end first, then anywhere).
      var chunk = max(1, best.trace.count / 2)
      while chunk >= 1 && tries < budget {
        var removed = false
        var start = best.trace.count - chunk
        while start >= 0 && tries < budget {
          let s = start
          let e = start + chunk
          let c = apply(best) { t in
            t.losses.removeSubrange(s..<e)
            t.envs.removeSubrange(s..<e)
          }
          if fails(c) {
            best = c
            removed = true
            progress = true
            start = min(start, best.trace.count - chunk)
          } else {
            start -= chunk
          }
        }
        if !removed { chunk /= 2 }
      }
      for field in 0..<2 {
        for i in 0..<best.trace.count where best.trace.count <= 400 {
          let v = field == 0 ? best.trace.losses[i] : best.trace.envs[i]
          for w in candidates(v) where tries < budget {
            var c = best
            if field == 0 { c.trace.losses[i] = w } else { c.trace.envs[i] = w }
            if let o = c.otherTrace {
              // keep the pair ordered: the upper trace never drops below the lower one
              if field == 0 {
                c.otherTrace!.losses[i] = max(o.losses[i], w)
              } else {
                c.otherTrace!.envs[i] = max(o.envs[i], w)
              }
            }
            if fails(c) {
              best = c
              progress = true
              break
            }
          }
        }
      }
      if let o = best.otherTrace {
        for i in 0..<o.count where best.trace.count <= 400 && tries < budget {
          for (field, v) in [(0, o.losses[i]), (1, o.envs[i])] {
            let lower = field == 0 ? best.trace.losses[i] : best.trace.envs[i]
            for w in [lower, lower.nextUp, lower.nextUp.nextUp] + candidates(v)
            where w >= lower && w != v && (w < v || complexity(w) < complexity(v)) && tries < budget {
              var c = best
              if field == 0 { c.otherTrace!.losses[i] = w } else { c.otherTrace!.envs[i] = w }
              if fails(c) {
                best = c
                progress = true
                break
              }
            }
          }
        }
      }
      // 3. Parameters towards the defaults, then towards simpler numbers.
      if let p = simplerParameters(best, fails) {
        best = p
        progress = true
      }
    }
    return best
  }

  static func simplerParameters(_ c: Case, _ fails: (Case) -> Bool) -> Case? {
    let p = c.parameters
    let d = Parameters.defaults(p.variant)
    var options: [Parameters?] = [
      try? p.with(alpha: d.alpha), try? p.with(beta: d.beta), try? p.with(alphaE: d.alphaE),
      try? p.with(theta0: d.theta0), try? p.with(theta1: d.theta1), try? p.with(cooldown: d.cooldown),
      try? p.with(learningRates: d.learningRates),
    ]
    var s = p.initial
    s.ehat = d.initial.ehat
    options.append(try? p.with(initial: s))
    s = p.initial
    s.phi = d.initial.phi
    options.append(try? p.with(initial: s))
    s = p.initial
    s.mode = d.initial.mode
    options.append(try? p.with(initial: s))
    for x in candidates(p.alpha) where x > 0 && x <= 1 { options.append(try? p.with(alpha: x)) }
    for x in candidates(p.beta) where x < 1 { options.append(try? p.with(beta: x)) }
    for x in candidates(p.alphaE) where x <= 1 { options.append(try? p.with(alphaE: x)) }
    for x in candidates(p.initial.ehat) {
      var s = p.initial
      s.ehat = x
      options.append(try? p.with(initial: s))
    }
    if p.cooldown > 0 { options.append(try? p.with(cooldown: p.cooldown / 2)) }
    for case let q? in options where q != p {
      var e = c
      e.parameters = q
      if fails(e) { return e }
    }
    if let b = c.otherInitial, b.phi == p.initial.phi {
      // the two states of C6 share φ: simplify it in both
      for x in candidates(b.phi) where x <= 1 {
        var s = p.initial
        s.phi = x
        var o = b
        o.phi = x
        if let q = try? p.with(initial: s) {
          var e = c
          e.parameters = q
          e.otherInitial = o
          if fails(e) { return e }
        }
      }
    }
    if var b = c.otherInitial {
      for x in candidates(b.ehat) {
        b.ehat = x
        var e = c
        e.otherInitial = b
        if fails(e) { return e }
        b = c.otherInitial!
      }
    }
    return nil
  }
}

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif
