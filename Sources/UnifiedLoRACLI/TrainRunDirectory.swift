import Foundation
import UnifiedLoRAIO

/// The `--out` directory of a run, checked before training and replaced as one set.
///
/// The target must not be empty or `/`; if it exists it must be a directory that holds nothing but
/// a previous run's files (CSV files and `summary.json`), so replacing it loses nothing else. The
/// files are written into a fresh sibling directory, which is then renamed over the target (the
/// previous directory is moved aside first and removed after): a reader sees the old set or the
/// new set, never a mixture, and a failure part-way leaves the old set and no half-written one.
struct RunDirectory {
  let url: URL

  init(_ path: String) throws {
    guard !path.isEmpty else { throw RunDirectoryError("invalid value out = '': give a directory") }
    let url = URL(fileURLWithPath: path).standardizedFileURL
    guard url.path != "/" else {
      throw RunDirectoryError("invalid value out = '\(path)': refusing to replace the filesystem root")
    }
    self.url = url
    let fm = FileManager.default
    var isDir: ObjCBool = false
    if fm.fileExists(atPath: url.path, isDirectory: &isDir) {
      guard isDir.boolValue else {
        throw RunDirectoryError("invalid value out = '\(path)': it exists and is not a directory")
      }
      let entries = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
      let foreign = entries.filter { !($0 == "summary.json" || $0.hasSuffix(".csv")) }
      guard foreign.isEmpty else {
        throw RunDirectoryError(
          "invalid value out = '\(path)': it holds files that are not a previous run's (\(foreign.prefix(3).joined(separator: ", "))\(foreign.count > 3 ? ", …" : "")); give an empty or new directory"
        )
      }
    }
    let parent = url.deletingLastPathComponent()
    guard fm.fileExists(atPath: parent.path, isDirectory: &isDir), isDir.boolValue else {
      let exists = fm.fileExists(atPath: parent.path)
      throw RunDirectoryError(
        "invalid value out = '\(path)': the parent '\(parent.path)' \(exists ? "is not a directory" : "does not exist")"
      )
    }
    // A probe directory beside the target proves that the set can be staged there.
    let probe = parent.appendingPathComponent(".\(url.lastPathComponent).probe-\(getpid())")
    do {
      try fm.createDirectory(at: probe, withIntermediateDirectories: false)
      try fm.removeItem(at: probe)
    } catch {
      throw RunDirectoryError(
        "invalid value out = '\(path)': cannot create files in '\(parent.path)' (\(error.localizedDescription))"
      )
    }
  }

  /// Lets `write` fill a temporary sibling directory, then swaps it in for the target.
  func publish(_ write: (URL) throws -> Void) throws {
    let fm = FileManager.default
    let parent = url.deletingLastPathComponent()
    let tag = "\(getpid())-\(UInt64(Date().timeIntervalSince1970 * 1e6))"
    let staging = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(tag)")
    let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(tag)")
    do {
      try fm.createDirectory(at: staging, withIntermediateDirectories: false)
      try write(staging)
      var moved = false
      if fm.fileExists(atPath: url.path) {
        try fm.moveItem(at: url, to: old)
        moved = true
      }
      do {
        try fm.moveItem(at: staging, to: url)
      } catch {
        if moved { try? fm.moveItem(at: old, to: url) }
        throw error
      }
      if moved { try? fm.removeItem(at: old) }
    } catch {
      try? fm.removeItem(at: staging)
      let reason = (error as? LogError)?.description ?? error.localizedDescription
      throw RunDirectoryError(
        "cannot write the run's files into '\(url.path)': \(reason) (nothing was changed there)"
      )
    }
  }
}

struct RunDirectoryError: Error, CustomStringConvertible {
  let description: String
  init(_ d: String) { description = d }
}
