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

(* ------------------------------------------------------------------------- *)
(* ρ > 0 (every admissible parameter set): the two-sided chord–tangent envelope of
   φ_t − φ*, the bound U(t), its monotonicity from t_m on, and the certified settling time. *)

From UnifiedLoRA Require Import T01 T03.

(* Chord (concavity of g on [0, ∞)): λ·g(a) + (1 − λ)·g(b) ≤ g(λ·a + (1 − λ)·b). *)
Lemma g_chord (lam a b : R) :
  0 <= lam <= 1 -> 0 <= a -> 0 <= b ->
  lam * g a + (1 - lam) * g b <= g (lam * a + (1 - lam) * b).
Proof.
  intros Hl Ha Hb. set (m := lam * a + (1 - lam) * b).
  assert (Hm : 0 <= m) by (unfold m; nra).
  assert (E : g m - (lam * g a + (1 - lam) * g b) =
              lam * (1 - lam) * (a - b) ^ 2 / ((1 + a) * (1 + b) * (1 + m))).
  { unfold g, m; field; repeat split; nra. }
  assert (0 <= lam * (1 - lam) * (a - b) ^ 2 / ((1 + a) * (1 + b) * (1 + m))).
  { unfold Rdiv; apply Rmult_le_pos; [apply Rmult_le_pos; [nra|apply pow2_ge_0]|].
    apply Rlt_le, Rinv_0_lt_compat; apply Rmult_lt_0_compat; [nra|lra]. }
  lra.
Qed.

(* The tangent slope g′(x) = 1/(1 + x)². *)
Definition gslope (x : R) : R := / ((1 + x) * (1 + x)).

(* Tangent: g(y) ≤ g(x) + g′(x)·(y − x). *)
Lemma g_tangent (x y : R) : 0 <= x -> 0 <= y -> g y <= g x + gslope x * (y - x).
Proof.
  intros Hx Hy.
  assert (E : g x + gslope x * (y - x) - g y = (y - x) ^ 2 / ((1 + x) * (1 + x) * (1 + y))).
  { unfold g, gslope; field; split; lra. }
  assert (0 <= (y - x) ^ 2 / ((1 + x) * (1 + x) * (1 + y))).
  { unfold Rdiv; apply Rmult_le_pos; [apply pow2_ge_0|].
    apply Rlt_le, Rinv_0_lt_compat; apply Rmult_lt_0_compat; [nra|lra]. }
  lra.
Qed.

(* Γ (chord) and Θ (tangent) of the envelope, for Ê_0 = e0 and the constant observation x. *)
Definition Gamma (e0 x : R) : R := g e0 - g x.
Definition Theta (e0 x : R) : R := gslope x * (e0 - x).

(* With Ê_j = x + β^j (e0 − x):  β^j·Γ ≤ g(Ê_j) − g(x) ≤ β^j·Θ. *)
Lemma g_ehat_between (b e0 x : R) (j : nat) :
  0 <= b <= 1 -> 0 <= e0 -> 0 <= x ->
  b ^ j * Gamma e0 x <= g (x + b ^ j * (e0 - x)) - g x <= b ^ j * Theta e0 x.
Proof.
  intros Hb He Hx. assert (Hp : 0 <= b ^ j <= 1).
  { split; [apply pow_le; lra|]. rewrite <- (pow1 j). apply pow_incr; lra. }
  split.
  - pose proof (g_chord (b ^ j) e0 x Hp He Hx) as H.
    replace (b ^ j * e0 + (1 - b ^ j) * x) with (x + b ^ j * (e0 - x)) in H by ring.
    unfold Gamma; nra.
  - assert (0 <= x + b ^ j * (e0 - x)) by nra.
    pose proof (g_tangent x _ Hx H) as H'. unfold Theta. nra.
Qed.

