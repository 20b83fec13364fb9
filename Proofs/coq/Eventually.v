(* The mode follows its candidate: once classify(φ) is constant, the mode becomes that constant
   after the cooldown (report, log steps t0, t0 + 1, …) or at once (repo). *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

Lemma classify_near (p : params) (f fs : R) :
  Rabs (f - fs) < Rabs (fs - theta0 p) -> Rabs (f - fs) < Rabs (fs - theta1 p) ->
  classify p f = classify p fs.
Proof.
  intros H0 H1; unfold classify.
  revert H0 H1; unfold Rabs;
    repeat destruct Rcase_abs; intros;
    repeat destruct Rlt_dec; try reflexivity; lra.
Qed.

(* Report: a mode equal to the candidate stays. *)
Lemma report_mode_stays (p : params) (s0 : state) (u : trace) (c : mode) (T : nat) :
  (forall n, (n >= T)%nat -> classify p (phi (run_report p s0 u n)) = c) ->
  forall n, (n >= T)%nat -> md (run_report p s0 u n) = c ->
  forall k, md (run_report p s0 u (n + k)) = c.
Proof.
  intros Hc n Hn Hm k; induction k as [|k IH]; [rewrite Nat.add_0_r; exact Hm|].
  rewrite Nat.add_succ_r, run_report_S, step_report_candidate_same; [exact IH|].
  rewrite IH; apply Hc; lia.
Qed.

Lemma report_mode_or_last (p : params) (s0 : state) (u : trace) (c : mode) (T : nat) :
  (forall n, (n >= T)%nat -> classify p (phi (run_report p s0 u n)) = c) ->
  forall k, md (run_report p s0 u (T + k)) = c \/
            last (run_report p s0 u (T + k)) = last (run_report p s0 u T).
Proof.
  intros Hc k; induction k as [|k IH]; [right; rewrite Nat.add_0_r; reflexivity|].
  rewrite Nat.add_succ_r.
  destruct IH as [Hm|Hl].
  - left; rewrite run_report_S, step_report_candidate_same; [exact Hm|].
    rewrite Hm; apply Hc; lia.
  - destruct (mode_eq_dec (md (run_report p s0 u (S (T + k)))) (md (run_report p s0 u (T + k))))
      as [Same|Diff].
    + right; rewrite run_report_S in *; rewrite step_report_keep by exact Same; exact Hl.
    + left; rewrite run_report_S in *.
      destruct (step_report_switch p _ _ Diff) as [-> _]; apply Hc; lia.
Qed.

(* Report with consecutive step numbers: the mode reaches the constant candidate and keeps it. *)
Theorem report_mode_eventually (p : params) (s0 : state) (u : trace) (t0 : Z) (c : mode) (T : nat) :
  consecutive t0 u ->
  (forall n, (n >= T)%nat -> classify p (phi (run_report p s0 u n)) = c) ->
  exists T', (T' >= T)%nat /\ forall n, (n >= T')%nat -> md (run_report p s0 u n) = c.
Proof.
  intros Hu Hc.
  set (sT := last (run_report p s0 u T)).
  set (N := match sT with
            | None => T
            | Some s => (T + Z.to_nat (Z.of_nat (cooldown p) + s - t0))%nat
            end).
  assert (HN : (N >= T)%nat) by (unfold N; destruct sT; lia).
  assert (Hok : cooldown_ok p (step (u N)) sT = true).
  { unfold N, cooldown_ok; destruct sT as [s|]; [|reflexivity].
    rewrite Hu. apply Z.leb_le. lia. }
  destruct (report_mode_or_last p s0 u c T Hc (N - T)) as [Hm|Hl];
    replace (T + (N - T))%nat with N in * by lia.
  - exists N; split; [exact HN|]. intros n Hn.
    replace n with (N + (n - N))%nat by lia.
    apply (report_mode_stays p s0 u c T Hc N HN Hm).
  - exists (S N); split; [lia|]. intros n Hn.
    assert (HS : md (run_report p s0 u (S N)) = c).
    { rewrite run_report_S, step_report_cooldown_ok; [apply Hc; lia|].
      rewrite Hl; exact Hok. }
    replace n with (S N + (n - S N))%nat by lia.
    apply (report_mode_stays p s0 u c T Hc (S N) ltac:(lia) HS).
Qed.

(* An explicit form: if the candidate is c from T on and the cooldown allows a switch at the
   step number of record T, the mode is c from record T + 1 on. *)
Theorem report_mode_from (p : params) (s0 : state) (u : trace) (c : mode) (T : nat) :
  (forall n, (n >= T)%nat -> classify p (phi (run_report p s0 u n)) = c) ->
  (md (run_report p s0 u T) = c \/ cooldown_ok p (step (u T)) (last (run_report p s0 u T)) = true) ->
  forall n, (n > T)%nat -> md (run_report p s0 u n) = c.
Proof.
  intros Hc Hok n Hn.
  assert (HS : md (run_report p s0 u (S T)) = c).
  { destruct Hok as [Hm|Hok].
    - rewrite run_report_S, step_report_candidate_same; [exact Hm|rewrite Hm; apply Hc; lia].
    - rewrite run_report_S, step_report_cooldown_ok by exact Hok; apply Hc; lia. }
  replace n with (S T + (n - S T))%nat by lia.
  apply (report_mode_stays p s0 u c T Hc (S T) ltac:(lia) HS).
Qed.

(* Repo: the mode is the class of the new φ. *)
Lemma repo_md_run (p : params) (s0 : state) (u : trace) (n : nat) :
  md (run_repo p s0 u (S n)) = classify p (phi (run_repo p s0 u (S n))).
Proof. reflexivity. Qed.
