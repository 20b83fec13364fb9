import Dispatch
import Foundation
import UnifiedLoRA
import UnifiedLoRASupport

/// The volume engine: eight traces per block in structure-of-arrays SIMD lanes, on every core.
///
/// Lanes 0–3 of a block are independent traces (their own parameters over the whole valid domain,
/// initial state and input program); lanes 4–7 are their twins, with the same parameters and
/// initial state and inputs `min(m·L + o, 1e300)`, `min(m·E + o, 1e300)` (m ≥ 1, o ≥ 0), so the
/// comparison principle is checked on every pair. The continuous update is the core's
/// ``ContinuousUpdate`` (generic, here on `SIMD8<Double>`) and the mode logic is ``LaneModes``;
/// inputs are generated in the lanes (xorshift64 per lane), so generation and every check run in
/// the same pass as the step.
///
/// Checked at every step, with the hypotheses of the catalogue's property of the same id:
/// C1 (range and bounds), C2 (cooldown), C3/C5 (settle in Single after the constant tail starts,
/// by the envelope bound), C4 (no Mirror while g(sup X) < θ1; Mirror after a constant tail with
/// φ* > θ1), C4.order (no skipped Multi without cooldown, α below the band bound), C7 (≤ 5
/// switches in a constant tail), T03 (the envelope in the tail), T06 (Ê, φ of the twin ≥) and
/// T06.mode (the twin's mode ≥ without cooldown). A lane that fails is regenerated and checked
/// again by the scalar catalogue, which reduces it to a witness.
package enum LaneEngine {
  package typealias V = SIMD8<Double>
  package typealias I = SIMD8<Int64>
  typealias H = SIMD4<Double>
  typealias HI = SIMD4<Int64>

  @inline(__always)
  static func sel4(_ m: HI, _ a: H, _ b: H) -> H {
    unsafeBitCast((unsafeBitCast(a, to: HI.self) & m) | (unsafeBitCast(b, to: HI.self) & ~m), to: H.self)
  }

  @inline(__always)
  static func sel(_ m: I, _ a: V, _ b: V) -> V { LaneModes.select(m, a, b) }

  @inline(__always)
  static func sel(_ m: I, _ a: I, _ b: I) -> I { LaneModes.select(m, a, b) }

  @inline(__always)
  static func absolute(_ v: V) -> V {
    unsafeBitCast(unsafeBitCast(v, to: I.self) & I(repeating: Int64.max), to: V.self)
  }

  /// The properties the engine checks; bit `rawValue` of a lane's failure mask is the property's.
  package enum Property: Int, Sendable, CaseIterable, CustomStringConvertible {
    case c1, c2, c3, c4, c4Order, c5, c7, t03, t06, t06Mode

    /// The id of the catalogue's property of the same statement (``Catalogue/all``).
    package var id: String {
      switch self {
      case .c1: "C1"
      case .c2: "C2"
      case .c3: "C3"
      case .c4: "C4"
      case .c4Order: "C4.order"
      case .c5: "C5"
      case .c7: "C7"
      case .t03: "T03"
      case .t06: "T06"
      case .t06Mode: "T06.mode"
      }
    }

    package var description: String { id }

    /// The property's bit in a lane's failure mask.
    var bit: Int64 { Int64(1) << Int64(rawValue) }
  }

  /// The ids of the properties the engine checks, in bit order.
  package static let ids = Property.allCases.map(\.id)

  /// One block's parameters and input programs (lanes 0–3; the twins copy 0–3).
  package struct Block: Sendable {
    package var variant: Variant
    package var parameters: [Parameters]  // 4
    // input programs, lanes 0–3
    var base = H(), amp = H(), decay = H(), drift = H(), sigma = H(), heavy = H()
    var shockStart = H(), shockEnd = H(), shockHeight = H(), shockEnv = H()
    var spikeP = H(), spikeValue = H(), envLevel = H(), tailStart = H(), tailLoss = H(), tailEnv = H()
    var scale = H(), offset = H()
    var rng = SIMD4<UInt64>()

    /// Draws the block `index` of a run seeded with `seed`.
    package init(seed: UInt64, index: Int, steps: Int) {
      var g = SeededGenerator(seed: Search.caseSeed(seed, "lanes", index))
      variant = g.nextUnit() < 0.7 ? .report : .repo
      var ps: [Parameters] = []
      for k in 0..<4 {
        let p = Generators.parameters(variant, using: &g)
        ps.append(p)
        let n = Double(max(steps, 1))
        let lo =
          g.nextUnit() < 0.3 ? EdgeValues.all.randomElement(using: &g)! : Generators.logUniform(1e-3, 1e3, &g)
        base[k] = min(lo, 1e300)
        amp[k] = g.nextUnit() < 0.5 ? 0 : Generators.logUniform(0.1, 100, &g)
        decay[k] = g.nextUnit() < 0.5 ? 1 : 1 - 1 / Generators.logUniform(2, n, &g)
        drift[k] = g.nextUnit() < 0.8 ? 0 : (g.nextUnit() - 0.5) * 4 * max(lo, 1) / n
        sigma[k] = g.nextUnit() < 0.2 ? 0 : g.nextUnit() * 0.9
        heavy[k] = g.nextUnit() < 0.15 ? 1 : 0
        let s = Double(Int.random(in: 0...steps, using: &g))
        shockStart[k] = g.nextUnit() < 0.6 ? s : -1
        shockEnd[k] = g.nextUnit() < 0.6 ? s + Double(Int.random(in: 1...max(1, steps / 3), using: &g)) : -1
        shockHeight[k] = Generators.logUniform(1, 1e300, &g)
        let envKind = variant == .repo ? 0 : Int.random(in: 0...2, using: &g)
        envLevel[k] = envKind == 0 ? 0 : envKind == 1 ? g.nextUnit() : Generators.logUniform(1e-3, 1e3, &g)
        shockEnv[k] = envKind == 2 ? Generators.logUniform(1, 1e300, &g) : envLevel[k]
        spikeP[k] = g.nextUnit() < 0.7 ? 0 : Generators.logUniform(1e-4, 0.1, &g)
        spikeValue[k] = Generators.logUniform(1, 1e300, &g)
        tailStart[k] = g.nextUnit() < 0.2 ? 0 : Double(Int.random(in: 0...steps, using: &g))
        // a tail in each band: Single, Multi or Mirror, from a loss or an env level
        let band = Int.random(in: 0...2, using: &g)
        let target =
          band == 0
          ? p.theta0 * g.nextUnit()
          : band == 1
            ? p.theta0 + (p.theta1 - p.theta0) * g.nextUnit() : p.theta1 + (1 - p.theta1) * g.nextUnit()
        let x = target / (1 - target)
        if variant == .report && (p.alphaE > 0.5 || g.nextUnit() < 0.3) && p.alphaE > 0 {
          tailLoss[k] = 0
          tailEnv[k] = min(1e300, x / p.alphaE)
        } else {
          let dTarget = variant == .report ? min(x / max(1 - p.alphaE, 1e-300), 1) : x
          tailLoss[k] = variant == .report ? (dTarget >= 1 ? 1e300 : dTarget / (1 - dTarget)) : x
          tailEnv[k] = 0
        }
        scale[k] = g.nextUnit() < 0.3 ? 1 : 1 + g.nextUnit()
        offset[k] = g.nextUnit() < 0.5 ? 0 : g.nextUnit()
        var r: UInt64 = 0
        while r == 0 { r = g.next() }
        rng[k] = r
      }
      parameters = ps
    }

    /// The inputs of step `t` for the eight lanes (advances the lane generators).
    @inline(__always)
    mutating func inputs(_ t: Double, _ decayNow: inout H) -> (loss: V, env: V) {
      var x = rng
      x ^= x &<< 13
      x ^= x &>> 7
      x ^= x &<< 17
      rng = x
      let one = SIMD4<UInt64>(repeating: 0x3FF0_0000_0000_0000)
      let u1 = H(repeating: 2) - unsafeBitCast((x &>> 12) | one, to: H.self)  // (0, 1]
      let lo32 = (x & 0xFFFF_FFFF) | 0x4330_0000_0000_0000
      let u2 = (unsafeBitCast(lo32, to: H.self) - H(repeating: 0x1p52) + 1) * H(repeating: 0x1p-32)  // (0, 1]
      let tt = H(repeating: t)
      let td = tt
      decayNow = decayNow * decay
      var level = base + amp * decayNow + drift * td
      level = sel4((level .< 0)._storage, H(), level)
      let noise = 1 + sigma * (2 * u1 - 1)
      let mult = sel4((heavy .== 1)._storage, noise / u2, noise)
      var loss = level * mult
      loss = sel4((u2 .< spikeP)._storage, spikeValue, loss)
      let shock = (tt .>= shockStart)._storage & (tt .< shockEnd)._storage
      loss = sel4(shock, shockHeight * noise, loss)
      var env = sel4(shock, shockEnv, envLevel * u1)
      let tail = (tt .>= tailStart)._storage
      loss = sel4(tail, tailLoss, loss)
      env = sel4(tail, tailEnv, env)
      let cap = H(repeating: 1e300)
      loss = sel4((loss .<= cap)._storage, loss, cap)
      env = sel4((env .<= cap)._storage, env, cap)
      var hiL = loss * scale + offset
      var hiE = env * scale + offset
      if variant == .repo { hiE = H() }
      hiL = sel4((hiL .<= cap)._storage, hiL, cap)
      hiE = sel4((hiE .<= cap)._storage, hiE, cap)
      return (V(lowHalf: loss, highHalf: hiL), V(lowHalf: env, highHalf: hiE))
    }

    /// The eight traces of this block (for reducing a failing lane with the scalar checks).
    package func traces(steps: Int) -> [Trace] {
      var b = self
      var d = H(repeating: 1)
      var out = (0..<8).map { _ in Trace(losses: [], envs: []) }
      for t in 0..<steps {
        let (l, e) = b.inputs(Double(t), &d)
        for k in 0..<8 {
          out[k].losses.append(l[k])
          out[k].envs.append(e[k])
        }
      }
      return out
    }

    package func laneParameters(_ lane: Int) -> Parameters { parameters[lane % 4] }
  }

  /// The states of the eight lanes of a block after each step, computed with the engine's own
  /// lane step (``ContinuousUpdate`` on `SIMD8<Double>` and ``LaneModes``): what a test compares,
  /// lane by lane and bit by bit, with the scalar core on the same traces.
  package static func laneStates(_ block: Block, steps: Int) -> [[ControllerState]] {
    var b = block
    let ps = b.parameters
    let start = Start(ps)
    let (alpha, beta, alphaE) = (start.alpha, start.beta, start.alphaE)
    let (theta0, theta1, cooldown) = (start.theta0, start.theta1, start.cooldown)
    var (ehat, phi, mode) = (start.ehat, start.phi, start.mode)
    var last = V(repeating: LaneModes.never)
    var decayNow = H(repeating: 1)
    var out = [[ControllerState]](repeating: [], count: 8)
    for ti in 0..<steps {
      let t = Double(ti)
      let (loss, env) = b.inputs(t, &decayNow)
      if b.variant == .report {
        let c = LaneModes.classify(phi, theta0: theta0, theta1: theta1)
        (ehat, phi) = ContinuousUpdate.report(
          ehat: ehat, phi: phi, d: ContinuousUpdate.squash(loss), env: env, alpha: alpha, beta: beta,
          alphaE: alphaE)
        _ = LaneModes.reportSwitch(mode: &mode, lastSwitch: &last, candidate: c, at: t, cooldown: cooldown)
      } else {
        (ehat, phi) = ContinuousUpdate.repo(ehat: ehat, phi: phi, loss: loss, alpha: alpha, beta: beta)
        _ = LaneModes.repoSwitch(
          mode: &mode, lastSwitch: &last, phi: phi, at: t, theta0: theta0, theta1: theta1)
      }
      for k in 0..<8 {
        out[k].append(
          ControllerState(
            ehat: ehat[k], phi: phi[k], mode: Mode(rawValue: Int(mode[k])) ?? .mirror,
            lastSwitch: last[k] == LaneModes.never ? nil : Int(last[k])))
      }
    }
    return out
  }

  /// What one run found.
  package struct Result: Sendable {
    package var traces = 0
    package var steps = 0
    /// Per property id: lanes inside the hypotheses, steps checked, and the first failing trace
    /// (block, lane).
    package var counts: [String: (traces: Int, steps: Int)] = [:]
    package var failures: [String: (block: Int, lane: Int)] = [:]
    package var seconds = 0.0

    mutating func merge(_ o: Result) {
      traces += o.traces
      steps += o.steps
      for (k, v) in o.counts {
        let c = counts[k] ?? (0, 0)
        counts[k] = (c.traces + v.traces, c.steps + v.steps)
      }
      for (k, v) in o.failures
      where failures[k] == nil || (v.block, v.lane) < (failures[k]!.block, failures[k]!.lane) {
        failures[k] = v
      }
    }
  }

  /// A block's parameters and initial states as lanes (the twins, lanes 4–7, copy lanes 0–3):
  /// the start of both the engine's pass and ``laneStates(_:steps:)``.
  struct Start {
    var alpha, beta, alphaE, theta0, theta1, cooldown: V
    var ehat, phi, mode: V

    init(_ ps: [Parameters]) {
      func lanes(_ f: (Parameters) -> Double) -> V {
        let h = H(f(ps[0]), f(ps[1]), f(ps[2]), f(ps[3]))
        return V(lowHalf: h, highHalf: h)
      }
      alpha = lanes(\.alpha)
      beta = lanes(\.beta)
      alphaE = lanes(\.alphaE)
      theta0 = lanes(\.theta0)
      theta1 = lanes(\.theta1)
      cooldown = lanes { Double($0.cooldown) }
      ehat = lanes(\.initial.ehat)
      phi = lanes(\.initial.phi)
      mode = lanes { Double($0.initial.mode.rawValue) }
    }
  }

  /// Runs block `index`, `steps` steps; returns the per-lane failure bits and adds counts.
  package static func runBlock(seed: UInt64, index: Int, steps: Int, into result: inout Result) {
    var b = Block(seed: seed, index: index, steps: steps)
    let ps = b.parameters
    func lanes(_ f: (Parameters) -> Double) -> V {
      V(
        lowHalf: H(f(ps[0]), f(ps[1]), f(ps[2]), f(ps[3])),
        highHalf: H(f(ps[0]), f(ps[1]), f(ps[2]), f(ps[3])))
    }
    func ilanes(_ f: (Parameters) -> Int64) -> I {
      let h = SIMD4<Int64>(f(ps[0]), f(ps[1]), f(ps[2]), f(ps[3]))
      return I(lowHalf: h, highHalf: h)
    }
    let start = Start(ps)
    let (alpha, beta, alphaE) = (start.alpha, start.beta, start.alphaE)
    let (theta0, theta1, cooldown) = (start.theta0, start.theta1, start.cooldown)
    var (ehat, phi, mode) = (start.ehat, start.phi, start.mode)
    var last = V(repeating: LaneModes.never)
    let report = b.variant == .report
    let u = Rounding.unit
    let margin = Rounding.degenerateMargin
    let one = V(repeating: 1)
    let oneMinusBeta: V = one - beta
    let invAlpha: V = one / alpha
    let invOneMinusBeta: V = one / oneMinusBeta
    let tolE: V = one + V(repeating: Rounding.slack) * invOneMinusBeta
    // rounding in the subnormal range is absolute: eight subnormal ulps, amplified like the rest
    let tolTiny: V = V(repeating: Rounding.subnormalSlack) * invOneMinusBeta
    let tolPhi: V = V(repeating: Rounding.slack) * (one + invAlpha)
    let slackPhi: V = V(repeating: Rounding.slack) * (one + invAlpha + invOneMinusBeta)
    let phi0 = phi
    let ehat0 = ehat
    let mode0 = mode
    let allTrue = I(repeating: -1)
    // C4 never-Mirror hypothesis on the initial state
    let neverBase =
      (phi0 .< theta1)._storage & (mode0 .!= 2)._storage
      & (ContinuousUpdate.squash(ehat0) .< theta1 - margin)._storage
    // C4.order hypothesis
    let orderHyp = ilanes { p in
      ((p.variant == .repo || p.cooldown == 0) && ClosedForm.multiCannotBeSkipped(p)
        && p.initial.mode == Mode.classify(p.initial.phi, theta0: p.theta0, theta1: p.theta1)) ? -1 : 0
    }
    let noCooldown = report ? (cooldown .== 0)._storage : allTrue
    let bC1 = Property.c1.bit
    let bC2 = Property.c2.bit
    let bC3 = Property.c3.bit
    let bC4 = Property.c4.bit
    let bOrder = Property.c4Order.bit
    let bC5 = Property.c5.bit
    let bC7 = Property.c7.bit
    let bT03 = Property.t03.bit
    let bT06 = Property.t06.bit
    let bT06m = Property.t06Mode.bit
    var bound = ehat0  // max(Ê0, X_0..X_t)
    var emax = ehat0
    var bad = I()
    let tail = V(lowHalf: b.tailStart, highHalf: b.tailStart)
    let firstTail = tail.min()
    let startedAt0 = (tail .== 0)._storage
    // tail state
    var settleAt = V(repeating: .infinity)
    var target = V(repeating: -1)
    var tailSwitches = V()
    var xTail = V()
    var eStar = V()
    var phiStar = V()
    var e0 = V()
    var d0 = V()
    var pk = V(repeating: 1)
    var ak = V()
    var bk = V(repeating: 1)
    var ae0 = V()
    var ad0 = V()
    var ad0e = V()
    var tolEs = V()
    let rho = lanes { max($0.beta, 1 - $0.alpha) }
    var tailValid = I()  // −1: φ* nondegenerate and the bound fits (C3, C4, C5, C7, T03 apply)
    var decayNow = H(repeating: 1)
    // block-level switches: a check whose hypothesis no lane of the block meets is not run
    let anyOrder = orderHyp.wrappedSum() != 0
    let anyNoCooldown = noCooldown.wrappedSum() != 0
    let theta1m = theta1 - margin
    // g(B) < θ1 − margin  ⟺  B < (θ1 − margin)/(1 − θ1 + margin): no division in the loop
    let neverX: V = theta1m / (one - theta1m)
    let marginV = V(repeating: margin)
    for ti in 0..<steps {
      let t = Double(ti)
      let tt = V(repeating: t)
      let (loss, env) = b.inputs(t, &decayNow)
      let d = ContinuousUpdate.squash(loss)
      let x = report ? ContinuousUpdate.stress(d: d, env: env, alphaE: alphaE) : loss
      if t >= firstTail, (tail .== tt)._storage.wrappedSum() != 0 {
        // the constant tail starts at this step: fix its fixed point and settle bound per lane
        for k in 0..<8 where tail[k] == t {
          let p = ps[k % 4]
          let s = ControllerState(
            ehat: ehat[k], phi: phi[k], mode: Mode(rawValue: Int(mode[k])) ?? .mirror,
            lastSwitch: last[k] == LaneModes.never ? nil : Int(last[k]))
          xTail[k] = x[k]
          (eStar[k], phiStar[k]) = ClosedForm.fixedPoint(x: x[k])
          e0[k] = phi[k] - phiStar[k]
          d0[k] = ehat[k] - eStar[k]
          ae0[k] = abs(e0[k])
          ad0[k] = abs(d0[k])
          ad0e[k] = ad0[k] * (1 + 1e-9)
          tolEs[k] = (4 * u * (ad0[k] + eStar[k]) + Rounding.subnormalSlack) / (1 - p.beta)
          if let (m, r) = ClosedForm.modeSettleRecords(p, from: s, x: x[k], margin: margin, limit: steps - ti)
          {
            settleAt[k] = t + Double(r)
            target[k] = Double(m.rawValue)
            tailValid[k] = -1
          }
        }
      }
      let oldMode = mode
      let phiOld = phi
      var switched: I
      if report {
        let c = LaneModes.classify(phi, theta0: theta0, theta1: theta1)
        let (e, f) = ContinuousUpdate.report(
          ehat: ehat, phi: phi, d: d, env: env, alpha: alpha, beta: beta, alphaE: alphaE)
        let lastBefore = last
        switched = LaneModes.reportSwitch(
          mode: &mode, lastSwitch: &last, candidate: c, at: t, cooldown: cooldown)
        // C2: a switch only after the cooldown (s = −∞ allows one at once)
        bad |= switched & (tt - lastBefore .< cooldown)._storage & bC2
        ehat = e
        phi = f
      } else {
        let (e, f) = ContinuousUpdate.repo(ehat: ehat, phi: phi, loss: loss, alpha: alpha, beta: beta)
        ehat = e
        phi = f
        switched = LaneModes.repoSwitch(
          mode: &mode, lastSwitch: &last, phi: phi, at: t, theta0: theta0, theta1: theta1)
      }
      // C1
      bound = sel((x .> bound)._storage, x, bound)
      emax = sel((ehat .> emax)._storage, ehat, emax)
      // φ ≤ max(φ0, Ê_max/(1 + Ê_max)) + tol, the quotient cross-multiplied (no division)
      let phiLow = phi - tolPhi
      let underBound = (phiLow .<= phi0)._storage | (phiLow * (one + emax) .<= emax)._storage
      let c1ok =
        (ehat .>= 0)._storage & (ehat .<= bound * tolE + tolTiny)._storage & (phi .>= 0)._storage
        & (phi .<= 1)._storage & underBound
      bad |= ~c1ok & bC1
      // C4.order: no jump by two without cooldown and with α below the band bound
      if anyOrder {
        let jump = absolute(mode - oldMode)
        bad |= switched & orderHyp & (jump .== 2)._storage & bOrder
      }
      // C4: no Mirror while g(sup X) < θ1
      bad |= neverBase & (bound .< neverX)._storage & (mode .== 2)._storage & bC4
      if t >= firstTail {
        // tail checks
        let inTail = (tt .>= tail)._storage
        tailSwitches = tailSwitches + sel(switched & inTail, one, V())
        let wrong = (tt .>= settleAt)._storage & (mode .!= target)._storage
        let toSingle = wrong & (target .== 0)._storage
        bad |= toSingle & startedAt0 & bC3
        bad |= toSingle & ~startedAt0 & bC5
        bad |= wrong & (target .== 2)._storage & bC4
        bad |= inTail & tailValid & (tailSwitches .> 5)._storage & bC7
        // T03 envelope (k = t − tailStart + 1 updates in the tail)
        let resetK = (tt .== tail)._storage
        ak = sel(resetK, one, rho * ak + pk)
        pk = sel(resetK, rho, rho * pk)
        bk = sel(resetK, beta, beta * bk)
        let envPhi: V = pk * ae0 + alpha * ak * ad0
        let limE: V = bk * ad0e + tolEs
        let limPhi: V = envPhi * V(repeating: 1 + 1e-9) + slackPhi
        let t03ok = (absolute(ehat - eStar) .<= limE)._storage & (absolute(phi - phiStar) .<= limPhi)._storage
        bad |= inTail & tailValid & ~t03ok & bT03
      }
      // T06 twins: lanes 4–7 read larger inputs than lanes 0–3
      let eLo = ehat.lowHalf
      let eHi = ehat.highHalf
      let eMax: H = sel4((eHi .> eLo)._storage, eHi, eLo)
      let slackE: H = H(repeating: Rounding.slack) * eMax * invOneMinusBeta.lowHalf + tolTiny.lowHalf
      let mono = (eLo .<= eHi + slackE)._storage & (phi.lowHalf .<= phi.highHalf + slackPhi.lowHalf)._storage
      bad |= I(lowHalf: ~mono, highHalf: HI()) & bT06
      if anyNoCooldown {
        // T06.mode without cooldown; rounding can reorder φ values within ulps of a threshold (T02):
        // those records are exempt, as in the scalar check
        let read = report ? phiOld : phi
        let near =
          (absolute(read - theta0) .< marginV)._storage | (absolute(read - theta1) .< marginV)._storage
        let nearPair = near.lowHalf | near.highHalf
        let modeDown = (mode.lowHalf .> mode.highHalf)._storage & ~nearPair
        bad |= I(lowHalf: modeDown, highHalf: HI()) & noCooldown & bT06m
      }
    }
    // counts
    result.traces += 8
    result.steps += 8 * steps
    func add(_ property: Property, _ n: Int, _ s: Int) {
      let c = result.counts[property.id] ?? (0, 0)
      result.counts[property.id] = (c.traces + n, c.steps + s)
    }
    add(.c1, 8, 8 * steps)
    if report { add(.c2, 8, 8 * steps) }
    var c3 = 0
    var c5 = 0
    var c4r = 0
    var c4n = 0
    var tailN = 0
    var c3s = 0
    var c5s = 0
    var c4s = 0
    var tailS = 0
    var order = 0
    var noCd = 0
    for k in 0..<8 {
      let len = max(0, steps - Int(tail[k]))
      if tailValid[k] != 0 && settleAt[k] < Double(steps) {
        if target[k] == 0 && tail[k] == 0 {
          c3 += 1
          c3s += len
        }
        if target[k] == 0 && tail[k] > 0 {
          c5 += 1
          c5s += len
        }
        if target[k] == 2 {
          c4r += 1
          c4s += len
        }
      }
      if tailValid[k] != 0 && len > 0 {
        tailN += 1
        tailS += len
      }
      if neverBase[k] != 0 {
        c4n += 1
        c4s += steps
      }
      if orderHyp[k] != 0 { order += 1 }
      if noCooldown[k] != 0 { noCd += 1 }
    }
    add(.c3, c3, c3s)
    add(.c5, c5, c5s)
    add(.c4, c4r + c4n, c4s)
    add(.c7, tailN, tailS)
    add(.t03, tailN, tailS)
    add(.c4Order, order, order * steps)
    add(.t06, 4, 8 * steps)
    add(.t06Mode, noCd / 2, noCd * steps)
    for property in Property.allCases {
      for k in 0..<8 where bad[k] & property.bit != 0 {
        if result.failures[property.id] == nil { result.failures[property.id] = (index, k) }
        break
      }
    }
  }

  /// Runs `traces` traces (rounded up to blocks of 8) of `steps` steps on `threads` workers.
  package static func run(
    traces: Int, steps: Int, seed: UInt64, shard: Shard = Shard(),
    threads: Int = ProcessInfo.processInfo.activeProcessorCount, progress: (@Sendable (Double) -> Void)? = nil
  ) -> Result {
    let start = DispatchTime.now().uptimeNanoseconds
    let blocks = (traces + 7) / 8
    let mine = (blocks - shard.index + shard.count - 1) / shard.count
    let workers = max(1, threads)
    // Consecutive runs of blocks, about eight per worker and at most 64 blocks each (the unit of
    // progress); each run accumulates its own result, merged in order (the merge keeps the lowest
    // failing block, so the result does not depend on the scheduling).
    let size = max(1, min(64, mine / (workers * 8)))
    let done = ProgressCounter(total: mine)
    let parts = Parallel.map(0..<((mine + size - 1) / size), threads: workers, chunk: 1) { c in
      var local = Result()
      let blocks = (c * size)..<min(mine, (c + 1) * size)
      for k in blocks {
        runBlock(seed: seed, index: shard.index + k * shard.count, steps: steps, into: &local)
      }
      if let progress { progress(done.add(blocks.count).fraction) }
      return local
    }
    var total = Result()
    for part in parts { total.merge(part) }
    total.seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return total
  }
}
