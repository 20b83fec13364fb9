(* T10 — the cooldown (claim C2): consecutive switches of the report are ≥ N_s log steps
   apart, by construction; the repo has no cooldown.  Proofs/T10-cooldown.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

Definition switches_at_report (p : params) (s0 : state) (u : trace) (k : nat) : Prop :=
  md (run_report p s0 u (S k)) <> md (run_report p s0 u k).

(* Between two records without a switch, s is unchanged. *)
Lemma report_last_constant (p : params) (s0 : state) (u : trace) (a b : nat) :
  (a <= b)%nat -> (forall j, (a <= j < b)%nat -> ~ switches_at_report p s0 u j) ->
  last (run_report p s0 u b) = last (run_report p s0 u a).
Proof.
  intros Hab Hno. induction b as [|b IH].
  - replace a with O by lia; reflexivity.
  - destruct (Nat.eq_dec a (S b)) as [->|Hne]; [reflexivity|].
    rewrite run_report_S, step_report_keep.
    + apply IH; [lia|intros j Hj; apply Hno; lia].
    + rewrite <- run_report_S. destruct (mode_eq_dec (md (run_report p s0 u (S b))) (md (run_report p s0 u b)))
        as [E|NE]; [exact E|exfalso; apply (Hno b); [lia|exact NE]].
Qed.

(* Part 1: a switch at record k happens only when t − s ≥ N_s, and records s = t. *)
Theorem T10_cooldown_step (p : params) (st : state) (i : input) :
  md (step_report p st i) <> md st ->
  last (step_report p st i) = Some (step i) /\
  match last st with
  | None => True
  | Some s => (Z.of_nat (cooldown p) <= step i - s)%Z
  end.
Proof.
  intros H; destruct (step_report_switch p st i H) as [_ [Hl Hc]]; split; [exact Hl|].
  unfold cooldown_ok in Hc; destruct (last st) as [s|]; [apply Z.leb_le; exact Hc|exact I].
Qed.

(* Two consecutive switches, at records k1 < k2 (none in between), are at least N_s step
   numbers apart: step(u k2) − step(u k1) ≥ N_s — for any parameters, initial state, inputs
   and step numbers. *)
Theorem T10_cooldown (p : params) (s0 : state) (u : trace) (k1 k2 : nat) :
  (k1 < k2)%nat -> switches_at_report p s0 u k1 -> switches_at_report p s0 u k2 ->
  (forall j, (k1 < j < k2)%nat -> ~ switches_at_report p s0 u j) ->
  (Z.of_nat (cooldown p) <= step (u k2) - step (u k1))%Z.
Proof.
  intros Hlt H1 H2 Hno.
  pose proof (T10_cooldown_step p (run_report p s0 u k1) (u k1) H1) as [Hl1 _].
  pose proof (T10_cooldown_step p (run_report p s0 u k2) (u k2) H2) as [_ Hc2].
  rewrite <- run_report_S in Hl1.
  rewrite (report_last_constant p s0 u (S k1) k2 ltac:(lia)) in Hc2 by (intros j Hj; apply Hno; lia).
  rewrite Hl1 in Hc2. exact Hc2.
Qed.

(* The first switch obeys the initial s_0 (None is −∞: allowed at once). *)
Theorem T10_first_switch (p : params) (s0 : state) (u : trace) (k : nat) :
  switches_at_report p s0 u k -> (forall j, (j < k)%nat -> ~ switches_at_report p s0 u j) ->
  match last s0 with
  | None => True
  | Some s => (Z.of_nat (cooldown p) <= step (u k) - s)%Z
  end.
Proof.
  intros H Hno. pose proof (T10_cooldown_step p (run_report p s0 u k) (u k) H) as [_ Hc].
  rewrite (report_last_constant p s0 u O k ltac:(lia)) in Hc by (intros j Hj; apply Hno; lia).
  exact Hc.
Qed.

(* Part 2: the repo has no cooldown.  Witness: repo defaults, (Ê, φ) = (0.5, 19501/65536),
   Single; losses 0.25 then 1/128: Multi after the first record, Single after the second. *)
Theorem T10_repo_no_cooldown (t : Z) :
  let s0 := mkState (1 / 2) (19501 / 65536) Single None in
  let u := mk_trace t (fun k => match k with O => 1 / 4 | _ => 1 / 128 end) (fun _ => 0) in
  md (run_repo defaults_repo s0 u 1) = Multi /\ md (run_repo defaults_repo s0 u 2) = Single.
Proof.
  intros s0 u. split.
  - simpl. apply classify_multi. unfold phi_next, ehat_next, g; simpl. split; lra.
  - simpl. apply classify_single. unfold phi_next, ehat_next, g; simpl. lra.
Qed.
