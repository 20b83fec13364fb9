; T03 global exponential stability: the induction step of the error bound.
; Theorem: Proofs/T03-fixed-point.md, Lemma 3. With u = φ − φ*, δ = |Ê − X| (report: the OLD Ê;
; repo: the NEW Ê), |g(Ê) − g(X)| ≤ δ (T03-lipschitz):
;   |u| ≤ A  ⇒  |(1−α)·u + α·(g(Ê) − g(X))| ≤ (1−α)·A + α·δ.
; Query 1: the step, with symbolic α ∈ (0,1], A, δ. Negation unsat.
; Query 2: the sum S_t = Σ_{j<t} (1−α)^{t−1−j} β^j obeys S_{t+1} = (1−α)·S_t + β^t; with
;   ρ = max(β, 1−α), the bound S_t ≤ t·ρ^{t−1} is inductive: given p = (1−α)^t ≤ ρ^t = r·ρ,
;   b = β^t ≤ r·ρ, S ≤ t·r (r = ρ^{t−1} > 0), then (1−α)·S + b ≤ (t+1)·r·ρ. Negation unsat.
; Query 3: for β ≠ 1−α the closed form S_t = (β^t − (1−α)^t)/(β − (1−α)) satisfies the
;   recursion: with b = β^t, p = (1−α)^t: (1−α)·S_t + b = (β·b − (1−α)·p)/(β − (1−α)). Negation unsat.
; expect: unsat unsat unsat
(set-logic QF_NRA)
(declare-const alpha Real)
(declare-const beta Real)
(assert (and (< 0 alpha) (<= alpha 1) (<= 0 beta) (< beta 1)))
(push 1)
(declare-const u Real)
(declare-const A Real)
(declare-const dg Real)
(declare-const delta Real)
(assert (and (<= (- A) u) (<= u A) (<= (- delta) dg) (<= dg delta)))
(define-fun u1 () Real (+ (* (- 1 alpha) u) (* alpha dg)))
(define-fun bound () Real (+ (* (- 1 alpha) A) (* alpha delta)))
(assert (not (and (<= (- bound) u1) (<= u1 bound))))
(check-sat)
(pop 1)
(push 1)
(declare-const rho Real)
(declare-const r Real)
(declare-const t Real)
(declare-const S Real)
(declare-const p Real)
(declare-const b Real)
(assert (and (>= rho beta) (>= rho (- 1 alpha)) (or (= rho beta) (= rho (- 1 alpha)))))
(assert (and (> r 0) (>= t 1) (<= 0 S) (<= S (* t r))))
(assert (and (<= 0 p) (<= p (* r rho)) (<= 0 b) (<= b (* r rho))))
(assert (not (<= (+ (* (- 1 alpha) S) b) (* (+ t 1) r rho))))
(check-sat)
(pop 1)
(push 1)
(declare-const b Real)
(declare-const p Real)
(assert (not (= beta (- 1 alpha))))
(define-fun St ((bb Real) (pp Real)) Real (/ (- bb pp) (- beta (- 1 alpha))))
(assert (not (= (+ (* (- 1 alpha) (St b p)) b) (St (* beta b) (* (- 1 alpha) p)))))
(check-sat)
(pop 1)
