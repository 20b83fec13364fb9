/// A readable account of one replay, accumulated record by record in constant memory: the mode
/// switches with their steps, the records spent in each mode, the peak φ and the modes never
/// reached. `simulate --format summary` prints it.
package struct TraceSummary: Sendable {
  /// At most this many switches are listed; the rest are counted.
  package static let switchLimit = 50

  package let parameters: Parameters
  package private(set) var records = 0
  package private(set) var firstStep = 0
  package private(set) var lastStep = 0
  package private(set) var inMode = [0, 0, 0]
  package private(set) var switches: [(step: Int, from: Mode, to: Mode, phi: Double, lr: Double)] = []
  package private(set) var switchCount = 0
  package private(set) var peakPhi = -Double.infinity
  package private(set) var peakStep = 0
  package private(set) var positiveEnv = 0
  package private(set) var peakEnv = 0.0
  package private(set) var last: Record?

  package init(parameters: Parameters) { self.parameters = parameters }

  package mutating func add(_ r: Record) {
    if records == 0 { firstStep = r.step }
    records += 1
    lastStep = r.step
    inMode[r.mode.rawValue] += 1
    let previous = last?.mode ?? parameters.initial.mode
    if r.mode != previous {
      switchCount += 1
      if switches.count < TraceSummary.switchLimit {
        switches.append((r.step, previous, r.mode, r.phi, r.lr))
      }
    }
    if r.phi > peakPhi {
      peakPhi = r.phi
      peakStep = r.step
    }
    if r.env > 0 { positiveEnv += 1 }
    if r.env > peakEnv { peakEnv = r.env }
    last = r
  }

  /// The modes no record was in, besides the initial one.
  package var modesNeverReached: [Mode] {
    Mode.allCases.filter { inMode[$0.rawValue] == 0 && $0 != parameters.initial.mode }
  }
}
