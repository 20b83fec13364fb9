import UnifiedLoRA

/// One case a property is checked on: a parameter set and a trace, and for the properties that
/// compare two runs (C6, T06) a second initial state or a second trace.
public struct Case: Sendable, Hashable, Codable {
  public var parameters: Parameters
  public var trace: Trace
  /// C6: the second run starts from this state (same inputs).
  public var otherInitial: ControllerState?
  /// T06: the second run reads this trace (same initial state), componentwise ≥ `trace`.
  public var otherTrace: Trace?

  public init(
    parameters: Parameters, trace: Trace, otherInitial: ControllerState? = nil, otherTrace: Trace? = nil
  ) {
    self.parameters = parameters
    self.trace = trace
    self.otherInitial = otherInitial
    self.otherTrace = otherTrace
  }

  /// The states after each step (record `t` holds the state after step `t`).
  public var states: [ControllerState] { parameters.states(trace) }
}

/// Which way a property is searched.
public enum Direction: String, Sendable, Hashable, Codable {
  /// A conditioned theorem: no counterexample may exist; one found is a failure of the toolkit
  /// or of the proof.
  case theorem
  /// The report's unconditional wording: it is false, and the search must find (and reduce) a
  /// counterexample; none found is a failure.
  case refutation
}

/// A property of the controller with its id, its hypotheses and its check.
///
/// `premise` states the hypotheses in code (a case outside them is generated again and not
/// counted); `counterexample` returns a description of why the statement fails on a case, or nil.
public struct Invariant: Sendable {
  /// The id used in Proofs/, `claims` and `verify`, e.g. `C4` (the theorem) or `C4.claim` (the
  /// report's wording).
  public let id: String
  /// The report's claim this property belongs to (C1…C7), or the theorem id for the extra ones:
  /// the id up to its first dot (`C4` for `C4.order.claim`).
  public let claim: String
  /// The theorems this property checks.
  public let theorems: [TheoremID]
  public let direction: Direction
  /// The statement, in words.
  public let statement: String
  /// The hypotheses, in words (the same as `premise` in code).
  public let hypotheses: String
  /// Makes a case of about `steps` steps (not necessarily inside the hypotheses).
  public let generate: @Sendable (_ rng: inout SeededGenerator, _ steps: Int) -> Case
  /// The hypotheses in code.
  public let premise: @Sendable (Case) -> Bool
  /// Why the statement fails on the case, or nil when it holds.
  public let counterexample: @Sendable (Case) -> String?

  public init(
    id: String, theorems: [TheoremID], direction: Direction, statement: String,
    hypotheses: String,
    generate: @escaping @Sendable (_ rng: inout SeededGenerator, _ steps: Int) -> Case,
    premise: @escaping @Sendable (Case) -> Bool,
    counterexample: @escaping @Sendable (Case) -> String?
  ) {
    self.id = id
    self.claim = String(id.prefix { $0 != "." })
    self.theorems = theorems
    self.direction = direction
    self.statement = statement
    self.hypotheses = hypotheses
    self.generate = generate
    self.premise = premise
    self.counterexample = counterexample
  }

  /// The head of a catalogue entry: its id, the theorems it checks and the way it is searched,
  /// written on one line as `.theorem("C2", .t10)` or `.refutation("C2.claim", .t10)`.
  struct Head: Sendable {
    let id: String
    let theorems: [TheoremID]
    let direction: Direction

    static func theorem(_ id: String, _ theorems: TheoremID...) -> Head {
      Head(id: id, theorems: theorems, direction: .theorem)
    }

    static func refutation(_ id: String, _ theorems: TheoremID...) -> Head {
      Head(id: id, theorems: theorems, direction: .refutation)
    }
  }

  /// A catalogue entry: its head and statement, how a case is drawn, the hypotheses in words
  /// (`given`) next to the same in code (`premise`), and the check.
  init(
    _ head: Head, _ statement: String,
    generate: @escaping @Sendable (_ rng: inout SeededGenerator, _ steps: Int) -> Case,
    given hypotheses: String, premise: @escaping @Sendable (Case) -> Bool,
    counterexample: @escaping @Sendable (Case) -> String?
  ) {
    self.init(
      id: head.id, theorems: head.theorems, direction: head.direction, statement: statement,
      hypotheses: hypotheses, generate: generate, premise: premise, counterexample: counterexample)
  }

  /// How the cases of several entries are drawn and which of them count (the hypotheses in words
  /// and in code), written once for all of them.
  struct Domain: Sendable {
    let generate: @Sendable (_ rng: inout SeededGenerator, _ steps: Int) -> Case
    let hypotheses: String
    let premise: @Sendable (Case) -> Bool
  }

  /// A catalogue entry over a shared domain.
  init(
    _ head: Head, _ statement: String, over domain: Domain,
    counterexample: @escaping @Sendable (Case) -> String?
  ) {
    self.init(
      head, statement, generate: domain.generate, given: domain.hypotheses, premise: domain.premise,
      counterexample: counterexample)
  }
}

/// A mode switch in a run: record `step` shows `to`, the record before showed `from`.
public struct Switch: Sendable, Hashable {
  public var step: Int
  public var from: Mode
  public var to: Mode
}

extension Parameters {
  /// The mode switches of a run whose states are `states` (the initial mode comes first).
  /// Counted by the core's ``ModeSwitches`` (the one home of switch counting), with the initial
  /// mode given, so the switch into the first state counts.
  public func switches(_ states: [ControllerState], from initial: ControllerState? = nil) -> [Switch] {
    let start = (initial ?? self.initial).mode
    return ModeSwitches.indices(of: states.lazy.map(\.mode), from: start).map { t in
      Switch(step: t, from: t == 0 ? start : states[t - 1].mode, to: states[t].mode)
    }
  }
}
