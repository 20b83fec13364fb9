(* T12 part 2: for a constant input, from any state, at most 5 switches (both directions of
   Lemma 1, the unimodality of φ, and the reduction T12_switches_le_changes).
   Proofs/T12-switches.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T12.
Open Scope R_scope.

(* Counting the changes of a rank sequence that goes down until m and up from m. *)
Fixpoint nch (r : nat -> nat) (n : nat) : nat :=
  match n with O => O | S k => nch r k + (if Nat.eq_dec (r (S k)) (r k) then 0 else 1) end.

Lemma nch_down (r : nat -> nat) (m : nat) :
  (forall t, (t < m)%nat -> (r (S t) <= r t)%nat) ->
  forall n, (n <= m)%nat -> (nch r n + r n <= r O)%nat.
Proof.
  intros Hd n; induction n as [|n IH]; intros Hn; [simpl; lia|].
  simpl. specialize (IH ltac:(lia)). specialize (Hd n ltac:(lia)).
  destruct (Nat.eq_dec (r (S n)) (r n)); lia.
Qed.

Lemma nch_up (r : nat -> nat) (m K : nat) :
  (forall t, (m <= t < m + K)%nat -> (r t <= r (S t))%nat) ->
  forall k, (k <= K)%nat -> (nch r (m + k) + r m <= nch r m + r (m + k))%nat.
Proof.
  intros Hu k; induction k as [|k IH]; intros Hk; [rewrite Nat.add_0_r; lia|].
  rewrite Nat.add_succ_r; simpl. specialize (IH ltac:(lia)). specialize (Hu (m + k)%nat ltac:(lia)).
  destruct (Nat.eq_dec (r (S (m + k)))%nat (r (m + k)%nat)); lia.
Qed.

(* Down until m, up from m, observed on the prefix [0, n]. *)
Lemma nch_valley (r : nat -> nat) (m n : nat) :
  (forall t, (r t <= 2)%nat) ->
  (forall t, (t < m)%nat -> (t < n)%nat -> (r (S t) <= r t)%nat) ->
  (forall t, (m <= t < n)%nat -> (r t <= r (S t))%nat) ->
  (nch r n <= 4)%nat.
Proof.
  intros Hb Hd Hu. destruct (Nat.le_gt_cases n m) as [Hn|Hn].
  - pose proof (nch_down r n (fun t Ht => Hd t ltac:(lia) Ht) n (le_n n)). pose proof (Hb O). lia.
  - pose proof (nch_down r m (fun t Ht => Hd t Ht ltac:(lia)) m (le_n m)).
    pose proof (nch_up r m (n - m) (fun t Ht => Hu t ltac:(lia)) (n - m) (le_n _)).
    replace (m + (n - m))%nat with n in H0 by lia. pose proof (Hb O). pose proof (Hb n). lia.
Qed.

(* The mirror image: up until m, down from m. *)
Lemma nch_peak (r : nat -> nat) (m n : nat) :
  (forall t, (r t <= 2)%nat) ->
  (forall t, (t < m)%nat -> (t < n)%nat -> (r t <= r (S t))%nat) ->
  (forall t, (m <= t < n)%nat -> (r (S t) <= r t)%nat) ->
  (nch r n <= 4)%nat.
Proof.
  intros Hb Hu Hd.
  set (r' := fun t => (2 - r t)%nat).
  assert (E : forall k, nch r k = nch r' k).
  { intros k; induction k as [|k IH]; [reflexivity|]. simpl; rewrite IH; unfold r'.
    pose proof (Hb k); pose proof (Hb (S k)).
    destruct (Nat.eq_dec (r (S k)) (r k)), (Nat.eq_dec (2 - r (S k)) (2 - r k)); lia. }
  rewrite E. apply (nch_valley r' m n); unfold r'.
  - intros; lia.
  - intros t H1 H2; specialize (Hu t H1 H2); lia.
  - intros t H1; specialize (Hd t H1); lia.
Qed.

Lemma least_or_none (P : nat -> Prop) (dec : forall t, {P t} + {~ P t}) (n : nat) :
  (exists m, (m < n)%nat /\ P m /\ forall k, (k < m)%nat -> ~ P k) \/ (forall t, (t < n)%nat -> ~ P t).
Proof.
  induction n as [|n IH]; [right; intros; lia|].
  destruct IH as [[m [Hm [Pm Hk]]]|Hnone].
  - left; exists m; repeat split; [lia|assumption|assumption].
  - destruct (dec n) as [Pn|Pn].
    + left; exists n; repeat split; [lia|assumption|assumption].
    + right; intros t Ht. destruct (Nat.eq_dec t n) as [->|]; [assumption|apply Hnone; lia].
Qed.

Definition rk (p : params) (s0 : state) (u : trace) (t : nat) : nat :=
  rank (classify p (phi (run_report p s0 u t))).

Lemma rank_le_2 (m : mode) : (rank m <= 2)%nat.
Proof. destruct m; simpl; lia. Qed.

Lemma mode_dec_rank (a b : mode) :
  (if mode_eq_dec a b then 0 else 1)%nat = (if Nat.eq_dec (rank a) (rank b) then 0 else 1)%nat.
Proof. destruct a, b; reflexivity. Qed.

Lemma nchange_is_nch (p : params) (s0 : state) (u : trace) (n : nat) :
  nchange_report p s0 u n = nch (rk p s0 u) n.
Proof.
  induction n as [|n IH]; [reflexivity|]. cbn [nchange_report nch]. rewrite IH. f_equal.
  unfold rk. apply mode_dec_rank.
Qed.

(* Lemma 1, both directions: under a constant observation the candidate's rank goes down then
   up, or up then down, on every prefix. *)
Theorem T12_unimodal (p : params) (s0 : state) (u : trace) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  forall n, (nchange_report p s0 u n <= 4)%nat.
Proof.
  intros Hp Hu He Hx n. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Hx0 : 0 <= x) by (rewrite <- (Hx O); destruct (Hu O); apply X_nonneg; assumption).
  set (E := fun t => ehat (run_report p s0 u t)).
  set (F := fun t => phi (run_report p s0 u t)).
  assert (HE : forall t, E t = x + beta p ^ t * (ehat s0 - x))
    by (intros; apply T03_exact_ehat_report; assumption).
  assert (HE0 : forall t, 0 <= E t) by (intros; apply ehat_nonneg_report; assumption).
  assert (HF : forall t, F (S t) = (1 - alpha p) * F t + alpha p * g (E t))
    by (intros; unfold F, E; rewrite run_report_S, step_report_phi; reflexivity).
  assert (Hb : forall t, (rk p s0 u t <= 2)%nat) by (intros; apply rank_le_2).
  assert (Hrk : forall a b, F a <= F b -> (rk p s0 u a <= rk p s0 u b)%nat)
    by (intros; unfold rk; apply classify_rank_mono; assumption).
  rewrite nchange_is_nch.
  assert (Hpow : forall t, beta p ^ S t <= beta p ^ t /\ 0 <= beta p ^ t).
  { intros t; simpl; pose proof (pow_le (beta p) t ltac:(lra)); split; nra. }
  destruct (Rle_lt_dec (ehat s0) x) as [Hlo|Hhi].
  - (* Ê rises to x: h = g(Ê) is non-decreasing. *)
    assert (Hh : forall t, g (E t) <= g (E (S t))).
    { intros t; apply g_le; [apply HE0|]. rewrite !HE. destruct (Hpow t). nra. }
    destruct (least_or_none (fun t => F t <= g (E t)) (fun t => Rle_dec _ _) n)
      as [[m [Hm [Pm Hk]]]|Hnone].
    + assert (Hafter : forall k, F (m + k)%nat <= g (E (m + k)%nat)).
      { intros k; induction k as [|k IH]; [rewrite Nat.add_0_r; exact Pm|].
        rewrite Nat.add_succ_r, HF. pose proof (Hh (m + k)%nat). nra. }
      apply (nch_valley _ m n Hb).
      * intros t Ht _. apply Hrk. rewrite HF. specialize (Hk t Ht). nra.
      * intros t Ht. apply Hrk. rewrite HF. specialize (Hafter (t - m)%nat).
        replace (m + (t - m))%nat with t in Hafter by lia. nra.
    + apply (nch_valley _ n n Hb); [|intros; lia].
      intros t Ht _; apply Hrk; rewrite HF; specialize (Hnone t Ht); nra.
  - (* Ê falls to x: h = g(Ê) is non-increasing. *)
    assert (Hh : forall t, g (E (S t)) <= g (E t)).
    { intros t; apply g_le; [apply HE0|]. rewrite !HE. destruct (Hpow t). nra. }
    destruct (least_or_none (fun t => g (E t) <= F t) (fun t => Rle_dec _ _) n)
      as [[m [Hm [Pm Hk]]]|Hnone].
    + assert (Hafter : forall k, g (E (m + k)%nat) <= F (m + k)%nat).
      { intros k; induction k as [|k IH]; [rewrite Nat.add_0_r; exact Pm|].
        rewrite Nat.add_succ_r, HF. pose proof (Hh (m + k)%nat). nra. }
      apply (nch_peak _ m n Hb).
      * intros t Ht _. apply Hrk. rewrite HF. specialize (Hk t Ht). nra.
      * intros t Ht. apply Hrk. rewrite HF. specialize (Hafter (t - m)%nat).
        replace (m + (t - m))%nat with t in Hafter by lia. nra.
    + apply (nch_peak _ n n Hb); [|intros; lia].
      intros t Ht _; apply Hrk; rewrite HF; specialize (Hnone t Ht); nra.
Qed.

(* Part 2: a constant input gives at most 5 switches from any state (any cooldown, any step
   numbers). *)
Theorem T12_at_most_five_switches (p : params) (s0 : state) (u : trace) (x : R) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, X p (loss (u k)) (env (u k)) = x) ->
  forall n, (nswitch_report p s0 u n <= 5)%nat.
Proof.
  intros Hp Hu He Hx n.
  pose proof (T12_switches_le_changes_plus_one p s0 u n).
  pose proof (T12_unimodal p s0 u x Hp Hu He Hx n). lia.
Qed.
