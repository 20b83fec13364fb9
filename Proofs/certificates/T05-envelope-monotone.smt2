; T05 the envelope U(t) = a·ρ^t + c·t·ρ^{t−1} (a, c ≥ 0, ρ ∈ (0,1)) is non-increasing for
; t ≥ ρ/(1−ρ), so "U(T) ≤ band" at one such T certifies the band for every t ≥ T.
; Theorem: Proofs/T05-settling.md, Lemma 3. With r = ρ^{t−1} > 0: U(t+1) ≤ U(t) when
; (t+1)·ρ ≤ t. Negation unsat.
; expect: unsat
(set-logic QF_NRA)
(declare-const rho Real)
(declare-const r Real)
(declare-const t Real)
(declare-const a Real)
(declare-const c Real)
(assert (and (< 0 rho) (< rho 1) (> r 0) (>= t 0) (>= a 0) (>= c 0)))
(assert (<= (* (+ t 1) rho) t))
(define-fun U ((tt Real) (rr Real)) Real (+ (* a rr rho) (* c tt rr)))
(assert (not (<= (U (+ t 1) (* r rho)) (U t r))))
(check-sat)
