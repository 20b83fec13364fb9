; T01 range invariant (exact reals), Lemma 1: one step keeps Ê in [0, B].
; Theorem: Proofs/T01-range.md. Both variants: report Ê' = β·Ê + (1−β)·X, repo Ê' = β·Ê + (1−β)·L,
; a convex combination of the old Ê and the new observation x (X or L).
; Claim: β ∈ [0,1), 0 ≤ Ê ≤ B, 0 ≤ x ≤ B  ⇒  0 ≤ Ê' ≤ B.  The negation must be unsat.
; expect: unsat
(set-logic QF_NRA)
(declare-const beta Real)
(declare-const e Real)
(declare-const x Real)
(declare-const B Real)
(assert (and (<= 0 beta) (< beta 1)))
(assert (and (<= 0 e) (<= e B)))
(assert (and (<= 0 x) (<= x B)))
(define-fun e1 () Real (+ (* beta e) (* (- 1 beta) x)))
(assert (not (and (<= 0 e1) (<= e1 B))))
(check-sat)
