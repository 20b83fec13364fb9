; T04 exact response of the linearised system when β = 1−α = ρ (the defaults: ρ = 0.9).
; Theorem: Proofs/T04-jacobian.md. Linearisation at the fixed point: δ_{t+1} = ρ·δ_t,
; u_{t+1} = ρ·u_t + c·δ_t. Claim: u_t = ρ^t·u_0 + c·t·ρ^{t−1}·δ_0, δ_t = ρ^t·δ_0.
; Induction step with r = ρ^{t−1} (symbolic, > 0) and real t ≥ 1. Negation unsat.
; expect: unsat
(set-logic QF_NRA)
(declare-const rho Real)
(declare-const c Real)
(declare-const r Real)
(declare-const t Real)
(declare-const u0 Real)
(declare-const d0 Real)
(assert (and (< 0 rho) (< rho 1) (> r 0) (>= t 1)))
(define-fun ut () Real (+ (* rho r u0) (* c t r d0)))
(define-fun dt () Real (* rho r d0))
(define-fun ut1 () Real (+ (* rho rho r u0) (* c (+ t 1) rho r d0)))
(assert (not (= (+ (* rho ut) (* c dt)) ut1)))
(check-sat)
