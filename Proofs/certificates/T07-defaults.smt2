; T07 the verdict on C4 for the report defaults and the least sustained E for Mirror.
; Theorem: Proofs/T07-mirror.md. g(y) = y/(1+y), D = L/(1+L) ∈ [0,1), X = α_E·E + (1−α_E)·D.
; Query 1: E ≡ 0, α_E = 1/2: X < 1/2 and g(1/2) = 1/3 < θ1 = 7/10 (and 1/3 > θ0 = 3/10:
;          Multi is not excluded). Negation unsat.
; Query 2: E ∈ [0,1], α_E = 1/2: X < 1 and g(1) = 1/2 < 7/10. Negation unsat.
; Query 3 (symbolic α_E ∈ (0,1], θ1 ∈ (0,1), D ∈ [0,1), E ≥ 0):
;          g(X) > θ1  ⟺  E > (θ1/(1−θ1) − (1−α_E)·D)/α_E. Negation unsat.
; Query 4: defaults, L = 20: the least sustained E (an infimum) is 26/7; L = 0: 14/3. Negation unsat.
; expect: unsat unsat unsat unsat
(set-logic QF_NRA)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(declare-const L Real)
(declare-const E Real)
(declare-const aE Real)
(declare-const th1 Real)
(declare-const D Real)
(push 1)
(assert (>= L 0))
(assert (not (and (< (* (/ 1 2) (g L)) (/ 1 2)) (= (g (/ 1 2)) (/ 1 3)) (< (/ 1 3) (/ 7 10)) (> (/ 1 3) (/ 3 10)))))
(check-sat)
(pop 1)
(push 1)
(assert (and (>= L 0) (<= 0 E) (<= E 1)))
(assert (not (and (< (+ (* (/ 1 2) E) (* (/ 1 2) (g L))) 1) (= (g 1) (/ 1 2)) (< (/ 1 2) (/ 7 10)))))
(check-sat)
(pop 1)
(push 1)
(assert (and (< 0 aE) (<= aE 1) (< 0 th1) (< th1 1) (<= 0 D) (< D 1) (>= E 0)))
(define-fun X () Real (+ (* aE E) (* (- 1 aE) D)))
(assert (not (= (> (g X) th1) (> E (/ (- (/ th1 (- 1 th1)) (* (- 1 aE) D)) aE)))))
(check-sat)
(pop 1)
(push 1)
(define-fun Emin ((l Real)) Real (/ (- (/ (/ 7 10) (/ 3 10)) (* (/ 1 2) (g l))) (/ 1 2)))
(assert (not (and (= (Emin 20) (/ 26 7)) (= (Emin 0) (/ 14 3)))))
(check-sat)
(pop 1)
