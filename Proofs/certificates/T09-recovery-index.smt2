; T09 recovery: the index arithmetic of the bound k_rec ≤ K + max(N_s, 1) (report variant).
; Theorem: Proofs/T09-recovery.md. The recovery input starts at step t0; K is such that
; φ_{t0+j} < θ0 for every j ≥ K (from the envelope of T05), so the candidate c_t is Single at
; every step t ≥ t0 + K. A switch away from Single needs c_t ≠ Single, so the last switch s'
; before Single is regained satisfies s' ≤ t0 + K − 1. The switch to Single happens at the first
; step t ≥ t0 + K with t − s' ≥ N_s, i.e. t = max(t0 + K, s' + N_s); its record is the
; (t − t0 + 1)-th. Claim: t − t0 + 1 ≤ K + max(N_s, 1). Integers; negation unsat.
; expect: unsat
(set-logic QF_LIA)
(declare-const t0 Int)
(declare-const K Int)
(declare-const sp Int)
(declare-const Ns Int)
(assert (and (>= K 0) (>= Ns 0) (<= sp (+ t0 K -1))))
(define-fun t () Int (ite (>= (+ t0 K) (+ sp Ns)) (+ t0 K) (+ sp Ns)))
(define-fun bound () Int (+ K (ite (>= Ns 1) Ns 1)))
(assert (not (<= (+ (- t t0) 1) bound)))
(check-sat)
