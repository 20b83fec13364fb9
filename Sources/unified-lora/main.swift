import UnifiedLoRACLI

// The commands live in the UnifiedLoRACLI target, where tests and the fuzzer parse them.
UnifiedLoRACommand.main()
