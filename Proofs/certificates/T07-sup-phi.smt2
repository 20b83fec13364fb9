; T07 Mirror reachability: an upper bound s on the observation bounds φ by g(s) for ever.
; Theorem: Proofs/T07-mirror.md, Lemma 1. Report variant (φ reads the OLD Ê), g(y) = y/(1+y).
; Query 1 (strict form, any α ∈ (0,1]): 0 ≤ X < s, 0 ≤ Ê < s, φ < g(s) ⇒ Ê' < s, φ' < g(s).
; Query 2 (non-strict observation, α < 1): 0 ≤ X ≤ s, 0 ≤ Ê ≤ s, φ < g(s) ⇒ Ê' ≤ s, φ' < g(s).
; Query 3 (repo variant, φ reads the NEW Ê): 0 ≤ L < s, 0 ≤ Ê < s, φ < g(s) ⇒ the same as Query 1.
; β ∈ [0,1), s > 0 symbolic. Negations unsat.
; expect: unsat unsat unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const beta Real)
(declare-const s Real)
(declare-const X Real)
(declare-const e Real)
(declare-const p Real)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(assert (and (< 0 alpha) (<= alpha 1) (<= 0 beta) (< beta 1) (> s 0) (<= 0 X) (<= 0 e) (< p (g s))))
(define-fun e1 () Real (+ (* beta e) (* (- 1 beta) X)))
(push 1)
(assert (and (< X s) (< e s)))
(assert (not (and (< e1 s) (< (+ (* (- 1 alpha) p) (* alpha (g e))) (g s)))))
(check-sat)
(pop 1)
(push 1)
(assert (and (<= X s) (<= e s) (< alpha 1)))
(assert (not (and (<= e1 s) (< (+ (* (- 1 alpha) p) (* alpha (g e))) (g s)))))
(check-sat)
(pop 1)
(push 1)
(assert (and (< X s) (< e s)))
(assert (not (and (< e1 s) (< (+ (* (- 1 alpha) p) (* alpha (g e1))) (g s)))))
(check-sat)
(pop 1)