(* The generic two-sided envelope of f' = (1 − a)·f + a·h with lo·b^n ≤ h_n − h* ≤ hi·b^n. *)
Lemma affine_envelope (a b lo hi hs : R) (f h : nat -> R) :
  0 < a <= 1 ->
  (forall n, f (S n) = (1 - a) * f n + a * h n) ->
  (forall n, b ^ n * lo <= h n - hs <= b ^ n * hi) ->
  forall n, (1 - a) ^ n * (f O - hs) + a * Ssum a b n * lo <= f n - hs <=
            (1 - a) ^ n * (f O - hs) + a * Ssum a b n * hi.
Proof.
  intros Ha Hf Hh n; induction n as [|n IH]; [simpl; lra|].
  rewrite Hf. specialize (Hh n). simpl.
  assert (0 <= 1 - a) by lra. destruct IH as [IH1 IH2].
  apply Rmult_le_compat_l with (r := 1 - a) in IH1; [|lra].
  apply Rmult_le_compat_l with (r := 1 - a) in IH2; [|lra].
  destruct Hh as [Hh1 Hh2].
  apply Rmult_le_compat_l with (r := a) in Hh1; [|lra].
  apply Rmult_le_compat_l with (r := a) in Hh2; [|lra].
  split; nra.
Qed.

(* Part 1, report: (1 − α)^t u_0 + α S_t Γ ≤ φ_t − φ* ≤ (1 − α)^t u_0 + α S_t Θ. *)
Theorem T05_envelope_report (p : params) (s0 : state) (u : trace) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  forall n,
    (1 - alpha p) ^ n * (phi s0 - g x) + alpha p * Ssum (alpha p) (beta p) n * Gamma (ehat s0) x
      <= phi (run_report p s0 u n) - g x <=
    (1 - alpha p) ^ n * (phi s0 - g x) + alpha p * Ssum (alpha p) (beta p) n * Theta (ehat s0) x.
Proof.
  intros Hp Hu He Hx n. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hx0 : 0 <= x) by (rewrite <- (Hx O); destruct (Hu O); apply X_nonneg; assumption).
  apply (affine_envelope (alpha p) (beta p) _ _ (g x)
           (fun n => phi (run_report p s0 u n)) (fun n => g (ehat (run_report p s0 u n)))); [lra| |].
  - intros k; rewrite run_report_S, step_report_phi; reflexivity.
  - intros k. rewrite (T03_exact_ehat_report p s0 u x Hx k).
    pose proof (g_ehat_between (beta p) (ehat s0) x k ltac:(lra) He Hx0). lra.
Qed.

(* Part 1, repo: the same with β·Γ and β·Θ (φ reads the new Ê). *)
Theorem T05_envelope_repo (p : params) (s0 : state) (u : trace) (l : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  forall n,
    (1 - alpha p) ^ n * (phi s0 - g l) + alpha p * Ssum (alpha p) (beta p) n * (beta p * Gamma (ehat s0) l)
      <= phi (run_repo p s0 u n) - g l <=
    (1 - alpha p) ^ n * (phi s0 - g l) + alpha p * Ssum (alpha p) (beta p) n * (beta p * Theta (ehat s0) l).
Proof.
  intros Hp Hu He Hl n. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hl0 : 0 <= l) by (rewrite <- (Hl O); apply (Hu O)).
  apply (affine_envelope (alpha p) (beta p) _ _ (g l)
           (fun n => phi (run_repo p s0 u n)) (fun n => g (ehat (run_repo p s0 u (S n))))); [lra| |].
  - intros k; rewrite run_repo_S, step_repo_phi, <- step_repo_ehat, <- run_repo_S; reflexivity.
  - intros k. rewrite (T03_exact_ehat_repo p s0 u l Hl (S k)).
    pose proof (g_ehat_between (beta p) (ehat s0) l (S k) ltac:(lra) He Hl0) as H.
    simpl in H |- *. lra.
Qed.

(* ρ = max(β, 1 − α), and the bound U(t) for t = m + 1 ≥ 1:
   U(m + 1) = ρ^(m+1)·A + α·K·(m + 1)·ρ^m   (A = |u_0|, K = max(|Γ|, |Θ|)). *)
Definition rho (p : params) : R := Rmax (beta p) (1 - alpha p).

Definition Ubound (p : params) (A K : R) (m : nat) : R :=
  rho p ^ S m * A + alpha p * K * (INR (S m) * rho p ^ m).

(* |u_t| ≤ W(t) ≤ U(t) for every t ≥ 1, from a two-sided envelope with constants lo, hi. *)
Lemma envelope_abs_U (p : params) (f0 v lo hi : R) (m : nat) :
  admissible p ->
  (1 - alpha p) ^ S m * f0 + alpha p * Ssum (alpha p) (beta p) (S m) * lo <= v <=
  (1 - alpha p) ^ S m * f0 + alpha p * Ssum (alpha p) (beta p) (S m) * hi ->
  Rabs v <= Ubound p (Rabs f0) (Rmax (Rabs lo) (Rabs hi)) m.
