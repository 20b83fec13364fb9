import ArgumentParser
import UnifiedLoRATrainer

extension ArmSelection: ExpressibleByArgument {
  public init?(argument: String) {
    guard let s = try? ArmSelection.parse(argument) else { return nil }
    self = s
  }
  public var defaultValueDescription: String { description }
}

extension ShockSchedule: ExpressibleByArgument {
  public init?(argument: String) {
    guard let s = try? ShockSchedule.parse(argument) else { return nil }
    self = s
  }
  public var defaultValueDescription: String { text }
}

/// `--sharpness-at`: the steps of the sharpness measurements (``RunConfiguration/parseCheckpoints(_:)``).
struct SharpnessSteps: ExpressibleByArgument, Hashable, CustomStringConvertible {
  var steps: [Int]
  init(_ steps: [Int]) { self.steps = steps }
  init?(argument: String) {
    guard let s = try? RunConfiguration.parseCheckpoints(argument) else { return nil }
    steps = s
  }
  var description: String { steps.isEmpty ? "none" : steps.map(String.init).joined(separator: ",") }
  var defaultValueDescription: String { description }
}

/// The parsers of `train`'s typed options: the library's parse, its typed error turned into the
/// parser's validation error (so the message names the value and what was expected).
enum TrainArgument {
  static func arms(_ text: String) throws -> ArmSelection {
    do { return try ArmSelection.parse(text) } catch { throw ValidationError(error.description) }
  }

  static func shocks(_ text: String) throws -> ShockSchedule {
    do { return try ShockSchedule.parse(text) } catch { throw ValidationError(error.description) }
  }

  static func checkpoints(_ text: String) throws -> SharpnessSteps {
    do { return SharpnessSteps(try RunConfiguration.parseCheckpoints(text)) } catch {
      throw ValidationError(error.description)
    }
  }
}
