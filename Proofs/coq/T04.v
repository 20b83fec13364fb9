(* T04 — the Jacobian of the (Ê, φ) map, its eigenvalues and when it is defective (§6).
   Proofs/T04-jacobian.md *)

From Coq Require Import Reals Lra.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

Definition dg (e : R) : R := 1 / (1 + e) ^ 2.

Lemma dpl_eq (f : R -> R) (x l l' : R) : derivable_pt_lim f x l -> l = l' -> derivable_pt_lim f x l'.
Proof. intros H <-; exact H. Qed.

Lemma derivable_g (e : R) : 0 <= e -> derivable_pt_lim g e (dg e).
Proof.
  intros He.
  assert (D0 : derivable_pt_lim (id / (fct_cte 1 + id))%F e
                 ((1 * (fct_cte 1 + id)%F e - (0 + 1) * id e) / ((fct_cte 1 + id)%F e)²)).
  { apply derivable_pt_lim_div;
      [apply derivable_pt_lim_id
      |apply derivable_pt_lim_plus; [apply derivable_pt_lim_const|apply derivable_pt_lim_id]
      |unfold plus_fct, fct_cte, id; lra]. }
  apply (derivable_pt_lim_ext _ g) in D0; [|intros z; unfold g, div_fct, plus_fct, fct_cte, id; reflexivity].
  replace (dg e) with ((1 * (fct_cte 1 + id)%F e - (0 + 1) * id e) / ((fct_cte 1 + id)%F e)²);
    [exact D0|unfold dg, plus_fct, fct_cte, id, Rsqr; field; lra].
Qed.

(* The four partial derivatives of the report map (Ê, φ) ↦ (β·Ê + (1 − β)·X, (1 − α)·φ + α·g(Ê)). *)
Theorem T04_jacobian_report (p : params) (e f x : R) :
  0 <= e ->
  derivable_pt_lim (fun e' => ehat_next p e' x) e (beta p) /\
  derivable_pt_lim (fun f' => ehat_next p e x) f 0 /\
  derivable_pt_lim (fun e' => phi_next p f e') e (alpha p * dg e) /\
  derivable_pt_lim (fun f' => phi_next p f' e) f (1 - alpha p).
Proof.
  intros He; unfold ehat_next, phi_next; repeat split.
  - assert (D0 := derivable_pt_lim_plus (mult_real_fct (beta p) id) (fct_cte ((1 - beta p) * x)) e
                    (beta p * 1) 0 (derivable_pt_lim_scal id (beta p) e 1 (derivable_pt_lim_id e))
                    (derivable_pt_lim_const _ e)).
    apply (derivable_pt_lim_ext _ (fun e' => beta p * e' + (1 - beta p) * x)) in D0;
      [|intros z; unfold plus_fct, mult_real_fct, fct_cte, id; reflexivity].
    eapply dpl_eq; [exact D0|ring].
  - apply (derivable_pt_lim_ext (fct_cte (beta p * e + (1 - beta p) * x)));
      [reflexivity|apply derivable_pt_lim_const].
  - assert (D0 := derivable_pt_lim_plus (fct_cte ((1 - alpha p) * f)) (mult_real_fct (alpha p) g) e
                    0 (alpha p * dg e) (derivable_pt_lim_const _ e)
                    (derivable_pt_lim_scal g (alpha p) e _ (derivable_g e He))).
    apply (derivable_pt_lim_ext _ (fun e' => (1 - alpha p) * f + alpha p * g e')) in D0;
      [|intros z; unfold plus_fct, mult_real_fct, fct_cte; reflexivity].
    eapply dpl_eq; [exact D0|ring].
  - assert (D0 := derivable_pt_lim_plus (mult_real_fct (1 - alpha p) id) (fct_cte (alpha p * g e)) f
                    ((1 - alpha p) * 1) 0 (derivable_pt_lim_scal id (1 - alpha p) f 1 (derivable_pt_lim_id f))
                    (derivable_pt_lim_const _ f)).
    apply (derivable_pt_lim_ext _ (fun f' => (1 - alpha p) * f' + alpha p * g e)) in D0;
      [|intros z; unfold plus_fct, mult_real_fct, fct_cte, id; reflexivity].
    eapply dpl_eq; [exact D0|ring].
Qed.

(* 2×2 matrices [[a, b], [c, d]]. *)
Record mat := Mat { m11 : R; m12 : R; m21 : R; m22 : R }.
Definition mmul (A B : mat) : mat :=
  Mat (m11 A * m11 B + m12 A * m21 B) (m11 A * m12 B + m12 A * m22 B)
      (m21 A * m11 B + m22 A * m21 B) (m21 A * m12 B + m22 A * m22 B).
Definition msub_scalar (A : mat) (l : R) : mat := Mat (m11 A - l) (m12 A) (m21 A) (m22 A - l).
Definition charpoly (A : mat) (l : R) : R := (m11 A - l) * (m22 A - l) - m12 A * m21 A.
Definition zero_mat : mat := Mat 0 0 0 0.

Definition J_report (p : params) (e : R) : mat := Mat (beta p) 0 (alpha p * dg e) (1 - alpha p).
(* Repo: φ reads the new Ê' = β·Ê + (1 − β)·L, so ∂φ'/∂Ê = α·β·g'(Ê'). *)
Definition J_repo (p : params) (e l : R) : mat :=
  Mat (beta p) 0 (alpha p * beta p * dg (ehat_next p e l)) (1 - alpha p).

(* Eigenvalues β and 1 − α at every state (lower-triangular). *)
Theorem T04_eigenvalues (A : mat) (l : R) :
  m12 A = 0 -> (charpoly A l = 0 <-> l = m11 A \/ l = m22 A).
Proof.
  intros H; unfold charpoly; rewrite H. split; intros Hl.
  - destruct (Req_dec l (m11 A)); [left; assumption|right].
    assert ((m11 A - l) * (m22 A - l) = 0) by lra.
    apply Rmult_integral in H1; lra.
  - destruct Hl as [->| ->]; ring.
Qed.

Lemma dg_pos (e : R) : 0 <= e -> 0 < dg e.
Proof. intros; unfold dg; apply Rdiv_lt_0_compat; [lra|apply pow_lt; lra]. Qed.

(* Part 3: when β = 1 − α the report Jacobian is defective at every state: J − βI is non-zero
   and nilpotent, so J is not diagonalizable (a diagonalizable matrix with the single
   eigenvalue β would be β·I). *)
Theorem T04_defective_report (p : params) (e : R) :
  admissible p -> 0 <= e -> beta p = 1 - alpha p ->
  msub_scalar (J_report p e) (beta p) <> zero_mat /\
  mmul (msub_scalar (J_report p e) (beta p)) (msub_scalar (J_report p e) (beta p)) = zero_mat.
Proof.
  intros Hp He Hb. pose proof (dg_pos e He). unfold admissible in Hp.
  split.
  - intros Hz; injection Hz; intros; nra.
  - unfold mmul, msub_scalar, J_report, zero_mat; simpl; f_equal; rewrite ?Hb; ring.
Qed.

(* Repo, corrected: defective iff β = 1 − α and β > 0; at α = 1, β = 0 the Jacobian is the zero
   matrix (diagonalizable), so "defective when β = 1 − α" is false for the repo there. *)
Theorem T04_repo_rho0_zero (p : params) (e l : R) :
  alpha p = 1 -> beta p = 0 -> J_repo p e l = zero_mat.
Proof. intros Ha Hb; unfold J_repo, zero_mat; rewrite Ha, Hb; f_equal; ring. Qed.

Theorem T04_defective_repo (p : params) (e l : R) :
  admissible p -> 0 <= e -> 0 <= l -> beta p = 1 - alpha p -> 0 < beta p ->
  msub_scalar (J_repo p e l) (beta p) <> zero_mat /\
  mmul (msub_scalar (J_repo p e l) (beta p)) (msub_scalar (J_repo p e l) (beta p)) = zero_mat.
Proof.
  intros Hp He Hl Hb Hb0. pose proof (dg_pos (ehat_next p e l) (ehat_next_nonneg p e l Hp He Hl)).
  unfold admissible in Hp.
  split.
  - intros Hz; injection Hz; intros.
    assert (0 < alpha p * beta p) by (apply Rmult_lt_0_compat; lra). nra.
  - unfold mmul, msub_scalar, J_repo, zero_mat; simpl; f_equal; rewrite ?Hb; ring.
Qed.

(* Part 4: the exact response of the linearisation in the defective case β = 1 − α = ρ.
   With δ_{t+1} = ρ·δ_t and u_{t+1} = c·δ_t + ρ·u_t (c the off-diagonal entry: α·g′(Ê* ) for
   the report, α·β·g′(Ê* ) for the repo):
     δ_t = ρ^t·δ_0,   u_t = ρ^t·u_0 + c·t·ρ^(t−1)·δ_0   (t ≥ 1),
   i.e. J^t = [[ρ^t, 0], [c·t·ρ^(t−1), ρ^t]] — the Jordan block's power. *)
Fixpoint mpow (A : mat) (n : nat) : mat :=
  match n with O => Mat 1 0 0 1 | S k => mmul A (mpow A k) end.

Theorem T04_jordan_power (r c : R) (n : nat) :
  mpow (Mat r 0 c r) (S n) = Mat (r ^ S n) 0 (c * INR (S n) * r ^ n) (r ^ S n).
Proof.
  induction n as [|n IH].
  - unfold mpow, mmul; simpl; f_equal; ring.
  - change (mpow (Mat r 0 c r) (S (S n))) with (mmul (Mat r 0 c r) (mpow (Mat r 0 c r) (S n))).
    rewrite IH. unfold mmul. cbn [m11 m12 m21 m22]. rewrite (S_INR (S n)). f_equal; simpl; ring.
Qed.

(* The report's Jacobian at the fixed point is such a block whenever β = 1 − α (for every
   admissible parameter set with β = 1 − α, c = α·g′(Ê* ) > 0: defective, part 3). *)
Theorem T04_jordan_response_report (p : params) (e : R) (n : nat) :
  beta p = 1 - alpha p ->
  mpow (J_report p e) (S n) =
  Mat (beta p ^ S n) 0 (alpha p * dg e * INR (S n) * beta p ^ n) (beta p ^ S n).
Proof.
  intros Hb. unfold J_report. replace (1 - alpha p) with (beta p) by lra.
  apply T04_jordan_power.
Qed.

(* The repo's: the same with c = α·β·g′(Ê′).  At α = 1, β = 0 (ρ = 0) it gives J^t = 0 for
   t ≥ 1 — the zero matrix, diagonalizable, not a Jordan block (T04_repo_rho0_zero): the
   response formula still holds there, but the "defective" reading does not. *)
Theorem T04_jordan_response_repo (p : params) (e l : R) (n : nat) :
  beta p = 1 - alpha p ->
  mpow (J_repo p e l) (S n) =
  Mat (beta p ^ S n) 0 (alpha p * beta p * dg (ehat_next p e l) * INR (S n) * beta p ^ n) (beta p ^ S n).
Proof.
  intros Hb. unfold J_repo. replace (1 - alpha p) with (beta p) by lra.
  apply T04_jordan_power.
Qed.

(* The linearised trajectory itself: (δ_t, u_t) = J^t (δ_0, u_0). *)
Definition mapply (A : mat) (v1 v2 : R) : R * R :=
  (m11 A * v1 + m12 A * v2, m21 A * v1 + m22 A * v2).

Fixpoint lin_resp (r c d0 u0 : R) (n : nat) : R * R :=
  match n with
  | O => (d0, u0)
  | S k => let '(d, u) := lin_resp r c d0 u0 k in (r * d, c * d + r * u)
  end.

Theorem T04_jordan_response (r c d0 u0 : R) (n : nat) :
  lin_resp r c d0 u0 (S n) = (r ^ S n * d0, r ^ S n * u0 + c * INR (S n) * r ^ n * d0).
Proof.
  induction n as [|n IH]; [simpl; f_equal; ring|].
  change (lin_resp r c d0 u0 (S (S n))) with
    (let '(d, u) := lin_resp r c d0 u0 (S n) in (r * d, c * d + r * u)).
  rewrite IH. rewrite (S_INR (S n)). simpl. f_equal; ring.
Qed.
