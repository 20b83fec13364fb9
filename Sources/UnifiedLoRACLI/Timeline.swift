import UnifiedLoRA

/// A compact picture of a trace for a terminal: one row per block of steps with the mode,
/// a φ bar against the thresholds, and the list of mode switches.
enum Timeline {
  static func render(_ records: [Record], scenario: Scenario, parameters p: Parameters) -> String {
    var it = records.makeIterator()
    return render(count: records.count, next: { it.next() }, scenario: scenario, parameters: p)
  }

  /// At most this many mode switches are listed; the rest are counted.
  static let switchLimit = 1000

  /// The scenario's timeline, its records handed over one at a time by `next` (constant memory).
  static func render(count: Int, next: () -> Record?, scenario: Scenario, parameters p: Parameters) -> String
  {
    let header = """
      scenario \(scenario.kind)  steps \(scenario.steps)  seed \(scenario.seed)  variant \(p.variant)
      shocks \(scenario.shocks.map { "[\($0.lowerBound),\($0.upperBound))" }.joined(separator: " "))  clean loss \(scenario.cleanLoss)  shock loss \(scenario.shockLoss)  shock env \(scenario.shockEnv)

      """
    return render(
      count: count, next: next, header: header, parameters: p, marker: "shock",
      marks: { scenario.inShock($0.step) })
  }

  /// The timeline of any trace.
  static func render(
    _ records: [Record], header: String, parameters p: Parameters, marker: String,
    marks: (Record) -> Bool
  ) -> String {
    var it = records.makeIterator()
    return render(
      count: records.count, next: { it.next() }, header: header, parameters: p, marker: marker, marks: marks)
  }

  /// The timeline of `count` records handed over one at a time by `next`: `header` (ending in a
  /// newline) is printed first, then the parameters, one row per block of steps (the `marker`
  /// column says "yes" for a block in which `marks` holds for some record), and the first
  /// ``switchLimit`` mode switches. Constant memory for any number of records.
  static func render(
    count: Int, next: () -> Record?, header: String, parameters p: Parameters, marker: String,
    marks: (Record) -> Bool
  ) -> String {
    var out =
      header
      + "alpha \(p.alpha)  beta \(p.beta)  alpha_E \(p.alphaE)  theta0 \(p.theta0)  theta1 \(p.theta1)  cooldown \(p.cooldown)\n"
    let width = 50
    let block = max(1, count / 40)
    out +=
      "  steps          \(marker.padded(5))  mode    phi (| marks θ0 and θ1)                             phi\n"
    let thresholds = [Int(p.theta0 * Double(width)), Int(p.theta1 * Double(width))]
    var switches = ""
    var switchCount = 0
    var previous = p.initial.mode
    var maxPhi: Double?
    var visited: Set<Mode> = []
    var first: Record?
    var marked = false
    var inBlock = 0
    var last: Record?
    func row(_ r: Record) {
      let filled = Int((r.phi * Double(width)).rounded())
      let cells = (0..<width).map { k -> Character in
        k < filled ? "#" : thresholds.contains(k) ? "|" : "."
      }
      let range = "\(first!.step)-\(r.step)"
      out +=
        "  \(range.padded(13)) \((marked ? "yes" : "").padded(5)) \(r.mode.description.padded(7)) \(String(cells)) \(fixed(r.phi))\n"
      first = nil
      marked = false
      inBlock = 0
    }
    while let r = next() {
      if first == nil { first = r }
      marked = marked || marks(r)
      inBlock += 1
      last = r
      if r.mode != previous {
        switchCount += 1
        if switchCount <= switchLimit {
          switches += "  step \(r.step): \(previous) → \(r.mode)  (phi \(fixed(r.phi)), lr \(r.lr))\n"
        }
        previous = r.mode
      }
      maxPhi = max(maxPhi ?? r.phi, r.phi)
      visited.insert(r.mode)
      if inBlock == block { row(r) }
    }
    if inBlock > 0, let last { row(last) }
    out += "\nmode switches:\n"
    out += switches
    if switchCount > switchLimit { out += "  … and \(switchCount - switchLimit) more\n" }
    if switchCount == 0 { out += "  none: the controller stayed in \(previous)\n" }
    out +=
      "max phi \(fixed(maxPhi ?? 0)); modes visited: \(visited.sorted().map(\.description).joined(separator: ", "))\n"
    return out
  }

  static func fixed(_ x: Double) -> String {
    // Beyond 1e300, x · 10⁴ would overflow to inf (and has no fractional digits to round).
    guard abs(x) < 1e300 else { return x.description }
    let scaled = (x * 10_000).rounded() / 10_000
    var s = scaled.description
    if let dot = s.firstIndex(of: ".") {
      let decimals = s.distance(from: dot, to: s.endIndex) - 1
      if decimals < 4 { s += String(repeating: "0", count: 4 - decimals) }
    }
    return s
  }
}
