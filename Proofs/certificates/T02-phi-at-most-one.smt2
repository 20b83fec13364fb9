; T02 range in binary64, Lemma 2: φ never exceeds 1.0. For every binary64 α ∈ (0,1]:
; fl(fl(1 − α) + α) ≤ 1. With the monotonicity of rounded + and × (IEEE 754) and φ ≤ 1, g ≤ 1,
; fl(fl((1−α)·φ) + fl(α·g)) ≤ fl(fl(1−α) + α) ≤ 1. Theorem: Proofs/T02-binary64.md.
; The negation must be unsat.
; expect: unsat
(set-logic QF_FP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun zero () D (_ +zero 11 53))
(declare-const a D)
(assert (fp.lt zero a))
(assert (fp.leq a one))
(assert (fp.gt (fp.add RNE (fp.sub RNE one a) a) one))
(check-sat)
