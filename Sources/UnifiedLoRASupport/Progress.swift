import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A thread-safe count of work done out of a known total: the engines add to it from any worker
/// and report the fraction.
package final class ProgressCounter: Sendable {
  /// What has been counted so far.
  package struct Snapshot: Sendable, Equatable {
    /// Units of work done (steps, blocks, groups).
    package var done: Int
    /// Items finished (runs, shards), counted apart from the units.
    package var finished: Int
    /// The total number of units (at least 1 for the fraction).
    package var total: Int
    /// `done / total`, in [0, 1] while `done <= total`.
    package var fraction: Double { Double(done) / Double(max(total, 1)) }
  }

  private let state: Protected<Snapshot>

  /// A counter of `total` units, none done.
  package init(total: Int) { state = Protected(Snapshot(done: 0, finished: 0, total: total)) }

  /// Adds `units` done and `finished` items; returns the counts after the addition.
  @discardableResult
  package func add(_ units: Int, finished: Int = 0) -> Snapshot {
    state.withLock { s in
      s.done += units
      s.finished += finished
      return s
    }
  }

  /// The counts now.
  package var snapshot: Snapshot { state.current }
}

/// Progress on standard error (or any text sink): one status line rewritten in place on a
/// terminal, a plain line at most once per tenth of the work when asked for without a terminal,
/// nothing at all when not asked for. Thread-safe: the engines call it from their workers.
package final class ProgressReporter: Sendable {
  /// How progress is shown.
  package enum Style: Sendable, Equatable {
    /// Nothing is written (the default when standard error is not a terminal).
    case silent
    /// One line rewritten in place (`\r`, erase line): for a terminal.
    case inPlace
    /// `prefix` + the status as a whole line, each time the tenth of the work given by the
    /// fraction advances (a status without a fraction is written every time): for logs.
    case lines(prefix: String)
  }

  private struct State {
    var lastDecile = -1
  }

  package let style: Style
  private let write: @Sendable (String) -> Void
  private let start: Date
  private let state = Protected(State())

  /// A reporter of the given style writing to `write` (default: standard error).
  package init(style: Style, write: @escaping @Sendable (String) -> Void = ProgressReporter.standardError) {
    self.style = style
    self.write = write
    self.start = Date()
  }

  /// The usual choice: in place when standard error is a terminal; otherwise whole lines when
  /// `force` (a `--progress` flag), silent when not.
  package static func forStandardError(force: Bool = false, linePrefix: String = "progress: ")
    -> ProgressReporter
  {
    if isatty(2) == 1 { return ProgressReporter(style: .inPlace) }
    return ProgressReporter(style: force ? .lines(prefix: linePrefix) : .silent)
  }

  /// Writes `text` to standard error, unbuffered.
  package static let standardError: @Sendable (String) -> Void = { text in
    StandardError.write(text)
  }

  /// Seconds since the reporter was made.
  package var elapsed: Double { Date().timeIntervalSince(start) }

  /// The estimated seconds left when `fraction` of the work is done after ``elapsed`` (0 before
  /// any work is done).
  package func remaining(fraction: Double) -> Double {
    fraction > 0 ? elapsed * (1 - fraction) / fraction : 0
  }

  /// Shows `status`; `fraction` (in [0, 1]) paces the `.lines` style.
  package func update(_ status: String, fraction: Double? = nil) {
    switch style {
    case .silent: return
    case .inPlace:
      state.withLock { _ in write("\r\u{1B}[2K" + status) }
    case .lines(let prefix):
      state.withLock { s in
        if let fraction {
          let decile = Int((min(max(fraction, 0), 1) * 10).rounded(.down))
          guard decile > s.lastDecile else { return }
          s.lastDecile = decile
        }
        write(prefix + status + "\n")
      }
    }
  }

  /// Writes `line` as a line of its own (a result announced while work goes on), in every style
  /// but `.silent`; on a terminal the status line is erased first.
  package func announce(_ line: String) {
    guard style != .silent else { return }
    state.withLock { _ in write((style == .inPlace ? "\r\u{1B}[2K" : "") + line + "\n") }
  }

  /// Erases the status line on a terminal (call once at the end).
  package func clear() {
    guard style == .inPlace else { return }
    state.withLock { _ in write("\r\u{1B}[2K") }
  }
}
