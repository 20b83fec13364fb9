; T08 low stress settles in Single iff the observation is below θ0/(1−θ0).
; Theorem: Proofs/T08-single.md. g(y) = y/(1+y).
; Query 1: θ0 ∈ (0,1), X ≥ 0: g(X) < θ0 ⟺ X < θ0/(1−θ0). Negation unsat.
; Query 2: report defaults, E = 0: X = D/2 < 3/7 ⟺ L < 6 (L ≥ 0). Negation unsat.
; Query 3: the clean regime L = 1/2, E = 0: X = 1/6, φ* = 1/7 < 3/10; the shock L = 20:
;          X = 10/21, φ* = 10/31 ∈ [3/10, 7/10) (Multi). Negation unsat.
; Query 4: repo defaults: g(L) < 3/10 ⟺ L < 3/7, and at the clean L = 1/2, φ* = 1/3 ≥ 3/10
;          (the repo variant settles in Multi, not Single). Negation unsat.
; expect: unsat unsat unsat unsat
(set-logic QF_NRA)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(declare-const th0 Real)
(declare-const X Real)
(declare-const L Real)
(push 1)
(assert (and (< 0 th0) (< th0 1) (>= X 0)))
(assert (not (= (< (g X) th0) (< X (/ th0 (- 1 th0))))))
(check-sat)
(pop 1)
(push 1)
(assert (>= L 0))
(assert (not (= (< (* (/ 1 2) (g L)) (/ 3 7)) (< L 6))))
(check-sat)
(pop 1)
(push 1)
(assert (not (and (= (* (/ 1 2) (g (/ 1 2))) (/ 1 6)) (= (g (/ 1 6)) (/ 1 7)) (< (/ 1 7) (/ 3 10))
                  (= (* (/ 1 2) (g 20)) (/ 10 21)) (= (g (/ 10 21)) (/ 10 31))
                  (<= (/ 3 10) (/ 10 31)) (< (/ 10 31) (/ 7 10)))))
(check-sat)
(pop 1)
(push 1)
(assert (>= L 0))
(assert (not (and (= (< (g L) (/ 3 10)) (< L (/ 3 7))) (= (g (/ 1 2)) (/ 1 3)) (>= (/ 1 3) (/ 3 10)))))
(check-sat)
(pop 1)
