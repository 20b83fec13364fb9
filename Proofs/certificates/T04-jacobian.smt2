; T04 Jacobian and spectrum. Theorem: Proofs/T04-jacobian.md.
; J = [[β, 0], [c, 1−α]] with c = α·g'(Ê) (report) or c = α·β·g'(Ê') (repo), g'(y) = 1/(1+y)^2.
; Query 1: c is the partial derivative: g(y+h) − g(y) = N/((1+y)(1+y+h)) with numerator
;   N = (y+h)(1+y) − y(1+y+h), and N = h; so the difference quotient α·(g(y+h) − g(y))/h is
;   α/((1+y)(1+y+h)) → α/(1+y)^2 as h → 0. (Stated without division, which keeps it fast.)
;   Negation unsat.
; Query 2: J·v = λ·v with v ≠ 0 ⇒ λ = β or λ = 1−α. Negation unsat.
; Query 3: β = 1−α and c ≠ 0 ⇒ every eigenvector has v1 = 0 (one eigendirection: J is
;   defective, a Jordan block). Negation unsat.
; Query 4: with the defaults α = 1/10, β = 9/10 the two eigenvalues coincide (0.9) and c > 0 at
;   every Ê ≥ 0 — so J is defective at every state. Negation unsat.
; expect: unsat unsat unsat unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const beta Real)
(declare-const c Real)
(declare-const lam Real)
(declare-const v1 Real)
(declare-const v2 Real)
(declare-const y Real)
(declare-const h Real)
(push 1)
(assert (not (= (- (* (+ y h) (+ 1 y)) (* y (+ 1 y h))) h)))
(check-sat)
(pop 1)
(push 1)
(assert (or (not (= v1 0)) (not (= v2 0))))
(assert (= (* beta v1) (* lam v1)))
(assert (= (+ (* c v1) (* (- 1 alpha) v2)) (* lam v2)))
(assert (not (or (= lam beta) (= lam (- 1 alpha)))))
(check-sat)
(pop 1)
(push 1)
(assert (= beta (- 1 alpha)))
(assert (not (= c 0)))
(assert (= (* beta v1) (* beta v1)))
(assert (= (+ (* c v1) (* (- 1 alpha) v2)) (* beta v2)))
(assert (not (= v1 0)))
(check-sat)
(pop 1)
(push 1)
(assert (= alpha (/ 1 10)))
(assert (= beta (/ 9 10)))
(assert (>= y 0))
(assert (not (and (= beta (- 1 alpha)) (> (/ alpha (* (+ 1 y) (+ 1 y))) 0))))
(check-sat)
(pop 1)
