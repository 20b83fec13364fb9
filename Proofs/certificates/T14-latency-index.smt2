; T14 detection latency: the index arithmetic (report variant, a rising step input).
; Theorem: Proofs/T14-latency.md. The new input starts at step t0; φ_{t0+j} is the state after j
; updates; φ is non-decreasing (T12 Lemma 1) and j_θ is the first j with φ_{t0+j} ≥ θ.
; The mode after the k-th update (record of step t0+k−1) reads φ_{t0+k−1}. With the last switch
; s0 < t0 and no switch in between, the switch happens at the first step t ≥ t0 with
; t ≥ t0 + j_θ and t − s0 ≥ N_s, so k = max(j_θ + 1, s0 + N_s − t0 + 1).
; Query: k = max(…) is that first step's latency: the condition holds at t0 + k − 1 and fails
;   at every earlier step t ∈ [t0, t0 + k − 2]. Integers; negation unsat.
; expect: unsat
(set-logic QF_LIA)
(declare-const t0 Int)
(declare-const j Int)
(declare-const s0 Int)
(declare-const Ns Int)
(declare-const t Int)
(assert (and (>= j 0) (>= Ns 0) (< s0 t0)))
(define-fun ok ((u Int)) Bool (and (>= u (+ t0 j)) (>= (- u s0) Ns)))
(define-fun k () Int (ite (>= (+ j 1) (+ (- s0 t0) Ns 1)) (+ j 1) (+ (- s0 t0) Ns 1)))
(assert (not (and (ok (+ t0 k -1))
                  (or (< t t0) (> t (+ t0 k -2)) (not (ok t))))))
(check-sat)
