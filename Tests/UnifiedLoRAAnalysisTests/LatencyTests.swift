import Testing
import UnifiedLoRA

@testable import UnifiedLoRAAnalysis

@Suite struct LatencyTests {
  /// T14: the detection latency equals the first k found by brute-force iteration, and "never"
  /// means never within a long horizon; with and without the cooldown.
  @Test(arguments: Variant.allCases)
  func latencyMatchesBruteForce(_ variant: Variant) throws {
    var d = Draw()
    for _ in 0..<300 {
      var p = d.parameters(variant, maxBeta: 0.95)
      if d.unit() < 0.5, variant == .report { p = try p.with(cooldown: 0) }
      let clean = d.input()
      let shock = d.input()
      let start = p.restingState(clean)
      let traj = iterate(p, start, shock, 6000)
      for m in Mode.allCases {
        let lat: Latency
        do { lat = try p.latency(to: m, from: start, input: shock, maxSteps: 100_000) } catch {
          // Only a fixed point within rounding distance of a threshold may stay undecided.
          let phi = p.fixedPoint(shock).phi
          #expect(
            min(abs(phi - p.theta0), abs(phi - p.theta1)) < 1e-9, "seed \(d.seed) \(p) \(shock): \(error)")
          continue
        }
        let first = traj.indices.dropFirst().first { traj[$0].mode == m }
        switch lat {
        case .steps(let k):
          #expect(first == k, "seed \(d.seed) \(p) \(clean)→\(shock) \(m): \(k) vs \(first ?? -1)")
        case .never:
          #expect(first == nil, "seed \(d.seed) \(p) \(clean)→\(shock) \(m): never vs \(first ?? -1)")
        }
      }
    }
  }

  /// SPEC §6's shock regime at the defaults: Multi after 35 updates, Mirror never, Single again
  /// after 8 recovery updates — and the same by replaying the trace through the core.
  @Test func defaultShockRegime() throws {
    let p = Parameters.report
    let r = try p.shockResponse(clean: ConstantInput(loss: 0.5), shock: ConstantInput(loss: 20), length: 100)
    #expect(r.switches.map(\.update) == [35, 108])
    #expect(r.switches.map(\.to) == [.multi, .single])
    #expect(r.toSingle == .steps(8) && r.settledInSingle == .steps(8) && r.finalMode == .single)
    #expect(try p.latency(to: .mirror, from: r.start, input: ConstantInput(loss: 20)) == .never)
    let replay = try p.with(initial: r.start).simulate(
      losses: Array(repeating: 20, count: 100) + Array(repeating: 0.5, count: 100))
    #expect(replay[34].mode == .multi && replay[33].mode == .single)
    #expect(replay[107].mode == .single && replay[106].mode == .multi)
    #expect(replay.map(\.phi).max() == r.peakPhi)
  }

  /// Recovery brute force: toSingle is the first Single after the shock; settledInSingle is
  /// followed by Single for a long horizon.
  @Test func recoveryMatchesBruteForce() throws {
    var d = Draw()
    for _ in 0..<200 {
      let p = d.parameters(.report, maxBeta: 0.95)
      let clean = d.input()
      let shock = d.input()
      let length = 1 + Int(d.unit() * 150)
      let r: ShockResponse
      do { r = try p.shockResponse(clean: clean, shock: shock, length: length, maxSteps: 100_000) } catch {
        continue
      }
      let after = iterate(p, r.endOfShock, clean, 6000, firstStep: length)
      let first = after.indices.dropFirst().first { after[$0].mode == .single }
      #expect(r.toSingle.value == first, "seed \(d.seed) \(p) \(clean) \(shock) \(length)")
      if case .steps(let k) = r.settledInSingle {
        #expect(after[k...].allSatisfy { $0.mode == .single }, "seed \(d.seed)")
      } else {
        #expect(after.suffix(1000).allSatisfy { $0.mode != .single } || first == nil, "seed \(d.seed)")
      }
    }
  }
}
