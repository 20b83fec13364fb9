(* T08 — low stress settles in Single iff X < θ0/(1 − θ0) (claim C3).  Proofs/T08-single.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T07 Eventually.
Open Scope R_scope.

Lemma threshold_pos (th : R) : 0 < th < 1 -> 0 < th / (1 - th).
Proof. intros; apply Rdiv_lt_0_compat; lra. Qed.

(* Part 1, any initial state: below the threshold the mode is eventually Single for ever
   (report with consecutive steps; repo). *)
Theorem T08_single_eventually_report (p : params) (s0 : state) (u : trace) (t0 : Z) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> consecutive t0 u ->
  (forall k, X p (loss (u k)) (env (u k)) = x) -> x < theta0 p / (1 - theta0 p) ->
  exists T, forall n, (n >= T)%nat -> md (run_report p s0 u n) = Single.
Proof.
  intros Hp Hu He Hc Hx Hlt. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hx0 : 0 <= x) by (rewrite <- (Hx O); destruct (Hu O); apply X_nonneg; assumption).
  apply (g_lt_threshold x (theta0 p) Hx0 ltac:(lra)) in Hlt.
  destruct (T03_mode_eventually_report p s0 u t0 x Hp Hu He Hc Hx) as [T HT]; [lra|lra|].
  exists T; intros n Hn; rewrite HT by exact Hn; apply classify_single; exact Hlt.
Qed.

Theorem T08_single_eventually_repo (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) -> l < theta0 p / (1 - theta0 p) ->
  exists T, forall n, (n >= T)%nat -> md (run_repo p s0 u n) = Single.
Proof.
  intros Hp Hu He Hl Hlt. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hl0 : 0 <= l) by (rewrite <- (Hl O); apply (Hu O)).
  apply (g_lt_threshold l (theta0 p) Hl0 ltac:(lra)) in Hlt.
  destruct (T03_mode_eventually_repo p s0 u l Hp Hu He Hl) as [T HT]; [lra|lra|].
  exists T; intros n Hn; rewrite HT by exact Hn; apply classify_single; exact Hlt.
Qed.

(* Above the threshold (and off θ1) the mode is eventually Multi or Mirror for ever. *)
Theorem T08_leaves_single_report (p : params) (s0 : state) (u : trace) (t0 : Z) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> consecutive t0 u ->
  (forall k, X p (loss (u k)) (env (u k)) = x) -> theta0 p / (1 - theta0 p) < x ->
  g x <> theta1 p ->
  exists T, forall n, (n >= T)%nat -> md (run_report p s0 u n) <> Single.
Proof.
  intros Hp Hu He Hc Hx Hgt H1. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hx0 : 0 <= x) by (rewrite <- (Hx O); destruct (Hu O); apply X_nonneg; assumption).
  assert (Hg : theta0 p < g x).
  { rewrite <- (g_inverse (theta0 p)) by lra. apply g_lt; [apply div_nonneg; lra|assumption]. }
  destruct (T03_mode_eventually_report p s0 u t0 x Hp Hu He Hc Hx) as [T HT]; [lra|assumption|].
  exists T; intros n Hn; rewrite HT by exact Hn; rewrite classify_single_iff; lra.
Qed.

Theorem T08_leaves_single_repo (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) -> theta0 p / (1 - theta0 p) < l -> g l <> theta1 p ->
  exists T, forall n, (n >= T)%nat -> md (run_repo p s0 u n) <> Single.
Proof.
  intros Hp Hu He Hl Hgt H1. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hl0 : 0 <= l) by (rewrite <- (Hl O); apply (Hu O)).
  assert (Hg : theta0 p < g l).
  { rewrite <- (g_inverse (theta0 p)) by lra. apply g_lt; [apply div_nonneg; lra|assumption]. }
  destruct (T03_mode_eventually_repo p s0 u l Hp Hu He Hl) as [T HT]; [lra|assumption|].
  exists T; intros n Hn; rewrite HT by exact Hn; rewrite classify_single_iff; lra.
Qed.

(* Part 2, from the default state (Ê, φ, M) = (0, 0, Single), corrected: φ_t ≤ g(x) always,
   and φ_t < g(x) when x > 0 and (α < 1 or β > 0) — the strict form is false at x = 0, where
   φ ≡ 0 = g(0).  The input may vary: only X_t ≤ x is used. *)
Theorem T08_below_fixed_point (p : params) (u : trace) (x : R) :
  admissible p -> valid_trace u -> (forall k, X p (loss (u k)) (env (u k)) <= x) -> 0 < x ->
  (alpha p < 1 \/ 0 < beta p) ->
  forall n, phi (run_report p init_report u n) < g x.
