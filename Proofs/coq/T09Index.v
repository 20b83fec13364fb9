(* T09 parts 1–3 and T14 part 5 (recovery), corrected, for every admissible parameter set: the
   certified recovery index K from the upper half of the T05 envelope, and the recovery bound
   K + max(N_s, 1) of the report (K of the repo).  Proofs/T09-recovery.md, Proofs/T14-latency.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T05 T10 T14 Eventually.
Open Scope R_scope.

(* hi_j = (1 − α)^j·u_0 + α·S_j·Θ, the upper envelope of φ_j − φ* (T05 part 1). *)
Definition hi_env (p : params) (u0 th : R) (j : nat) : R :=
  (1 - alpha p) ^ j * u0 + alpha p * Ssum (alpha p) (beta p) j * th.

(* hi_t ≤ U⁺(t) = max(u_0, 0)·ρ^t + α·max(Θ, 0)·t·ρ^(t−1), t = m + 1. *)
Lemma hi_env_le_Uplus (p : params) (u0 th : R) (m : nat) :
  admissible p -> hi_env p u0 th (S m) <= Ubound p (Rmax u0 0) (Rmax th 0) m.
Proof.
  intros Hp. pose proof Hp as Hp'; unfold admissible in Hp'. unfold hi_env, Ubound.
  destruct (rho_range p Hp) as [[Hr0 Hr1] [_ Har]].
  assert (HS0 : 0 <= Ssum (alpha p) (beta p) (S m)) by (apply S_nonneg; lra).
  assert (HSr : Ssum (alpha p) (beta p) (S m) <= INR (S m) * rho p ^ m) by (apply T03_S_rate; lra).
  assert (Hq : 0 <= (1 - alpha p) ^ S m <= rho p ^ S m) by
    (split; [apply pow_le; lra|apply pow_incr; lra]).
  pose proof (Rmax_l u0 0); pose proof (Rmax_r u0 0); pose proof (Rmax_l th 0); pose proof (Rmax_r th 0).
  assert ((1 - alpha p) ^ S m * u0 <= rho p ^ S m * Rmax u0 0).
  { apply Rle_trans with ((1 - alpha p) ^ S m * Rmax u0 0); [apply Rmult_le_compat_l; lra|].
    apply Rmult_le_compat_r; lra. }
  assert (Ssum (alpha p) (beta p) (S m) * th <= INR (S m) * rho p ^ m * Rmax th 0).
  { apply Rle_trans with (Ssum (alpha p) (beta p) (S m) * Rmax th 0); [apply Rmult_le_compat_l; lra|].
    apply Rmult_le_compat_r; lra. }
  assert (alpha p * (Ssum (alpha p) (beta p) (S m) * th) <= alpha p * (INR (S m) * rho p ^ m * Rmax th 0))
    by (apply Rmult_le_compat_l; lra).
  nra.
Qed.

(* Part 1.  Constant post-shock observation x with φ* = g(x) < θ0, from ANY state at t0 (the end
   of a shock): if the certificate M (t_m ≤ M + 1, and U⁺(M + 1) < θ0 − g(x)) holds and hi_j < θ0 − φ*
   for K ≤ j ≤ M, then φ_j < θ0 for every j ≥ K. *)
Theorem T09_index_report (p : params) (s0 : state) (u : trace) (x : R) (K M : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  (INR (S M) + 1) * rho p <= INR (S M) ->
  Ubound p (Rmax (phi s0 - g x) 0) (Rmax (Theta (ehat s0) x) 0) M < theta0 p - g x ->
  (forall j, (K <= j <= M)%nat -> hi_env p (phi s0 - g x) (Theta (ehat s0) x) j < theta0 p - g x) ->
  forall j, (j >= K)%nat -> phi (run_report p s0 u j) < theta0 p.
Proof.
  intros Hp Hu He Hx HM HU HK j Hj.
  pose proof (proj2 (T05_envelope_report p s0 u x Hp Hu He Hx j)) as Henv.
  fold (hi_env p (phi s0 - g x) (Theta (ehat s0) x) j) in Henv.
  destruct (Nat.le_gt_cases j M) as [HjM|HjM]; [specialize (HK j ltac:(lia)); lra|].
  destruct j as [|m]; [lia|].
  pose proof (hi_env_le_Uplus p (phi s0 - g x) (Theta (ehat s0) x) m Hp).
  assert (Ubound p (Rmax (phi s0 - g x) 0) (Rmax (Theta (ehat s0) x) 0) m <=
          Ubound p (Rmax (phi s0 - g x) 0) (Rmax (Theta (ehat s0) x) 0) M).
  { apply T05_U_nonincreasing; [exact Hp|apply Rmax_r|apply Rmax_r|exact HM|lia]. }
  lra.
Qed.

Theorem T09_index_repo (p : params) (s0 : state) (u : trace) (l : R) (K M : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  (INR (S M) + 1) * rho p <= INR (S M) ->
  Ubound p (Rmax (phi s0 - g l) 0) (Rmax (beta p * Theta (ehat s0) l) 0) M < theta0 p - g l ->
  (forall j, (K <= j <= M)%nat ->
     hi_env p (phi s0 - g l) (beta p * Theta (ehat s0) l) j < theta0 p - g l) ->
  forall j, (j >= K)%nat -> phi (run_repo p s0 u j) < theta0 p.
Proof.
  intros Hp Hu He Hl HM HU HK j Hj.
  pose proof (proj2 (T05_envelope_repo p s0 u l Hp Hu He Hl j)) as Henv.
  fold (hi_env p (phi s0 - g l) (beta p * Theta (ehat s0) l) j) in Henv.
  destruct (Nat.le_gt_cases j M) as [HjM|HjM]; [specialize (HK j ltac:(lia)); lra|].
  destruct j as [|m]; [lia|].
  pose proof (hi_env_le_Uplus p (phi s0 - g l) (beta p * Theta (ehat s0) l) m Hp).
  assert (Ubound p (Rmax (phi s0 - g l) 0) (Rmax (beta p * Theta (ehat s0) l) 0) m <=
          Ubound p (Rmax (phi s0 - g l) 0) (Rmax (beta p * Theta (ehat s0) l) 0) M).
  { apply T05_U_nonincreasing; [exact Hp|apply Rmax_r|apply Rmax_r|exact HM|lia]. }
  lra.
Qed.

(* The last switch after n records is s_0 or the step of one of the first n records. *)
Lemma report_last_origin (p : params) (s0 : state) (u : trace) (n : nat) :
  last (run_report p s0 u n) = last s0 \/
  exists i, (i < n)%nat /\ last (run_report p s0 u n) = Some (step (u i)).
Proof.
  induction n as [|n IH]; [left; reflexivity|].
  rewrite run_report_S.
  destruct (mode_eq_dec (md (step_report p (run_report p s0 u n) (u n))) (md (run_report p s0 u n))) as [E|NE].
  - rewrite step_report_keep by exact E.
    destruct IH as [H|[i [Hi H]]]; [left; exact H|right; exists i; split; [lia|exact H]].
  - right; exists n; split; [lia|]. apply (T10_cooldown_step p _ _ NE).
Qed.

(* Parts 2 and T14 part 5, report: with consecutive step numbers from t0 and the last switch at
   t0 before t0 (s_0 < t0, or −∞), the mode is Single at every record k ≥ K + max(N_s, 1): the
   recovery latency is at most K + max(N_s, 1).  No hypothesis on switches in between (the
   default case, a switch at t0 + 7, is covered). *)
Theorem T09_recovery_bound_report (p : params) (s0 : state) (u : trace) (t0 : Z) (K : nat) :
  consecutive t0 u ->
  match last s0 with None => True | Some s => (s < t0)%Z end ->
  (forall j, (j >= K)%nat -> phi (run_report p s0 u j) < theta0 p) ->
  forall k, (k >= K + Nat.max (cooldown p) 1)%nat -> md (run_report p s0 u k) = Single.
Proof.
  intros Hc Hs Hphi k Hk.
  apply (T09_recovery_corrected p s0 u t0 K Hc Hphi).
  destruct (report_last_origin p s0 u K) as [H|[i [Hi H]]]; rewrite H.
  - destruct (last s0) as [s|]; [|lia]. lia.
  - rewrite Hc. lia.
Qed.

(* Part 3, repo: Single at every record k ≥ max(K, 1). *)
Corollary T09_recovery_bound_repo (p : params) (s0 : state) (u : trace) (K : nat) :
  (forall j, (j >= K)%nat -> phi (run_repo p s0 u j) < theta0 p) ->
  forall k, (k >= Nat.max K 1)%nat -> md (run_repo p s0 u k) = Single.
Proof. apply T09_recovery_repo. Qed.

(* T14 part 1: the envelope bounds on the crossing index, every admissible parameter set.
   lo_j = (1 − α)^j·u_0 + α·S_j·Γ.  If φ* + hi_j < θ for every j < J, no φ_j with j < J reaches
   θ (so j_θ ≥ J, i.e. j⁻ ≤ j_θ); if φ* + lo_J ≥ θ, φ_J ≥ θ (so j_θ ≤ J, i.e. j_θ ≤ j⁺). *)
Definition lo_env (p : params) (u0 ga : R) (j : nat) : R :=
  (1 - alpha p) ^ j * u0 + alpha p * Ssum (alpha p) (beta p) j * ga.

Theorem T14_envelope_bounds_report (p : params) (s0 : state) (u : trace) (x th : R) (J : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  ((forall j, (j < J)%nat -> g x + hi_env p (phi s0 - g x) (Theta (ehat s0) x) j < th) ->
   forall j, (j < J)%nat -> phi (run_report p s0 u j) < th) /\
  (th <= g x + lo_env p (phi s0 - g x) (Gamma (ehat s0) x) J -> th <= phi (run_report p s0 u J)).
Proof.
  intros Hp Hu He Hx. split.
  - intros H j Hj. specialize (H j Hj).
    pose proof (proj2 (T05_envelope_report p s0 u x Hp Hu He Hx j)). unfold hi_env in H. lra.
  - intros H. pose proof (proj1 (T05_envelope_report p s0 u x Hp Hu He Hx J)). unfold lo_env in H. lra.
Qed.

Theorem T14_envelope_bounds_repo (p : params) (s0 : state) (u : trace) (l th : R) (J : nat) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, loss (u k) = l) ->
  ((forall j, (j < J)%nat -> g l + hi_env p (phi s0 - g l) (beta p * Theta (ehat s0) l) j < th) ->
   forall j, (j < J)%nat -> phi (run_repo p s0 u j) < th) /\
  (th <= g l + lo_env p (phi s0 - g l) (beta p * Gamma (ehat s0) l) J -> th <= phi (run_repo p s0 u J)).
Proof.
  intros Hp Hu He Hl. split.
  - intros H j Hj. specialize (H j Hj).
    pose proof (proj2 (T05_envelope_repo p s0 u l Hp Hu He Hl j)). unfold hi_env in H. lra.
  - intros H. pose proof (proj1 (T05_envelope_repo p s0 u l Hp Hu He Hl J)). unfold lo_env in H. lra.
Qed.
