; T03 fixed point for constant input (exact reals): uniqueness and closed form.
; Theorem: Proofs/T03-fixed-point.md. g(y) = y/(1+y).
; Query 1 (report): α ∈ (0,1], β ∈ [0,1), X ≥ 0. If (Ê, φ) is fixed by
;   Ê = β·Ê + (1−β)·X,  φ = (1−α)·φ + α·g(Ê)   then Ê = X and φ = X/(1+X). Negation unsat.
; Query 2 (repo): L ≥ 0. If (Ê, φ) is fixed by Ê' = β·Ê + (1−β)·L, φ' = (1−α)·φ + α·g(Ê')
;   then Ê = L and φ = L/(1+L). Negation unsat.
; expect: unsat unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const beta Real)
(declare-const X Real)
(declare-const e Real)
(declare-const phi Real)
(assert (and (< 0 alpha) (<= alpha 1) (<= 0 beta) (< beta 1) (>= X 0) (>= e 0)))
(push 1)
(assert (= e (+ (* beta e) (* (- 1 beta) X))))
(assert (= phi (+ (* (- 1 alpha) phi) (* alpha (/ e (+ 1 e))))))
(assert (not (and (= e X) (= phi (/ X (+ 1 X))))))
(check-sat)
(pop 1)
(push 1)
(define-fun e1 () Real (+ (* beta e) (* (- 1 beta) X)))
(assert (= e e1))
(assert (= phi (+ (* (- 1 alpha) phi) (* alpha (/ e1 (+ 1 e1))))))
(assert (not (and (= e X) (= phi (/ X (+ 1 X))))))
(check-sat)
(pop 1)
