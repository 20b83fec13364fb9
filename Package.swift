// swift-tools-version: 6.1
import PackageDescription

// Targets and the targets each imports (docs/modules.md has the table, and a test holds it to the
// sources' imports):
//   UnifiedLoRA           pure equations; no dependencies
//   UnifiedLoRASupport    parallel map, pipeline, progress, median (`package` access only); no dependencies
//   UnifiedLoRAIO         UnifiedLoRA, SwiftProtobuf: loss logs in, records out
//   UnifiedLoRAAnalysis   UnifiedLoRA, UnifiedLoRASupport, CGSL: closed forms, claims, sweeps
//   UnifiedLoRAProperties UnifiedLoRA, UnifiedLoRASupport: invariants, lanes engine, search
//   UnifiedLoRATrainer    UnifiedLoRA, UnifiedLoRASupport, COpenBLAS: the LoRA trainer
//   UnifiedLoRAAudit      UnifiedLoRA, UnifiedLoRAIO, UnifiedLoRASupport: run-log audits (the only
//                         library importing IO)
//   UnifiedLoRATune       UnifiedLoRA, UnifiedLoRAIO, UnifiedLoRAAnalysis, UnifiedLoRASupport
//                         (no product: the command line's `tune`)
//   UnifiedLoRACLI        every library above + ArgumentParser (no product: the commands, parsed by
//                         the tests and the argv fuzz target)
//   unified-lora (UnifiedLoRACLI only), unified-lora-bench (release-mode benchmarks) and
//   unified-lora-fuzz (libFuzzer targets, with UnifiedLoRACLI) import the libraries.
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny")
]

// The property engine and `tune` run eight traces per SIMD8<Double>. `UNIFIED_LORA_NATIVE=1` in
// the environment compiles them for AVX2 (`-target-cpu haswell`: 256-bit lanes; no fused
// multiply-add is formed by Swift, so lanes stay bit-identical to the scalar step, which a test
// cross-checks). Opt-in only: a package whose targets carry unsafe flags cannot be depended on by
// version, and a haswell binary stops with an illegal instruction on x86-64 without AVX2. The
// Makefile sets it for its own release builds on a CPU with AVX2 (docs/modules.md gives the cost
// of building without it).
#if arch(x86_64)
  let vectorFlags: [SwiftSetting] =
    Context.environment["UNIFIED_LORA_NATIVE"] == "1" ? [.unsafeFlags(["-target-cpu", "haswell"])] : []
#else
  let vectorFlags: [SwiftSetting] = []
#endif

