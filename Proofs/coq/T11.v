(* T11 — the state (claim C6): the report carries (Ê, φ, M, s) and no component can be dropped.
   Proofs/T11-state.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas.
Open Scope R_scope.

(* Ê: states differing only in Ê give different next φ, for every admissible parameter set and
   input: (0, 0) gives φ_1 = 0, (1, 0) gives α·g(1) = α/2. *)
Theorem T11_ehat_matters (p : params) (m : mode) (s : option Z) (i : input) :
  admissible p ->
  phi (step_report p (mkState 0 0 m s) i) = 0 /\
  phi (step_report p (mkState 1 0 m s) i) = alpha p / 2 /\ alpha p / 2 <> 0.
Proof.
  intros Hp; unfold admissible in Hp. rewrite !step_report_phi; simpl; unfold phi_next, g.
  split; [|split]; [field|field|lra].
Qed.

(* The same for the repo (the state there is (Ê, φ)), for a valid loss, when β > 0 (at β = 0
   the repo's Ê' = L forgets Ê). *)
Theorem T11_ehat_matters_repo (p : params) (m : mode) (s : option Z) (i : input) :
  admissible p -> 0 < beta p -> 0 <= loss i ->
  phi (step_repo p (mkState 0 0 m s) i) < phi (step_repo p (mkState 1 0 m s) i).
Proof.
  intros Hp Hb Hl. pose proof Hp as Hp'; unfold admissible in Hp'.
  rewrite !step_repo_phi; simpl; unfold phi_next.
  assert (H0 : 0 <= ehat_next p 0 (loss i)) by (apply ehat_next_nonneg; [assumption|lra|lra]).
  assert (H1 : ehat_next p 0 (loss i) < ehat_next p 1 (loss i)).
  { unfold ehat_next. lra. }
  pose proof (g_lt _ _ H0 H1). nra.
Qed.

(* φ: with α < 1 different φ give different next φ. *)
Theorem T11_phi_matters (p : params) (e : R) (m : mode) (s : option Z) (i : input) :
  admissible p -> alpha p < 1 ->
  phi (step_report p (mkState e 0 m s) i) <> phi (step_report p (mkState e (1 / 2) m s) i).
Proof.
  intros Hp Ha; rewrite !step_report_phi; simpl; unfold phi_next; intros E.
  unfold admissible in Hp. nra.
Qed.

(* M: with the defaults, (0, 0) at step 0 with s = 0: Single stays Single, Multi stays Multi
   (the cooldown holds it), so the next record's mode (and learning rate) differ. *)
Theorem T11_mode_matters (i : input) :
  step i = 0%Z ->
  md (step_report defaults_report (mkState 0 0 Single (Some 0%Z)) i) = Single /\
  md (step_report defaults_report (mkState 0 0 Multi (Some 0%Z)) i) = Multi.
Proof.
  intros Hi; split.
  - rewrite step_report_eq_keep; [reflexivity|apply classify_single; simpl; lra].
  - rewrite step_report_eq_blocked; [reflexivity|unfold cooldown_ok; rewrite Hi; reflexivity].
Qed.

(* s: the same (Ê, φ, M) = (·, 0.7, Single) at step 0 with s = −1 stays Single (cooldown), with
   s = −30 switches to Mirror (defaults, N_s = 30). *)
Theorem T11_last_switch_matters (e : R) (i : input) :
  step i = 0%Z ->
  md (step_report defaults_report (mkState e (7 / 10) Single (Some (-1)%Z)) i) = Single /\
  md (step_report defaults_report (mkState e (7 / 10) Single (Some (-30)%Z)) i) = Mirror.
Proof.
  intros Hi; split.
  - rewrite step_report_eq_blocked; [reflexivity|unfold cooldown_ok; rewrite Hi; reflexivity].
  - rewrite (step_report_eq_switch _ _ _ Mirror); [reflexivity| |discriminate|].
    + apply classify_mirror; [simpl; lra|apply defaults_report_admissible].
    + unfold cooldown_ok; rewrite Hi; reflexivity.
Qed.
