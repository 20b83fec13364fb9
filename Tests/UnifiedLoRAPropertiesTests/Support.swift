import Foundation
import UnifiedLoRA

@testable import UnifiedLoRAProperties

/// A fresh seed per test run (never a fixed one); every failure message prints it.
func freshSeed() -> UInt64 {
  var g = SystemRandomNumberGenerator()
  return g.next()
}
