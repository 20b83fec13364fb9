(* T07 — supremum of φ, Mirror reachability, least sustained E for Mirror (claim C4).
   Proofs/T07-mirror.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 T03 Eventually.
Open Scope R_scope.

(* Part 1, strict form: X_t < s, Ê_0 < s and φ_0 < g(s) keep Ê < s and φ < g(s) (report). *)
Theorem T07_invariant_report (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) < s) -> ehat s0 < s -> phi s0 < g s ->
  forall n, ehat (run_report p s0 u n) < s /\ phi (run_report p s0 u n) < g s.
Proof.
  intros Hp Hu He HX Hs Hf n; induction n as [|n IH]; [simpl; lra|].
  rewrite run_report_S, step_report_ehat, step_report_phi.
  pose proof (ehat_nonneg_report p s0 u n Hp Hu He) as Hn.
  pose proof (g_lt _ s Hn (proj1 IH)). pose proof Hp as Hp'; unfold admissible in Hp'.
  split; [apply ehat_next_lt; [assumption|lra|apply HX]|].
  unfold phi_next. destruct IH. nra.
Qed.

(* Non-strict form: X_t ≤ s, Ê_0 ≤ s, φ_0 ≤ g(s) keep Ê ≤ s and φ ≤ g(s) (report). *)
Theorem T07_invariant_le_report (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) <= s) -> ehat s0 <= s -> phi s0 <= g s ->
  forall n, ehat (run_report p s0 u n) <= s /\ phi (run_report p s0 u n) <= g s.
Proof.
  intros Hp Hu He HX Hs Hf n; induction n as [|n IH]; [simpl; lra|].
  rewrite run_report_S, step_report_ehat, step_report_phi.
  pose proof (ehat_nonneg_report p s0 u n Hp Hu He) as Hn.
  pose proof (g_le _ s Hn (proj1 IH)). pose proof Hp as Hp'; unfold admissible in Hp'.
  split; [apply ehat_next_le; [assumption|lra|apply HX]|].
  unfold phi_next. destruct IH. nra.
Qed.

(* Repo: the same with the loss as the observation. *)
Theorem T07_invariant_repo (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) < s) -> ehat s0 < s -> phi s0 < g s ->
  forall n, ehat (run_repo p s0 u n) < s /\ phi (run_repo p s0 u n) < g s.
Proof.
  intros Hp Hu He HX Hs Hf n; induction n as [|n IH]; [simpl; lra|].
  rewrite run_repo_S, step_repo_ehat, step_repo_phi.
  assert (En : ehat_next p (ehat (run_repo p s0 u n)) (loss (u n)) < s)
    by (apply ehat_next_lt; [assumption|lra|apply HX]).
  assert (Nn : 0 <= ehat_next p (ehat (run_repo p s0 u n)) (loss (u n)))
    by (apply ehat_next_nonneg; [assumption|apply ehat_nonneg_repo; assumption|apply (Hu n)]).
  pose proof (g_lt _ s Nn En). pose proof Hp as Hp'; unfold admissible in Hp'.
  split; [exact En|]. unfold phi_next. destruct IH. nra.
Qed.

(* A report run whose φ stays below θ1 never enters Mirror (unless it starts there). *)
Theorem T07_mirror_unreachable (p : params) (s0 : state) (u : trace) :
  admissible p -> md s0 <> Mirror ->
  (forall n, phi (run_report p s0 u n) < theta1 p) ->
  forall n, md (run_report p s0 u n) <> Mirror.
Proof.
  intros Hp H0 Hf n; induction n as [|n IH]; [exact H0|].
  rewrite run_report_S.
  destruct (step_report_md p (run_report p s0 u n) (u n)) as [-> | [-> _]]; [exact IH|].
  rewrite classify_mirror_iff by assumption. specialize (Hf n); lra.
Qed.

(* Part 3 (C4 with E ≡ 0): for every loss sequence, however large, φ < (1 − α_E)/(2 − α_E),
   so Mirror is unreachable whenever θ1 ≥ (1 − α_E)/(2 − α_E).  Needs α_E < 1 (at α_E = 1,
   E ≡ 0 gives X ≡ 0 and φ can equal the bound 0). *)
Theorem T07_sup_phi_E0 (p : params) (s0 : state) (u : trace) :
  admissible p -> alphaE p < 1 -> valid_trace u -> (forall k, env (u k) = 0) ->
  0 <= ehat s0 -> ehat s0 < 1 - alphaE p -> phi s0 < (1 - alphaE p) / (2 - alphaE p) ->
  forall n, phi (run_report p s0 u n) < (1 - alphaE p) / (2 - alphaE p).
Proof.
  intros Hp Ha Hu HE He0 He Hf n.
  assert (Hg : g (1 - alphaE p) = (1 - alphaE p) / (2 - alphaE p))
    by (unfold g; replace (1 + (1 - alphaE p)) with (2 - alphaE p) by ring; reflexivity).
  rewrite <- Hg in *.
  apply (T07_invariant_report p s0 u (1 - alphaE p) Hp Hu He0); try assumption.
  intros k; rewrite HE; apply X_env0_lt; [assumption|assumption|apply (Hu k)].
