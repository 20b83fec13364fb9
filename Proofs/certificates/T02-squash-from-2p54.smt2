; T02 range in binary64, Lemma 1: when the squashing term g(x) = fl(x / fl(1 + x)) is exactly 1.0
; (x a non-negative binary64 number; RNE; no FMA). Theorem: Proofs/T02-binary64.md.
; Result: g(x) = 1 iff x ≥ 2^54, or x ∈ [2^53, 2^54) with an even significand. The least such x
; is 2^53; from 2^54 on it holds for every x; 2^53 + 2 is the first x above 2^53 where it fails.
; A quotient q rounds (RNE) to 1.0 from below iff q ≥ 1 − 2^-54. For x ≥ 1 and y = fl(1+x) we
; have x ≤ y ≤ 2x, so y − x is exact (Sterbenz) and 2^-54·y is exact; hence
; g(x) = 1  ⟺  y − x ≤ 2^-54·y  (tested below without a division, which z3 cannot bit-blast fast).
; This file: Query 1: x ∈ [2^54, MAX] ⇒ fl(1+x) = x (so g(x) = fl(x/x) = 1). Negation unsat.
; Query 2 (ground): g(2^53) = 1, g(2^53 − 1) < 1, g(2^53 + 2) < 1, g(2^54) = 1. sat.
; expect: unsat sat
(set-logic QF_FP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun p53 () D ((_ to_fp 11 53) RNE 9007199254740992.0))
(define-fun p54 () D ((_ to_fp 11 53) RNE 18014398509481984.0))
(define-fun two-54 () D ((_ to_fp 11 53) RNE 0.000000000000000055511151231257827021181583404541015625))
(define-fun maxd () D (fp #b0 #b11111111110 #xFFFFFFFFFFFFF))
(define-fun g ((x D)) D (fp.div RNE x (fp.add RNE one x)))
(declare-const x D)
(assert (fp.leq p54 x))
(assert (fp.leq x maxd))
(assert (not (fp.eq (fp.add RNE one x) x)))
(check-sat)
(reset)
(set-logic QF_FP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun p53 () D ((_ to_fp 11 53) RNE 9007199254740992.0))
(define-fun p54 () D ((_ to_fp 11 53) RNE 18014398509481984.0))
(define-fun two-54 () D ((_ to_fp 11 53) RNE 0.000000000000000055511151231257827021181583404541015625))
(define-fun maxd () D (fp #b0 #b11111111110 #xFFFFFFFFFFFFF))
(define-fun g ((x D)) D (fp.div RNE x (fp.add RNE one x)))
(assert (fp.eq (g p53) one))
(assert (fp.lt (g ((_ to_fp 11 53) RNE 9007199254740991.0)) one))
(assert (fp.lt (g ((_ to_fp 11 53) RNE 9007199254740994.0)) one))
(assert (fp.eq (g p54) one))
(check-sat)
(get-model)
