(* T14 part 6, the defaults table over ℝ (report defaults; from the clean fixed point
   (Ê, φ) = (1/6, 1/7), Single, no switch; the shock L = 20 with E = 0, 5, 10, i.e. the constant
   observation X = 10/21, 125/42, 115/21): the envelope values j⁻, j⁺ of every row (T14 part 1,
   decided exactly in Q by QEnv.v), the exact crossing indices j_θ0 = 7, j_θ1 = 33 at E = 5 and
   j_θ0 = 34 at E = 0, and the detection latency 8 at E = 5 (Multi first after update 8) — the
   crossings and modes decided by the verified interval simulator of QSim.v.
   Proofs/T14-latency.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool List.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T05 T09Index QSim T15Shock T14Defaults QEnv.
Open Scope R_scope.

(* φ* + hi_j and φ* + lo_j from the clean fixed point, for the constant observation x. *)
Definition env_hi (x : R) (j : nat) : R :=
  g x + hi_env defaults_report (phi s_clean - g x) (Theta (ehat s_clean) x) j.
Definition env_lo (x : R) (j : nat) : R :=
  g x + lo_env defaults_report (phi s_clean - g x) (Gamma (ehat s_clean) x) j.

(* J is the least index with th ≤ f J. *)
Definition first_at (f : nat -> R) (th : R) (J : nat) : Prop :=
  (forall j, (j < J)%nat -> f j < th) /\ th <= f J.

Definition qhi (x : Q) (j : nat) : Q :=
  qg x + qenv pq_defaults ((1 # 7) - qg x) (((1 # 6) - x) / ((1 + x) * (1 + x))) j.
Definition qlo (x : Q) (j : nat) : Q :=
  qg x + qenv pq_defaults ((1 # 7) - qg x) (qg (1 # 6) - qg x) j.

Lemma qhi_R (x : Q) (j : nat) : 0 <= Q2R x -> Q2R (qhi x j) = env_hi (Q2R x) j.
Proof.
  intros Hx. unfold qhi, env_hi.
  rewrite Q2R_plus, (qenv_hi pq_defaults defaults_report _ _ j qmatch_defaults), Q2R_Theta, Q2R_minus, Q2R_g
    by exact Hx.
  unfold s_clean; simpl ehat; simpl phi. rewrite !Q2R_frac. reflexivity.
Qed.

Lemma qlo_R (x : Q) (j : nat) : 0 <= Q2R x -> Q2R (qlo x j) = env_lo (Q2R x) j.
Proof.
  intros Hx. unfold qlo, env_lo.
  rewrite Q2R_plus, (qenv_lo pq_defaults defaults_report _ _ j qmatch_defaults), Q2R_minus, Q2R_minus,
    !Q2R_g by (try exact Hx; rewrite Q2R_frac; lra).
  unfold s_clean, Gamma; simpl ehat; simpl phi. rewrite !Q2R_frac. reflexivity.
Qed.

Lemma first_hi (x th : Q) (J : nat) :
  0 <= Q2R x -> qfirst (qhi x) th J = true -> first_at (env_hi (Q2R x)) (Q2R th) J.
Proof.
  intros Hx H. destruct (qfirst_sound _ _ _ H) as [H1 H2]. split.
  - intros j Hj. rewrite <- qhi_R by exact Hx. apply H1, Hj.
  - rewrite <- qhi_R by exact Hx. exact H2.
Qed.

Lemma first_lo (x th : Q) (J : nat) :
  0 <= Q2R x -> qfirst (qlo x) th J = true -> first_at (env_lo (Q2R x)) (Q2R th) J.
Proof.
  intros Hx H. destruct (qfirst_sound _ _ _ H) as [H1 H2]. split.
  - intros j Hj. rewrite <- qlo_R by exact Hx. apply H1, Hj.
  - rewrite <- qlo_R by exact Hx. exact H2.
Qed.

Lemma Q2R_nonneg (a : Z) (b : positive) : (0 <= a)%Z -> 0 <= Q2R (a # b).
Proof. intros H. apply Rle_trans with (Q2R 0); [unfold Q2R; simpl; lra|apply Qle_Rle; unfold Qle; simpl; lia]. Qed.

(* The table's envelope values (Proofs/T14-latency.md part 6): j⁻ = min{j : φ* + hi_j ≥ θ},
   j⁺ = min{j : φ* + lo_j ≥ θ}; at E = 0 the upper envelope never reaches θ1 (j⁻ = ∞). *)
Theorem T14_envelope_table_defaults :
  X defaults_report 20 0 = 10 / 21 /\ X defaults_report 20 5 = 125 / 42 /\
  X defaults_report 20 10 = 115 / 21 /\
  (* E = 0: θ0 (33, 35); θ1 never *)
  first_at (env_hi (10 / 21)) (3 / 10) 33 /\ first_at (env_lo (10 / 21)) (3 / 10) 35 /\
  (forall j, env_hi (10 / 21) j < 7 / 10) /\
  (* E = 5: θ0 (5, 10); θ1 (31, 41) *)
  first_at (env_hi (125 / 42)) (3 / 10) 5 /\ first_at (env_lo (125 / 42)) (3 / 10) 10 /\
  first_at (env_hi (125 / 42)) (7 / 10) 31 /\ first_at (env_lo (125 / 42)) (7 / 10) 41 /\
  (* E = 10: θ0 (3, 9); θ1 (18, 29) *)
  first_at (env_hi (115 / 21)) (3 / 10) 3 /\ first_at (env_lo (115 / 21)) (3 / 10) 9 /\
  first_at (env_hi (115 / 21)) (7 / 10) 18 /\ first_at (env_lo (115 / 21)) (7 / 10) 29.
Proof.
  assert (N0 : 0 <= Q2R (10 # 21)) by (apply Q2R_nonneg; lia).
  assert (N5 : 0 <= Q2R (125 # 42)) by (apply Q2R_nonneg; lia).
  assert (N10 : 0 <= Q2R (115 # 21)) by (apply Q2R_nonneg; lia).
  pose proof (first_hi (10 # 21) (3 # 10) 33 N0 ltac:(vm_decide)) as A1.
  pose proof (first_lo (10 # 21) (3 # 10) 35 N0 ltac:(vm_decide)) as A2.
  pose proof (first_hi (125 # 42) (3 # 10) 5 N5 ltac:(vm_decide)) as B1.
  pose proof (first_lo (125 # 42) (3 # 10) 10 N5 ltac:(vm_decide)) as B2.
  pose proof (first_hi (125 # 42) (7 # 10) 31 N5 ltac:(vm_decide)) as B3.
  pose proof (first_lo (125 # 42) (7 # 10) 41 N5 ltac:(vm_decide)) as B4.
  pose proof (first_hi (115 # 21) (3 # 10) 3 N10 ltac:(vm_decide)) as C1.
  pose proof (first_lo (115 # 21) (3 # 10) 9 N10 ltac:(vm_decide)) as C2.
  pose proof (first_hi (115 # 21) (7 # 10) 18 N10 ltac:(vm_decide)) as C3.
  pose proof (first_lo (115 # 21) (7 # 10) 29 N10 ltac:(vm_decide)) as C4.
  rewrite !Q2R_frac in A1, A2, B1, B2, B3, B4, C1, C2, C3, C4.
  repeat split; try (unfold X, D, g, defaults_report; simpl; field);
    try apply A1; try apply A2; try apply B1; try apply B2; try apply B3; try apply B4;
    try apply C1; try apply C2; try apply C3; try apply C4.
  (* E = 0, θ1: u_0 < 0 and Θ < 0, so φ* + hi_j ≤ φ* = 10/31 < 7/10. *)
  intros j. unfold env_hi, hi_env, Theta, gslope, s_clean, defaults_report; simpl ehat; simpl phi; simpl alpha; simpl beta.
  assert (Hp : 0 <= (1 - 1 / 10) ^ j) by (apply pow_le; lra).
  assert (HS : 0 <= Ssum (1 / 10) (9 / 10) j) by (apply S_nonneg; lra).
  assert (Hg : g (10 / 21) = 10 / 31) by (unfold g; field).
  rewrite Hg.
  assert (Ht : / ((1 + 10 / 21) * (1 + 10 / 21)) * (1 / 6 - 10 / 21) < 0).
  { assert (0 < / ((1 + 10 / 21) * (1 + 10 / 21))) by (apply Rinv_0_lt_compat; nra). nra. }
  assert (H1 : (1 - 1 / 10) ^ j * (1 / 7 - 10 / 31) <= 0) by nra.
  assert (H2 : 1 / 10 * Ssum (1 / 10) (9 / 10) j * (/ ((1 + 10 / 21) * (1 + 10 / 21)) * (1 / 6 - 10 / 21)) <= 0)
    by nra.
  lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* The exact crossings and the detection latency, by the interval simulator. *)

Lemma phi_box_lt (n k : nat) (th : Q) :
  match qrun pq_defaults q_clean (xs_shock n) 0 k with Some q => qlt (fhi q) th | None => false end = true ->
  phi (run_report defaults_report s_clean (u_shock n) k) < Q2R th.
Proof.
  destruct (qrun pq_defaults q_clean (xs_shock n) 0 k) as [q|] eqn:E; [|discriminate]. intros H.
  destruct (qrun_sound pq_defaults defaults_report s_clean q_clean (u_shock n) (xs_shock n) 0
              defaults_report_admissible qmatch_defaults contains_clean (u_shock_consecutive n)
              (fun k => xs_shock_X defaults_report n k eq_refl) k q E) as (_ & [_ Hf] & _).
  apply qlt_R in H. lra.
Qed.

Lemma phi_box_ge (n k : nat) (th : Q) :
  match qrun pq_defaults q_clean (xs_shock n) 0 k with Some q => Qle_bool th (flo q) | None => false end = true ->
  Q2R th <= phi (run_report defaults_report s_clean (u_shock n) k).
Proof.
  destruct (qrun pq_defaults q_clean (xs_shock n) 0 k) as [q|] eqn:E; [|discriminate]. intros H.
  destruct (qrun_sound pq_defaults defaults_report s_clean q_clean (u_shock n) (xs_shock n) 0
              defaults_report_admissible qmatch_defaults contains_clean (u_shock_consecutive n)
              (fun k => xs_shock_X defaults_report n k eq_refl) k q E) as (_ & [Hf _] & _).
  apply qle_R in H. lra.
Qed.

Lemma phi0_box_lt (k : nat) (th : Q) :
  match qrun pq_defaults q_clean (xs_shock0 100) 0 k with Some q => qlt (fhi q) th | None => false end = true ->
  phi (run_report defaults_report s_clean (u_shock0 100) k) < Q2R th.
Proof.
  destruct (qrun pq_defaults q_clean (xs_shock0 100) 0 k) as [q|] eqn:E; [|discriminate]. intros H.
  destruct (box_at 100 k q E) as (_ & [_ Hf] & _). apply qlt_R in H. lra.
Qed.

Lemma phi0_box_ge (k : nat) (th : Q) :
  match qrun pq_defaults q_clean (xs_shock0 100) 0 k with Some q => Qle_bool th (flo q) | None => false end = true ->
  Q2R th <= phi (run_report defaults_report s_clean (u_shock0 100) k).
Proof.
  destruct (qrun pq_defaults q_clean (xs_shock0 100) 0 k) as [q|] eqn:E; [|discriminate]. intros H.
  destruct (box_at 100 k q E) as (_ & [Hf _] & _). apply qle_R in H. lra.
Qed.

(* The records 0 … m of a shock of n ≥ m updates are those of any other such shock. *)
Lemma shock_prefix (n n' m k : nat) :
  (n >= m)%nat -> (n' >= m)%nat -> (k <= m)%nat ->
  run_report defaults_report s_clean (u_shock n) k = run_report defaults_report s_clean (u_shock n') k.
Proof.
  intros Hn Hn' Hk; induction k as [|k IH]; [reflexivity|].
  rewrite !run_report_S, IH by lia. f_equal. unfold u_shock, shock_trace, mk_trace.
  replace (Nat.ltb k n) with true by (symmetry; apply Nat.ltb_lt; lia).
  replace (Nat.ltb k n') with true by (symmetry; apply Nat.ltb_lt; lia). reflexivity.
Qed.

(* E = 5, a shock of at least 33 updates: φ crosses θ0 first at record 7 (j_θ0 = 7 ∈ [5, 10])
   and θ1 first at record 33 (j_θ1 = 33 ∈ [31, 41]); the mode is Single through record 7 and
   Multi at record 8: the detection latency is 8 (T14 part 3: max(j_θ0 + 1, −∞) = 8).
   E = 0, the 100-update shock: φ crosses θ0 first at record 34 (j_θ0 = 34 ∈ [33, 35]). *)
Theorem T14_crossings_defaults (n : nat) :
  (n >= 33)%nat ->
  (forall j, (j < 7)%nat -> phi (run_report defaults_report s_clean (u_shock n) j) < 3 / 10) /\
  3 / 10 <= phi (run_report defaults_report s_clean (u_shock n) 7) /\
  (forall j, (j < 33)%nat -> phi (run_report defaults_report s_clean (u_shock n) j) < 7 / 10) /\
  7 / 10 <= phi (run_report defaults_report s_clean (u_shock n) 33) /\
  (forall j, (j < 34)%nat -> phi (run_report defaults_report s_clean (u_shock0 100) j) < 3 / 10) /\
  3 / 10 <= phi (run_report defaults_report s_clean (u_shock0 100) 34).
Proof.
  intros Hn.
  assert (P : forall k, (k <= 33)%nat -> run_report defaults_report s_clean (u_shock n) k =
                                       run_report defaults_report s_clean (u_shock 33) k)
    by (intros k Hk; apply (shock_prefix n 33 33 k); lia).
  assert (Below : forall th m, (m <= 33)%nat ->
            forallb (fun j => match qrun pq_defaults q_clean (xs_shock 33) 0 j with
                              | Some q => qlt (fhi q) th | None => false end) (seq 0 m) = true ->
            forall j, (j < m)%nat -> phi (run_report defaults_report s_clean (u_shock n) j) < Q2R th).
  { intros th m Hm H j Hj. rewrite P by lia. apply phi_box_lt.
    rewrite forallb_forall in H. apply H, in_seq. lia. }
  assert (Below0 : forall th m,
            forallb (fun j => match qrun pq_defaults q_clean (xs_shock0 100) 0 j with
                              | Some q => qlt (fhi q) th | None => false end) (seq 0 m) = true ->
            forall j, (j < m)%nat -> phi (run_report defaults_report s_clean (u_shock0 100) j) < Q2R th).
  { intros th m H j Hj. apply phi0_box_lt. rewrite forallb_forall in H. apply H, in_seq. lia. }
  pose proof (Below (3 # 10) 7%nat ltac:(lia) ltac:(vm_decide)) as H1.
  pose proof (Below (7 # 10) 33%nat ltac:(lia) ltac:(vm_decide)) as H3.
  pose proof (Below0 (3 # 10) 34%nat ltac:(vm_decide)) as H5.
  assert (H2 : Q2R (3 # 10) <= phi (run_report defaults_report s_clean (u_shock n) 7))
    by (rewrite P by lia; apply phi_box_ge; vm_decide).
  assert (H4 : Q2R (7 # 10) <= phi (run_report defaults_report s_clean (u_shock n) 33))
    by (rewrite P by lia; apply phi_box_ge; vm_decide).
  assert (H6 : Q2R (3 # 10) <= phi (run_report defaults_report s_clean (u_shock0 100) 34))
    by (apply phi0_box_ge; vm_decide).
  rewrite !Q2R_frac in H1, H2, H3, H4, H5, H6.
  repeat split; assumption.
Qed.

Theorem T14_detection_latency_E5 (n : nat) :
  (n >= 8)%nat ->
  (forall k, (k <= 7)%nat -> md (run_report defaults_report s_clean (u_shock n) k) = Single) /\
  md (run_report defaults_report s_clean (u_shock n) 8) = Multi.
Proof.
  intros Hn.
  assert (P : forall k, (k <= 8)%nat -> run_report defaults_report s_clean (u_shock n) k =
                                      run_report defaults_report s_clean (u_shock 8) k)
    by (intros k Hk; apply (shock_prefix n 8 8 k); lia).
  split.
  - intros k Hk. rewrite P by lia.
    apply (mode_at_sound pq_defaults); [exact defaults_report_admissible|exact qmatch_defaults|reflexivity|].
    do 8 (destruct k as [|k]; [vm_decide|]). lia.
  - rewrite P by lia.
    apply (mode_at_sound pq_defaults); [exact defaults_report_admissible|exact qmatch_defaults|reflexivity|].
    vm_decide.
Qed.