Proof.
  intros Hp Hu HX Hx Hab. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (HE : forall n, 0 <= ehat (run_report p init_report u n) <= x).
  { intros n; apply T01_ehat_bounds_report; simpl; try assumption; lra. }
  destruct Hab as [Ha|Hb].
  - intros n; induction n as [|n IH]; [simpl; apply g_pos; exact Hx|].
    rewrite run_report_S, step_report_phi; unfold phi_next.
    pose proof (g_le _ x (proj1 (HE n)) (proj2 (HE n))). nra.
  - assert (HEs : forall n, ehat (run_report p init_report u n) < x).
    { intros n; induction n as [|n IH]; [simpl; lra|].
      rewrite run_report_S, step_report_ehat; unfold ehat_next.
      specialize (HX n). nra. }
    intros n; induction n as [|n IH]; [simpl; apply g_pos; exact Hx|].
    rewrite run_report_S, step_report_phi; unfold phi_next.
    pose proof (g_lt _ x (proj1 (HE n)) (HEs n)). nra.
Qed.

Theorem T08_below_fixed_point_le (p : params) (u : trace) (x : R) :
  admissible p -> valid_trace u -> (forall k, X p (loss (u k)) (env (u k)) <= x) -> 0 <= x ->
  forall n, phi (run_report p init_report u n) <= g x.
Proof.
  intros Hp Hu HX Hx n.
  apply (proj2 (T07_invariant_le_report p init_report u x Hp Hu ltac:(simpl; lra) HX
                  ltac:(simpl; lra) ltac:(simpl; rewrite <- g_zero; apply g_le; lra) n)).
Qed.

(* Hence: from the default state, X_t ≤ θ0/(1 − θ0) at every step (constant or not) keeps the
   mode Single at every step, provided α < 1 or β > 0 (at α = 1, β = 0 the boundary input
   reaches φ = θ0 at step 2). *)
Theorem T08_default_state_single (p : params) (u : trace) :
  admissible p -> valid_trace u -> (alpha p < 1 \/ 0 < beta p) ->
  (forall k, X p (loss (u k)) (env (u k)) <= theta0 p / (1 - theta0 p)) ->
  forall n, phi (run_report p init_report u n) < theta0 p /\
            md (run_report p init_report u n) = Single.
Proof.
  intros Hp Hu Hab HX. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hphi : forall n, phi (run_report p init_report u n) < theta0 p).
  { intros n; rewrite <- (g_inverse (theta0 p)) by lra.
    apply T08_below_fixed_point; try assumption. apply threshold_pos; lra. }
  intros n; split; [apply Hphi|].
  induction n as [|n IH]; [reflexivity|].
  rewrite run_report_S, step_report_candidate_same; [exact IH|].
  rewrite IH; apply classify_single, Hphi.
Qed.

(* Part 3, report defaults with E = 0: X < 3/7 iff L < 6. *)
Theorem T08_defaults_threshold (l : R) :
  0 <= l -> (X defaults_report l 0 < theta0 defaults_report / (1 - theta0 defaults_report) <-> l < 6).
Proof.
  intros Hl; unfold X, D, g; simpl.
  replace (1 / 2 * 0 + (1 - 1 / 2) * (l / (1 + l))) with (l / (2 * (1 + l))) by (field; lra).
  replace (3 / 10 / (1 - 3 / 10)) with (3 / 7) by field.
  split; intros H.
  - apply Rmult_lt_compat_r with (r := 2 * (1 + l)) in H; [|lra].
    unfold Rdiv in H; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. lra.
  - apply Rmult_lt_reg_r with (2 * (1 + l)); [lra|].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. lra.
Qed.

(* The clean regime L = 0.5: X = 1/6, φ* = 1/7, and the default state never leaves Single. *)
Theorem T08_clean_defaults (u : trace) :
  valid_trace u -> (forall k, loss (u k) = 1 / 2 /\ env (u k) = 0) ->
  forall n, md (run_report defaults_report init_report u n) = Single.
Proof.
  intros Hu Hc n.
  apply (T08_default_state_single defaults_report u defaults_report_admissible Hu
           ltac:(simpl; lra)).
  intros k; destruct (Hc k) as [-> ->]; unfold X, D, g; simpl; lra.
Qed.

Theorem T08_clean_fixed_point : X defaults_report (1 / 2) 0 = 1 / 6 /\ g (1 / 6) = 1 / 7.
Proof. unfold X, D, g; simpl; split; field. Qed.

(* Part 4, repo defaults: Single iff L < 3/7; the clean loss 0.5 has φ* = 1/3 ≥ θ0 and settles
   in Multi. *)
Theorem T08_repo_defaults_threshold : theta0 defaults_repo / (1 - theta0 defaults_repo) = 3 / 7.
Proof. simpl; field. Qed.

Theorem T08_repo_clean_multi (s0 : state) (u : trace) :
  valid_trace u -> 0 <= ehat s0 -> (forall k, loss (u k) = 1 / 2) ->
  exists T, forall n, (n >= T)%nat -> md (run_repo defaults_repo s0 u n) = Multi.
Proof.
  intros Hu He Hl.
  destruct (T03_mode_eventually_repo defaults_repo s0 u (1 / 2) defaults_repo_admissible Hu He Hl)
    as [T HT]; [unfold g; simpl; lra|unfold g; simpl; lra|].
  exists T; intros n Hn; rewrite HT by exact Hn; apply classify_multi; unfold g; simpl; lra.
Qed.