Proof.
  intros Hp [H1 H2]. pose proof Hp as Hp'; unfold admissible in Hp'. unfold Ubound.
  set (S1 := Ssum (alpha p) (beta p) (S m)). set (K := Rmax (Rabs lo) (Rabs hi)).
  assert (HS0 : 0 <= S1) by (apply S_nonneg; lra).
  assert (HSr : S1 <= INR (S m) * rho p ^ m) by (apply T03_S_rate; lra).
  assert (Hq : 0 <= (1 - alpha p) ^ S m <= rho p ^ S m).
  { split; [apply pow_le; lra|apply pow_incr; split; [lra|apply Rmax_r]]. }
  assert (HK1 : Rabs lo <= K) by apply Rmax_l. assert (HK2 : Rabs hi <= K) by apply Rmax_r.
  pose proof (Rabs_pos f0). pose proof (Rabs_pos lo). pose proof (Rabs_pos hi).
  assert (Hf : Rabs ((1 - alpha p) ^ S m * f0) <= rho p ^ S m * Rabs f0).
  { rewrite Rabs_mult, Rabs_right by lra. apply Rmult_le_compat_r; lra. }
  assert (Hlo : Rabs (alpha p * S1 * lo) <= alpha p * K * (INR (S m) * rho p ^ m)).
  { rewrite !Rabs_mult, (Rabs_right (alpha p)), (Rabs_right S1) by lra.
    replace (alpha p * K * (INR (S m) * rho p ^ m)) with (alpha p * ((INR (S m) * rho p ^ m) * K)) by ring.
    rewrite Rmult_assoc. apply Rmult_le_compat_l; [lra|]. apply Rmult_le_compat; lra. }
  assert (Hhi : Rabs (alpha p * S1 * hi) <= alpha p * K * (INR (S m) * rho p ^ m)).
  { rewrite !Rabs_mult, (Rabs_right (alpha p)), (Rabs_right S1) by lra.
    replace (alpha p * K * (INR (S m) * rho p ^ m)) with (alpha p * ((INR (S m) * rho p ^ m) * K)) by ring.
    rewrite Rmult_assoc. apply Rmult_le_compat_l; [lra|]. apply Rmult_le_compat; lra. }
  pose proof (Rle_abs ((1 - alpha p) ^ S m * f0)) as A1.
  pose proof (Rle_abs (-((1 - alpha p) ^ S m * f0))) as A2.
  pose proof (Rle_abs (alpha p * S1 * lo)) as A3.
  pose proof (Rle_abs (-(alpha p * S1 * lo))) as A4.
  pose proof (Rle_abs (alpha p * S1 * hi)) as A5.
  pose proof (Rle_abs (-(alpha p * S1 * hi))) as A6.
  rewrite Rabs_Ropp in A2, A4, A6.
  unfold S1 in *. apply Rabs_le; split; lra.
Qed.

Lemma rho_range (p : params) : admissible p -> 0 <= rho p < 1 /\ beta p <= rho p /\ 1 - alpha p <= rho p.
Proof.
  intros Hp; unfold admissible in Hp; unfold rho.
  pose proof (Rmax_l (beta p) (1 - alpha p)); pose proof (Rmax_r (beta p) (1 - alpha p)).
  split; [split; [lra|apply Rmax_lub_lt; lra]|lra].
Qed.

(* Part 2 (Lemma 3): U(t + 1) ≤ U(t) when (t + 1)·ρ ≤ t, t ≥ 1 (here t = m + 1). *)
Theorem T05_U_step (p : params) (A K : R) (m : nat) :
  admissible p -> 0 <= A -> 0 <= K ->
  (INR (S m) + 1) * rho p <= INR (S m) -> Ubound p A K (S m) <= Ubound p A K m.
Proof.
  intros Hp HA HK Hm. destruct (rho_range p Hp) as [[Hr0 Hr1] _].
  pose proof Hp as Hp'; unfold admissible in Hp'. unfold Ubound.
  rewrite (S_INR (S m)).
  assert (Hpm : 0 <= rho p ^ m) by (apply pow_le; lra).
  change (rho p ^ S (S m)) with (rho p * (rho p * rho p ^ m)).
  change (rho p ^ S m) with (rho p * rho p ^ m).
  assert (0 <= rho p ^ m * A * rho p * (1 - rho p)) by
    (apply Rmult_le_pos; [apply Rmult_le_pos; [apply Rmult_le_pos|]|]; lra).
  assert (0 <= alpha p * K * rho p ^ m * (INR (S m) - (INR (S m) + 1) * rho p)) by
    (apply Rmult_le_pos; [apply Rmult_le_pos; [apply Rmult_le_pos|]|]; lra).
  nra.
