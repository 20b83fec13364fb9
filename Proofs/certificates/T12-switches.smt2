; T12 switch counts. Theorem: Proofs/T12-switches.md.
; Query 1 (Lemma 1, φ is unimodal for constant input): with h = g(Ê) the term φ moves toward
;   (h_t non-decreasing in t for constant input when Ê0 ≤ X), α ∈ (0,1]:
;   h ≤ h', φ ≤ h ⇒ φ' = (1−α)·φ + α·h satisfies φ ≤ φ' ≤ h'. Negation unsat.
; Query 2: φ > h ⇒ φ' < φ. Negation unsat.
; Query 3 (chattering without cooldown, report variant with N_s = 0, other defaults): a state
;   and an input give switches at two consecutive steps (Single → Multi → Single). sat, model.
; expect: unsat unsat sat
(set-logic QF_NRA)
(define-fun g ((y Real)) Real (/ y (+ 1 y)))
(declare-const alpha Real)
(declare-const h Real)
(declare-const h2 Real)
(declare-const p Real)
(push 1)
(assert (and (< 0 alpha) (<= alpha 1) (<= h h2) (<= p h)))
(define-fun p1 () Real (+ (* (- 1 alpha) p) (* alpha h)))
(assert (not (and (<= p p1) (<= p1 h2))))
(check-sat)
(pop 1)
(push 1)
(assert (and (< 0 alpha) (<= alpha 1) (> p h)))
(assert (not (< (+ (* (- 1 alpha) p) (* alpha h)) p)))
(check-sat)
(pop 1)
(push 1)
(declare-const e0 Real)
(declare-const p0 Real)
(declare-const L0 Real)
(declare-const E0 Real)
; report step: Ê1 = β·Ê0 + (1−β)·X0, φ1 = (1−α)·φ0 + α·g(Ê0), φ2 = (1−α)·φ1 + α·g(Ê1);
; mode M_{t+1} = c(φ_t) (N_s = 0): M1 = c(φ0) = Single, M2 = c(φ1) = Multi, M3 = c(φ2) = Single.
(define-fun X0 () Real (+ (* (/ 1 2) E0) (* (/ 1 2) (g L0))))
(define-fun e1 () Real (+ (* (/ 9 10) e0) (* (/ 1 10) X0)))
(define-fun p1 () Real (+ (* (/ 9 10) p0) (* (/ 1 10) (g e0))))
(define-fun p2 () Real (+ (* (/ 9 10) p1) (* (/ 1 10) (g e1))))
(assert (and (>= e0 0) (<= 0 p0) (>= L0 0) (>= E0 0)))
(assert (< p0 (/ 3 10)))
(assert (and (>= p1 (/ 3 10)) (< p1 (/ 7 10))))
(assert (< p2 (/ 3 10)))
(check-sat)
(get-model)
(pop 1)
