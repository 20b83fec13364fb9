(* T03 — unique fixed point, exact Ê, global exponential stability (claim C3).
   Proofs/T03-fixed-point.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 Eventually.
Open Scope R_scope.

(* ------------------------------------------------------------------------- *)
(* Part 1: the fixed point, closed form and uniqueness.                        *)

Theorem T03_fixed_point_report (p : params) (x : R) :
  ehat_next p x x = x /\ phi_next p (g x) x = g x.
Proof. unfold ehat_next, phi_next; split; ring. Qed.

Theorem T03_fixed_point_report_unique (p : params) (x e f : R) :
  admissible p -> ehat_next p e x = e -> phi_next p f e = f -> e = x /\ f = g x.
Proof.
  intros Hp He Hf; unfold admissible in Hp; unfold ehat_next, phi_next in *.
  assert (e = x) by (apply Rmult_eq_reg_l with (1 - beta p); nra).
  subst e; split; [reflexivity|].
  apply Rmult_eq_reg_l with (alpha p); nra.
Qed.

Theorem T03_fixed_point_repo (p : params) (l : R) :
  ehat_next p l l = l /\ phi_next p (g l) (ehat_next p l l) = g l.
Proof.
  assert (E : ehat_next p l l = l) by (unfold ehat_next; ring).
  rewrite E; unfold phi_next; split; [reflexivity|ring].
Qed.

Theorem T03_fixed_point_repo_unique (p : params) (l e f : R) :
  admissible p -> ehat_next p e l = e -> phi_next p f (ehat_next p e l) = f -> e = l /\ f = g l.
Proof.
  intros Hp He Hf; rewrite He in Hf.
  apply (T03_fixed_point_report_unique p l e f Hp He Hf).
Qed.

(* The stationary state of the report is a fixed point of the whole step, mode included, when
   its mode is the mode of φ* (the cooldown never matters then). *)
Theorem T03_fixed_point_state_report (p : params) (i : input) (s : option Z) :
  let x := X p (loss i) (env i) in
  step_report p (mkState x (g x) (classify p (g x)) s) i = mkState x (g x) (classify p (g x)) s.
Proof.
  intros x; unfold step_report; simpl.
  destruct (mode_eq_dec _ _) as [_|NE]; [|contradiction].
  fold x; rewrite (proj1 (T03_fixed_point_report p x)), (proj2 (T03_fixed_point_report p x)).
  reflexivity.
Qed.

(* ------------------------------------------------------------------------- *)
(* Part 2: exact Ê for a constant observation.                                *)

Theorem T03_exact_ehat (p : params) (e0 x : R) (xs : nat -> R) :
  (forall k, xs k = x) -> forall n, ehat_seq p e0 xs n = x + beta p ^ n * (e0 - x).
Proof.
  intros Hx n; induction n as [|n IH]; simpl; [ring|].
  rewrite IH, Hx; unfold ehat_next; ring.
Qed.

Corollary T03_exact_ehat_report (p : params) (s0 : state) (u : trace) (x : R) :
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  forall n, ehat (run_report p s0 u n) = x + beta p ^ n * (ehat s0 - x).
Proof. intros Hx n; rewrite run_report_ehat; apply T03_exact_ehat; assumption. Qed.

Corollary T03_exact_ehat_repo (p : params) (s0 : state) (u : trace) (l : R) :
  (forall k, loss (u k) = l) ->
  forall n, ehat (run_repo p s0 u n) = l + beta p ^ n * (ehat s0 - l).
Proof. intros Hx n; rewrite run_repo_ehat; apply T03_exact_ehat; assumption. Qed.

(* ------------------------------------------------------------------------- *)
(* Part 3: the error bound.  S_0 = 0, S_{t+1} = (1 − α)·S_t + β^t, i.e.
   S_t = Ssum α β t = Σ_{j<t} (1 − α)^{t−1−j} β^j.                                           *)

Fixpoint Ssum (a b : R) (n : nat) : R :=
  match n with O => 0 | S k => (1 - a) * Ssum a b k + b ^ k end.

Lemma S_nonneg (a b : R) (n : nat) : 0 <= a <= 1 -> 0 <= b -> 0 <= Ssum a b n.
Proof.
  intros Ha Hb; induction n as [|n IH]; simpl; [lra|].
  pose proof (pow_le b n Hb); nra.
Qed.

Theorem T03_S_closed_form (a b : R) (n : nat) :
  b <> 1 - a -> Ssum a b n = (b ^ n - (1 - a) ^ n) / (b - (1 - a)).
Proof.
  intros Hne; induction n as [|n IH]; simpl; [field; lra|].
  rewrite IH; field; lra.
Qed.

Theorem T03_S_closed_form_equal (a b : R) (n : nat) :
  b = 1 - a -> Ssum a b (Datatypes.S n) = INR (Datatypes.S n) * b ^ n.
Proof.
  intros ->; induction n as [|n IH]; [simpl; ring|].
  change (Ssum a (1 - a) (Datatypes.S (Datatypes.S n)))
    with ((1 - a) * Ssum a (1 - a) (Datatypes.S n) + (1 - a) ^ Datatypes.S n).
  rewrite IH, !S_INR; simpl; ring.
Qed.

(* Generic: f_{n+1} = (1 − α) f_n + α h_n with |h_n − h*| ≤ c·β^n. *)
Lemma affine_error_bound (a b c hs : R) (f h : nat -> R) :
  0 < a <= 1 -> 0 <= b -> 0 <= c ->
  (forall n, f (Datatypes.S n) = (1 - a) * f n + a * h n) ->
  (forall n, Rabs (h n - hs) <= c * b ^ n) ->
  forall n, Rabs (f n - hs) <= (1 - a) ^ n * Rabs (f O - hs) + a * Ssum a b n * c.
Proof.
  intros Ha Hb Hc Hf Hh n; induction n as [|n IH]; [simpl; lra|].
  rewrite Hf.
  replace ((1 - a) * f n + a * h n - hs) with ((1 - a) * (f n - hs) + a * (h n - hs)) by ring.
  eapply Rle_trans; [apply Rabs_triang|].
  rewrite !Rabs_mult, (Rabs_right (1 - a)), (Rabs_right a) by lra.
  specialize (Hh n). simpl.
  assert (0 <= 1 - a) by lra.
  apply Rmult_le_compat_l with (r := 1 - a) in IH; [|lra].
  apply Rmult_le_compat_l with (r := a) in Hh; [|lra].
  nra.
Qed.

(* |φ_t − φ*| ≤ (1 − α)^t |φ_0 − φ*| + α·S_t·|Ê_0 − X|   (report, constant input). *)
Theorem T03_error_bound_report (p : params) (s0 : state) (u : trace) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  forall n, Rabs (phi (run_report p s0 u n) - g x) <=
            (1 - alpha p) ^ n * Rabs (phi s0 - g x) +
            alpha p * Ssum (alpha p) (beta p) n * Rabs (ehat s0 - x).
Proof.
  intros Hp Hu He Hx n.
  assert (Hx0 : 0 <= x) by (rewrite <- (Hx O); destruct (Hu O); apply X_nonneg; assumption).
  pose proof Hp as Hp'; unfold admissible in Hp'.
  apply (affine_error_bound (alpha p) (beta p) (Rabs (ehat s0 - x)) (g x)
           (fun n => phi (run_report p s0 u n)) (fun n => g (ehat (run_report p s0 u n))));
    [lra|lra|apply Rabs_pos| |].
  - intros k; rewrite run_report_S, step_report_phi; reflexivity.
  - intros k. eapply Rle_trans; [apply g_lipschitz; [apply ehat_nonneg_report|]; assumption|].
    rewrite (T03_exact_ehat_report p s0 u x Hx k).
    replace (x + beta p ^ k * (ehat s0 - x) - x) with (beta p ^ k * (ehat s0 - x)) by ring.
    rewrite Rabs_mult, Rabs_right by (apply Rle_ge, pow_le; lra). lra.
Qed.

(* Repo: the same with β·S_t (φ reads the new Ê). *)
Theorem T03_error_bound_repo (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  forall n, Rabs (phi (run_repo p s0 u n) - g l) <=
            (1 - alpha p) ^ n * Rabs (phi s0 - g l) +
            alpha p * Ssum (alpha p) (beta p) n * (beta p * Rabs (ehat s0 - l)).
Proof.
  intros Hp Hu He Hl n.
  assert (Hl0 : 0 <= l) by (rewrite <- (Hl O); apply (Hu O)).
  pose proof Hp as Hp'; unfold admissible in Hp'.
  apply (affine_error_bound (alpha p) (beta p) (beta p * Rabs (ehat s0 - l)) (g l)
           (fun n => phi (run_repo p s0 u n)) (fun n => g (ehat (run_repo p s0 u (Datatypes.S n)))));
    [lra|lra|apply Rmult_le_pos; [lra|apply Rabs_pos]| |].
  - intros k; rewrite run_repo_S, step_repo_phi, <- step_repo_ehat, <- run_repo_S. reflexivity.
  - intros k. eapply Rle_trans; [apply g_lipschitz; [apply ehat_nonneg_repo|]; assumption|].
    rewrite (T03_exact_ehat_repo p s0 u l Hl (Datatypes.S k)).
    replace (l + beta p ^ Datatypes.S k * (ehat s0 - l) - l)
      with (beta p ^ Datatypes.S k * (ehat s0 - l)) by ring.
    rewrite Rabs_mult, Rabs_right by (apply Rle_ge, pow_le; lra). simpl; lra.
Qed.

(* The rate: S_t ≤ t·ρ^{t−1} with ρ = max(β, 1 − α). *)
Theorem T03_S_rate (a b : R) (n : nat) :
  0 < a <= 1 -> 0 <= b ->
  Ssum a b (Datatypes.S n) <= INR (Datatypes.S n) * Rmax b (1 - a) ^ n.
Proof.
  intros Ha Hb. set (r := Rmax b (1 - a)).
  assert (Hbr : b <= r) by apply Rmax_l. assert (Har : 1 - a <= r) by apply Rmax_r.
  assert (Hr : 0 <= r) by lra.
  induction n as [|n IH]; [simpl; lra|].
  change (Ssum a b (Datatypes.S (Datatypes.S n))) with ((1 - a) * Ssum a b (Datatypes.S n) + b ^ Datatypes.S n).
  rewrite S_INR.
  assert (b ^ Datatypes.S n <= r ^ Datatypes.S n) by (apply pow_incr; lra).
  assert (0 <= Ssum a b (Datatypes.S n)) by (apply S_nonneg; lra).
  assert ((1 - a) * Ssum a b (Datatypes.S n) <= r * (INR (Datatypes.S n) * r ^ n)).
  { apply Rmult_le_compat; lra. }
  simpl in *; nra.
Qed.

(* ------------------------------------------------------------------------- *)
(* Convergence: φ_t → φ* (both variants, any constant input, any initial state).
   Proved through a general lemma: an affine recursion driven by a convergent sequence. *)

Lemma affine_converges (a : R) (f h : nat -> R) (hs : R) :
  0 < a <= 1 ->
  (forall n, f (Datatypes.S n) = (1 - a) * f n + a * h n) ->
  Un_cv h hs -> Un_cv f hs.
Proof.
  intros Ha Hf Hh eps Heps.
  destruct (Hh (eps / 2)) as [N1 HN1]; [lra|].
  (* after N1, |f_{N1+k} − hs| ≤ (1 − a)^k |f_{N1} − hs| + eps/2 *)
  assert (Hk : forall k, Rabs (f (N1 + k)%nat - hs) <= (1 - a) ^ k * Rabs (f N1 - hs) + eps / 2).
  { intros k; induction k as [|k IH]; [rewrite Nat.add_0_r; simpl; lra|].
    rewrite Nat.add_succ_r, Hf.
    replace ((1 - a) * f (N1 + k)%nat + a * h (N1 + k)%nat - hs)
      with ((1 - a) * (f (N1 + k)%nat - hs) + a * (h (N1 + k)%nat - hs)) by ring.
    eapply Rle_trans; [apply Rabs_triang|].
    rewrite !Rabs_mult, (Rabs_right (1 - a)), (Rabs_right a) by lra.
    assert (Rabs (h (N1 + k)%nat - hs) < eps / 2) by (apply HN1; lia).
    assert (0 <= 1 - a) by lra.
    apply Rmult_le_compat_l with (r := 1 - a) in IH; [|lra].
    simpl. nra. }
  destruct (Rle_lt_dec (Rabs (f N1 - hs)) 0) as [Hz|Hpos].
  - exists N1; intros n Hn. replace n with (N1 + (n - N1))%nat by lia.
    unfold R_dist. specialize (Hk (n - N1)%nat).
    assert (Rabs (f N1 - hs) = 0) by (pose proof (Rabs_pos (f N1 - hs)); lra).
    rewrite H in Hk. lra.
  - destruct (pow_lt_1_zero (1 - a) ltac:(rewrite Rabs_right by lra; lra)
                (eps / 2 / Rabs (f N1 - hs)) ltac:(apply Rdiv_lt_0_compat; lra)) as [N2 HN2].
    exists (N1 + N2)%nat; intros n Hn. unfold R_dist.
    replace n with (N1 + (n - N1))%nat by lia.
    specialize (Hk (n - N1)%nat). specialize (HN2 (n - N1)%nat ltac:(lia)).
    rewrite Rabs_right in HN2 by (apply Rle_ge, pow_le; lra).
    apply Rmult_lt_compat_r with (r := Rabs (f N1 - hs)) in HN2; [|lra].
    unfold Rdiv in HN2; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN2 by lra. lra.
Qed.

Lemma ehat_converges (p : params) (e0 x : R) (xs : nat -> R) :
  admissible p -> (forall k, xs k = x) -> Un_cv (ehat_seq p e0 xs) x.
Proof.
  intros Hp Hx eps Heps. unfold admissible in Hp.
  destruct (Req_dec e0 x) as [Eq|Ne].
  - exists O; intros n _; unfold R_dist; rewrite (T03_exact_ehat p e0 x xs Hx n), Eq; replace (x + beta p ^ n * (x - x) - x) with 0 by ring.
    rewrite Rabs_R0; lra.
  - assert (0 < Rabs (e0 - x)) by (apply Rabs_pos_lt; lra).
    destruct (pow_lt_1_zero (beta p) ltac:(rewrite Rabs_right by lra; lra)
                (eps / Rabs (e0 - x)) ltac:(apply Rdiv_lt_0_compat; lra)) as [N HN].
    exists N; intros n Hn; unfold R_dist; rewrite (T03_exact_ehat p e0 x xs Hx n).
    replace (x + beta p ^ n * (e0 - x) - x) with (beta p ^ n * (e0 - x)) by ring.
    rewrite Rabs_mult. specialize (HN n Hn).
    apply Rmult_lt_compat_r with (r := Rabs (e0 - x)) in HN; [|lra].
    unfold Rdiv in HN; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN by lra. lra.
Qed.

Lemma g_converges (e : nat -> R) (x : R) :
  (forall n, 0 <= e n) -> 0 <= x -> Un_cv e x -> Un_cv (fun n => g (e n)) (g x).
Proof.
  intros He Hx Hcv eps Heps; destruct (Hcv eps Heps) as [N HN].
  exists N; intros n Hn; unfold R_dist.
  eapply Rle_lt_trans; [apply g_lipschitz; auto|apply HN, Hn].
Qed.

Theorem T03_converges_report (p : params) (s0 : state) (u : trace) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  Un_cv (fun n => phi (run_report p s0 u n)) (g x).
Proof.
  intros Hp Hu He Hx.
  assert (Hx0 : 0 <= x) by (rewrite <- (Hx O); destruct (Hu O); apply X_nonneg; assumption).
  pose proof Hp as Hp'; unfold admissible in Hp'.
  apply (affine_converges (alpha p) _ (fun n => g (ehat (run_report p s0 u n)))); [lra| |].
  - intros n; rewrite run_report_S, step_report_phi; reflexivity.
  - apply g_converges; [intros; apply ehat_nonneg_report; assumption|assumption|].
    intros eps Heps.
    destruct (ehat_converges p (ehat s0) x (fun k => X p (loss (u k)) (env (u k))) Hp Hx eps Heps)
      as [N HN].
    exists N; intros n Hn; rewrite run_report_ehat; apply HN, Hn.
Qed.

Theorem T03_converges_repo (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  Un_cv (fun n => phi (run_repo p s0 u n)) (g l).
Proof.
  intros Hp Hu He Hl.
  assert (Hl0 : 0 <= l) by (rewrite <- (Hl O); apply (Hu O)).
  pose proof Hp as Hp'; unfold admissible in Hp'.
  apply (affine_converges (alpha p) _ (fun n => g (ehat (run_repo p s0 u (S n))))); [lra| |].
  - intros n; rewrite run_repo_S, step_repo_phi, <- step_repo_ehat, <- run_repo_S; reflexivity.
  - apply g_converges; [intros; apply ehat_nonneg_repo; assumption|assumption|].
    intros eps Heps.
    destruct (ehat_converges p (ehat s0) l (fun k => loss (u k)) Hp Hl eps Heps) as [N HN].
    exists N; intros n Hn; rewrite run_repo_ehat; apply HN; lia.
Qed.

(* Eventually the candidate is the class of φ* when φ* is on neither threshold. *)
Lemma candidate_eventually (p : params) (f : nat -> R) (fs : R) :
  Un_cv f fs -> fs <> theta0 p -> fs <> theta1 p ->
  exists T, forall n, (n >= T)%nat -> classify p (f n) = classify p fs.
Proof.
  intros Hcv H0 H1.
  set (m := Rmin (Rabs (fs - theta0 p)) (Rabs (fs - theta1 p))).
  assert (Hm : 0 < m).
  { unfold m; apply Rmin_glb_lt; apply Rabs_pos_lt; lra. }
  destruct (Hcv m Hm) as [T HT]; exists T; intros n Hn.
  specialize (HT n Hn); unfold R_dist in HT.
  apply classify_near; eapply Rlt_le_trans; try apply HT; unfold m;
    [apply Rmin_l|apply Rmin_r].
Qed.

(* Part 4: the mode becomes the class of φ* after finitely many steps and stays (report: consecutive steps). *)
Theorem T03_mode_eventually_report (p : params) (s0 : state) (u : trace) (t0 : Z) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> consecutive t0 u ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  g x <> theta0 p -> g x <> theta1 p ->
  exists T, forall n, (n >= T)%nat -> md (run_report p s0 u n) = classify p (g x).
Proof.
  intros Hp Hu He Hc Hx H0 H1.
  destruct (candidate_eventually p _ _ (T03_converges_report p s0 u x Hp Hu He Hx) H0 H1) as [T HT].
  destruct (report_mode_eventually p s0 u t0 (classify p (g x)) T Hc HT) as [T' [_ HT']].
  exists T'; exact HT'.
Qed.

Theorem T03_mode_eventually_repo (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  g l <> theta0 p -> g l <> theta1 p ->
  exists T, forall n, (n >= T)%nat -> md (run_repo p s0 u n) = classify p (g l).
Proof.
  intros Hp Hu He Hl H0 H1.
  destruct (candidate_eventually p _ _ (T03_converges_repo p s0 u l Hp Hu He Hl) H0 H1) as [T HT].
  exists (S T); intros n Hn. destruct n as [|n]; [lia|].
  rewrite repo_md_run; apply HT; lia.
Qed.
