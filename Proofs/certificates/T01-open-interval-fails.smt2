; T01: the report's "φ ∈ (0,1)" (claim C1) is false: φ = 0 is reached and kept.
; Theorem: Proofs/T01-range.md, Counterexample. Report variant, default α = 1/10, β = 9/10,
; α_E = 1/2, default initial state Ê0 = 0, φ0 = 0, input L ≡ 0, E ≡ 0.
; Query 1: the state (Ê, φ) = (0, 0) is mapped to itself by the step with L = E = 0 (this is an
;          induction: φ_t = 0 for every t). Negation must be unsat.
; Query 2: witness: with the defaults and any L ≥ 0, E ≥ 0 at t = 0, φ1 = 0 (it uses the OLD Ê0 = 0).
;          The formula "φ1 = 0 for this input" is satisfiable; the model is printed.
; expect: unsat sat
(set-logic QF_NRA)
(define-fun alpha () Real (/ 1 10))
(define-fun beta () Real (/ 9 10))
(define-fun alphaE () Real (/ 1 2))
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(define-fun X ((L Real) (E Real)) Real (+ (* alphaE E) (* (- 1 alphaE) (g L))))
(define-fun ehat1 ((e Real) (L Real) (E Real)) Real (+ (* beta e) (* (- 1 beta) (X L E))))
(define-fun phi1 ((e Real) (p Real)) Real (+ (* (- 1 alpha) p) (* alpha (g e))))
(push 1)
(assert (not (and (= (ehat1 0 0 0) 0) (= (phi1 0 0) 0))))
(check-sat)
(pop 1)
(push 1)
(declare-const L Real)
(declare-const E Real)
(assert (and (>= L 20) (>= E 0)))
(assert (= (phi1 0 0) 0))
(assert (> (ehat1 0 L E) 0))
(check-sat)
(get-model)
(pop 1)
