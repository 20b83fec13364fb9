import Foundation
import Testing

@testable import UnifiedLoRA

/// The index conventions of SPEC §2, each checked by a trace that would differ by one step if
/// the convention were off by one.
@Suite struct ReportIndexConventionTests {
  /// φ_{t+1} uses the OLD Ê_t: from the initial state Ê_0 = 0, φ_1 = 0 whatever the first loss.
  @Test func phiUsesTheOldEhat() throws {
    let r = try Parameters.report.simulate(losses: [1000, 1000])
    #expect(r[0].phi == 0)  // would be > 0 if φ read the new Ê_1
    #expect(r[0].ehat > 0)
    // φ_2 = 0.9·0 + 0.1·(Ê_1/(1+Ê_1)), with Ê_1 the first record's Ê.
    let e1 = r[0].ehat
    #expect(r[1].phi == (1 - 0.1) * 0 + 0.1 * (e1 / (1 + e1)))
  }

  /// c_t uses the OLD φ_t: the mode switches one record after φ crosses θ0.
  @Test func modeUsesTheOldPhi() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 0)
    // α = 1, β = 0, α_E = 1: Ê_{t+1} = E_t, φ_{t+1} = Ê_t/(1+Ê_t).
    // E = 1 from step 0: Ê_1 = 1, φ_1 = 0, φ_2 = 1/2 (Multi band), so c_2 = Multi → M_3.
    let r = try p.simulate(losses: [0, 0, 0, 0], env: [1, 1, 1, 1])
    #expect(r.map(\.phi) == [0, 0.5, 0.5, 0.5])
    #expect(r.map(\.mode) == [.single, .single, .multi, .multi])
  }

  /// The cooldown counts from the step of the last switch: `t − s ≥ N_s`.
  @Test func cooldownCountsFromTheLastSwitch() throws {
    // φ alternates between Mirror and Single bands as fast as α = 1, β = 0 allow.
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 3)
    let env = [9.0, 0, 9, 0, 9, 0, 9, 0, 9, 0]
    let r = try p.simulate(losses: Array(repeating: 0, count: env.count), env: env)
    // φ_{t+1} = E_{t−1}/(1+E_{t−1}): bands by record: t=0 φ=0, t=1 0.9, t=2 0, t=3 0.9, …
    // c_t reads φ_t: Mirror at t = 2, 4, 6, 8; Single at t = 3, 5, 7, 9.
    // Switch at t = 2 (s = −∞); next allowed at t ≥ 5 where c = Single; then t ≥ 8, c = Mirror.
    let switches = zip(r, [Mode.single] + r.map(\.mode)).filter { $0.mode != $1 }.map(\.0.step)
    #expect(switches == [2, 5, 8])
    // With N_s = 4 the second switch waits to t = 7 (c_6 = Mirror = M, c_7 = Single).
    let q = try p.with(cooldown: 4).simulate(losses: Array(repeating: 0, count: env.count), env: env)
    let s4 = zip(q, [Mode.single] + q.map(\.mode)).filter { $0.mode != $1 }.map(\.0.step)
    #expect(s4 == [2, 7])
  }

  /// The cooldown uses the log's own step numbers (a log starting at 1000 behaves as one at 0).
  @Test func stepNumbersAreTheLogs() throws {
    let p = try Parameters(alpha: 1, beta: 0, alphaE: 1, cooldown: 3)
    let env = [9.0, 0, 9, 0, 9, 0, 9, 0]
    let a = try Replay(env.indices.map { Input(step: $0, loss: 0, env: env[$0]) }, parameters: p).records()
    let b = try Replay(env.indices.map { Input(step: 1000 + $0, loss: 0, env: env[$0]) }, parameters: p)
      .records()
    #expect(a.map(\.mode) == b.map(\.mode))
    #expect(a.map(\.phi) == b.map(\.phi))
  }
}

@Suite struct RepoVariantTests {
  /// SPEC §3 by hand for the first step: Ê = 0.9·1 + (1−0.9)·L, D = Ê/(1+Ê), φ = 0.9·0.5 + 0.1·D.
  @Test func firstStepByHand() throws {
    let r = try Parameters.repo.simulate(losses: [3])
    let ehat = 0.9 * 1.0 + (1 - 0.9) * 3.0
    #expect(r[0].ehat == ehat)
    #expect(r[0].phi == (1 - 0.1) * 0.5 + 0.1 * (ehat / (1 + ehat)))
    #expect(r[0].mode == .multi)
    #expect(r[0].lr == 3e-5)
  }

  /// The mode follows the NEW φ with no cooldown: a large loss moves the mode in the same record.
  @Test func modeFollowsTheNewPhi() throws {
    let p = try Parameters(variant: .repo, alpha: 1, beta: 0)
    let r = try p.simulate(losses: [0, 100, 0])
    #expect(r.map(\.mode) == [.single, .mirror, .single])
  }

  /// The run-time complement `1 − 0.9` is not the literal `0.1`: the difference shows in a few steps.
  @Test func runtimeComplementMatters() {
    #expect((1 - 0.9) != 0.1)
    var e1 = 1.0
    var e2 = 1.0
    var differs = false
    for _ in 0..<10 {
      e1 = 0.9 * e1 + (1 - 0.9) * 3.3
      e2 = 0.9 * e2 + 0.1 * 3.3
      differs = differs || e1 != e2
    }
    #expect(differs)
  }
}
