; T06 comparison principle: one step is monotone in the state and the inputs (exact reals).
; Theorem: Proofs/T06-monotonicity.md, Lemma 1. g(y) = y/(1+y), D = L/(1+L).
; Query 1 (report): L ≤ L', E ≤ E', 0 ≤ Ê ≤ Ê', φ ≤ φ' ⇒ Ê_next ≤ Ê'_next and φ_next ≤ φ'_next.
; Query 2 (repo):   L ≤ L', 0 ≤ Ê ≤ Ê', φ ≤ φ' ⇒ the same (φ reads the NEW Ê).
; Parameters symbolic: α ∈ (0,1], β ∈ [0,1), α_E ∈ [0,1]. Negations unsat.
; expect: unsat unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const beta Real)
(declare-const aE Real)
(declare-const L Real)
(declare-const L2 Real)
(declare-const E Real)
(declare-const E2 Real)
(declare-const e Real)
(declare-const e2 Real)
(declare-const p Real)
(declare-const p2 Real)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(assert (and (< 0 alpha) (<= alpha 1) (<= 0 beta) (< beta 1) (<= 0 aE) (<= aE 1)))
(assert (and (<= 0 L) (<= L L2) (<= 0 E) (<= E E2) (<= 0 e) (<= e e2) (<= p p2)))
(push 1)
(define-fun X ((l Real) (en Real)) Real (+ (* aE en) (* (- 1 aE) (g l))))
(assert (not (and (<= (+ (* beta e) (* (- 1 beta) (X L E))) (+ (* beta e2) (* (- 1 beta) (X L2 E2))))
                  (<= (+ (* (- 1 alpha) p) (* alpha (g e))) (+ (* (- 1 alpha) p2) (* alpha (g e2)))))))
(check-sat)
(pop 1)
(push 1)
(define-fun n ((ee Real) (l Real)) Real (+ (* beta ee) (* (- 1 beta) l)))
(assert (not (and (<= (n e L) (n e2 L2))
                  (<= (+ (* (- 1 alpha) p) (* alpha (g (n e L)))) (+ (* (- 1 alpha) p2) (* alpha (g (n e2 L2))))))))
(check-sat)
(pop 1)