let package = Package(
  name: "unified-lora",
  platforms: [.macOS(.v13)],
  products: [
    .library(name: "UnifiedLoRA", targets: ["UnifiedLoRA"]),
    .library(name: "UnifiedLoRAIO", targets: ["UnifiedLoRAIO"]),
    .library(name: "UnifiedLoRAAnalysis", targets: ["UnifiedLoRAAnalysis"]),
    .library(name: "UnifiedLoRAAudit", targets: ["UnifiedLoRAAudit"]),
    .library(name: "UnifiedLoRATrainer", targets: ["UnifiedLoRATrainer"]),
    .library(name: "UnifiedLoRAProperties", targets: ["UnifiedLoRAProperties"]),
    .executable(name: "unified-lora", targets: ["unified-lora"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
    .package(url: "https://github.com/apple/swift-protobuf.git", from: "1.39.0"),
    // `make docs` (swift package generate-documentation); a plugin only, nothing is linked.
    .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.5.0"),
  ],
  targets: [
    .target(name: "UnifiedLoRA", swiftSettings: strict),
    // Shared helpers with `package` access only (no public API): the ordered parallel map and the
    // progress reporter.
    .target(name: "UnifiedLoRASupport", swiftSettings: strict),
    // TensorBoard event files are decoded by code generated once from Formats/TensorBoard/events.proto
    // (committed; never generated at build time).
    .target(
      name: "UnifiedLoRAIO",
      dependencies: [
        "UnifiedLoRA", "UnifiedLoRASupport", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
      ],
      exclude: ["Formats/TensorBoard/events.proto"],
      swiftSettings: strict),
    // GSL links OpenBLAS as its CBLAS (not libgslcblas), so the binary has one cblas_sgemm.
    .systemLibrary(
      name: "CGSL",
      providers: [.apt(["libgsl-dev", "libopenblas-dev"]), .brew(["gsl", "openblas"])]),
    .systemLibrary(
      name: "COpenBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"]), .brew(["openblas"])]),
    .target(
      name: "UnifiedLoRATrainer", dependencies: ["UnifiedLoRA", "UnifiedLoRASupport", "COpenBLAS"],
      swiftSettings: strict),
    .target(
      name: "UnifiedLoRAAnalysis", dependencies: ["UnifiedLoRA", "UnifiedLoRASupport", "CGSL"],
      swiftSettings: strict),
    .target(
      name: "UnifiedLoRAAudit", dependencies: ["UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRASupport"],
      swiftSettings: strict),
    .target(
      name: "UnifiedLoRAProperties", dependencies: ["UnifiedLoRA", "UnifiedLoRASupport"],
      swiftSettings: strict + vectorFlags),
    // `tune` and `analyze --noise`: pruning by the analysis, then Monte Carlo on SIMD lanes.
    // Optimised in debug builds too: unspecialised generic SIMD code runs about a hundred times
    // slower, and the tests run the example over the whole default box.
    .target(
      name: "UnifiedLoRATune",
      dependencies: ["UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRAAnalysis", "UnifiedLoRASupport"],
      swiftSettings: strict + vectorFlags + [.unsafeFlags(["-O"], .when(configuration: .debug))]),
    // The command line as a library (package access, not a product): parsed by tests and fuzzed.
    .target(
      name: "UnifiedLoRACLI",
      dependencies: [
        "UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRAAnalysis", "UnifiedLoRAAudit", "UnifiedLoRATrainer",
        "UnifiedLoRAProperties", "UnifiedLoRATune", "UnifiedLoRASupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "unified-lora", dependencies: ["UnifiedLoRACLI"], swiftSettings: strict),
    .executableTarget(
      name: "unified-lora-bench",
      dependencies: [
        "UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRAAnalysis", "UnifiedLoRATrainer", "UnifiedLoRAProperties",
        "UnifiedLoRAAudit", .product(name: "CSV", package: "CSV.swift"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "unified-lora-fuzz",
      dependencies: [
        "UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRAAnalysis", "UnifiedLoRAAudit", "UnifiedLoRACLI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRATests",
      dependencies: ["UnifiedLoRA", .product(name: "PropertyBased", package: "swift-property-based")],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRASupportTests", dependencies: ["UnifiedLoRASupport"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAIOTests", dependencies: ["UnifiedLoRAIO"],
      // The libFuzzer seed corpus: read by scripts/fuzz and FuzzRegressionTests, not compiled.
      exclude: ["FuzzCorpus"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAPropertiesTests",
      dependencies: [
        "UnifiedLoRAProperties", .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAAnalysisTests", dependencies: ["UnifiedLoRAAnalysis", "UnifiedLoRASupport"],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRATuneTests", dependencies: ["UnifiedLoRATune"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAAuditTests", dependencies: ["UnifiedLoRAAudit"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRATrainerTests", dependencies: ["UnifiedLoRATrainer"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRACLITests",
      dependencies: [
        "UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRACLI",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      // Logs in the practitioners' export formats, read by README commands (made by ExportFixtures).
      exclude: ["Fixtures"], swiftSettings: strict),
    .testTarget(
      name: "ProofsTests", dependencies: ["UnifiedLoRA", "UnifiedLoRAAnalysis", "UnifiedLoRASupport"],
      swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
