import UnifiedLoRA

extension Parameters {
  /// Searches square waves between the box's lower corner and a high input (the upper corner,
  /// or a moderate loss of 3 … 100 inside the box, which a smoothed raw loss forgets faster),
  /// half-period 1 … `maxHalfPeriod`, for the one with the most mode switches in 20 periods;
  /// `nil` when none switches at least 4 times.
  func chatter(_ box: InputBox, cooldown override: Int?, maxHalfPeriod: Int) -> (
    witness: Witness, switches: Int, steps: Int, minGap: Int
  )? {
    let top = typedCorner(box)
    let lo = box.lowerCorner
    var highs = [top]
    for l in [100.0, 30, 10, 3] where l >= box.lossLo && l < top.loss {
      highs.append(ConstantInput(loss: l, env: top.env))
    }
    var best: (witness: Witness, switches: Int, steps: Int, minGap: Int)?
    for hi in highs {
      for h in 1...maxHalfPeriod {
        let runs: [Witness.Run] = [
          .init(count: 100, loss: lo.loss, env: lo.env), .init(count: h, loss: hi.loss, env: hi.env),
          .init(count: h, loss: lo.loss, env: lo.env),
        ]
        let w = Witness(shows: "", runs: runs, cycleStart: 1, repeats: 20, cooldown: override)
        let recs = replay(w)
        // What the witness's command shows: changes between consecutive records (ModeSwitches).
        let switchSteps = recs.modeSwitchSteps()
        guard switchSteps.count >= 4 else { continue }
        let gap = zip(switchSteps.dropFirst(), switchSteps).map { $0 - $1 }.min() ?? 0
        let rate = Double(switchSteps.count) / Double(recs.count)
        if best == nil || rate > Double(best!.switches) / Double(best!.steps) {
          var witness = w
          witness.shows =
            "\(switchSteps.count) mode changes between consecutive records in \(recs.count) steps under a square wave of half-period \(h) (count the changes of the mode column)"
          best = (witness, switchSteps.count, recs.count, gap)
        }
      }
    }
    return best
  }
}
