; T01 range invariant (exact reals), Lemma 2: one step maps φ ∈ [0,1] into [0,1).
; Theorem: Proofs/T01-range.md. φ' = (1−α)·φ + α·g(y), g(y) = y/(1+y), with y = Ê (report, the
; OLD Ê) or y = β·Ê + (1−β)·L (repo, the NEW Ê); in both cases y ≥ 0 by Lemma 1.
; Query 1: α ∈ (0,1], φ ∈ [0,1], y ≥ 0 ⇒ 0 ≤ φ' < 1.                         expect unsat
; Query 2 (repo, positivity): α ∈ (0,1), φ ∈ (0,1], y ≥ 0 ⇒ φ' > 0.            expect unsat
; expect: unsat unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const phi Real)
(declare-const y Real)
(assert (>= y 0))
(define-fun g () Real (/ y (+ 1 y)))
(define-fun phi1 () Real (+ (* (- 1 alpha) phi) (* alpha g)))
(push 1)
(assert (and (< 0 alpha) (<= alpha 1)))
(assert (and (<= 0 phi) (<= phi 1)))
(assert (not (and (<= 0 phi1) (< phi1 1))))
(check-sat)
(pop 1)
(push 1)
(assert (and (< 0 alpha) (< alpha 1)))
(assert (and (< 0 phi) (<= phi 1)))
(assert (not (> phi1 0)))
(check-sat)
(pop 1)
