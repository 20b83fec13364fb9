; T06: the MODE is not monotone in the inputs once the cooldown is on (report variant).
; Theorem: Proofs/T06-monotonicity.md, Counterexample. Parameters α = 1, β = 0, α_E = 1,
; θ0 = 3/10, θ1 = 7/10, N_s = 30; initial state (Ê, φ, M, s) = (0, 0, Single, −∞); L ≡ 0.
; Trace A: E = (1, 9, 0, 0); trace B: E = (0, 9, 0, 0) ≤ A at every step.
; The ground computation below (exact rationals, the equations of SPEC §2) gives after step 3:
; A in Multi (it switched at step 2, so the cooldown blocks Mirror), B in Mirror.
; The negation of "M^A_4 = Multi and M^B_4 = Mirror" is unsat.
; expect: unsat
(set-logic QF_NIRA)
(define-fun alpha () Real 1.0)
(define-fun beta () Real 0.0)
(define-fun aE () Real 1.0)
(define-fun th0 () Real (/ 3 10))
(define-fun th1 () Real (/ 7 10))
(define-fun Ns () Int 30)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(define-fun en ((e Real) (L Real) (E Real)) Real (+ (* beta e) (* (- 1 beta) (+ (* aE E) (* (- 1 aE) (g L))))))
(define-fun pn ((e Real) (p Real)) Real (+ (* (- 1 alpha) p) (* alpha (g e))))
(define-fun cand ((p Real)) Int (ite (< p th0) 0 (ite (< p th1) 1 2)))
(define-fun sw ((p Real) (m Int) (s Int) (t Int)) Bool (and (not (= (cand p) m)) (>= (- t s) Ns)))
(define-fun mn ((p Real) (m Int) (s Int) (t Int)) Int (ite (sw p m s t) (cand p) m))
(define-fun sn ((p Real) (m Int) (s Int) (t Int)) Int (ite (sw p m s t) t s))
; trace A
(define-fun eA1 () Real (en 0 0 1)) (define-fun pA1 () Real (pn 0 0))
(define-fun mA1 () Int (mn 0 0 -1000 0)) (define-fun sA1 () Int (sn 0 0 -1000 0))
(define-fun eA2 () Real (en eA1 0 9)) (define-fun pA2 () Real (pn eA1 pA1))
(define-fun mA2 () Int (mn pA1 mA1 sA1 1)) (define-fun sA2 () Int (sn pA1 mA1 sA1 1))
(define-fun eA3 () Real (en eA2 0 0)) (define-fun pA3 () Real (pn eA2 pA2))
(define-fun mA3 () Int (mn pA2 mA2 sA2 2)) (define-fun sA3 () Int (sn pA2 mA2 sA2 2))
(define-fun mA4 () Int (mn pA3 mA3 sA3 3))
; trace B
(define-fun eB1 () Real (en 0 0 0)) (define-fun pB1 () Real (pn 0 0))
(define-fun mB1 () Int (mn 0 0 -1000 0)) (define-fun sB1 () Int (sn 0 0 -1000 0))
(define-fun eB2 () Real (en eB1 0 9)) (define-fun pB2 () Real (pn eB1 pB1))
(define-fun mB2 () Int (mn pB1 mB1 sB1 1)) (define-fun sB2 () Int (sn pB1 mB1 sB1 1))
(define-fun eB3 () Real (en eB2 0 0)) (define-fun pB3 () Real (pn eB2 pB2))
(define-fun mB3 () Int (mn pB2 mB2 sB2 2)) (define-fun sB3 () Int (sn pB2 mB2 sB2 2))
(define-fun mB4 () Int (mn pB3 mB3 sB3 3))
(assert (not (and (= mA4 1) (= mB4 2) (= pA3 (/ 9 10)) (= pB3 (/ 9 10)) (= pA2 (/ 1 2)) (= pB2 0))))
(check-sat)
