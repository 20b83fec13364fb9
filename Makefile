# unified-lora — the two commands a newcomer needs are `make run` and `make test`.
SWIFT ?= swift
BIN_RELEASE := .build/release/unified-lora

.PHONY: run test build release bootstrap bench verify proofs fuzz notebooks format lint clean train docs check-dependent

# The release builds below compile the SIMD lanes for AVX2 when this CPU has it (Package.swift:
# `UNIFIED_LORA_NATIVE`, opt-in because a package with unsafe flags cannot be depended on by
# version). Set UNIFIED_LORA_NATIVE=0 to build the portable binary.
NATIVE := $(shell grep -qw avx2 /proc/cpuinfo 2>/dev/null && echo 1 || echo 0)
run release bench verify notebooks train: export UNIFIED_LORA_NATIVE ?= $(NATIVE)

bootstrap:
	@bash scripts/bootstrap

## Release build, then the report's two-shock scenario as a mode/φ timeline.
run: bootstrap release
	$(BIN_RELEASE) scenario report-shocks

release: bootstrap
	$(SWIFT) build -c release --product unified-lora

build: bootstrap
	$(SWIFT) build

## Debug build and the whole test suite (unit, property, CLI, notebooks, the Python package, proofs,
## and a throwaway package that depends on this one by version).
test: bootstrap build
	@bash scripts/bootstrap-notebooks
	$(SWIFT) test --parallel
	@bash scripts/bootstrap-python
	.venv/bin/python -m pytest -q -p no:cacheprovider python/tests
	@if [ -x scripts/check-proofs ]; then bash scripts/check-proofs; fi
	bash scripts/check-dependent

## The property verification at volume: lanes engine, scalar catalogue, exhaustive k = 10, IEEE search.
verify: bootstrap release
	$(BIN_RELEASE) verify --traces 1000000 --steps 1000 --exhaustive 10

## Release-mode benchmarks; each checks its own result.
bench: bootstrap
	$(SWIFT) build -c release --product unified-lora-bench
	.build/release/unified-lora-bench

## Machine-check every proof: compile the Coq development (Proofs/coq, no axiom beyond the reals),
## run Gappa on Proofs/gappa/*.g and z3 on every SMT-LIB certificate against its expected answer.
proofs: bootstrap
	bash scripts/check-proofs

## libFuzzer on every input reader, one target after another (FUZZ_RUNS inputs each, default 1,000,000).
FUZZ_RUNS ?= 1000000
fuzz: bootstrap
	bash scripts/fuzz $(FUZZ_RUNS)

## Re-execute every notebook in Notebooks/ in place, outputs included (makes .venv/ when missing).
notebooks: bootstrap release
	bash scripts/bootstrap-notebooks
	UNIFIED_LORA_BIN=$(CURDIR)/$(BIN_RELEASE) bash scripts/run-notebooks

## The DocC catalogues of the stable library products (docs/modules.md), as static sites in
## .build/docs/<Module>/ (open index.html through a local web server).
DOC_TARGETS := UnifiedLoRA UnifiedLoRAIO UnifiedLoRAAnalysis UnifiedLoRAAudit
docs: bootstrap
	@mkdir -p .build/docs
	@for t in $(DOC_TARGETS); do \
	  $(SWIFT) package --allow-writing-to-directory .build/docs generate-documentation --target $$t \
	    --output-path .build/docs/$$t --transform-for-static-hosting --hosting-base-path $$t || exit 1; \
	done

## A throwaway package that depends on this one by version and imports every library product.
check-dependent: bootstrap
	bash scripts/check-dependent

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift

clean:
	rm -rf .build

## The trainer's default experiment (docs/experiment.md): a transformer with LoRA on Pig Latin,
## 9 arms x 10 seeds x 800 steps, conflicting-mapping shocks at [200,300) and [500,600); about
## 19 CPU-minutes, 10 minutes on two idle cores (less when the pretrained bases are cached).
## Tables on standard output, progress on standard error, per-run CSV and summary.json in
## train-runs/. OpenBLAS's Haswell kernels are selected on a CPU with AVX2 (its autodetection may
## fall back to Prescott, 1.7x slower here); results are reproducible for a given seed, thread
## count and BLAS kernel.
train: bootstrap release
	@if grep -qw avx2 /proc/cpuinfo 2>/dev/null; then export OPENBLAS_CORETYPE=$${OPENBLAS_CORETYPE:-Haswell}; fi; \
	$(BIN_RELEASE) train --progress --out train-runs
