; T02 range in binary64, Lemma 3: whether φ can reach exactly 1.0 from below depends on α.
; Theorem: Proofs/T02-binary64.md. With p = 1 − 2^-53 (the largest double below 1) and the
; largest possible squashing term g = 1, the largest successor of any φ < 1 is
; F(α) = fl(fl(fl(1 − α)·p) + fl(α·1)) (rounded + and × are monotone).
; Query 1 (α = fl(0.1), the default): F(α) = 1 is unsat, so φ < 1 is invariant in binary64.
; Query 2 (α = fl(0.1)): F(α) = 1 − 2^-53 exactly; the negation is unsat.
; Query 3 (α = 0.5): F(α) = 1 is sat (1 − 2^-54 is a tie, rounded to the even 1.0).
; expect: unsat unsat sat
(set-logic QF_FP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun p () D (fp #b0 #b01111111110 #xFFFFFFFFFFFFF))
(define-fun F ((a D)) D (fp.add RNE (fp.mul RNE (fp.sub RNE one a) p) (fp.mul RNE a one)))
(define-fun tenth () D ((_ to_fp 11 53) RNE 0.1))
(define-fun half () D ((_ to_fp 11 53) RNE 0.5))
(push 1)
(assert (fp.eq (F tenth) one))
(check-sat)
(pop 1)
(push 1)
(assert (not (fp.eq (F tenth) p)))
(check-sat)
(pop 1)
(push 1)
(assert (fp.eq (F half) one))
(check-sat)
(pop 1)
