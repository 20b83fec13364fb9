; T10 cooldown (claim C2), report variant: consecutive switches are at least N_s steps apart.
; Theorem: Proofs/T10-cooldown.md. The rule: a switch at step t requires t − s ≥ N_s, where s is
; the step of the last switch, and sets s := t; between switches s does not change.
; Query 1: switches at t1 then t2 (t2 > t1, none in between) ⇒ t2 − t1 ≥ N_s. Negation unsat.
; Query 2 (repo variant: no cooldown): with the repo defaults (α = 1/10, β = 9/10, θ0 = 3/10)
;   there are a state and two losses giving switches at two consecutive steps (Single → Multi →
;   Single; M = c(φ_new) every step). sat, model printed.
; expect: unsat sat
(set-logic QF_NIRA)
(push 1)
(declare-const t1 Int)
(declare-const t2 Int)
(declare-const s Int)
(declare-const Ns Int)
(assert (>= Ns 0))
(assert (>= (- t1 s) Ns))
(define-fun s1 () Int t1)
(assert (> t2 t1))
(assert (>= (- t2 s1) Ns))
(assert (not (>= (- t2 t1) Ns)))
(check-sat)
(pop 1)
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
