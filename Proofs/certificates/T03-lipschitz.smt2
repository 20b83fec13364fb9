; T03/T05 Lemma (slope of g): for 0 ≤ b ≤ a,  0 ≤ g(a) − g(b) ≤ (a − b)/(1 + b)^2 ≤ a − b,
; g(y) = y/(1+y). So g is increasing and 1-Lipschitz on [0, ∞), with local constant
; 1/(1 + min)^2. Theorem: Proofs/T03-fixed-point.md, Lemma 2. Negation unsat.
; expect: unsat
(set-logic QF_NRA)
(declare-const a Real)
(declare-const b Real)
(assert (and (<= 0 b) (<= b a)))
(define-fun d () Real (- (/ a (+ 1 a)) (/ b (+ 1 b))))
(assert (not (and (<= 0 d) (<= d (/ (- a b) (* (+ 1 b) (+ 1 b)))) (<= (/ (- a b) (* (+ 1 b) (+ 1 b))) (- a b)))))
(check-sat)
