// swift-tools-version: 6.1
import PackageDescription

// Targets, in the one direction data flows:
//   UnifiedLoRA (pure equations, no dependencies)
//   → UnifiedLoRAIO (loss logs in, records out)
//   → UnifiedLoRAAnalysis (closed forms + GSL)
//   → unified-lora (command line), unified-lora-bench (release-mode benchmarks)
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
]

// The property engine runs eight traces per SIMD8<Double>: on x86-64 it is compiled for AVX2
// (`haswell`: 256-bit lanes, no fused multiply-add is formed by Swift, so lanes stay bit-identical
// to the scalar step; a test cross-checks them).
#if arch(x86_64)
  let vectorFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
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
    .library(name: "UnifiedLoRAProperties", targets: ["UnifiedLoRAProperties"]),
    .executable(name: "unified-lora", targets: ["unified-lora"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.0"),
  ],
  targets: [
    .target(name: "UnifiedLoRA", swiftSettings: strict),
    .target(
      name: "UnifiedLoRAIO",
      dependencies: ["UnifiedLoRA", .product(name: "CSV", package: "CSV.swift")],
      swiftSettings: strict),
    .systemLibrary(
      name: "CGSL", pkgConfig: "gsl",
      providers: [.apt(["libgsl-dev"]), .brew(["gsl"])]),
    .target(name: "UnifiedLoRAAnalysis", dependencies: ["UnifiedLoRA", "CGSL"], swiftSettings: strict),
    .target(name: "UnifiedLoRAProperties", dependencies: ["UnifiedLoRA"], swiftSettings: strict + vectorFlags),
    .executableTarget(
      name: "unified-lora",
      dependencies: [
        "UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRAAnalysis", "UnifiedLoRAProperties",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      swiftSettings: strict),
    .executableTarget(
      name: "unified-lora-bench",
      dependencies: ["UnifiedLoRA", "UnifiedLoRAIO", "UnifiedLoRAProperties"],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRATests",
      dependencies: ["UnifiedLoRA", .product(name: "PropertyBased", package: "swift-property-based")],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAIOTests", dependencies: ["UnifiedLoRAIO"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAPropertiesTests",
      dependencies: [
        "UnifiedLoRAProperties", .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRAAnalysisTests", dependencies: ["UnifiedLoRAAnalysis"], swiftSettings: strict),
    .testTarget(
      name: "UnifiedLoRACLITests", dependencies: ["UnifiedLoRA", "UnifiedLoRAIO"], swiftSettings: strict),
  ],
  swiftLanguageModes: [.v6]
)
