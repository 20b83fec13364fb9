(* T14 part 6, the E = 10 row of the defaults table: the exact crossing indices.  Report defaults,
   from the clean fixed point (Ê, φ) = (1/6, 1/7), Single, no switch; the shock L = 20, E = 10
   (X = 115/21) for at least 21 updates: φ crosses θ0 first at record 6 (j_θ0 = 6 ∈ [3, 9], the
   envelope values of T14Table.T14_envelope_table_defaults) and θ1 first at record 21
   (j_θ1 = 21 ∈ [18, 29]) — decided by the verified interval simulator of QSim.v.
   Proofs/T14-latency.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool List.
From UnifiedLoRA Require Import Model Lemmas T01 QSim T15Shock.
Open Scope R_scope.

Definition u_shock10 (n : nat) : trace := shock_trace 0 n 20 10 (1/2) 0.
Definition xs_shock10 (n : nat) (k : nat) : Q := if Nat.ltb k n then 115 # 21 else 1 # 6.

Lemma xs_shock10_X (n k : nat) :
  Q2R (xs_shock10 n k) = X defaults_report (loss (u_shock10 n k)) (env (u_shock10 n k)).
Proof.
  unfold xs_shock10, u_shock10, shock_trace, mk_trace, X, D, g; simpl.
  destruct (Nat.ltb k n); rewrite Q2R_frac; field.
Qed.

Lemma box10 (n k : nat) (q : qstate) :
  qrun pq_defaults q_clean (xs_shock10 n) 0 k = Some q ->
  contains q (run_report defaults_report s_clean (u_shock10 n) k).
Proof.
  intros H. apply (qrun_sound pq_defaults defaults_report s_clean q_clean (u_shock10 n) (xs_shock10 n) 0
                    defaults_report_admissible qmatch_defaults contains_clean (fun k => eq_refl)
                    (xs_shock10_X n) k q H).
Qed.

Lemma phi10_lt (n k : nat) (th : Q) :
  match qrun pq_defaults q_clean (xs_shock10 n) 0 k with Some q => qlt (fhi q) th | None => false end = true ->
  phi (run_report defaults_report s_clean (u_shock10 n) k) < Q2R th.
Proof.
  intros H. destruct (box_test _ (fun q => qlt (fhi q) th) H) as (q & E & Hq).
  destruct (box10 n k q E) as (_ & [_ Hf] & _). apply qlt_R in Hq. lra.
Qed.

Lemma phi10_ge (n k : nat) (th : Q) :
  match qrun pq_defaults q_clean (xs_shock10 n) 0 k with Some q => Qle_bool th (flo q) | None => false end = true ->
  Q2R th <= phi (run_report defaults_report s_clean (u_shock10 n) k).
Proof.
  intros H. destruct (box_test _ (fun q => Qle_bool th (flo q)) H) as (q & E & Hq).
  destruct (box10 n k q E) as (_ & [Hf _] & _). apply qle_R in Hq. lra.
Qed.

(* The records 0 … m of a shock of n ≥ m updates are those of any other such shock. *)
Lemma shock10_prefix (n n' m k : nat) :
  (n >= m)%nat -> (n' >= m)%nat -> (k <= m)%nat ->
  run_report defaults_report s_clean (u_shock10 n) k = run_report defaults_report s_clean (u_shock10 n') k.
Proof.
  intros Hn Hn' Hk; induction k as [|k IH]; [reflexivity|].
  rewrite !run_report_S, IH by lia. f_equal. unfold u_shock10, shock_trace, mk_trace.
  replace (Nat.ltb k n) with true by (symmetry; apply Nat.ltb_lt; lia).
  replace (Nat.ltb k n') with true by (symmetry; apply Nat.ltb_lt; lia). reflexivity.
Qed.

Theorem T14_crossings_E10 (n : nat) :
  (n >= 21)%nat ->
  (forall j, (j < 6)%nat -> phi (run_report defaults_report s_clean (u_shock10 n) j) < 3 / 10) /\
  3 / 10 <= phi (run_report defaults_report s_clean (u_shock10 n) 6) /\
  (forall j, (j < 21)%nat -> phi (run_report defaults_report s_clean (u_shock10 n) j) < 7 / 10) /\
  7 / 10 <= phi (run_report defaults_report s_clean (u_shock10 n) 21).
Proof.
  intros Hn.
  assert (P : forall k, (k <= 21)%nat -> run_report defaults_report s_clean (u_shock10 n) k =
                                       run_report defaults_report s_clean (u_shock10 21) k)
    by (intros k Hk; apply (shock10_prefix n 21 21 k); lia).
  assert (Below : forall th m, (m <= 21)%nat ->
            forallb (fun j => match qrun pq_defaults q_clean (xs_shock10 21) 0 j with
                              | Some q => qlt (fhi q) th | None => false end) (seq 0 m) = true ->
            forall j, (j < m)%nat -> phi (run_report defaults_report s_clean (u_shock10 n) j) < Q2R th).
  { intros th m Hm H j Hj. rewrite P by lia. apply phi10_lt.
    rewrite forallb_forall in H. apply H, in_seq. lia. }
  pose proof (Below (3 # 10) 6%nat ltac:(lia) ltac:(vm_decide)) as H1.
  pose proof (Below (7 # 10) 21%nat ltac:(lia) ltac:(vm_decide)) as H3.
  assert (H2 : Q2R (3 # 10) <= phi (run_report defaults_report s_clean (u_shock10 n) 6))
    by (rewrite P by lia; apply phi10_ge; vm_decide).
  assert (H4 : Q2R (7 # 10) <= phi (run_report defaults_report s_clean (u_shock10 n) 21))
    by (rewrite P by lia; apply phi10_ge; vm_decide).
  rewrite !Q2R_frac in H1, H2, H3, H4.
  repeat split; assumption.
Qed.

(* The latencies of the E = 10 row: Single through record 6, Multi from record 7 (the switch at
   step 6, the crossing j_θ0) through record 36, Mirror at record 37 — the crossing of θ1 at record
   21 waits for the cooldown of the switch at step 6 (6 + 30 = 36): detection latency 7, Mirror
   latency 37 = 7 + 30. *)
Definition mode10_at (n k : nat) : option mode :=
  match qrun pq_defaults q_clean (xs_shock10 n) 0 k with Some q => Some (qmd q) | None => None end.

Lemma mode10_at_sound (n k : nat) (m : mode) :
  mode10_at n k = Some m -> md (run_report defaults_report s_clean (u_shock10 n) k) = m.
Proof.
  unfold mode10_at. destruct (qrun pq_defaults q_clean (xs_shock10 n) 0 k) as [q|] eqn:E; [|discriminate].
  intros [= <-]. apply (box10 n k q E).
Qed.

Lemma modes10 (n a len : nat) (m : mode) :
  forallb (fun k => match mode10_at n k with
                    | Some m' => if mode_eq_dec m' m then true else false | None => false end)
          (seq a len) = true ->
  forall k, (a <= k < a + len)%nat -> md (run_report defaults_report s_clean (u_shock10 n) k) = m.
Proof.
  intros H k Hk. rewrite forallb_forall in H. specialize (H k ltac:(apply in_seq; lia)).
  destruct (mode10_at n k) as [m'|] eqn:E; [|discriminate].
  destruct (mode_eq_dec m' m) as [<-|]; [apply mode10_at_sound; exact E|discriminate].
Qed.

Theorem T14_latencies_E10 (n : nat) :
  (n >= 37)%nat ->
  (forall k, (k <= 6)%nat -> md (run_report defaults_report s_clean (u_shock10 n) k) = Single) /\
  (forall k, (7 <= k <= 36)%nat -> md (run_report defaults_report s_clean (u_shock10 n) k) = Multi) /\
  md (run_report defaults_report s_clean (u_shock10 n) 37) = Mirror.
Proof.
  intros Hn.
  assert (P : forall k, (k <= 37)%nat -> run_report defaults_report s_clean (u_shock10 n) k =
                                       run_report defaults_report s_clean (u_shock10 37) k)
    by (intros k Hk; apply (shock10_prefix n 37 37 k); lia).
  pose proof (modes10 37 0 7 Single ltac:(vm_decide)) as HS.
  pose proof (modes10 37 7 30 Multi ltac:(vm_decide)) as HM.
  split; [|split].
  - intros k Hk. rewrite P by lia. apply HS. lia.
  - intros k Hk. rewrite P by lia. apply HM. lia.
  - rewrite P by lia. apply mode10_at_sound. vm_decide.
Qed.
