(* T15 for the repo variant (the published controller): the uniform bound on the distance
   between the binary64 run and the real run, and the transfer of the thresholds.

   The repo feeds the raw loss L to Ê (no stress input, so no error on the input: dX = 0) and
   computes φ from the NEW Ê.  With u = 2^-53, B = 2^k bounding Ê_0 and every loss:
     |Ễ_t − Ê_t| ≤ dEr = 5u(1 + B)/(1 − β),     |φ̃_t − φ_t| ≤ dEr + 14u/α      for every t,
   for α ∈ (0, 1] and β ∈ [1/2, 1) doubles (B64_T15_error_bound_repo).  The report variant's
   statement is B64_T15_error_bound (B64Error.v); the one-step bounds and the two inductions
   (B64_T15_ehat_error, B64_T15_phi_error) are shared.  At the published defaults (α = 0.1,
   β = 0.9 as doubles) and losses in [0, 32] (the clean 0.5 and the shock 20 included):
   1651u ≈ 1.8e-13 on Ê and 1791u ≈ 2.0e-13 on φ (B64_T15_defaults_repo), and the binary64 run
   has the exact run's modes and switch steps as long as the exact φ stays 1791u away from
   θ0 and θ1 (B64_T15_defaults_modes_repo).  Proofs/binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core.
From UnifiedLoRA Require Import Model Lemmas binary64.B64Model binary64.B64Facts
  binary64.B64Controller binary64.B64Error.
Open Scope R_scope.

Local Notation bpow := (bpow radix2).

(* φ of the repo run is φ driven by the NEW Ê: the Ê sequence shifted by one. *)
Lemma run_repo_phi_seq p s0 u n :
  phi (run_repo p s0 u n) =
  phi_seq p (phi s0) (fun k => ehat_seq p (ehat s0) (fun j => loss (u j)) (S k)) n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  rewrite run_repo_S, step_repo_phi, IH, run_repo_ehat. reflexivity.
Qed.

Lemma run_repo64_phi_seq a b s0 l n :
  snd (run_repo64 a b s0 l n) = phi_seq64 a (snd s0) (fun k => ehat_seq64 b (fst s0) l (S k)) n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  simpl. rewrite IH, run_repo64_fst. reflexivity.
Qed.

Lemma run_repo_b64_seq p s0 u n :
  ehat (run_repo_b64 p s0 u n) = ehat_seq64 (beta p) (ehat s0) (fun j => loss (u j)) n /\
  phi (run_repo_b64 p s0 u n) =
  phi_seq64 (alpha p) (phi s0) (fun k => ehat_seq64 (beta p) (ehat s0) (fun j => loss (u j)) (S k)) n.
Proof.
  generalize (run_repo_b64_cont p s0 u n). intros Hc. split.
  - transitivity (fst (run_repo64 (alpha p) (beta p) (ehat s0, phi s0) (fun k => loss (u k)) n)).
    + rewrite <- Hc. reflexivity.
    + apply run_repo64_fst.
  - transitivity (snd (run_repo64 (alpha p) (beta p) (ehat s0, phi s0) (fun k => loss (u k)) n)).
    + rewrite <- Hc. reflexivity.
    + apply run_repo64_phi_seq.
Qed.

Definition dEr64 (p : params) (B : R) : R := 5 * u64 * (1 + B) / (1 - beta p).
Definition dphir64 (p : params) (B : R) : R := dEr64 p B + 14 * u64 / alpha p.

(* The repo variant in binary64 against the repo variant over the reals, same parameters
   (doubles), same start, same losses: for every t,
     |Ễ_t − Ê_t| ≤ 5u(1 + B)/(1 − β),   |φ̃_t − φ_t| ≤ 5u(1 + B)/(1 − β) + 14u/α,
   for α ∈ (0, 1], β ∈ [1/2, 1) doubles, losses and Ê_0 in [0, B], B = 2^k (−960 ≤ k ≤ 1023:
   every operation is then below the overflow threshold, B64_ehat_no_overflow), φ_0 ∈ [0, 1]. *)
Theorem B64_T15_error_bound_repo p s0 u k :
  F64 (alpha p) -> 0 < alpha p <= 1 -> F64 (beta p) -> 1/2 <= beta p < 1 ->
  (-960 <= k <= 1023)%Z ->
  (forall j, 0 <= loss (u j) <= bpow k) ->
  0 <= ehat s0 <= bpow k -> 0 <= phi s0 <= 1 ->
  forall n,
    Rabs (ehat (run_repo_b64 p s0 u n) - ehat (run_repo p s0 u n)) <= dEr64 p (bpow k) /\
    Rabs (phi (run_repo_b64 p s0 u n) - phi (run_repo p s0 u n)) <= dphir64 p (bpow k).
Proof.
  intros Fa Ha Fb Hb Hk Hin He0 Hf0.
  set (B := bpow k) in *. set (l := fun j => loss (u j)).
  assert (Hu : u64 = / 9007199254740992) by reflexivity.
  assert (HE : forall n, Rabs (ehat_seq64 (beta p) (ehat s0) l n - ehat_seq p (ehat s0) l n)
                         <= dEr64 p B).
  { intros n. unfold dEr64. replace (5 * u64 * (1 + B) / (1 - beta p))
      with (0 + 5 * u64 * (1 + B) / (1 - beta p)) by ring.
    apply B64_T15_ehat_error; auto; try lia.
    intros j. unfold l. repeat split; try apply Hin;
    rewrite Rminus_diag_eq, Rabs_R0 by reflexivity; lra. }
  assert (Hte : forall n, 0 <= ehat_seq64 (beta p) (ehat s0) l n <= B).
  { apply B64_ehat_bounded_pow2; auto; try lia; try (intros j; apply Hin). }
  assert (Hee : forall n, 0 <= ehat_seq p (ehat s0) l n <= B).
  { apply ehat_seq_bounded; [lra|exact He0|intros j; apply Hin]. }
  intros n. destruct (run_repo_b64_seq p s0 u n) as [H1 H2]. split.
  - rewrite H1, run_repo_ehat. apply HE.
  - rewrite H2, run_repo_phi_seq. unfold dphir64.
    apply B64_T15_phi_error; auto.
    + intros j. repeat split.
      * apply fl_format.
      * apply Hte.
      * apply Hee.
      * apply HE.
    + rewrite Rminus_diag_eq, Rabs_R0 by reflexivity.
      assert (0 <= dEr64 p B) by (eapply Rle_trans; [apply Rabs_pos|apply (HE O)]).
      assert (0 <= 14 * u64 / alpha p)
        by (apply Rmult_le_pos; [rewrite Hu; lra|apply Rlt_le, Rinv_0_lt_compat; lra]).
      lra.
Qed.

(* The thresholds transfer: the repo's mode is classify of the new φ, so if |φ̃_t − φ_t| ≤ d for
   all t and the exact φ_t keeps the margin d from θ0 and θ1 at every step 1 ≤ t ≤ n, the binary64
   run has the exact run's mode and last switch at step n. *)
Theorem B64_T15_modes_agree_repo p s0 u d n :
  theta0 p <= theta1 p ->
  (forall t, Rabs (phi (run_repo_b64 p s0 u t) - phi (run_repo p s0 u t)) <= d) ->
  (forall t, (1 <= t <= n)%nat -> margin p d (phi (run_repo p s0 u t))) ->
  md (run_repo_b64 p s0 u n) = md (run_repo p s0 u n) /\
  last (run_repo_b64 p s0 u n) = last (run_repo p s0 u n).
Proof.
  intros Ht Hd Hm. induction n as [|n IH]; [now split|].
  destruct IH as [H1 H2]; [intros t Htn; apply Hm; lia|].
  assert (Hc : classify p (phi (run_repo_b64 p s0 u (S n))) =
               classify p (phi (run_repo p s0 u (S n))))
    by (apply (classify_stable p d); [exact Ht|apply Hd|apply Hm; lia]).
  change (run_repo_b64 p s0 u (S n)) with (step_repo64 p (run_repo_b64 p s0 u n) (u n)) in *.
  change (run_repo p s0 u (S n)) with (step_repo p (run_repo p s0 u n) (u n)) in *.
  unfold step_repo64, step_repo in *. cbv zeta in *. simpl in Hc |- *.
  rewrite Hc, H1, H2. now split.
Qed.

(* ------------------------------------------------------------------------- *)
(* The published defaults                                                      *)

(* The repo defaults as the doubles the code uses (α_E and N_s are not used by the repo). *)
Definition defaults_repo64 : params := mkParams alpha_d beta_d 0 theta0_d theta1_d 0.

Lemma defaults_repo64_dE : dEr64 defaults_repo64 (bpow 5) <= 1651 * u64.
Proof.
  unfold dEr64, defaults_repo64. simpl beta.
  assert (Hb : beta_d = 8106479329266893 / 9007199254740992) by (unfold beta_d; simpl; lra).
  assert (Hu : u64 = / 9007199254740992) by reflexivity.
  assert (H32 : bpow 5 = 32) by reflexivity. rewrite H32.
  apply div_le; rewrite Hb; [lra|]. rewrite Hu. lra.
Qed.

Lemma defaults_repo64_dphi : dphir64 defaults_repo64 (bpow 5) <= 1791 * u64.
Proof.
  unfold dphir64. generalize defaults_repo64_dE. intros HE.
  unfold defaults_repo64 at 2. simpl alpha.
  assert (Ha : alpha_d = 7205759403792794 / 72057594037927936) by (unfold alpha_d; simpl; lra).
  assert (Hu : u64 = / 9007199254740992) by reflexivity.
  assert (H : 14 * u64 / alpha_d <= 140 * u64).
  { apply div_le; rewrite Ha; [lra|]. rewrite Hu. lra. }
  lra.
Qed.

(* T15 for the published controller (α = 0.1, β = 0.9 as doubles), losses in [0, 32], Ê_0 ∈ [0, 32],
   φ_0 ∈ [0, 1] (the published start (1, 0.5) included): |Ễ_t − Ê_t| ≤ 1651u ≈ 1.8e-13 and
   |φ̃_t − φ_t| ≤ 1791u ≈ 2.0e-13 for every t (u = 2^-53). *)
Theorem B64_T15_defaults_repo s0 u :
  (forall j, 0 <= loss (u j) <= 32) -> 0 <= ehat s0 <= 32 -> 0 <= phi s0 <= 1 ->
  forall n,
    Rabs (ehat (run_repo_b64 defaults_repo64 s0 u n) -
          ehat (run_repo defaults_repo64 s0 u n)) <= 1651 * u64 /\
    Rabs (phi (run_repo_b64 defaults_repo64 s0 u n) -
          phi (run_repo defaults_repo64 s0 u n)) <= 1791 * u64.
Proof.
  intros Hin He Hf n.
  generalize alpha_d_bounds beta_d_bounds. intros Ha Hb.
  assert (H32 : bpow 5 = 32) by reflexivity.
  destruct (B64_T15_error_bound_repo defaults_repo64 s0 u 5) with (n := n) as [H1 H2];
    simpl; auto; try lia; try lra; try rewrite H32; auto.
  - exact alpha_d_F.
  - exact beta_d_F.
  - split; [eapply Rle_trans; [exact H1|apply defaults_repo64_dE]|].
    eapply Rle_trans; [exact H2|apply defaults_repo64_dphi].
Qed.

(* The published controller in binary64 takes the exact controller's modes (and switch steps) at
   every step n as long as the exact φ_t stays 1791u ≈ 2.0e-13 away from θ0 and θ1 for 1 ≤ t ≤ n. *)
Corollary B64_T15_defaults_modes_repo s0 u n :
  (forall j, 0 <= loss (u j) <= 32) -> 0 <= ehat s0 <= 32 -> 0 <= phi s0 <= 1 ->
  (forall t, (1 <= t <= n)%nat ->
     margin defaults_repo64 (1791 * u64) (phi (run_repo defaults_repo64 s0 u t))) ->
  md (run_repo_b64 defaults_repo64 s0 u n) = md (run_repo defaults_repo64 s0 u n) /\
  last (run_repo_b64 defaults_repo64 s0 u n) = last (run_repo defaults_repo64 s0 u n).
Proof.
  intros Hin He Hf Hm. apply (B64_T15_modes_agree_repo _ _ _ (1791 * u64)); auto.
  { unfold defaults_repo64, theta0_d, theta1_d. simpl. lra. }
  intros t. apply (B64_T15_defaults_repo s0 u Hin He Hf t).
Qed.

(* At the published start (Ê, φ) = (1, 0.5) in particular. *)
Corollary B64_T15_published_start_repo u :
  (forall j, 0 <= loss (u j) <= 32) ->
  forall n,
    Rabs (phi (run_repo_b64 defaults_repo64 init_repo u n) -
          phi (run_repo defaults_repo64 init_repo u n)) <= 1791 * u64.
Proof.
  intros Hin n. apply (B64_T15_defaults_repo init_repo u Hin); simpl; lra.
Qed.