Qed.

(* U is non-increasing from every t = M + 1 with (M + 2)·ρ ≤ M + 1 on (t ≥ t_m). *)
Theorem T05_U_nonincreasing (p : params) (A K : R) (M : nat) :
  admissible p -> 0 <= A -> 0 <= K ->
  (INR (S M) + 1) * rho p <= INR (S M) ->
  forall m, (m >= M)%nat -> Ubound p A K m <= Ubound p A K M.
Proof.
  intros Hp HA HK HM m Hm. destruct (rho_range p Hp) as [[Hr0 Hr1] _].
  induction Hm as [|m Hm IH]; [lra|].
  eapply Rle_trans; [|exact IH]. apply T05_U_step; try assumption.
  assert (INR M <= INR m) by (apply le_INR; exact Hm).
  rewrite !S_INR in *. nra.
Qed.

(* Part 3, report: the certified settling time.  If T = M + 1 ≥ t_m ((M + 2)·ρ ≤ M + 1) and
   U(T) ≤ b, the band b is never left from T on: |φ_t − φ*| ≤ b for every t ≥ T.  (For any
   admissible parameters, ρ = 0 included; K = max(|Γ|, |Θ|).) *)
Theorem T05_certified_settling_report (p : params) (s0 : state) (u : trace) (x b : R) (M : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  (INR (S M) + 1) * rho p <= INR (S M) ->
  Ubound p (Rabs (phi s0 - g x)) (Rmax (Rabs (Gamma (ehat s0) x)) (Rabs (Theta (ehat s0) x))) M <= b ->
  forall t, (t >= S M)%nat -> Rabs (phi (run_report p s0 u t) - g x) <= b.
Proof.
  intros Hp Hu He Hx HM Hb t Ht. destruct t as [|m]; [lia|].
  eapply Rle_trans; [apply envelope_abs_U; [exact Hp|]; apply (T05_envelope_report p s0 u x Hp Hu He Hx)|].
  eapply Rle_trans; [apply T05_U_nonincreasing; [exact Hp|apply Rabs_pos|apply Rmax_Rle; left; apply Rabs_pos|exact HM|lia]|].
  exact Hb.
Qed.

Theorem T05_certified_settling_repo (p : params) (s0 : state) (u : trace) (l b : R) (M : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  (INR (S M) + 1) * rho p <= INR (S M) ->
  Ubound p (Rabs (phi s0 - g l))
    (Rmax (Rabs (beta p * Gamma (ehat s0) l)) (Rabs (beta p * Theta (ehat s0) l))) M <= b ->
  forall t, (t >= S M)%nat -> Rabs (phi (run_repo p s0 u t) - g l) <= b.
Proof.
  intros Hp Hu He Hl HM Hb t Ht. destruct t as [|m]; [lia|].
  eapply Rle_trans; [apply envelope_abs_U; [exact Hp|]; apply (T05_envelope_repo p s0 u l Hp Hu He Hl)|].
  eapply Rle_trans; [apply T05_U_nonincreasing; [exact Hp|apply Rabs_pos|apply Rmax_Rle; left; apply Rabs_pos|exact HM|lia]|].
  exact Hb.
Qed.

(* t_m exists for every admissible parameter set: some M has (M + 2)·ρ ≤ M + 1. *)
Theorem T05_tm_exists (p : params) : admissible p -> exists M, (INR (S M) + 1) * rho p <= INR (S M).
Proof.
  intros Hp. destruct (rho_range p Hp) as [[Hr0 Hr1] _].
  destruct (archimed (rho p / (1 - rho p))) as [Ha _].
  assert (Hz : (0 <= up (rho p / (1 - rho p)))%Z).
  { apply le_IZR. assert (0 <= rho p / (1 - rho p)) by (unfold Rdiv; apply Rmult_le_pos; [lra|apply Rlt_le, Rinv_0_lt_compat; lra]). lra. }
  exists (Z.to_nat (up (rho p / (1 - rho p)))).
  rewrite S_INR, INR_IZR_INZ, Z2Nat.id by exact Hz.
  assert (rho p <= IZR (up (rho p / (1 - rho p))) * (1 - rho p)).
  { apply Rmult_lt_compat_r with (r := 1 - rho p) in Ha; [|lra].
    unfold Rdiv in Ha; rewrite Rmult_assoc, Rinv_l, Rmult_1_r in Ha by lra. lra. }
  assert (0 <= IZR (up (rho p / (1 - rho p)))) by (apply IZR_le; exact Hz).
  nra.
Qed.

(* The exact settling time is decided by finitely many steps: below a certificate T, "inside the
   band from T′ on" is "inside the band at T′, …, T − 1". *)
Theorem T05_settling_finite_report (p : params) (s0 : state) (u : trace) (x b : R) (M T' : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  (INR (S M) + 1) * rho p <= INR (S M) ->
  Ubound p (Rabs (phi s0 - g x)) (Rmax (Rabs (Gamma (ehat s0) x)) (Rabs (Theta (ehat s0) x))) M <= b ->
  ((forall t, (t >= T')%nat -> Rabs (phi (run_report p s0 u t) - g x) <= b) <->
   (forall t, (T' <= t < S M)%nat -> Rabs (phi (run_report p s0 u t) - g x) <= b)).
Proof.
  intros Hp Hu He Hx HM Hb. split; intros H t Ht; [apply H; lia|].
  destruct (Nat.lt_ge_cases t (S M)) as [Hlt|Hge]; [apply H; lia|].
  apply (T05_certified_settling_report p s0 u x b M); assumption.
Qed.

From UnifiedLoRA Require Import T15.

(* T_cert exists: U(t) → 0, so for every band b > 0 some certificate M (past t_m) has U ≤ b. *)
Theorem T05_cert_exists (p : params) (A K b : R) :
  admissible p -> 0 <= A -> 0 <= K -> 0 < b ->
  exists M, (INR (S M) + 1) * rho p <= INR (S M) /\ Ubound p A K M <= b.
Proof.
  intros Hp HA HK Hb. destruct (rho_range p Hp) as [[Hr0 Hr1] _].
  pose proof Hp as Hp'; unfold admissible in Hp'.
  destruct (T05_tm_exists p Hp) as [M0 HM0].
  destruct (pow_eventually_small (rho p) A ltac:(lra) HA (b / 2) ltac:(lra)) as [N1 HN1].
  (* (m + 1)·ρ^m = Ssum (1 − ρ) ρ (m + 1) → 0 *)
  destruct (Req_dec (rho p) 1) as [E|_]; [lra|].
  destruct (Ssum_converges (1 - rho p) (rho p) ltac:(lra) ltac:(lra) (b / 2 / (alpha p * K + 1)))
    as [N2 HN2]; [apply Rdiv_lt_0_compat; [lra|]; pose proof (Rmult_le_pos _ _ (Rlt_le _ _ (proj1 (proj1 Hp'))) HK); lra|].
  exists (M0 + N1 + N2)%nat. split.
  - assert (INR M0 <= INR (M0 + N1 + N2)) by (apply le_INR; lia). rewrite !S_INR in *. nra.
  - unfold Ubound. set (m := (M0 + N1 + N2)%nat).
    specialize (HN1 (S m) ltac:(unfold m; lia)).
    specialize (HN2 (S m) ltac:(unfold m; lia)). unfold R_dist in HN2.
    rewrite Rminus_0_r, (T03_S_closed_form_equal (1 - rho p) (rho p) m ltac:(ring)) in HN2.
    assert (Hnn : 0 <= INR (S m) * rho p ^ m) by (apply Rmult_le_pos; [apply pos_INR|apply pow_le; lra]).
    rewrite Rabs_right in HN2 by lra.
    assert (Hak : 0 <= alpha p * K) by (apply Rmult_le_pos; lra).
    apply Rmult_lt_compat_r with (r := alpha p * K + 1) in HN2; [|lra].
    replace (b / 2 / (alpha p * K + 1) * (alpha p * K + 1)) with (b / 2) in HN2 by (field; lra).
    assert (alpha p * K * (INR (S m) * rho p ^ m) <= INR (S m) * rho p ^ m * (alpha p * K + 1)) by nra.
    rewrite Rmult_comm in HN1. lra.
Qed.
