(* T05 — settling, the case ρ = 0 (α = 1, β = 0), corrected: the settling time is at most 2,
   not 0.  Proofs/T05-settling.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

(* At ρ = 0, under a constant observation X, φ_t = g(X) exactly for every t ≥ 2 (report). *)
Theorem T05_rho0_exact (p : params) (s0 : state) (u : trace) (x : R) :
  alpha p = 1 -> beta p = 0 -> (forall k, X p (loss (u k)) (env (u k)) = x) ->
  forall t, (t >= 2)%nat -> phi (run_report p s0 u t) = g x.
Proof.
  intros Ha Hb Hx t Ht. destruct t as [|[|t]]; [lia|lia|].
  rewrite run_report_S, step_report_phi, run_report_S, step_report_ehat, Hx.
  unfold phi_next, ehat_next; rewrite Ha, Hb.
  replace (0 * ehat (run_report p s0 u t) + (1 - 0) * x) with x by ring. ring.
Qed.

(* The counterexample to "t_m = 0 when ρ = 0": (Ê_0, φ_0) = (5, 0.142857), clean L = 0.5, E = 0.
   The final-value band is ε·φ* = 0.02/7 ≈ 0.00286; φ_0 is inside it but φ_1 = 5/6 is not, so
   the settling time (final-value convention) is 2, not 0. *)
Theorem T05_rho0_counterexample (u : trace) :
  let p := mkParams 1 0 (1 / 2) (3 / 10) (7 / 10) 30 in
  let s0 := mkState 5 (142857 / 1000000) Single None in
  (forall k, loss (u k) = 1 / 2 /\ env (u k) = 0) ->
  Rabs (phi s0 - 1 / 7) <= 2 / 100 * (1 / 7) /\
  2 / 100 * (1 / 7) < Rabs (phi (run_report p s0 u 1) - 1 / 7) /\
  (forall t, (t >= 2)%nat -> phi (run_report p s0 u t) = 1 / 7).
Proof.
  intros p s0 Hu. split; [|split].
  - simpl. rewrite Rabs_left by lra. lra.
  - rewrite run_report_S, step_report_phi; simpl; unfold phi_next, g; simpl.
    rewrite Rabs_right by lra. lra.
  - intros t Ht. rewrite (T05_rho0_exact p s0 u (1 / 6)); [unfold g; field|reflexivity|reflexivity| |exact Ht].
    intros k; destruct (Hu k) as [-> ->]; unfold X, D, g; simpl; field.
Qed.
