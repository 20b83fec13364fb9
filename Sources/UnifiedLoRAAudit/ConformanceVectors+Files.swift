import Foundation
import UnifiedLoRA
import UnifiedLoRAIO

extension ConformanceVectors {
  /// A float as JSON: `"name": <shortest round-trip decimal>, "name_bits": "0x<16 hex digits>"`.
  static func float(_ name: String, _ x: Double) -> String {
    precondition(x.isFinite, "vectors hold finite values only")
    let hex = String(x.bitPattern, radix: 16)
    return
      "\"\(name)\": \(x.description), \"\(name)_bits\": \"0x\(String(repeating: "0", count: 16 - hex.count) + hex)\""
  }

  static func optionalInt(_ x: Int?) -> String { x.map(String.init) ?? "null" }

  /// The JSON text of one case file (see `SCHEMA.md`, written beside it).
  public static func json(_ c: VectorCase) throws(InputError) -> String {
    let p = c.parameters
    let records = try c.records()
    let states = c.states()
    var out = "{\n"
    out += "  \"schema\": \(schemaVersion),\n"
    out += "  \"id\": \"\(c.id)\",\n"
    out += "  \"description\": \"\(c.description)\",\n"
    out += "  \"variant\": \"\(p.variant)\",\n"
    out += "  \"parameters\": {\n"
    out +=
      "    \(float("alpha", p.alpha)),\n    \(float("beta", p.beta)),\n    \(float("alpha_e", p.alphaE)),\n"
    out += "    \(float("theta0", p.theta0)),\n    \(float("theta1", p.theta1)),\n"
    out += "    \"cooldown\": \(p.cooldown),\n"
    out +=
      "    \"lr\": [{\(float("value", p.learningRates.single))}, {\(float("value", p.learningRates.multi))}, {\(float("value", p.learningRates.mirror))}],\n"
    out +=
      "    \"initial\": {\(float("ehat", p.initial.ehat)), \(float("phi", p.initial.phi)), \"mode\": \(p.initial.mode.rawValue), \"last_switch\": \(optionalInt(p.initial.lastSwitch))}\n"
    out += "  },\n"
    out += "  \"inputs\": [\n"
    out += c.inputs.map { "    {\"step\": \($0.step), \(float("loss", $0.loss)), \(float("env", $0.env))}" }
      .joined(separator: ",\n")
    out += "\n  ],\n  \"records\": [\n"
    out += zip(records, states).map { r, s in
      "    {\"step\": \(r.step), \(float("ehat", r.ehat)), \(float("phi", r.phi)), \"mode\": \(r.mode.rawValue), \(float("lr", r.lr)), \"last_switch\": \(optionalInt(s.lastSwitch))}"
    }.joined(separator: ",\n")
    out += "\n  ]\n}\n"
    return out
  }

  /// `index.json`: the schema version, how floats are written, and one entry per case.
  public static func index(_ cases: [VectorCase]) -> String {
    var out = "{\n  \"schema\": \(schemaVersion),\n"
    out +=
      "  \"float_encoding\": \"each float x is written twice: x as the shortest decimal that round-trips to the same binary64, and x_bits as the IEEE-754 bit pattern in hexadecimal (0x + 16 digits); compare x_bits for exact agreement\",\n"
    out +=
      "  \"record_convention\": \"record i is the state after consuming input i: (ehat, phi, mode, last_switch) = (E_{t+1}, phi_{t+1}, M_{t+1}, s_{t+1}) and lr = eta[M_{t+1}]\",\n"
    out += "  \"cases\": [\n"
    out += cases.map { c in
      "    {\"id\": \"\(c.id)\", \"file\": \"cases/\(c.id).json\", \"variant\": \"\(c.parameters.variant)\", \"records\": \(c.inputs.count), \"description\": \"\(c.description)\"}"
    }.joined(separator: ",\n")
    out += "\n  ]\n}\n"
    return out
  }

  /// Writes `index.json`, `SCHEMA.md` and `cases/<id>.json` under `directory` (created when
  /// missing). Each file is written to a temporary file and renamed into place, the index last, so
  /// a reader never sees a half-written file and an index names only complete cases.
  ///
  /// - Returns: the paths written, relative to `directory`.
  /// - Throws: ``LogError`` (`.io`) when a file cannot be written.
  @discardableResult
  public static func write(to directory: String) throws -> [String] {
    if let problem = unusableDirectory(directory) {
      throw LogError(line: 0, .io("cannot write the vectors to '\(directory)': \(problem)"))
    }
    let fm = FileManager.default
    do {
      try fm.createDirectory(atPath: directory + "/cases", withIntermediateDirectories: true)
    } catch {
      throw LogError(line: 0, .io("cannot create '\(directory)/cases': \(error.localizedDescription)"))
    }
    let cases = cases()
    var written: [String] = []
    func put(_ relative: String, _ text: String) throws(LogError) {
      let sink = try OutputSink(path: directory + "/" + relative)
      sink.write(text)
      try sink.commit()
      written.append(relative)
    }
    for c in cases { try put("cases/\(c.id).json", try json(c)) }
    try put("SCHEMA.md", schemaText)
    try put("index.json", index(cases))
    return written
  }