Qed.

Theorem T07_mirror_unreachable_E0 (p : params) (s0 : state) (u : trace) :
  admissible p -> alphaE p < 1 -> valid_trace u -> (forall k, env (u k) = 0) ->
  0 <= ehat s0 -> ehat s0 < 1 - alphaE p -> phi s0 < (1 - alphaE p) / (2 - alphaE p) ->
  md s0 <> Mirror -> (1 - alphaE p) / (2 - alphaE p) <= theta1 p ->
  forall n, md (run_report p s0 u n) <> Mirror.
Proof.
  intros Hp Ha Hu HE He0 He Hf Hm Ht.
  apply T07_mirror_unreachable; [assumption|assumption|].
  intros n; pose proof (T07_sup_phi_E0 p s0 u Hp Ha Hu HE He0 He Hf n); lra.
Qed.

(* The defaults: from the default state with E ≡ 0, φ < 1/3 < θ1 = 0.7 and Mirror is never
   reached, for every loss sequence: C4 is false. *)
Corollary T07_C4_false_defaults (u : trace) :
  valid_trace u -> (forall k, env (u k) = 0) ->
  forall n, phi (run_report defaults_report init_report u n) < 1 / 3 /\
            md (run_report defaults_report init_report u n) <> Mirror.
Proof.
  intros Hu HE n.
  assert (H13 : (1 - alphaE defaults_report) / (2 - alphaE defaults_report) = 1 / 3)
    by (simpl; field).
  split.
  - rewrite <- H13; apply T07_sup_phi_E0; try assumption;
      [apply defaults_report_admissible|simpl; lra|simpl; lra|simpl; lra|rewrite H13; simpl; lra].
  - apply T07_mirror_unreachable_E0; try assumption;
      [apply defaults_report_admissible|simpl; lra|simpl; lra|simpl; lra|rewrite H13; simpl; lra
      |discriminate|rewrite H13; simpl; lra].
Qed.

(* Part 4 (E ∈ [0, 1]): X ≤ 1, so from Ê_0 ≤ 1, φ_0 ≤ 1/2, φ ≤ 1/2 for ever and Mirror is
   unreachable when θ1 > 1/2. *)
