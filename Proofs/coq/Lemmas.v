(* Elementary facts about the squashing map g and the two updates, used by every theorem. *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model.
Open Scope R_scope.

Lemma g_eq (x : R) : 0 <= x -> g x = 1 - / (1 + x).
Proof. intros H; unfold g; field; lra. Qed.

Lemma g_nonneg (x : R) : 0 <= x -> 0 <= g x.
Proof. intros H; unfold g, Rdiv; apply Rmult_le_pos; [lra|apply Rlt_le, Rinv_0_lt_compat; lra]. Qed.

Lemma g_pos (x : R) : 0 < x -> 0 < g x.
Proof. intros H; unfold g, Rdiv; apply Rmult_lt_0_compat; [lra|apply Rinv_0_lt_compat; lra]. Qed.

Lemma g_lt_1 (x : R) : 0 <= x -> g x < 1.
Proof.
  intros H; rewrite g_eq by lra.
  assert (0 < / (1 + x)) by (apply Rinv_0_lt_compat; lra). lra.
Qed.

Lemma g_zero : g 0 = 0.
Proof. unfold g; field. Qed.

(* g is strictly increasing on [0, ∞). *)
Lemma g_lt (x y : R) : 0 <= x -> x < y -> g x < g y.
Proof.
  intros Hx Hxy; rewrite !g_eq by lra.
  assert (/ (1 + y) < / (1 + x)) by (apply Rinv_lt_contravar; nra). lra.
Qed.

Lemma g_le (x y : R) : 0 <= x -> x <= y -> g x <= g y.
Proof.
  intros Hx [Hxy|<-]; [apply Rlt_le, g_lt; lra | lra].
Qed.

Lemma g_lt_inv (x y : R) : 0 <= x -> 0 <= y -> g x < g y -> x < y.
Proof.
  intros Hx Hy H; destruct (Rlt_le_dec x y) as [|Hle]; [assumption|].
  pose proof (g_le y x Hy Hle); lra.
Qed.

Lemma g_le_inv (x y : R) : 0 <= x -> 0 <= y -> g x <= g y -> x <= y.
Proof.
  intros Hx Hy H; destruct (Rle_lt_dec x y) as [|Hlt]; [assumption|].
  pose proof (g_lt y x Hy Hlt); lra.
Qed.

(* g(x) < θ iff x < θ/(1 − θ), for θ ∈ (0, 1). *)
Lemma g_lt_threshold (x th : R) : 0 <= x -> 0 < th < 1 -> (g x < th <-> x < th / (1 - th)).
Proof.
  intros Hx Hth; unfold g. split; intros H.
  - apply Rmult_lt_reg_r with (1 - th); [lra|].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra.
    apply Rmult_lt_compat_r with (r := 1 + x) in H; [|lra].
    unfold Rdiv in H; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. lra.
  - apply Rmult_lt_reg_r with (1 + x); [lra|].
    unfold Rdiv; rewrite Rmult_assoc, Rinv_l, Rmult_1_r by lra.
    apply Rmult_lt_compat_r with (r := 1 - th) in H; [|lra].
    unfold Rdiv in H; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in H by lra. lra.
Qed.

Lemma g_inverse (th : R) : 0 <= th < 1 -> g (th / (1 - th)) = th.
Proof. intros H; unfold g; field; split; [|lra].
  replace (1 - th + th) with 1 by ring; lra. Qed.

(* g is 1-Lipschitz on [0, ∞): |g x − g y| ≤ |x − y|. *)
Lemma g_lipschitz (x y : R) : 0 <= x -> 0 <= y -> Rabs (g x - g y) <= Rabs (x - y).
Proof.
  intros Hx Hy.
  assert (E : g x - g y = (x - y) / ((1 + x) * (1 + y))) by (unfold g; field; lra).
  rewrite E; unfold Rdiv; rewrite Rabs_mult, Rabs_inv.
  rewrite (Rabs_right ((1 + x) * (1 + y))) by nra.
  assert (0 < / ((1 + x) * (1 + y)) <= 1).
  { split; [apply Rinv_0_lt_compat; nra|].
    rewrite <- Rinv_1; apply Rinv_le_contravar; nra. }
  pose proof (Rabs_pos (x - y)); nra.
Qed.

Lemma D_range (l : R) : 0 <= l -> 0 <= D l < 1.
Proof. intros; unfold D; split; [apply g_nonneg|apply g_lt_1]; lra. Qed.

Lemma X_nonneg (p : params) (l e : R) :
  admissible p -> 0 <= l -> 0 <= e -> 0 <= X p l e.
Proof.
  intros Hp Hl He; unfold admissible in Hp; unfold X.
  pose proof (D_range l Hl); nra.
Qed.

Lemma X_le (p : params) (l e : R) :
  admissible p -> 0 <= l -> 0 <= e -> X p l e <= alphaE p * e + (1 - alphaE p).
Proof.
  intros Hp Hl He; unfold admissible in Hp; unfold X.
  pose proof (D_range l Hl); nra.
Qed.

(* With E = 0 and α_E < 1: X < 1 − α_E. *)
Lemma X_env0_lt (p : params) (l : R) :
  admissible p -> alphaE p < 1 -> 0 <= l -> X p l 0 < 1 - alphaE p.
Proof.
  intros Hp Ha Hl; unfold admissible in Hp; unfold X.
  pose proof (D_range l Hl); nra.
Qed.

(* Ê' is a convex combination of Ê and x. *)
Lemma ehat_next_le (p : params) (e x s : R) :
  admissible p -> e <= s -> x <= s -> ehat_next p e x <= s.
Proof. intros Hp He Hx; unfold admissible in Hp; unfold ehat_next; nra. Qed.

Lemma ehat_next_ge (p : params) (e x s : R) :
  admissible p -> s <= e -> s <= x -> s <= ehat_next p e x.
Proof. intros Hp He Hx; unfold admissible in Hp; unfold ehat_next; nra. Qed.

Lemma ehat_next_lt (p : params) (e x s : R) :
  admissible p -> e <= s -> x < s -> ehat_next p e x < s.
Proof. intros Hp He Hx; unfold admissible in Hp; unfold ehat_next; nra. Qed.

Lemma ehat_next_nonneg (p : params) (e x : R) :
  admissible p -> 0 <= e -> 0 <= x -> 0 <= ehat_next p e x.
Proof. intros; apply ehat_next_ge; assumption. Qed.

Lemma ehat_next_mono (p : params) (e e' x x' : R) :
  admissible p -> e <= e' -> x <= x' -> ehat_next p e x <= ehat_next p e' x'.
Proof. intros Hp He Hx; unfold admissible in Hp; unfold ehat_next; nra. Qed.

Lemma phi_next_mono (p : params) (f f' e e' : R) :
  admissible p -> 0 <= e -> f <= f' -> e <= e' -> phi_next p f e <= phi_next p f' e'.
Proof.
  intros Hp He Hf Hee; unfold admissible in Hp; unfold phi_next.
  pose proof (g_le e e' He Hee); nra.
Qed.

Lemma phi_next_range (p : params) (f e : R) :
  admissible p -> 0 <= e -> 0 <= f <= 1 -> 0 <= phi_next p f e < 1.
Proof.
  intros Hp He Hf; unfold admissible in Hp; unfold phi_next.
  pose proof (g_nonneg e He); pose proof (g_lt_1 e He); nra.
Qed.

Lemma classify_single (p : params) (f : R) : f < theta0 p -> classify p f = Single.
Proof. intros H; unfold classify; destruct (Rlt_dec f (theta0 p)); [reflexivity|lra]. Qed.

Lemma classify_multi (p : params) (f : R) :
  theta0 p <= f < theta1 p -> classify p f = Multi.
Proof.
  intros H; unfold classify.
  destruct (Rlt_dec f (theta0 p)); [lra|]. destruct (Rlt_dec f (theta1 p)); [reflexivity|lra].
Qed.

Lemma classify_mirror (p : params) (f : R) : theta1 p <= f -> admissible p -> classify p f = Mirror.
Proof.
  intros H Hp; unfold admissible in Hp; unfold classify.
  destruct (Rlt_dec f (theta0 p)); [lra|]. destruct (Rlt_dec f (theta1 p)); [lra|reflexivity].
Qed.

Lemma classify_mirror_iff (p : params) (f : R) :
  admissible p -> (classify p f = Mirror <-> theta1 p <= f).
Proof.
  intros Hp; split; [|intros; apply classify_mirror; assumption].
  unfold classify; destruct (Rlt_dec f (theta0 p)); [discriminate|].
  destruct (Rlt_dec f (theta1 p)); [discriminate|]. lra.
Qed.

Lemma classify_single_iff (p : params) (f : R) : classify p f = Single <-> f < theta0 p.
Proof.
  split; [|apply classify_single].
  unfold classify; destruct (Rlt_dec f (theta0 p)); [auto|].
  destruct (Rlt_dec f (theta1 p)); discriminate.
Qed.

(* The report's mode after a step is the old mode or the candidate classify(φ_t). *)
Lemma step_report_md (p : params) (st : state) (i : input) :
  md (step_report p st i) = md st \/
  (md (step_report p st i) = classify p (phi st) /\ last (step_report p st i) = Some (step i)).
Proof.
  unfold step_report; destruct (mode_eq_dec _ _) as [E|]; [left; reflexivity|].
  destruct (cooldown_ok _ _ _); [right; split; reflexivity | left; reflexivity].
Qed.

(* A report step that changes the mode happens only once the cooldown has elapsed, and records
   the step; a step that keeps the mode keeps s. *)
Lemma step_report_switch (p : params) (st : state) (i : input) :
  md (step_report p st i) <> md st ->
  md (step_report p st i) = classify p (phi st) /\
  last (step_report p st i) = Some (step i) /\ cooldown_ok p (step i) (last st) = true.
Proof.
  unfold step_report; destruct (mode_eq_dec _ _) as [E|NE]; simpl; [tauto|].
  destruct (cooldown_ok _ _ _) eqn:C; simpl; tauto.
Qed.

Lemma step_report_keep (p : params) (st : state) (i : input) :
  md (step_report p st i) = md st -> last (step_report p st i) = last st.
Proof.
  unfold step_report; destruct (mode_eq_dec _ _) as [E|NE]; simpl; [reflexivity|].
  destruct (cooldown_ok _ _ _); simpl; [intros H; exfalso; apply NE; exact H|reflexivity].
Qed.

Lemma step_report_candidate_same (p : params) (st : state) (i : input) :
  classify p (phi st) = md st -> md (step_report p st i) = md st.
Proof.
  intros H; unfold step_report; destruct (mode_eq_dec _ _) as [E|NE]; [reflexivity|contradiction].
Qed.

Lemma step_report_cooldown_ok (p : params) (st : state) (i : input) :
  cooldown_ok p (step i) (last st) = true -> md (step_report p st i) = classify p (phi st).
Proof.
  intros C; unfold step_report; destruct (mode_eq_dec _ _) as [E|NE]; simpl; [auto|].
  rewrite C; reflexivity.
Qed.

Lemma div_nonneg (a b : R) : 0 <= a -> 0 < b -> 0 <= a / b.
Proof. intros; unfold Rdiv; apply Rmult_le_pos; [lra|apply Rlt_le, Rinv_0_lt_compat; lra]. Qed.

Lemma mul_nonpos (a b : R) : 0 <= a -> b <= 0 -> a * b <= 0.
Proof. intros; nra. Qed.

(* Computing report steps on explicit states. *)
Lemma step_report_eq_keep (p : params) (st : state) (i : input) :
  classify p (phi st) = md st ->
  step_report p st i =
  mkState (ehat_next p (ehat st) (X p (loss i) (env i))) (phi_next p (phi st) (ehat st)) (md st) (last st).
Proof. intros H; unfold step_report; destruct (mode_eq_dec _ _); [reflexivity|contradiction]. Qed.

Lemma step_report_eq_switch (p : params) (st : state) (i : input) (c : mode) :
  classify p (phi st) = c -> c <> md st -> cooldown_ok p (step i) (last st) = true ->
  step_report p st i =
  mkState (ehat_next p (ehat st) (X p (loss i) (env i))) (phi_next p (phi st) (ehat st)) c (Some (step i)).
Proof.
  intros H Hne Hc; unfold step_report; rewrite H; destruct (mode_eq_dec _ _); [contradiction|].
  rewrite Hc; reflexivity.
Qed.

Lemma step_report_eq_blocked (p : params) (st : state) (i : input) :
  cooldown_ok p (step i) (last st) = false ->
  step_report p st i =
  mkState (ehat_next p (ehat st) (X p (loss i) (env i))) (phi_next p (phi st) (ehat st)) (md st) (last st).
Proof.
  intros Hc; unfold step_report; destruct (mode_eq_dec _ _); [reflexivity|]. rewrite Hc; reflexivity.
Qed.
