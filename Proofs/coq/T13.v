(* T13 — order of the modes (claim C4): no one-step jump over the Multi band when
   α ≤ (θ1 − θ0)/(1 − θ0); Multi skipped by a large α or by the cooldown lock.
   Proofs/T13-order.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 Eventually.
Open Scope R_scope.

(* Part 1, upward: from φ < θ0 one step cannot reach θ1 when α ≤ (θ1 − θ0)/(1 − θ0). *)
Theorem T13_no_jump_up (p : params) (f e : R) :
  admissible p -> 0 <= e -> f < theta0 p ->
  alpha p <= (theta1 p - theta0 p) / (1 - theta0 p) -> phi_next p f e < theta1 p.
Proof.
  intros Hp He Hf Ha. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Ha' : alpha p * (1 - theta0 p) <= theta1 p - theta0 p).
  { apply Rmult_le_compat_r with (r := 1 - theta0 p) in Ha; [|lra].
    unfold Rdiv in Ha; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in Ha by lra. exact Ha. }
  pose proof (g_lt_1 e He). unfold phi_next. nra.
Qed.

(* Downward: from φ ≥ θ1 one step stays ≥ θ0 when α ≤ 1 − θ0/θ1. *)
Theorem T13_no_jump_down (p : params) (f e : R) :
  admissible p -> 0 <= e -> theta1 p <= f -> alpha p <= 1 - theta0 p / theta1 p ->
  theta0 p <= phi_next p f e.
Proof.
  intros Hp He Hf Ha. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Ha' : theta0 p <= (1 - alpha p) * theta1 p).
  { assert (theta0 p / theta1 p <= 1 - alpha p) by lra.
    apply Rmult_le_compat_r with (r := theta1 p) in H; [|lra].
    unfold Rdiv in H; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. lra. }
  pose proof (g_nonneg e He). unfold phi_next. nra.
Qed.

(* Part 2, repo (the mode is the class of the new φ): Single is never followed by Mirror, nor
   Mirror by Single, under the respective conditions on α. *)
Theorem T13_order_repo (p : params) (s0 : state) (u : trace) (k : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  alpha p <= (theta1 p - theta0 p) / (1 - theta0 p) ->
  md (run_repo p s0 u (S k)) = Single -> md (run_repo p s0 u (S (S k))) <> Mirror.
Proof.
  intros Hp Hu He Ha Hs.
  rewrite repo_md_run in Hs. rewrite repo_md_run.
  rewrite classify_single_iff in Hs. rewrite classify_mirror_iff by assumption.
  rewrite run_repo_S with (n := S k), step_repo_phi.
  apply Rlt_not_le, T13_no_jump_up; try assumption.
  apply ehat_next_nonneg; [assumption|apply ehat_nonneg_repo; assumption|apply (Hu (S k))].
Qed.

Theorem T13_order_repo_down (p : params) (s0 : state) (u : trace) (k : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  alpha p <= 1 - theta0 p / theta1 p ->
  md (run_repo p s0 u (S k)) = Mirror -> md (run_repo p s0 u (S (S k))) <> Single.
Proof.
  intros Hp Hu He Ha Hs.
  rewrite repo_md_run in Hs. rewrite repo_md_run.
  rewrite classify_mirror_iff in Hs by assumption. rewrite classify_single_iff.
  rewrite run_repo_S with (n := S k), step_repo_phi.
  apply Rle_not_lt, T13_no_jump_down; try assumption.
  apply ehat_next_nonneg; [assumption|apply ehat_nonneg_repo; assumption|apply (Hu (S k))].
Qed.

(* Report with N_s = 0 and consecutive step numbers after the initial s_0: the mode of record
   k + 1 is the class of φ_k, so the same order holds. *)
Lemma report_N0_follows (p : params) (s0 : state) (u : trace) (t0 : Z) :
  cooldown p = O -> consecutive t0 u ->
  (match last s0 with None => True | Some s => (s < t0)%Z end) ->
  forall k, md (run_report p s0 u (S k)) = classify p (phi (run_report p s0 u k)).
Proof.
  intros HN Hc H0.
  assert (Hinv : forall k, match last (run_report p s0 u k) with
                           | None => True | Some s => (s < t0 + Z.of_nat k)%Z end).
  { intros k; induction k as [|k IH]; [simpl; destruct (last s0); lia|].
    rewrite run_report_S.
    destruct (step_report_md p (run_report p s0 u k) (u k)) as [Hm|[_ Hl]].
    - rewrite step_report_keep by exact Hm. destruct (last (run_report p s0 u k)); lia.
    - rewrite Hl, Hc; lia. }
  intros k; rewrite run_report_S; apply step_report_cooldown_ok.
  unfold cooldown_ok; rewrite HN, Hc; specialize (Hinv k).
  destruct (last (run_report p s0 u k)); [apply Z.leb_le; lia|reflexivity].
Qed.

Theorem T13_order_report_N0 (p : params) (s0 : state) (u : trace) (t0 : Z) (k : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  cooldown p = O -> consecutive t0 u ->
  (match last s0 with None => True | Some s => (s < t0)%Z end) ->
  alpha p <= (theta1 p - theta0 p) / (1 - theta0 p) ->
  md (run_report p s0 u (S k)) = Single -> md (run_report p s0 u (S (S k))) <> Mirror.
Proof.
  intros Hp Hu He HN Hc H0 Ha Hs.
  rewrite (report_N0_follows p s0 u t0 HN Hc H0) in Hs |- *.
  rewrite classify_single_iff in Hs. rewrite classify_mirror_iff by assumption.
  rewrite run_report_S, step_report_phi.
  apply Rlt_not_le, T13_no_jump_up; try assumption.
  apply ehat_nonneg_report; assumption.
Qed.
