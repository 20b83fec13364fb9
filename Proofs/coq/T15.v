(* T15 — stability under varying input, recovery with a bounded post-shock input, a positive
   form of C7, and C1 positivity.  Proofs/T15-stability.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T07 Eventually.
Open Scope R_scope.

(* ------------------------------------------------------------------------- *)
(* One-sided limits of the affine recursion f' = (1 − a)·f + a·h.               *)

Definition eventually_le (f : nat -> R) (c : R) : Prop :=
  forall eps, 0 < eps -> exists N, forall n, (n >= N)%nat -> f n <= c + eps.

Lemma affine_eventually_le (a : R) (f h : nat -> R) (c : R) :
  0 < a <= 1 ->
  (forall n, f (S n) = (1 - a) * f n + a * h n) ->
  eventually_le h c -> eventually_le f c.
Proof.
  intros Ha Hf Hh eps Heps.
  destruct (Hh (eps / 2)) as [N1 HN1]; [lra|].
  assert (Hk : forall k, f (N1 + k)%nat - c <= (1 - a) ^ k * Rabs (f N1 - c) + eps / 2).
  { intros k; induction k as [|k IH].
    - rewrite Nat.add_0_r; simpl. pose proof (Rle_abs (f N1 - c)). lra.
    - rewrite Nat.add_succ_r, Hf.
      assert (h (N1 + k)%nat <= c + eps / 2) by (apply HN1; lia).
      assert (0 <= 1 - a) by lra.
      apply Rmult_le_compat_l with (r := 1 - a) in IH; [|lra].
      simpl. nra. }
  destruct (Rle_lt_dec (Rabs (f N1 - c)) 0) as [Hz|Hpos].
  - exists N1; intros n Hn. replace n with (N1 + (n - N1))%nat by lia.
    specialize (Hk (n - N1)%nat). pose proof (Rabs_pos (f N1 - c)).
    assert (Rabs (f N1 - c) = 0) by lra. rewrite H0 in Hk. lra.
  - destruct (pow_lt_1_zero (1 - a) ltac:(rewrite Rabs_right by lra; lra)
                (eps / 2 / Rabs (f N1 - c)) ltac:(apply Rdiv_lt_0_compat; lra)) as [N2 HN2].
    exists (N1 + N2)%nat; intros n Hn.
    replace n with (N1 + (n - N1))%nat by lia.
    specialize (Hk (n - N1)%nat). specialize (HN2 (n - N1)%nat ltac:(lia)).
    rewrite Rabs_right in HN2 by (apply Rle_ge, pow_le; lra).
    apply Rmult_lt_compat_r with (r := Rabs (f N1 - c)) in HN2; [|lra].
    unfold Rdiv in HN2; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN2 by lra. lra.
Qed.

Lemma pow_eventually_small (b c : R) : 0 <= b < 1 -> 0 <= c ->
  forall eps, 0 < eps -> exists N, forall n, (n >= N)%nat -> b ^ n * c <= eps.
Proof.
  intros Hb Hc eps Heps.
  destruct (Req_dec c 0) as [->|Hne].
  - exists O; intros; rewrite Rmult_0_r; lra.
  - destruct (pow_lt_1_zero b ltac:(rewrite Rabs_right by lra; lra) (eps / c)
                ltac:(apply Rdiv_lt_0_compat; lra)) as [N HN].
    exists N; intros n Hn; specialize (HN n Hn).
    rewrite Rabs_right in HN by (apply Rle_ge, pow_le; lra).
    apply Rmult_lt_compat_r with (r := c) in HN; [|lra].
    unfold Rdiv in HN; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN by lra. lra.
Qed.

(* Ê_n ≤ s + β^n·max(Ê_0 − s, 0) when every observation is ≤ s. *)
Lemma ehat_upper (p : params) (e0 s : R) (xs : nat -> R) :
  admissible p -> (forall k, xs k <= s) ->
  forall n, ehat_seq p e0 xs n <= s + beta p ^ n * Rmax (e0 - s) 0.
Proof.
  intros Hp Hx n; pose proof Hp as Hp'; unfold admissible in Hp'.
  induction n as [|n IH]; simpl; [pose proof (Rmax_l (e0 - s) 0); lra|].
  unfold ehat_next. specialize (Hx n).
  assert (beta p * (ehat_seq p e0 xs n - (s + beta p ^ n * Rmax (e0 - s) 0)) <= 0)
    by (apply mul_nonpos; lra).
  assert ((1 - beta p) * (xs n - s) <= 0) by (apply mul_nonpos; lra).
  nra.
Qed.

Lemma ehat_lower (p : params) (e0 s : R) (xs : nat -> R) :
  admissible p -> (forall k, s <= xs k) ->
  forall n, s - beta p ^ n * Rmax (s - e0) 0 <= ehat_seq p e0 xs n.
Proof.
  intros Hp Hx n; pose proof Hp as Hp'; unfold admissible in Hp'.
  induction n as [|n IH]; simpl; [pose proof (Rmax_l (s - e0) 0); lra|].
  unfold ehat_next. specialize (Hx n).
  assert (0 <= beta p * (ehat_seq p e0 xs n - (s - beta p ^ n * Rmax (s - e0) 0)))
    by (apply Rmult_le_pos; lra).
  assert (0 <= (1 - beta p) * (xs n - s)) by (apply Rmult_le_pos; lra).
  nra.
Qed.

(* g(y) ≤ g(s) + max(y − s, 0) for y, s ≥ 0. *)
Lemma g_upper (y s : R) : 0 <= y -> 0 <= s -> g y <= g s + Rmax (y - s) 0.
Proof.
  intros Hy Hs. destruct (Rle_lt_dec y s) as [Hle|Hlt].
  - pose proof (g_le y s Hy Hle); pose proof (Rmax_r (y - s) 0); lra.
  - pose proof (g_lipschitz y s Hy Hs) as H. rewrite (Rabs_right (y - s)) in H by lra.
    rewrite Rmax_left by lra. pose proof (Rle_abs (g y - g s)). lra.
Qed.

Lemma g_lower (y s : R) : 0 <= y -> 0 <= s -> g s - Rmax (s - y) 0 <= g y.
Proof.
  intros Hy Hs. destruct (Rle_lt_dec s y) as [Hle|Hlt].
  - pose proof (g_le s y Hs Hle); pose proof (Rmax_r (s - y) 0); lra.
  - pose proof (g_lipschitz s y Hs Hy) as H. rewrite (Rabs_right (s - y)) in H by lra.
    rewrite Rmax_left by lra. pose proof (Rle_abs (g s - g y)). lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* Stability under varying input.                                             *)

(* From a state in Single with φ_0 < θ0 and Ê_0 ≤ s, every input with sup X ≤ s < θ0/(1 − θ0)
   keeps the mode Single for ever (any cooldown, any step numbers). *)
Theorem T15_stability_single_report (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 <= s ->
  (forall k, X p (loss (u k)) (env (u k)) <= s) -> s < theta0 p / (1 - theta0 p) ->
  phi s0 < theta0 p -> md s0 = Single ->
  forall n, phi (run_report p s0 u n) < theta0 p /\ md (run_report p s0 u n) = Single.
Proof.
  intros Hp Hu He HX Hs Hf Hm. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hgs : g s < theta0 p) by (apply g_lt_threshold; lra).
  assert (HE : forall n, 0 <= ehat (run_report p s0 u n) <= s)
    by (intros; apply T01_ehat_bounds_report; tauto).
  assert (Hphi : forall n, phi (run_report p s0 u n) < theta0 p).
  { intros n; induction n as [|n IH]; [exact Hf|].
    rewrite run_report_S, step_report_phi; unfold phi_next.
    pose proof (g_le _ s (proj1 (HE n)) (proj2 (HE n))). nra. }
  intros n; split; [apply Hphi|].
  induction n as [|n IH]; [exact Hm|].
  rewrite run_report_S, step_report_candidate_same; [exact IH|rewrite IH; apply classify_single, Hphi].
Qed.

Theorem T15_stability_single_repo (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 <= s ->
  (forall k, loss (u k) <= s) -> s < theta0 p / (1 - theta0 p) -> phi s0 < theta0 p ->
  forall n, (n >= 1)%nat -> phi (run_repo p s0 u n) < theta0 p /\ md (run_repo p s0 u n) = Single.
Proof.
  intros Hp Hu He HX Hs Hf. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hgs : g s < theta0 p) by (apply g_lt_threshold; lra).
  assert (HE : forall n, 0 <= ehat (run_repo p s0 u n) <= s)
    by (intros; apply T01_ehat_bounds_repo; tauto).
  assert (Hphi : forall n, phi (run_repo p s0 u n) < theta0 p).
  { intros n; induction n as [|n IH]; [exact Hf|].
    pose proof (HE (S n)) as HS. rewrite run_repo_S, step_repo_ehat in HS.
    rewrite run_repo_S, step_repo_phi; unfold phi_next.
    pose proof (g_le _ s (proj1 HS) (proj2 HS)). nra. }
  intros n Hn; destruct n as [|n]; [lia|].
  split; [apply Hphi|rewrite repo_md_run; apply classify_single, Hphi].
Qed.

(* The explicit envelope: φ_n ≤ g(s) + (1 − α)^n·(φ_0 − g(s)) + α·S_n·max(Ê_0 − s, 0). *)
Theorem T15_recovery_envelope_report (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= s ->
  (forall k, X p (loss (u k)) (env (u k)) <= s) ->
  forall n, phi (run_report p s0 u n) <=
            g s + (1 - alpha p) ^ n * (phi s0 - g s) +
            alpha p * Ssum (alpha p) (beta p) n * Rmax (ehat s0 - s) 0.
Proof.
  intros Hp Hu He Hs HX n. pose proof Hp as Hp'; unfold admissible in Hp'.
  induction n as [|n IH]; [simpl; lra|].
  rewrite run_report_S, step_report_phi; unfold phi_next.
  pose proof (ehat_nonneg_report p s0 u n Hp Hu He) as Hn.
  pose proof (g_upper _ s Hn Hs) as Hg.
  pose proof (ehat_upper p (ehat s0) s _ Hp HX n) as Hu'. rewrite <- run_report_ehat in Hu'.
  assert (Rmax (ehat (run_report p s0 u n) - s) 0 <= beta p ^ n * Rmax (ehat s0 - s) 0).
  { apply Rmax_lub; [lra|]. apply Rmult_le_pos; [apply pow_le; lra|apply Rmax_r]. }
  simpl.
  assert (0 <= 1 - alpha p) by lra.
  apply Rmult_le_compat_l with (r := 1 - alpha p) in IH; [|lra].
  nra.
Qed.

Lemma Ssum_converges (a b : R) : 0 < a <= 1 -> 0 <= b < 1 -> Un_cv (Ssum a b) 0.
Proof.
  intros Ha Hb.
  apply (affine_converges a (Ssum a b) (fun n => b ^ n / a) 0 Ha).
  - intros n; simpl; field; lra.
  - intros eps Heps. destruct (pow_eventually_small b (/ a) Hb
                                 ltac:(apply Rlt_le, Rinv_0_lt_compat; lra) (eps / 2)
                                 ltac:(lra)) as [N HN].
    exists N; intros n Hn; unfold R_dist; rewrite Rminus_0_r, Rabs_right.
    + specialize (HN n Hn); unfold Rdiv; lra.
    + apply Rle_ge, div_nonneg; [apply pow_le; lra|lra].
Qed.

(* Recovery with a bounded post-shock input: from ANY state, an input with sup X ≤ s <
   θ0/(1 − θ0) brings the mode back to Single and keeps it there (consecutive step numbers). *)
Theorem T15_recovery_bounded_input_report (p : params) (s0 : state) (u : trace) (t0 : Z) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= s -> consecutive t0 u ->
  (forall k, X p (loss (u k)) (env (u k)) <= s) -> s < theta0 p / (1 - theta0 p) ->
  exists T, forall n, (n >= T)%nat -> phi (run_report p s0 u n) < theta0 p /\
                                      md (run_report p s0 u n) = Single.
Proof.
  intros Hp Hu He Hs Hc HX Hlt. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hgs : g s < theta0 p) by (apply g_lt_threshold; lra).
  set (m := theta0 p - g s).
  destruct (pow_eventually_small (1 - alpha p) (Rabs (phi s0 - g s)) ltac:(lra) (Rabs_pos _)
              (m / 3) ltac:(unfold m; lra)) as [N1 HN1].
  destruct (Ssum_converges (alpha p) (beta p) ltac:(lra) ltac:(lra)
              (m / 3 / (Rmax (ehat s0 - s) 0 + 1))) as [N2 HN2].
  { apply Rdiv_lt_0_compat; [unfold m; lra|pose proof (Rmax_r (ehat s0 - s) 0); lra]. }
  assert (Hphi : forall n, (n >= N1 + N2)%nat -> phi (run_report p s0 u n) < theta0 p).
  { intros n Hn. pose proof (T15_recovery_envelope_report p s0 u s Hp Hu He Hs HX n) as Hb.
    specialize (HN1 n ltac:(lia)). specialize (HN2 n ltac:(lia)).
    unfold R_dist in HN2; rewrite Rminus_0_r in HN2.
    pose proof (Rmax_r (ehat s0 - s) 0) as Hr.
    assert (HS0 : 0 <= Ssum (alpha p) (beta p) n) by (apply S_nonneg; lra).
    rewrite Rabs_right in HN2 by lra.
    assert (Hk : Ssum (alpha p) (beta p) n * Rmax (ehat s0 - s) 0 <= m / 3).
    { apply Rmult_lt_compat_r with (r := Rmax (ehat s0 - s) 0 + 1) in HN2; [|lra].
      unfold Rdiv in HN2; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN2 by lra. nra. }
    assert (Hp1 : (1 - alpha p) ^ n * (phi s0 - g s) <= (1 - alpha p) ^ n * Rabs (phi s0 - g s)).
    { apply Rmult_le_compat_l; [apply pow_le; lra|apply Rle_abs]. }
    assert (alpha p * (Ssum (alpha p) (beta p) n * Rmax (ehat s0 - s) 0) <= m / 3).
    { assert (0 <= Ssum (alpha p) (beta p) n * Rmax (ehat s0 - s) 0) by (apply Rmult_le_pos; lra).
      nra. }
    unfold m in *. rewrite Rmult_assoc in Hb. lra. }
  assert (Hc' : forall n, (n >= N1 + N2)%nat -> classify p (phi (run_report p s0 u n)) = Single)
    by (intros; apply classify_single, Hphi; assumption).
  destruct (report_mode_eventually p s0 u t0 Single (N1 + N2) Hc Hc') as [T [HT HT']].
  exists T; intros n Hn; split; [apply Hphi; lia|apply HT'; exact Hn].
Qed.

(* ------------------------------------------------------------------------- *)
(* C1 positivity.                                                              *)

(* Report: once some X_s > 0, φ_t > 0 for every t ≥ s + 2, provided α < 1 or β > 0. *)
Theorem T15_C1_positive_report (p : params) (s0 : state) (u : trace) (s : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= phi s0 <= 1 ->
  (alpha p < 1 \/ 0 < beta p) -> 0 < X p (loss (u s)) (env (u s)) ->
  forall t, (t >= s + 2)%nat -> 0 < phi (run_report p s0 u t).
Proof.
  intros Hp Hu He Hf Hab HXs. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (HE1 : 0 < ehat (run_report p s0 u (S s))).
  { rewrite run_report_S, step_report_ehat; unfold ehat_next.
    pose proof (ehat_nonneg_report p s0 u s Hp Hu He). nra. }
  assert (Hphi0 : forall n, 0 <= phi (run_report p s0 u n))
    by (intros; apply (T01_phi_range_report p s0 u Hp Hu He Hf)).
  assert (H2 : 0 < phi (run_report p s0 u (s + 2))).
  { replace (s + 2)%nat with (S (S s)) by lia.
    rewrite run_report_S, step_report_phi; unfold phi_next.
    pose proof (g_pos _ HE1). pose proof (Hphi0 (S s)). nra. }
  destruct Hab as [Ha|Hb].
  - intros t Ht. replace t with ((s + 2) + (t - (s + 2)))%nat by lia.
    induction (t - (s + 2))%nat as [|k IH]; [rewrite Nat.add_0_r; exact H2|].
    rewrite Nat.add_succ_r, run_report_S, step_report_phi; unfold phi_next.
    pose proof (g_nonneg _ (ehat_nonneg_report p s0 u (s + 2 + k) Hp Hu He)).
    assert (0 < (1 - alpha p) * phi (run_report p s0 u (s + 2 + k))) by (apply Rmult_lt_0_compat; lra).
    nra.
  - assert (HE : forall k, 0 < ehat (run_report p s0 u (S s + k))).
    { intros k; induction k as [|k IH]; [rewrite Nat.add_0_r; exact HE1|].
      rewrite Nat.add_succ_r, run_report_S, step_report_ehat; unfold ehat_next.
      destruct (Hu (S s + k)%nat).
      pose proof (X_nonneg p _ _ Hp H H0). nra. }
    intros t Ht. replace t with (S (S s + (t - S (S s))))%nat by lia.
    rewrite run_report_S, step_report_phi; unfold phi_next.
    pose proof (g_pos _ (HE (t - S (S s))%nat)). pose proof (Hphi0 (S s + (t - S (S s)))%nat). nra.
Qed.

(* Repo: from the published start (Ê, φ) = (1, 0.5), φ > 0 for ever when α < 1 or β > 0. *)
Theorem T15_C1_positive_repo (p : params) (u : trace) :
  admissible p -> valid_trace u -> (alpha p < 1 \/ 0 < beta p) ->
  forall n, 0 < phi (run_repo p init_repo u n).
Proof.
  intros Hp Hu Hab. pose proof Hp as Hp'; unfold admissible in Hp'.
  destruct Hab as [Ha|Hb].
  - intros n; apply (T01_repo_positive p init_repo u Hp Hu Ha); simpl; lra.
  - assert (HE : forall n, 0 < ehat (run_repo p init_repo u n)).
    { intros n; induction n as [|n IH]; [simpl; lra|].
      rewrite run_repo_S, step_repo_ehat; unfold ehat_next. pose proof (proj1 (Hu n)). nra. }
    assert (Hphi0 : forall n, 0 <= phi (run_repo p init_repo u n))
      by (intros; apply (T01_phi_range_repo p init_repo u Hp Hu); simpl; lra).
    intros n; destruct n as [|n]; [simpl; lra|].
    pose proof (HE (S n)) as HS. rewrite run_repo_S, step_repo_ehat in HS.
    rewrite run_repo_S, step_repo_phi; unfold phi_next.
    pose proof (g_pos _ HS). pose proof (Hphi0 n). nra.
Qed.

Corollary T15_C1_positive_repo_defaults (u : trace) :
  valid_trace u -> forall n, 0 < phi (run_repo defaults_repo init_repo u n) < 1.
Proof.
  intros Hu n; split.
  - apply T15_C1_positive_repo; [apply defaults_repo_admissible|assumption|simpl; lra].
  - destruct n as [|n]; [simpl; lra|].
    apply (T01_phi_range_repo defaults_repo init_repo u defaults_repo_admissible Hu
             ltac:(simpl; lra) ltac:(simpl; lra) (S n)); lia.
Qed.

(* ------------------------------------------------------------------------- *)
(* A positive form of C7: an input that stays in a band whose image under g lies inside one
   mode's region gives finitely many switches (the mode is eventually constant).             *)

Theorem T15_lower_envelope_report (p : params) (s0 : state) (u : trace) (s : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> 0 <= s ->
  (forall k, s <= X p (loss (u k)) (env (u k))) ->
  forall n, g s + (1 - alpha p) ^ n * (phi s0 - g s) -
            alpha p * Ssum (alpha p) (beta p) n * Rmax (s - ehat s0) 0 <= phi (run_report p s0 u n).
Proof.
  intros Hp Hu He Hs HX n. pose proof Hp as Hp'; unfold admissible in Hp'.
  induction n as [|n IH]; [simpl; lra|].
  rewrite run_report_S, step_report_phi; unfold phi_next.
  pose proof (ehat_nonneg_report p s0 u n Hp Hu He) as Hn.
  pose proof (g_lower _ s Hn Hs) as Hg.
  pose proof (ehat_lower p (ehat s0) s _ Hp HX n) as Hl. rewrite <- run_report_ehat in Hl.
  assert (Rmax (s - ehat (run_report p s0 u n)) 0 <= beta p ^ n * Rmax (s - ehat s0) 0).
  { apply Rmax_lub; [lra|]. apply Rmult_le_pos; [apply pow_le; lra|apply Rmax_r]. }
  simpl.
  assert (0 <= 1 - alpha p) by lra.
  apply Rmult_le_compat_l with (r := 1 - alpha p) in IH; [|lra].
  nra.
Qed.

Lemma envelope_tail_small (p : params) (A B : R) :
  admissible p -> 0 <= B ->
  forall eps, 0 < eps -> exists N, forall n, (n >= N)%nat ->
    (1 - alpha p) ^ n * Rabs A + alpha p * Ssum (alpha p) (beta p) n * B <= eps.
Proof.
  intros Hp HB eps Heps. pose proof Hp as Hp'; unfold admissible in Hp'.
  destruct (pow_eventually_small (1 - alpha p) (Rabs A) ltac:(lra) (Rabs_pos _) (eps / 2)
              ltac:(lra)) as [N1 HN1].
  destruct (Ssum_converges (alpha p) (beta p) ltac:(lra) ltac:(lra) (eps / 2 / (B + 1)))
    as [N2 HN2]; [apply Rdiv_lt_0_compat; lra|].
  exists (N1 + N2)%nat; intros n Hn.
  specialize (HN1 n ltac:(lia)). specialize (HN2 n ltac:(lia)).
  unfold R_dist in HN2; rewrite Rminus_0_r in HN2.
  assert (HS0 : 0 <= Ssum (alpha p) (beta p) n) by (apply S_nonneg; lra).
  rewrite Rabs_right in HN2 by lra.
  assert (Hk : Ssum (alpha p) (beta p) n * B <= eps / 2).
  { apply Rmult_lt_compat_r with (r := B + 1) in HN2; [|lra].
    unfold Rdiv in HN2; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in HN2 by lra. nra. }
  assert (0 <= Ssum (alpha p) (beta p) n * B) by (apply Rmult_le_pos; lra).
  rewrite Rmult_assoc. nra.
Qed.

(* The band form: every X_t in [xl, xh] and [g(xl), g(xh)] strictly inside one mode's region
   (below θ0, between θ0 and θ1, or above θ1): the mode is eventually constant, so the number
   of switches is finite (report with consecutive step numbers, any cooldown). *)
Theorem T15_C7_band_report (p : params) (s0 : state) (u : trace) (t0 : Z) (xl xh : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> consecutive t0 u -> 0 <= xl ->
  (forall k, xl <= X p (loss (u k)) (env (u k)) <= xh) ->
  (g xh < theta0 p \/ (theta0 p < g xl /\ g xh < theta1 p) \/ theta1 p < g xl) ->
  exists c T, forall n, (n >= T)%nat -> md (run_report p s0 u n) = c.
Proof.
  intros Hp Hu He Hc Hxl HX Hband. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hxh : xl <= xh) by (destruct (HX O); lra).
  (* a margin m > 0 and the class c of the band *)
  set (c := classify p (g xh)).
  set (m := Rmin (Rmin (Rabs (g xh - theta0 p)) (Rabs (g xh - theta1 p)))
                 (Rmin (Rabs (g xl - theta0 p)) (Rabs (g xl - theta1 p)))).
  assert (Hgl : g xl <= g xh) by (apply g_le; lra).
  assert (Hm : 0 < m).
  { unfold m; repeat apply Rmin_glb_lt; apply Rabs_pos_lt; lra. }
  destruct (envelope_tail_small p (phi s0 - g xh) (Rmax (ehat s0 - xh) 0) Hp (Rmax_r _ _) (m / 2)
              ltac:(lra)) as [N1 HN1].
  destruct (envelope_tail_small p (phi s0 - g xl) (Rmax (xl - ehat s0) 0) Hp (Rmax_r _ _) (m / 2)
              ltac:(lra)) as [N2 HN2].
  assert (Hcand : forall n, (n >= N1 + N2)%nat -> classify p (phi (run_report p s0 u n)) = c).
  { intros n Hn.
    pose proof (T15_recovery_envelope_report p s0 u xh Hp Hu He ltac:(lra)
                  (fun k => proj2 (HX k)) n) as Hup.
    pose proof (T15_lower_envelope_report p s0 u xl Hp Hu He Hxl (fun k => proj1 (HX k)) n) as Hlo.
    specialize (HN1 n ltac:(lia)). specialize (HN2 n ltac:(lia)).
    assert (A1 : (1 - alpha p) ^ n * (phi s0 - g xh) <= (1 - alpha p) ^ n * Rabs (phi s0 - g xh))
      by (apply Rmult_le_compat_l; [apply pow_le; lra|apply Rle_abs]).
    assert (A2 : - ((1 - alpha p) ^ n * Rabs (phi s0 - g xl)) <= (1 - alpha p) ^ n * (phi s0 - g xl)).
    { pose proof (Rle_abs (- (phi s0 - g xl))) as Hab. rewrite Rabs_Ropp in Hab.
      assert (0 <= (1 - alpha p) ^ n) by (apply pow_le; lra).
      assert ((1 - alpha p) ^ n * (- (phi s0 - g xl)) <= (1 - alpha p) ^ n * Rabs (phi s0 - g xl))
        by (apply Rmult_le_compat_l; lra).
      lra. }
    set (f := phi (run_report p s0 u n)) in *.
    assert (Hf : g xl - m / 2 <= f <= g xh + m / 2) by lra.
    assert (Hm1 : m <= Rabs (g xh - theta0 p)) by (unfold m; eapply Rle_trans; [apply Rmin_l|apply Rmin_l]).
    assert (Hm2 : m <= Rabs (g xh - theta1 p)) by (unfold m; eapply Rle_trans; [apply Rmin_l|apply Rmin_r]).
    assert (Hm3 : m <= Rabs (g xl - theta0 p)) by (unfold m; eapply Rle_trans; [apply Rmin_r|apply Rmin_l]).
    assert (Hm4 : m <= Rabs (g xl - theta1 p)) by (unfold m; eapply Rle_trans; [apply Rmin_r|apply Rmin_r]).
    unfold c. destruct Hband as [B|[B|B]].
    - rewrite (Rabs_left (g xh - theta0 p)) in Hm1 by lra.
      rewrite (classify_single p f), (classify_single p (g xh)); [reflexivity|lra|lra].
    - rewrite (Rabs_right (g xl - theta0 p)) in Hm3 by lra.
      rewrite (Rabs_left (g xh - theta1 p)) in Hm2 by lra.
      rewrite (classify_multi p f), (classify_multi p (g xh)); [reflexivity|lra|lra].
    - rewrite (Rabs_right (g xl - theta1 p)) in Hm4 by lra.
      rewrite (classify_mirror p f), (classify_mirror p (g xh)); [reflexivity|lra|assumption|lra|assumption]. }
  destruct (report_mode_eventually p s0 u t0 c (N1 + N2) Hc Hcand) as [T [_ HT]].
  exists c, T; exact HT.
Qed.

(* The δ form, κ(δ) = δ: an input within δ of a level x̄ (δ ≤ x̄) whose fixed point g(x̄) is
   farther than δ from both thresholds has finitely many switches. *)
Theorem T15_C7_bounded_switches_report (p : params) (s0 : state) (u : trace) (t0 : Z) (xbar delta : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 -> consecutive t0 u -> 0 <= delta <= xbar ->
  (forall k, Rabs (X p (loss (u k)) (env (u k)) - xbar) <= delta) ->
  delta < Rabs (g xbar - theta0 p) -> delta < Rabs (g xbar - theta1 p) ->
  exists c T, forall n, (n >= T)%nat -> md (run_report p s0 u n) = c.
Proof.
  intros Hp Hu He Hc Hd HX H0 H1. pose proof Hp as Hp'; unfold admissible in Hp'.
  apply (T15_C7_band_report p s0 u t0 (xbar - delta) (xbar + delta)); try assumption; [lra| |].
  - intros k; specialize (HX k); revert HX; unfold Rabs; destruct Rcase_abs; intros; lra.
  - pose proof (g_lipschitz (xbar + delta) xbar ltac:(lra) ltac:(lra)) as Lh.
    pose proof (g_lipschitz xbar (xbar - delta) ltac:(lra) ltac:(lra)) as Ll.
    pose proof (g_le xbar (xbar + delta) ltac:(lra) ltac:(lra)).
    pose proof (g_le (xbar - delta) xbar ltac:(lra) ltac:(lra)).
    replace (xbar + delta - xbar) with delta in Lh by ring.
    replace (xbar - (xbar - delta)) with delta in Ll by ring.
    rewrite (Rabs_right delta) in Lh, Ll by lra.
    rewrite Rabs_right in Lh by lra. rewrite Rabs_right in Ll by lra.
    revert H0 H1; unfold Rabs; repeat destruct Rcase_abs; intros; lra.
Qed.