  /// Why `directory` cannot hold the vectors, or nil: an empty path (which would put the files
  /// at the filesystem's root) or the root itself.
  public static func unusableDirectory(_ directory: String) -> String? {
    if directory.isEmpty { return "the path is empty" }
    let resolved = URL(fileURLWithPath: directory).standardizedFileURL.resolvingSymlinksInPath().path
    if resolved == "/" || directory.allSatisfy({ $0 == "/" }) {
      return "that is the filesystem root; give a directory of its own, e.g. --out vectors"
    }
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), !isDirectory.boolValue {
      return "it exists and is not a directory"
    }
    return nil
  }

  /// The description written as `SCHEMA.md` beside the vectors.
  public static let schemaText = """
    # Unified-LoRA conformance vectors (schema 1)

    Input traces with the reference outputs of the controller, for checking an implementation in
    any language bit for bit. Written by `unified-lora vectors --out DIR`; checked in Python by
    `scripts/check_vectors.py DIR` (standard library only: copy it, replace its two step functions
    with calls into your implementation).

    ## Files

    - `index.json`: `schema`, `float_encoding`, `record_convention`, and `cases`: one entry per case
      with `id`, `file` (relative path), `variant`, `records` (count) and `description`.
    - `cases/<id>.json`: one case.

    ## A case file

    ```
    {
      "schema": 1, "id": "...", "description": "...", "variant": "report" | "repo",
      "parameters": {
        "alpha", "beta", "alpha_e", "theta0", "theta1": floats,
        "cooldown": integer (N_s; 0 for repo),
        "lr": [{"value"}, {"value"}, {"value"}]   (η for Single, Multi, Mirror),
        "initial": {"ehat", "phi": floats, "mode": 0|1|2, "last_switch": null (−∞) | integer}
      },
      "inputs":  [{"step": integer, "loss", "env": floats}, ...],
      "records": [{"step": integer, "ehat", "phi": floats, "mode": 0|1|2, "lr": float,
                   "last_switch": null | integer}, ...]
    }
    ```

    Every float `x` appears twice: `"x": 0.1` (the shortest decimal that reads back as the same
    binary64) and `"x_bits": "0x3fb999999999999a"` (its IEEE-754 bit pattern). Compare the bits:
    a conforming implementation agrees on every bit of `ehat`, `phi` and `lr`, and on `mode` and
    `last_switch`, for every record.

    Record `i` is the state after consuming input `i`: `(Ê_{t+1}, φ_{t+1}, M_{t+1}, s_{t+1})` and
    `lr = η[M_{t+1}]`, the learning rate of the next optimizer step. Replay starts from
    `parameters.initial`; the cooldown reads each input's own `step` (steps may start anywhere and
    jump).

    ## The equations (binary64, one rounding per operation, no fused multiply-add)

    report (`variant: "report"`):

    ```
    D  = L / (1 + L)
    X  = α_E·E + (1 − α_E)·D
    Ê' = β·Ê + (1 − β)·X
    φ' = (1 − α)·φ + α·(Ê / (1 + Ê))          -- the OLD Ê
    c  = 0 if φ < θ0, 1 if φ < θ1, else 2      -- the OLD φ
    if c ≠ M and (s is null or t − s ≥ N_s): M' = c, s' = t   else M' = M, s' = s
    ```

    repo (`variant: "repo"`, the published controller.py; env is ignored):

    ```
    Ê' = β·Ê + (1 − β)·L
    D  = Ê' / (1 + Ê')
    φ' = (1 − α)·φ + α·D
    M' = 0 if φ' < θ0, 1 if φ' < θ1, else 2;   s' = t if M' ≠ M else s
    ```

    `1 − α`, `1 − β`, `1 − α_E` and `1 + x` are computed at run time from the values (writing the
    constant `0.1` for `1 − 0.9` changes the last bit within a few steps).

    ## Cases

    Both variants: the defaults on a square shock (loss 0.5 → 20 → 0.5) and on the report's noisy
    experiment; all-zero input; huge losses (up to the largest double for report: `1 + L` rounds to
    `L` and `D` to 1) and the least subnormal; α = 1; β = 0; inputs whose φ is the double just
    below, equal to and just above θ0 and θ1 (the mode rule is `φ < θ`, so equality selects the
    upper band). Report only: a sustained external stress that reaches Mirror; cooldown 0 with a
    chattering input; step numbers that start at 1000 and advance by 3.
    """
}
