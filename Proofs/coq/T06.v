(* T06 — comparison principle in the inputs and the state (reachability).
   Proofs/T06-monotonicity.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01.
Open Scope R_scope.

Lemma X_mono (p : params) (l l' e e' : R) :
  admissible p -> 0 <= l -> l <= l' -> e <= e' -> X p l e <= X p l' e'.
Proof.
  intros Hp Hl Hll He; unfold admissible in Hp; unfold X, D.
  pose proof (g_le l l' Hl Hll); nra.
Qed.

(* Part 1: larger inputs and a larger initial (Ê, φ) give a larger (Ê, φ) at every step. *)
Theorem T06_monotone_report (p : params) (s0 s0' : state) (u u' : trace) :
  admissible p -> valid_trace u ->
  (forall k, loss (u k) <= loss (u' k) /\ env (u k) <= env (u' k)) ->
  0 <= ehat s0 -> ehat s0 <= ehat s0' -> phi s0 <= phi s0' ->
  forall n, ehat (run_report p s0 u n) <= ehat (run_report p s0' u' n) /\
            phi (run_report p s0 u n) <= phi (run_report p s0' u' n).
Proof.
  intros Hp Hu Hle He Hee Hf n; induction n as [|n IH]; [simpl; lra|].
  rewrite !run_report_S, !step_report_ehat, !step_report_phi.
  destruct (Hu n) as [Hl Hen]; destruct (Hle n) as [Hl' He'].
  split.
  - apply ehat_next_mono; [assumption|tauto|apply X_mono; assumption].
  - apply phi_next_mono; [assumption|apply ehat_nonneg_report; assumption|tauto|tauto].
Qed.

Theorem T06_monotone_repo (p : params) (s0 s0' : state) (u u' : trace) :
  admissible p -> valid_trace u ->
  (forall k, loss (u k) <= loss (u' k)) ->
  0 <= ehat s0 -> ehat s0 <= ehat s0' -> phi s0 <= phi s0' ->
  forall n, ehat (run_repo p s0 u n) <= ehat (run_repo p s0' u' n) /\
            phi (run_repo p s0 u n) <= phi (run_repo p s0' u' n).
Proof.
  intros Hp Hu Hle He Hee Hf n; induction n as [|n IH]; [simpl; lra|].
  rewrite !run_repo_S, !step_repo_ehat, !step_repo_phi.
  assert (E1 : ehat_next p (ehat (run_repo p s0 u n)) (loss (u n)) <=
               ehat_next p (ehat (run_repo p s0' u' n)) (loss (u' n)))
    by (apply ehat_next_mono; [assumption|tauto|apply Hle]).
  split; [exact E1|].
  apply phi_next_mono; [assumption| |tauto|exact E1].
  apply ehat_next_nonneg; [assumption|apply ehat_nonneg_repo; assumption|apply (Hu n)].
Qed.

(* Part 2: every trajectory with inputs in a box lies between the runs of the two constant
   corner inputs (same initial state). *)
Theorem T06_corners_report (p : params) (s0 : state) (u : trace) (t0 : Z)
    (llo lhi elo ehi : R) :
  admissible p -> 0 <= llo -> 0 <= elo -> 0 <= ehat s0 ->
  (forall k, llo <= loss (u k) <= lhi /\ elo <= env (u k) <= ehi) ->
  forall n,
    phi (run_report p s0 (mk_trace t0 (fun _ => llo) (fun _ => elo)) n) <= phi (run_report p s0 u n) /\
    phi (run_report p s0 u n) <= phi (run_report p s0 (mk_trace t0 (fun _ => lhi) (fun _ => ehi)) n).
Proof.
  intros Hp Hl He He0 Hb n. split.
  - apply (T06_monotone_report p s0 s0 (mk_trace t0 (fun _ => llo) (fun _ => elo)) u); try lra;
      [assumption|intros k; unfold valid_input; simpl; lra|intros k; simpl; specialize (Hb k); lra].
  - apply (T06_monotone_report p s0 s0 u (mk_trace t0 (fun _ => lhi) (fun _ => ehi))); try lra;
      [assumption|intros k; unfold valid_input; specialize (Hb k); lra|intros k; simpl; specialize (Hb k); lra].
Qed.

Theorem T06_corners_repo (p : params) (s0 : state) (u : trace) (t0 : Z) (llo lhi : R) :
  admissible p -> 0 <= llo -> 0 <= ehat s0 ->
  (forall k, llo <= loss (u k) <= lhi /\ 0 <= env (u k)) ->
  forall n,
    phi (run_repo p s0 (mk_trace t0 (fun _ => llo) (fun _ => 0)) n) <= phi (run_repo p s0 u n) /\
    phi (run_repo p s0 u n) <= phi (run_repo p s0 (mk_trace t0 (fun _ => lhi) (fun _ => 0)) n).
Proof.
  intros Hp Hl He0 Hb n. split.
  - apply (T06_monotone_repo p s0 s0 (mk_trace t0 (fun _ => llo) (fun _ => 0)) u); try lra;
      [assumption|intros k; unfold valid_input; simpl; lra|intros k; simpl; specialize (Hb k); lra].
  - apply (T06_monotone_repo p s0 s0 u (mk_trace t0 (fun _ => lhi) (fun _ => 0))); try lra;
      [assumption|intros k; unfold valid_input; specialize (Hb k); lra|intros k; simpl; specialize (Hb k); lra].
Qed.

(* The fixed point φ* = g(X) is increasing in L and E. *)
Theorem T06_fixed_point_monotone (p : params) (l l' e e' : R) :
  admissible p -> 0 <= l -> 0 <= e -> l <= l' -> e <= e' -> g (X p l e) <= g (X p l' e').
Proof.
  intros Hp Hl He Hll Hee; apply g_le; [apply X_nonneg; assumption|apply X_mono; assumption].
Qed.
