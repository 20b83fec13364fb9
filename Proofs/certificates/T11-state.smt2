; T11 what the state is (claim C6): "stateless except for φ" is false.
; Theorem: Proofs/T11-state.md. Report variant, defaults α = 1/10, β = 9/10, α_E = 1/2,
; θ0 = 3/10, N_s = 30, g(y) = y/(1+y).
; Query 1: two states with the same φ and different Ê, under the same input, give different
;   next φ (φ' reads Ê). sat, model printed.
; Query 2: two states with the same (Ê, φ, M) and different s (last switch) give different next
;   modes at the same step t (one cooldown elapsed, the other not). sat, model printed.
; expect: sat sat
(set-logic QF_NIRA)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(push 1)
(declare-const p Real)
(declare-const ea Real)
(declare-const eb Real)
(assert (and (<= 0 p) (< p 1) (>= ea 0) (>= eb 0) (not (= ea eb))))
(assert (not (= (+ (* (/ 9 10) p) (* (/ 1 10) (g ea))) (+ (* (/ 9 10) p) (* (/ 1 10) (g eb))))))
(check-sat)
(get-model)
(pop 1)
(push 1)
(declare-const p Real)
(declare-const t Int)
(declare-const sa Int)
(declare-const sb Int)
(define-fun cand () Int (ite (< p (/ 3 10)) 0 (ite (< p (/ 7 10)) 1 2)))
(define-fun mnext ((s Int)) Int (ite (and (not (= cand 0)) (>= (- t s) 30)) cand 0))
(assert (and (<= 0 p) (< p 1) (< sa t) (< sb t)))
(assert (not (= (mnext sa) (mnext sb))))
(check-sat)
(get-model)
(pop 1)
