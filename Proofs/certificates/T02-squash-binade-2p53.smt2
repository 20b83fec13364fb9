; T02 range in binary64, Lemma 1: when the squashing term g(x) = fl(x / fl(1 + x)) is exactly 1.0
; (x a non-negative binary64 number; RNE; no FMA). Theorem: Proofs/T02-binary64.md.
; Result: g(x) = 1 iff x ≥ 2^54, or x ∈ [2^53, 2^54) with an even significand. The least such x
; is 2^53; from 2^54 on it holds for every x; 2^53 + 2 is the first x above 2^53 where it fails.
; A quotient q rounds (RNE) to 1.0 from below iff q ≥ 1 − 2^-54. For x ≥ 1 and y = fl(1+x) we
; have x ≤ y ≤ 2x, so y − x is exact (Sterbenz) and 2^-54·y is exact; hence
; g(x) = 1  ⟺  y − x ≤ 2^-54·y  (tested below without a division, which z3 cannot bit-blast fast).
; This file, x ∈ [2^53, 2^54) (significand bits m, so x = (1 + m·2^-52)·2^53):
; Query 1: fl(1+x) = x iff the last bit of m is 0. Negation unsat.
; Query 2: fl(1+x) ≠ x ⇒ g(x) < 1 (then fl(1+x) = x + 2, and 2 > 2^-54·(x+2)). Negation unsat.
; expect: unsat unsat
(set-logic QF_BVFP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun p53 () D ((_ to_fp 11 53) RNE 9007199254740992.0))
(define-fun p54 () D ((_ to_fp 11 53) RNE 18014398509481984.0))
(define-fun two-54 () D ((_ to_fp 11 53) RNE 0.000000000000000055511151231257827021181583404541015625))
(define-fun maxd () D (fp #b0 #b11111111110 #xFFFFFFFFFFFFF))
(define-fun g ((x D)) D (fp.div RNE x (fp.add RNE one x)))
(declare-const m (_ BitVec 52))
(define-fun x () D (fp #b0 #b10000110100 m))
(define-fun y () D (fp.add RNE one x))
(assert (not (= (fp.eq y x) (= ((_ extract 0 0) m) #b0))))
(check-sat)
(reset)
(set-logic QF_BVFP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun p53 () D ((_ to_fp 11 53) RNE 9007199254740992.0))
(define-fun p54 () D ((_ to_fp 11 53) RNE 18014398509481984.0))
(define-fun two-54 () D ((_ to_fp 11 53) RNE 0.000000000000000055511151231257827021181583404541015625))
(define-fun maxd () D (fp #b0 #b11111111110 #xFFFFFFFFFFFFF))
(define-fun g ((x D)) D (fp.div RNE x (fp.add RNE one x)))
(declare-const m (_ BitVec 52))
(define-fun x () D (fp #b0 #b10000110100 m))
(define-fun y () D (fp.add RNE one x))
(assert (not (fp.eq y x)))
(assert (fp.leq (fp.sub RNE y x) (fp.mul RNE two-54 y)))
(check-sat)
