(* T14 — detection latency, and T09 — recovery latency (claims C5, §6): the exact index of the
   first switch, and the corrected recovery bound.  Proofs/T14-latency.md, Proofs/T09-recovery.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas Eventually T10.
Open Scope R_scope.

(* The least-switch index of the report, with consecutive step numbers t0, t0 + 1, …
   Let the mode at record 0 be m0 with last switch s (None: −∞), and let j be the first record
   whose candidate differs from m0 (classify φ_i = m0 for i < j).  With
   K = max(j + 1, s + N_s − t0 + 1) (K = j + 1 when s = −∞), if the candidate of record K − 1
   is still c ≠ m0 (for a monotone φ this is what the envelopes of T05 decide), then the mode
   is m0 at every record k < K and c at record K: the latency is exactly K. *)
Definition latency_index (p : params) (t0 : Z) (s : option Z) (j : nat) : nat :=
  match s with
  | None => S j
  | Some s => Nat.max (S j) (Z.to_nat (s + Z.of_nat (cooldown p) - t0 + 1))
  end.

Theorem T14_latency_exact (p : params) (s0 : state) (u : trace) (t0 : Z) (j : nat) (c : mode) :
  consecutive t0 u ->
  (forall i, (i < j)%nat -> classify p (phi (run_report p s0 u i)) = md s0) ->
  let K := latency_index p t0 (last s0) j in
  classify p (phi (run_report p s0 u (K - 1))) = c -> c <> md s0 ->
  (forall k, (k < K)%nat -> md (run_report p s0 u k) = md s0) /\
  md (run_report p s0 u K) = c.
Proof.
  intros Hc Hj K HK Hne.
  assert (HK1 : (K >= 1)%nat) by (unfold K, latency_index; destruct (last s0); lia).
  (* No switch before K − 1: a switch at record i < K − 1 would need the candidate to differ
     (i ≥ j) and the cooldown to have elapsed (i ≥ s + N_s − t0), i.e. i ≥ K − 1. *)
  assert (Hstay : forall k, (k < K)%nat -> md (run_report p s0 u k) = md s0 /\
                                          last (run_report p s0 u k) = last s0).
  { intros k; induction k as [|k IH]; intros Hk; [split; reflexivity|].
    destruct (IH ltac:(lia)) as [Hm Hl].
    destruct (mode_eq_dec (md (run_report p s0 u (S k))) (md (run_report p s0 u k))) as [E|NE].
    - rewrite run_report_S in *. rewrite step_report_keep by exact E. split; [rewrite E; exact Hm|exact Hl].
    - exfalso. rewrite run_report_S in NE.
      destruct (step_report_switch p _ _ NE) as [Hcand [_ Hok]].
      destruct (Nat.lt_ge_cases k j) as [Hkj|Hkj].
      + apply NE. rewrite Hcand, Hm; apply Hj; exact Hkj.
      + rewrite Hl in Hok. unfold cooldown_ok in Hok. unfold K, latency_index in Hk.
        destruct (last s0) as [s|]; [|lia].
        apply Z.leb_le in Hok. rewrite Hc in Hok. lia. }
  split; [intros k Hk; apply (Hstay k Hk)|].
  destruct (Hstay (K - 1)%nat ltac:(lia)) as [Hm Hl].
  replace K with (S (K - 1)) at 1 by lia.
  rewrite run_report_S, step_report_cooldown_ok; [exact HK|].
  rewrite Hl; unfold cooldown_ok, K, latency_index; destruct (last s0) as [s|]; [|reflexivity].
  rewrite Hc; apply Z.leb_le; lia.
Qed.

(* T09, corrected.  The exact recovery formula needs φ to stay below θ0 from j0 on (the
   published statement missed it: loss 20 for 41 steps, 0 for 8, E = 20 once, then L = 0.5
   gives 20 by the formula and 22 in truth).  With it, from any state and mode, the mode is
   Single at every record k ≥ max(j0 + 1, s + N_s − t0 + 1), s the last switch at record j0. *)
Theorem T09_recovery_corrected (p : params) (s0 : state) (u : trace) (t0 : Z) (j0 : nat) :
  consecutive t0 u ->
  (forall i, (i >= j0)%nat -> phi (run_report p s0 u i) < theta0 p) ->
  forall k, (k >= match last (run_report p s0 u j0) with
                  | None => S j0
                  | Some s => Nat.max (S j0) (Z.to_nat (s + Z.of_nat (cooldown p) - t0 + 1))
                  end)%nat ->
  md (run_report p s0 u k) = Single.
Proof.
  intros Hc Hphi k Hk.
  assert (Hcand : forall n, (n >= j0)%nat -> classify p (phi (run_report p s0 u n)) = Single)
    by (intros; apply classify_single, Hphi; assumption).
  set (N := match last (run_report p s0 u j0) with
            | None => j0
            | Some s => Nat.max j0 (Z.to_nat (s + Z.of_nat (cooldown p) - t0))
            end).
  assert (HN : (N >= j0)%nat) by (unfold N; destruct (last _); lia).
  destruct (report_mode_or_last p s0 u Single j0 Hcand (N - j0)) as [Hm|Hl];
    replace (j0 + (N - j0))%nat with N in * by lia.
  - assert (k >= N)%nat by (unfold N in *; destruct (last _); lia).
    replace k with (N + (k - N))%nat by lia.
    apply (report_mode_stays p s0 u Single j0 Hcand N HN Hm).
  - assert (HS : md (run_report p s0 u (S N)) = Single).
    { rewrite run_report_S, step_report_cooldown_ok; [apply Hcand; lia|].
      rewrite Hl; unfold N, cooldown_ok; destruct (last (run_report p s0 u j0)) as [s|];
        [|reflexivity].
      rewrite Hc; apply Z.leb_le; lia. }
    assert (k >= S N)%nat by (unfold N in *; destruct (last _); lia).
    replace k with (S N + (k - S N))%nat by lia.
    apply (report_mode_stays p s0 u Single j0 Hcand (S N) ltac:(lia) HS).
Qed.

(* Repo: no cooldown; once φ stays below θ0 from record j0 ≥ 1 on, the mode is Single there. *)
Theorem T09_recovery_repo (p : params) (s0 : state) (u : trace) (j0 : nat) :
  (forall i, (i >= j0)%nat -> phi (run_repo p s0 u i) < theta0 p) ->
  forall k, (k >= Nat.max j0 1)%nat -> md (run_repo p s0 u k) = Single.
Proof.
  intros Hphi k Hk; destruct k as [|k]; [lia|].
  rewrite repo_md_run; apply classify_single, Hphi; lia.
Qed.
