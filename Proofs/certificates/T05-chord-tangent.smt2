; T05/T09/T14 Lemma (concavity of g(y) = y/(1+y) on [0, ∞)).
; Theorem: Proofs/T05-settling.md, Lemma 1.
; Query 1 (chord): λ ∈ [0,1], a, b ≥ 0 ⇒ g(λa + (1−λ)b) ≥ λ·g(a) + (1−λ)·g(b). Negation unsat.
; Query 2 (tangent): y, X ≥ 0 ⇒ g(y) ≤ g(X) + (y − X)/(1+X)^2. Negation unsat.
; expect: unsat unsat
(set-logic QF_NRA)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(declare-const lam Real)
(declare-const a Real)
(declare-const b Real)
(declare-const y Real)
(declare-const X Real)
(push 1)
(assert (and (<= 0 lam) (<= lam 1) (>= a 0) (>= b 0)))
(assert (not (>= (g (+ (* lam a) (* (- 1 lam) b))) (+ (* lam (g a)) (* (- 1 lam) (g b))))))
(check-sat)
(pop 1)
(push 1)
(assert (and (>= y 0) (>= X 0)))
(assert (not (<= (g y) (+ (g X) (/ (- y X) (* (+ 1 X) (+ 1 X)))))))
(check-sat)
(pop 1)
