; T10 cooldown (claim C2), repo variant: no cooldown. Theorem: Proofs/T10-cooldown.md.
; (The report's part, consecutive switches ≥ N_s steps apart, is the Coq theorem T10_cooldown in
; Proofs/coq/T10.v, over the controller's own step function.)
; Query (repo variant: no cooldown): with the repo defaults (α = 1/10, β = 9/10, θ0 = 3/10)
;   there are a state and two losses giving switches at two consecutive steps (Single → Multi →
;   Single; M = c(φ_new) every step). sat, model printed (a witness; Coq: T10_repo_no_cooldown
;   checks the published one).
; expect: sat
(set-logic QF_NRA)
(push 1)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(declare-const e0 Real)
(declare-const p0 Real)
(declare-const L1 Real)
(declare-const L2 Real)
(define-fun e1 () Real (+ (* (/ 9 10) e0) (* (/ 1 10) L1)))
(define-fun p1 () Real (+ (* (/ 9 10) p0) (* (/ 1 10) (g e1))))
(define-fun e2 () Real (+ (* (/ 9 10) e1) (* (/ 1 10) L2)))
(define-fun p2 () Real (+ (* (/ 9 10) p1) (* (/ 1 10) (g e2))))
(assert (and (>= e0 0) (<= 0 p0) (>= L1 0) (>= L2 0)))
(assert (< p0 (/ 3 10)))
(assert (and (>= p1 (/ 3 10)) (< p1 (/ 7 10))))
(assert (< p2 (/ 3 10)))
(check-sat)
(get-model)
(pop 1)
