(* T01 — range invariant in exact real arithmetic (claim C1).  Proofs/T01-range.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

(* Part 1: 0 ≤ Ê_t ≤ B whenever Ê_0 ≤ B and every observation is ≤ B. *)
Theorem T01_ehat_bounds_report (p : params) (s0 : state) (u : trace) (B : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> ehat s0 <= B ->
  (forall k, X p (loss (u k)) (env (u k)) <= B) ->
  forall n, 0 <= ehat (run_report p s0 u n) <= B.
Proof.
  intros Hp Hu H0 HB HX n; induction n as [|n IH]; [simpl; lra|].
  rewrite run_report_S, step_report_ehat.
  destruct (Hu n) as [Hl He].
  split; [apply ehat_next_nonneg; [assumption|lra|apply X_nonneg; assumption]
         |apply ehat_next_le; [assumption|lra|apply HX]].
Qed.

Theorem T01_ehat_bounds_repo (p : params) (s0 : state) (u : trace) (B : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> ehat s0 <= B ->
  (forall k, loss (u k) <= B) ->
  forall n, 0 <= ehat (run_repo p s0 u n) <= B.
Proof.
  intros Hp Hu H0 HB HX n; induction n as [|n IH]; [simpl; lra|].
  rewrite run_repo_S, step_repo_ehat.
  destruct (Hu n) as [Hl He].
  split; [apply ehat_next_nonneg; [assumption|lra|assumption]
         |apply ehat_next_le; [assumption|lra|apply HX]].
Qed.

Lemma ehat_nonneg_report p s0 u n :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= ehat (run_report p s0 u n).
Proof.
  intros Hp Hu H0; induction n as [|n IH]; [simpl; lra|].
  rewrite run_report_S, step_report_ehat. destruct (Hu n).
  apply ehat_next_nonneg; [assumption|assumption|apply X_nonneg; assumption].
Qed.

Lemma ehat_nonneg_repo p s0 u n :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= ehat (run_repo p s0 u n).
Proof.
  intros Hp Hu H0; induction n as [|n IH]; [simpl; lra|].
  rewrite run_repo_S, step_repo_ehat. destruct (Hu n).
  apply ehat_next_nonneg; assumption.
Qed.

(* The report's X is at most α_E·sup E + (1 − α_E); with E ≡ 0 and α_E < 1 it is < 1 − α_E. *)
Theorem T01_X_bound (p : params) (l e : R) :
  admissible p -> 0 <= l -> 0 <= e -> 0 <= X p l e <= alphaE p * e + (1 - alphaE p).
Proof. intros; split; [apply X_nonneg|apply X_le]; assumption. Qed.

(* Part 2: φ ∈ [0, 1] for every t, and φ ∈ [0, 1) for every t ≥ 1 (both variants). *)
Theorem T01_phi_range_report (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= phi s0 <= 1 ->
  forall n, (0 <= phi (run_report p s0 u n) <= 1) /\
            ((n >= 1)%nat -> phi (run_report p s0 u n) < 1).
Proof.
  intros Hp Hu He Hf n; induction n as [|n IH]; [split; [assumption|intros; lia]|].
  rewrite run_report_S, step_report_phi.
  pose proof (phi_next_range p (phi (run_report p s0 u n)) (ehat (run_report p s0 u n)) Hp
                (ehat_nonneg_report p s0 u n Hp Hu He) (proj1 IH)).
  split; [lra|intros; lra].
Qed.

Theorem T01_phi_range_repo (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= phi s0 <= 1 ->
  forall n, (0 <= phi (run_repo p s0 u n) <= 1) /\
            ((n >= 1)%nat -> phi (run_repo p s0 u n) < 1).
Proof.
  intros Hp Hu He Hf n; induction n as [|n IH]; [split; [assumption|intros; lia]|].
  rewrite run_repo_S, step_repo_phi.
  pose proof (ehat_nonneg_repo p s0 u (S n) Hp Hu He) as HS.
  rewrite run_repo_S, step_repo_ehat in HS.
  pose proof (phi_next_range p (phi (run_repo p s0 u n)) _ Hp HS (proj1 IH)).
  split; [lra|intros; lra].
Qed.

(* Part 3: the open interval of the claim is false.  From the default state φ_1 = 0 whatever
   the input (φ_1 reads the old Ê_0 = 0), and zero input keeps φ = 0 for ever. *)
Theorem T01_open_interval_fails_phi1 (p : params) (u : trace) :
  phi (run_report p init_report u 1) = 0.
Proof.
  rewrite run_report_S, step_report_phi; simpl; unfold phi_next; rewrite g_zero; ring.
Qed.

Theorem T01_open_interval_fails_zero (p : params) (u : trace) :
  (forall k, loss (u k) = 0 /\ env (u k) = 0) ->
  forall n, phi (run_report p init_report u n) = 0 /\ ehat (run_report p init_report u n) = 0.
Proof.
  intros Hz n; induction n as [|n IH]; [simpl; split; reflexivity|].
  rewrite run_report_S, step_report_phi, step_report_ehat.
  destruct IH as [-> ->]; destruct (Hz n) as [-> ->].
  unfold phi_next, ehat_next, X, D; rewrite g_zero; split; ring.
Qed.

(* The same for the repo variant started at Ê_0 = φ_0 = 0: a zero loss keeps φ = 0. *)
Theorem T01_open_interval_fails_repo (p : params) (u : trace) (m : mode) :
  (forall k, loss (u k) = 0) ->
  forall n, phi (run_repo p (mkState 0 0 m None) u n) = 0 /\
            ehat (run_repo p (mkState 0 0 m None) u n) = 0.
Proof.
  intros Hz n; induction n as [|n IH]; [simpl; split; reflexivity|].
  rewrite run_repo_S, step_repo_phi, step_repo_ehat.
  destruct IH as [-> ->]; rewrite (Hz n).
  unfold phi_next, ehat_next; replace (beta p * 0 + (1 - beta p) * 0) with 0 by ring.
  rewrite g_zero; split; ring.
Qed.

(* Part 4: repo, α < 1 and φ_0 > 0 give φ_t ∈ (0, 1) for every t ≥ 1 (the published start). *)
Theorem T01_repo_positive (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> alpha p < 1 -> 0 <= ehat s0 -> 0 < phi s0 <= 1 ->
  forall n, 0 < phi (run_repo p s0 u n) /\ ((n >= 1)%nat -> phi (run_repo p s0 u n) < 1).
Proof.
  intros Hp Hu Ha He Hf n.
  pose proof (T01_phi_range_repo p s0 u Hp Hu He ltac:(lra) n) as [_ Hlt].
  split; [|exact Hlt]. clear Hlt.
  induction n as [|n IH]; [simpl; lra|].
  rewrite run_repo_S, step_repo_phi.
  pose proof (ehat_nonneg_repo p s0 u (S n) Hp Hu He) as HS.
  rewrite run_repo_S, step_repo_ehat in HS.
  pose proof (g_nonneg _ HS). unfold phi_next. unfold admissible in Hp.
  assert (0 < (1 - alpha p) * phi (run_repo p s0 u n)) by
    (apply Rmult_lt_0_compat; [lra|exact IH]).
  nra.
Qed.

Corollary T01_repo_defaults_open_interval (u : trace) :
  valid_trace u -> forall n, (n >= 1)%nat -> 0 < phi (run_repo defaults_repo init_repo u n) < 1.
Proof.
  intros Hu n Hn.
  pose proof (T01_repo_positive defaults_repo init_repo u defaults_repo_admissible Hu
               ltac:(simpl; lra) ltac:(simpl; lra) ltac:(simpl; lra) n) as [A B].
  split; [exact A|apply B, Hn].
Qed.
