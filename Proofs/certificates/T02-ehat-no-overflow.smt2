; T02 binary64: Ê never overflows with the default β = 0.9 and α_E = 0.5 (any finite inputs).
; Theorem: Proofs/T02-binary64.md, Lemma 4. By monotonicity of rounded + and ×, the largest
; Ê' = fl(fl(β·Ê) + fl(fl(1−β)·x)) over Ê, x ∈ [0, MAX] is at Ê = x = MAX (the largest finite).
; Query 1: that value is infinite: unsat.  Query 2: the report's largest observation
; X = fl(fl(α_E·MAX) + fl(fl(1−α_E)·1)) is > MAX (infinite): unsat.
; expect: unsat unsat
(set-logic QF_FP)
(define-sort D () (_ FloatingPoint 11 53))
(define-fun one () D ((_ to_fp 11 53) RNE 1.0))
(define-fun maxd () D (fp #b0 #b11111111110 #xFFFFFFFFFFFFF))
(define-fun beta () D ((_ to_fp 11 53) RNE 0.9))
(define-fun aE () D ((_ to_fp 11 53) RNE 0.5))
(push 1)
(assert (fp.isInfinite (fp.add RNE (fp.mul RNE beta maxd) (fp.mul RNE (fp.sub RNE one beta) maxd))))
(check-sat)
(pop 1)
(push 1)
(assert (fp.isInfinite (fp.add RNE (fp.mul RNE aE maxd) (fp.mul RNE (fp.sub RNE one aE) one))))
(check-sat)
(pop 1)
