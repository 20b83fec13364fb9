(* Concrete witnesses over the reals: the counterexamples of T06 part 3, T12 part 5 and T13
   part 3, computed exactly (every value is a rational). *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

Lemma md_keep (p : params) (st : state) (i : input) :
  classify p (phi st) = md st ->
  md (step_report p st i) = md st /\ last (step_report p st i) = last st.
Proof. intros H; rewrite step_report_eq_keep by exact H; split; reflexivity. Qed.

Lemma md_switch (p : params) (st : state) (i : input) (c : mode) :
  classify p (phi st) = c -> c <> md st -> cooldown_ok p (step i) (last st) = true ->
  md (step_report p st i) = c /\ last (step_report p st i) = Some (step i).
Proof. intros H Hne Hc; rewrite (step_report_eq_switch p st i c) by assumption; split; reflexivity. Qed.

Lemma md_blocked (p : params) (st : state) (i : input) :
  cooldown_ok p (step i) (last st) = false ->
  md (step_report p st i) = md st /\ last (step_report p st i) = last st.
Proof. intros H; rewrite step_report_eq_blocked by exact H; split; reflexivity. Qed.

Definition s_T12 : state := mkState (7 / 16) (307 / 1024) Single None.
Definition s_T13 : state := mkState 3 (9 / 32) Single None.
Definition s_T09 : state := mkState 9 (1 / 7) Multi None.

(* The exact value of φ or Ê after a few records, as a rational. *)
Ltac value :=
  repeat rewrite ?run_report_S, ?step_report_phi, ?step_report_ehat;
  cbn [run_report phi ehat init_report s_T12 s_T13 s_T09 mk_trace loss env step];
  unfold phi_next, ehat_next, X, D, g; simpl.

Ltac cls :=
  first [ apply classify_single; value; lra
        | apply classify_multi; value; split; lra
        | apply classify_mirror; [value; lra|unfold admissible; simpl; lra] ].

(* One record: from the facts (mode, s) at record k, the facts at record k + 1. *)
Ltac next H :=
  rewrite run_report_S; destruct H as [Hm Hl];
  match goal with
  | |- md (step_report ?p ?st ?i) = ?c /\ last (step_report ?p ?st ?i) = _ =>
    first
      [ (destruct (md_keep p st i ltac:(rewrite Hm; cls)) as [A B]; rewrite A, B; split;
           [exact Hm|exact Hl])
      | (destruct (md_blocked p st i ltac:(rewrite Hl; reflexivity)) as [A B]; rewrite A, B; split;
           [exact Hm|exact Hl])
      | (destruct (md_switch p st i c ltac:(cls) ltac:(rewrite Hm; discriminate)
                     ltac:(rewrite Hl; reflexivity)) as [A B]; rewrite A, B; split; reflexivity) ]
  end.

(* T06 part 3: the mode is not monotone in the input once the cooldown is on.  α = 1, β = 0,
   α_E = 1, θ = (0.3, 0.7), N_s = 30, default state, L ≡ 0; E^A = (1, 9, 0, 0) ≥
   E^B = (0, 9, 0, 0); after four records M^A = Multi and M^B = Mirror. *)
Definition p_T06 : params := mkParams 1 0 1 (3 / 10) (7 / 10) 30.
Definition u_T06A : trace :=
  mk_trace 0 (fun _ => 0) (fun k => match k with O => 1 | 1%nat => 9 | _ => 0 end).
Definition u_T06B : trace :=
  mk_trace 0 (fun _ => 0) (fun k => match k with 1%nat => 9 | _ => 0 end).

Theorem T06_mode_not_monotone :
  (forall k, env (u_T06B k) <= env (u_T06A k) /\ loss (u_T06B k) <= loss (u_T06A k)) /\
  md (run_report p_T06 init_report u_T06A 4) = Multi /\
  md (run_report p_T06 init_report u_T06B 4) = Mirror.
Proof.
  split; [intros [|[|k]]; simpl; lra|].
  split.
  - assert (H1 : md (run_report p_T06 init_report u_T06A 1) = Single /\
                 last (run_report p_T06 init_report u_T06A 1) = None).
    { rewrite run_report_S; apply md_keep; cls. }
    assert (H2 : md (run_report p_T06 init_report u_T06A 2) = Single /\
                 last (run_report p_T06 init_report u_T06A 2) = None) by next H1.
    assert (H3 : md (run_report p_T06 init_report u_T06A 3) = Multi /\
                 last (run_report p_T06 init_report u_T06A 3) = Some 2%Z) by next H2.
    assert (H4 : md (run_report p_T06 init_report u_T06A 4) = Multi /\
                 last (run_report p_T06 init_report u_T06A 4) = Some 2%Z) by next H3.
    apply H4.
  - assert (H1 : md (run_report p_T06 init_report u_T06B 1) = Single /\
                 last (run_report p_T06 init_report u_T06B 1) = None).
    { rewrite run_report_S; apply md_keep; cls. }
    assert (H2 : md (run_report p_T06 init_report u_T06B 2) = Single /\
                 last (run_report p_T06 init_report u_T06B 2) = None) by next H1.
    assert (H3 : md (run_report p_T06 init_report u_T06B 3) = Single /\
                 last (run_report p_T06 init_report u_T06B 3) = None) by next H2.
    assert (H4 : md (run_report p_T06 init_report u_T06B 4) = Mirror /\
                 last (run_report p_T06 init_report u_T06B 4) = Some 3%Z) by next H3.
    apply H4.
Qed.

(* T12 part 5: without a cooldown the report switches at consecutive steps.  Defaults with
   N_s = 0, state (Ê, φ) = (7/16, 307/1024), Single; input (L, E) = (0, 1/2), then (0, 0) twice:
   the records show Single, Multi, Single. *)
Definition p_T12 : params := mkParams (1 / 10) (9 / 10) (1 / 2) (3 / 10) (7 / 10) 0.
Definition u_T12 : trace := mk_trace 0 (fun _ => 0) (fun k => match k with O => 1 / 2 | _ => 0 end).

Theorem T12_chattering_N0 :
  md (run_report p_T12 s_T12 u_T12 1) = Single /\
  md (run_report p_T12 s_T12 u_T12 2) = Multi /\
  md (run_report p_T12 s_T12 u_T12 3) = Single.
Proof.
  assert (H1 : md (run_report p_T12 s_T12 u_T12 1) = Single /\
               last (run_report p_T12 s_T12 u_T12 1) = None).
  { rewrite run_report_S; apply md_keep; cls. }
  assert (H2 : md (run_report p_T12 s_T12 u_T12 2) = Multi /\
               last (run_report p_T12 s_T12 u_T12 2) = Some 1%Z) by next H1.
  assert (H3 : md (run_report p_T12 s_T12 u_T12 3) = Single /\
               last (run_report p_T12 s_T12 u_T12 3) = Some 2%Z) by next H2.
  tauto.
Qed.

(* T13 part 3, large α: α = 0.9, other defaults, (Ê, φ) = (3, 9/32), Single: φ_1 = 0.703125 and
   the mode goes Single → Mirror, skipping Multi. *)
Definition p_T13 : params := mkParams (9 / 10) (9 / 10) (1 / 2) (3 / 10) (7 / 10) 30.
Definition u_T13 : trace := mk_trace 0 (fun _ => 0) (fun _ => 0).

Theorem T13_skip_large_alpha :
  md (run_report p_T13 s_T13 u_T13 1) = Single /\
  phi (run_report p_T13 s_T13 u_T13 1) = 45 / 64 /\
  md (run_report p_T13 s_T13 u_T13 2) = Mirror.
Proof.
  assert (H1 : md (run_report p_T13 s_T13 u_T13 1) = Single /\
               last (run_report p_T13 s_T13 u_T13 1) = None).
  { rewrite run_report_S; apply md_keep; cls. }
  assert (H2 : md (run_report p_T13 s_T13 u_T13 2) = Mirror /\
               last (run_report p_T13 s_T13 u_T13 2) = Some 1%Z) by next H1.
  split; [tauto|split; [value; field|tauto]].
Qed.

(* T09 at ρ = 0 (α = 1, β = 0), N_s = 0, clean L = 0.5, E = 0, from (Ê, φ, M) = (9, 1/7, Multi):
   the modes run Multi, Single, Mirror, Single — parts 1–2 of T09 (one recovery, no return)
   fail at ρ = 0. *)
Definition p_T09 : params := mkParams 1 0 (1 / 2) (3 / 10) (7 / 10) 0.
Definition u_T09 : trace := mk_trace 0 (fun _ => 1 / 2) (fun _ => 0).

Theorem T09_rho0_counterexample :
  md (run_report p_T09 s_T09 u_T09 1) = Single /\
  md (run_report p_T09 s_T09 u_T09 2) = Mirror /\
  md (run_report p_T09 s_T09 u_T09 3) = Single.
Proof.
  assert (H0 : md (run_report p_T09 s_T09 u_T09 0) = Multi /\
               last (run_report p_T09 s_T09 u_T09 0) = None) by (split; reflexivity).
  assert (H1 : md (run_report p_T09 s_T09 u_T09 1) = Single /\
               last (run_report p_T09 s_T09 u_T09 1) = Some 0%Z) by next H0.
  assert (H2 : md (run_report p_T09 s_T09 u_T09 2) = Mirror /\
               last (run_report p_T09 s_T09 u_T09 2) = Some 1%Z) by next H1.
  assert (H3 : md (run_report p_T09 s_T09 u_T09 3) = Single /\
               last (run_report p_T09 s_T09 u_T09 3) = Some 2%Z) by next H2.
  tauto.
Qed.
