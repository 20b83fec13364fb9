import UnifiedLoRA

/// A compact picture of a trace for a terminal: one row per block of steps with the mode,
/// a φ bar against the thresholds, and the list of mode switches.
enum Timeline {
  static func render(_ records: [Record], scenario: Scenario, parameters p: Parameters) -> String {
    let header = """
      scenario \(scenario.kind)  steps \(scenario.steps)  seed \(scenario.seed)  variant \(p.variant)
      shocks \(scenario.shocks.map { "[\($0.lowerBound),\($0.upperBound))" }.joined(separator: " "))  clean loss \(scenario.cleanLoss)  shock loss \(scenario.shockLoss)  shock env \(scenario.shockEnv)

      """
    return render(
      records, header: header, parameters: p, marker: "shock", marks: { scenario.inShock($0.step) })
  }

  /// The timeline of any trace: `header` (ending in a newline) is printed first, then the
  /// parameters, the blocks and the switches; the `marker` column says "yes" for a block in which
  /// `marks` holds for some record.
  static func render(
    _ records: [Record], header: String, parameters p: Parameters, marker: String,
    marks: (Record) -> Bool
  ) -> String {
    var out =
      header
      + "alpha \(p.alpha)  beta \(p.beta)  alpha_E \(p.alphaE)  theta0 \(p.theta0)  theta1 \(p.theta1)  cooldown \(p.cooldown)\n"
    let width = 50
    let block = max(1, records.count / 40)
    out += "  steps          \(marker.padding(5))  mode    phi (| marks θ0 and θ1)                             phi\n"
    var i = 0
    while i < records.count {
      let r = records[min(i + block - 1, records.count - 1)]
      let slice = records[i..<min(i + block, records.count)]
      let shock = slice.contains(where: marks) ? "yes" : ""
      let marks = [Int(p.theta0 * Double(width)), Int(p.theta1 * Double(width))]
      let filled = Int((r.phi * Double(width)).rounded())
      let cells = (0..<width).map { k -> Character in
        k < filled ? "#" : marks.contains(k) ? "|" : "."
      }
      let range = "\(slice.first!.step)-\(slice.last!.step)"
      out += "  \(range.padding(13)) \(shock.padding(5)) \(r.mode.description.padding(7)) \(String(cells)) \(fixed(r.phi))\n"
      i += block
    }
    out += "\nmode switches:\n"
    var previous = p.initial.mode
    var any = false
    for r in records where r.mode != previous {
      out += "  step \(r.step): \(previous) → \(r.mode)  (phi \(fixed(r.phi)), lr \(r.lr))\n"
      previous = r.mode
      any = true
    }
    if !any { out += "  none: the controller stayed in \(previous)\n" }
    let maxPhi = records.map(\.phi).max() ?? 0
    out += "max phi \(fixed(maxPhi)); modes visited: \(Set(records.map(\.mode)).sorted().map(\.description).joined(separator: ", "))\n"
    return out
  }

  static func fixed(_ x: Double) -> String {
    let scaled = (x * 10_000).rounded() / 10_000
    var s = scaled.description
    if let dot = s.firstIndex(of: ".") {
      let decimals = s.distance(from: dot, to: s.endIndex) - 1
      if decimals < 4 { s += String(repeating: "0", count: 4 - decimals) }
    }
    return s
  }
}

extension String {
  func padding(_ n: Int) -> String { count >= n ? self : self + String(repeating: " ", count: n - count) }
}
