; T05 the two-sided envelope of φ for a constant input (report variant), induction step.
; Theorem: Proofs/T05-settling.md, Lemma 2. Notation: X the constant observation, φ* = g(X),
; Ê_j = X + b·(Ê0 − X) with b = β^j ∈ [0,1], Γ = g(Ê0) − φ* (chord), Θ = g'(X)·(Ê0 − X) (tangent),
; u_j = φ_j − φ*. Hypothesis: lo ≤ u_j ≤ hi. Claim:
;   (1−α)·lo + α·b·Γ ≤ u_{j+1} ≤ (1−α)·hi + α·b·Θ,   u_{j+1} = (1−α)·u_j + α·(g(Ê_j) − φ*).
; The chord and tangent inequalities (T05-chord-tangent) are used as hypotheses at the point
; Ê_j = b·Ê0 + (1−b)·X. Negation unsat. (The repo variant is the same step with b = β^{j+1}.)
; expect: unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const b Real)
(declare-const X Real)
(declare-const e0 Real)
(declare-const u Real)
(declare-const lo Real)
(declare-const hi Real)
(declare-const gej Real)
(declare-const ge0 Real)
(declare-const gX Real)
(declare-const dgX Real)
(assert (and (< 0 alpha) (<= alpha 1) (<= 0 b) (<= b 1) (>= X 0) (>= e0 0)))
(assert (and (<= lo u) (<= u hi)))
; chord at Ê_j = b·Ê0 + (1−b)·X:  g(Ê_j) ≥ b·g(Ê0) + (1−b)·g(X)
(assert (>= gej (+ (* b ge0) (* (- 1 b) gX))))
; tangent at X:  g(Ê_j) ≤ g(X) + g'(X)·(Ê_j − X) = g(X) + g'(X)·b·(Ê0 − X)
(assert (<= gej (+ gX (* dgX b (- e0 X)))))
(define-fun u1 () Real (+ (* (- 1 alpha) u) (* alpha (- gej gX))))
(assert (not (and (<= (+ (* (- 1 alpha) lo) (* alpha b (- ge0 gX))) u1)
                  (<= u1 (+ (* (- 1 alpha) hi) (* alpha b dgX (- e0 X)))))))
(check-sat)