Theorem T07_sup_phi_E_le_1 (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> (forall k, env (u k) <= 1) ->
  0 <= ehat s0 <= 1 -> phi s0 <= 1 / 2 ->
  forall n, phi (run_report p s0 u n) <= 1 / 2.
Proof.
  intros Hp Hu HE He0 Hf n.
  assert (Hg : g 1 = 1 / 2) by (unfold g; field).
  rewrite <- Hg in *.
  apply (T07_invariant_le_report p s0 u 1 Hp Hu); try tauto.
  intros k; pose proof (X_le p (loss (u k)) (env (u k)) Hp (proj1 (Hu k)) (proj2 (Hu k))).
  pose proof (HE k). unfold admissible in Hp. nra.
Qed.

Theorem T07_mirror_unreachable_E_le_1 (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> (forall k, env (u k) <= 1) ->
  0 <= ehat s0 <= 1 -> phi s0 <= 1 / 2 -> md s0 <> Mirror -> 1 / 2 < theta1 p ->
  forall n, md (run_report p s0 u n) <> Mirror.
Proof.
  intros Hp Hu HE He Hf Hm Ht.
  apply T07_mirror_unreachable; [assumption|assumption|].
  intros n; pose proof (T07_sup_phi_E_le_1 p s0 u Hp Hu HE He Hf n); lra.
Qed.

(* Part 2, corrected.  "Mirror is reachable iff sup φ > θ1" is false under an initial cooldown
   lock (φ_0 = 0.8, Single, s_0 = −1, L = 20, E = 0: sup φ = 0.8 and Mirror never comes).
   What holds: (a) φ < θ1 throughout keeps Mirror out (T07_mirror_unreachable); (b) a φ_t ≥ θ1
   read at a step whose cooldown has elapsed switches to Mirror at once; (c) a sustained input
   with g(X) > θ1 reaches Mirror and keeps it, whatever the initial state and lock. *)
Theorem T07_mirror_reached_at (p : params) (s0 : state) (u : trace) (n : nat) :
  admissible p -> theta1 p <= phi (run_report p s0 u n) ->
  cooldown_ok p (step (u n)) (last (run_report p s0 u n)) = true ->
  md (run_report p s0 u (S n)) = Mirror.
Proof.
  intros Hp Hf Hc; rewrite run_report_S, step_report_cooldown_ok by exact Hc.
  apply classify_mirror; assumption.
Qed.

Theorem T07_mirror_sustained_report (p : params) (s0 : state) (u : trace) (t0 : Z) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> consecutive t0 u ->
  (forall k, X p (loss (u k)) (env (u k)) = x) -> theta1 p < g x ->
  exists T, forall n, (n >= T)%nat -> md (run_report p s0 u n) = Mirror.
Proof.
  intros Hp Hu He Hc Hx Ht. pose proof Hp as Hp'; unfold admissible in Hp'.
  destruct (T03_mode_eventually_report p s0 u t0 x Hp Hu He Hc Hx) as [T HT]; [lra|lra|].
  exists T; intros n Hn; rewrite HT by exact Hn; apply classify_mirror; [lra|assumption].
Qed.

(* The witness of the counterexample to the uncorrected part 2: the lock holds the mode in
   Single at the first step although φ_0 = 0.8 ≥ θ1. *)
Theorem T07_initial_lock_blocks (u : trace) :
  step (u O) = 0%Z ->
  md (run_report defaults_report (mkState (ehat init_report) (8/10) Single (Some (-1)%Z)) u 1) = Single.
Proof.
  intros H0; simpl. unfold step_report; simpl.
  destruct (mode_eq_dec _ _) as [_|NE]; [reflexivity|].
  unfold cooldown_ok; rewrite H0; simpl. reflexivity.
Qed.

(* Part 5: the least sustained E for Mirror.  With α_E > 0 and D = g(L):
   g(X) > θ1  iff  E > (θ1/(1 − θ1) − (1 − α_E)·D)/α_E. *)
Definition E_min (p : params) (l : R) : R :=
  (theta1 p / (1 - theta1 p) - (1 - alphaE p) * D l) / alphaE p.

Theorem T07_least_E (p : params) (l e : R) :
  admissible p -> 0 < alphaE p -> 0 <= l -> 0 <= e ->
  (theta1 p < g (X p l e) <-> E_min p l < e).
Proof.
  intros Hp Ha Hl He. pose proof Hp as Hp'; unfold admissible in Hp'.
  pose proof (X_nonneg p l e Hp Hl He) as HX.
  assert (Hth : 0 < theta1 p < 1) by lra.
  pose proof (g_lt_threshold (X p l e) (theta1 p) HX Hth) as Hiff.
  unfold E_min, X in *.
  split; intros H.
  - assert (~ g (alphaE p * e + (1 - alphaE p) * D l) < theta1 p \/
            g (alphaE p * e + (1 - alphaE p) * D l) = theta1 p) by lra.
    assert (theta1 p / (1 - theta1 p) < alphaE p * e + (1 - alphaE p) * D l).
    { destruct (Rlt_le_dec (theta1 p / (1 - theta1 p)) (alphaE p * e + (1 - alphaE p) * D l))
        as [|Hle]; [assumption|].
      pose proof (g_le _ _ HX Hle). rewrite g_inverse in H1 by lra. lra. }
    apply Rmult_lt_reg_r with (alphaE p); [lra|].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra. lra.
  - assert (theta1 p / (1 - theta1 p) < alphaE p * e + (1 - alphaE p) * D l).
    { apply Rmult_lt_compat_r with (r := alphaE p) in H; [|lra].
      unfold Rdiv in H; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. lra. }
    rewrite <- (g_inverse (theta1 p)) by lra.
    apply g_lt; [apply div_nonneg; lra|assumption].
Qed.

Theorem T07_E_min_defaults : E_min defaults_report 20 = 26 / 7 /\ E_min defaults_report 0 = 14 / 3.
Proof. unfold E_min, D, g; simpl; split; field. Qed.

(* Part 6, repo: the sustained loss reaches Mirror iff g(L) > θ1 iff L > θ1/(1 − θ1). *)
Theorem T07_repo_mirror_threshold (p : params) (l : R) :
  admissible p -> 0 <= l -> (theta1 p < g l <-> theta1 p / (1 - theta1 p) < l).
Proof.
  intros Hp Hl; pose proof Hp as Hp'; unfold admissible in Hp'.
  split; intros H.
  - destruct (Rlt_le_dec (theta1 p / (1 - theta1 p)) l) as [|Hle]; [assumption|].
    pose proof (g_le _ _ Hl Hle); rewrite g_inverse in H0 by lra; lra.
  - rewrite <- (g_inverse (theta1 p)) by lra; apply g_lt; [apply div_nonneg; lra|assumption].
Qed.

Theorem T07_repo_mirror_sustained (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> (forall k, loss (u k) = l) ->
  theta1 p / (1 - theta1 p) < l ->
  exists T, forall n, (n >= T)%nat -> md (run_repo p s0 u n) = Mirror.
Proof.
  intros Hp Hu He Hl Ht. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hl0 : 0 <= l) by (rewrite <- (Hl O); apply (Hu O)).
  apply (T07_repo_mirror_threshold p l Hp Hl0) in Ht.
  destruct (T03_mode_eventually_repo p s0 u l Hp Hu He Hl) as [T HT]; [lra|lra|].
  exists T; intros n Hn; rewrite HT by exact Hn; apply classify_mirror; [lra|assumption].
Qed.
