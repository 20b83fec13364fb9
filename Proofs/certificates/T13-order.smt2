; T13 the order Single → Multi → Mirror, and when Multi can be skipped.
; Theorem: Proofs/T13-order.md. φ' = (1−α)·φ + α·h with h = g(·) ∈ [0,1).
; Query 1: α ≤ (θ1−θ0)/(1−θ0), φ < θ0 ⇒ φ' < θ1 (φ cannot cross [θ0, θ1) upward in one step).
; Query 2: α ≤ 1 − θ0/θ1, φ ≥ θ1 ⇒ φ' ≥ θ0 (nor downward). 0 < θ0 < θ1 < 1 symbolic.
; Query 3: with α = 9/10 > 4/7 = (θ1−θ0)/(1−θ0) at the default thresholds, a state with
;   φ < θ0 and φ' ≥ θ1 exists (a one-step skip of Multi). sat, model printed.
; expect: unsat unsat sat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const th0 Real)
(declare-const th1 Real)
(declare-const p Real)
(declare-const h Real)
(declare-const e Real)
(push 1)
(assert (and (< 0 alpha) (<= alpha 1) (< 0 th0) (< th0 th1) (< th1 1) (<= 0 h) (< h 1) (<= 0 p)))
(assert (<= alpha (/ (- th1 th0) (- 1 th0))))
(assert (< p th0))
(assert (not (< (+ (* (- 1 alpha) p) (* alpha h)) th1)))
(check-sat)
(pop 1)
(push 1)
(assert (and (< 0 alpha) (<= alpha 1) (< 0 th0) (< th0 th1) (< th1 1) (<= 0 h) (< h 1) (< p 1)))
(assert (<= alpha (- 1 (/ th0 th1))))
(assert (>= p th1))
(assert (not (>= (+ (* (- 1 alpha) p) (* alpha h)) th0)))
(check-sat)
(pop 1)
(push 1)
(assert (and (>= e 0) (<= 0 p) (< p (/ 3 10))))
(assert (>= (+ (* (/ 1 10) p) (* (/ 9 10) (/ e (+ 1 e)))) (/ 7 10)))
(check-sat)
(get-model)
(pop 1)
