(* T12 — switches (claim C7): from rest under a rising input φ is non-decreasing and the mode
   only moves up, so at most 2 switches; the switch rate is bounded by the cooldown (T10);
   without a cooldown the mode can switch at consecutive steps.  Proofs/T12-switches.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T01 T10.
Open Scope R_scope.

Definition rank (m : mode) : nat := match m with Single => 0 | Multi => 1 | Mirror => 2 end.

Lemma classify_rank_mono (p : params) (f f' : R) :
  f <= f' -> (rank (classify p f) <= rank (classify p f'))%nat.
Proof.
  intros H; unfold classify.
  repeat destruct Rlt_dec; simpl; try lia; lra.
Qed.

(* Lemma 1 from rest: a non-decreasing observation X_t, Ê_0 ≤ X_0 and φ_0 ≤ g(Ê_0) make Ê and
   φ non-decreasing, with Ê_t ≤ X_t and φ_t ≤ g(Ê_t) (report). *)
Theorem T12_monotone_from_rest (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  let x := fun k => X p (loss (u k)) (env (u k)) in
  (forall k, x k <= x (S k)) -> ehat s0 <= x O -> phi s0 <= g (ehat s0) ->
  forall n, ehat (run_report p s0 u n) <= x n /\
            phi (run_report p s0 u n) <= g (ehat (run_report p s0 u n)) /\
            ehat (run_report p s0 u n) <= ehat (run_report p s0 u (S n)) /\
            phi (run_report p s0 u n) <= phi (run_report p s0 u (S n)).
Proof.
  intros Hp Hu He x Hx He0 Hf0. pose proof Hp as Hp'; unfold admissible in Hp'.
  assert (Inv : forall n, ehat (run_report p s0 u n) <= x n /\
                          phi (run_report p s0 u n) <= g (ehat (run_report p s0 u n))).
  { intros n; induction n as [|n IH]; [split; assumption|].
    destruct IH as [IE IF].
    rewrite run_report_S, step_report_ehat, step_report_phi.
    pose proof (ehat_nonneg_report p s0 u n Hp Hu He) as Hn.
    assert (HE' : ehat (run_report p s0 u n) <= ehat_next p (ehat (run_report p s0 u n)) (x n))
      by (unfold ehat_next; nra).
    split.
    - apply ehat_next_le; [assumption|specialize (Hx n); lra|apply Hx].
    - pose proof (g_le _ _ Hn HE'). unfold phi_next. fold (x n). nra. }
  intros n; destruct (Inv n) as [IE IF]; split; [exact IE|split; [exact IF|]].
  rewrite run_report_S, step_report_ehat, step_report_phi.
  split; unfold ehat_next, phi_next; fold (x n); nra.
Qed.

(* Part 3: from rest with the mode at most the candidate (e.g. Single), the mode only moves up
   (any cooldown, any step numbers), hence at most 2 switches. *)
Fixpoint nswitch_report (p : params) (s0 : state) (u : trace) (n : nat) : nat :=
  match n with
  | O => O
  | S k => nswitch_report p s0 u k +
           (if mode_eq_dec (md (run_report p s0 u (S k))) (md (run_report p s0 u k)) then 0 else 1)
  end.

Theorem T12_upward_only (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall n, phi (run_report p s0 u n) <= phi (run_report p s0 u (S n))) ->
  (rank (md s0) <= rank (classify p (phi s0)))%nat ->
  forall n, (rank (md (run_report p s0 u n)) <= rank (classify p (phi (run_report p s0 u n))))%nat /\
            (rank (md (run_report p s0 u n)) <= rank (md (run_report p s0 u (S n))))%nat /\
            (nswitch_report p s0 u n + rank (md s0) <= rank (md (run_report p s0 u n)))%nat.
Proof.
  intros Hp Hu He Hmono H0.
  assert (Inv : forall n, (rank (md (run_report p s0 u n)) <=
                           rank (classify p (phi (run_report p s0 u n))))%nat).
  { intros n; induction n as [|n IH]; [exact H0|].
    pose proof (classify_rank_mono p _ _ (Hmono n)) as Hc.
    rewrite run_report_S in *.
    destruct (step_report_md p (run_report p s0 u n) (u n)) as [->|[-> _]]; lia. }
  assert (Up : forall n, (rank (md (run_report p s0 u n)) <= rank (md (run_report p s0 u (S n))))%nat).
  { intros n; rewrite run_report_S.
    destruct (step_report_md p (run_report p s0 u n) (u n)) as [->|[-> _]]; [lia|apply Inv]. }
  intros n; split; [apply Inv|split; [apply Up|]].
  assert (Hlt : forall a b : mode, (rank a <= rank b)%nat -> a <> b -> (rank a < rank b)%nat)
    by (intros [] [] ? ?; simpl in *; try lia; congruence).
  induction n as [|n IH]; [simpl; lia|].
  change (nswitch_report p s0 u (S n)) with
    (nswitch_report p s0 u n +
     (if mode_eq_dec (md (run_report p s0 u (S n))) (md (run_report p s0 u n)) then 0 else 1))%nat.
  destruct (mode_eq_dec _ _) as [E|NE]; [rewrite E; lia|].
  pose proof (Hlt _ _ (Up n) (not_eq_sym NE)). lia.
Qed.

Corollary T12_at_most_two_switches (p : params) (s0 : state) (u : trace) :
  admissible p -> valid_trace u -> 0 <= ehat s0 ->
  (forall n, phi (run_report p s0 u n) <= phi (run_report p s0 u (S n))) ->
  (rank (md s0) <= rank (classify p (phi s0)))%nat ->
  forall n, (nswitch_report p s0 u n <= 2)%nat.
Proof.
  intros Hp Hu He Hm H0 n.
  pose proof (proj2 (proj2 (T12_upward_only p s0 u Hp Hu He Hm H0 n))).
  destruct (md (run_report p s0 u n)); simpl in H; lia.
Qed.

(* From the default state (Ê, φ, M) = (0, 0, Single) under a constant or rising input: at most
   two switches, upward (Single → Multi → Mirror, or fewer). *)
Corollary T12_default_state_two_switches (p : params) (u : trace) :
  admissible p -> valid_trace u ->
  (forall k, X p (loss (u k)) (env (u k)) <= X p (loss (u (S k))) (env (u (S k)))) ->
  forall n, (nswitch_report p init_report u n <= 2)%nat.
Proof.
  intros Hp Hu Hx.
  apply T12_at_most_two_switches; try assumption; [simpl; lra| |simpl; lia].
  intros n. apply (T12_monotone_from_rest p init_report u Hp Hu ltac:(simpl; lra) Hx);
    simpl; [destruct (Hu O); apply X_nonneg; assumption|rewrite g_zero; lra].
Qed.

(* The mode never switches more than once beyond the changes of its candidate: with
   c_k = classify(φ_k) and C_n the number of k < n with c_{k+1} ≠ c_k, the switches among the
   first n records are at most C_n + 1 (any parameters, state, inputs and step numbers).  The
   cooldown only delays switches; it never adds one.  With T12_monotone_from_rest this is the
   route to the constant-input bound of part 2. *)
Fixpoint nchange_report (p : params) (s0 : state) (u : trace) (n : nat) : nat :=
  match n with
  | O => O
  | S k => nchange_report p s0 u k +
           (if mode_eq_dec (classify p (phi (run_report p s0 u (S k))))
                           (classify p (phi (run_report p s0 u k))) then 0 else 1)
  end.

Theorem T12_switches_le_changes (p : params) (s0 : state) (u : trace) :
  forall n, (nswitch_report p s0 u n +
             (if mode_eq_dec (md (run_report p s0 u n)) (classify p (phi (run_report p s0 u n)))
              then 0 else 1) <= nchange_report p s0 u n + 1)%nat.
Proof.
  intros n; induction n as [|n IH]; [simpl; destruct (mode_eq_dec _ _); lia|].
  change (nswitch_report p s0 u (S n)) with
    (nswitch_report p s0 u n +
     (if mode_eq_dec (md (run_report p s0 u (S n))) (md (run_report p s0 u n)) then 0 else 1))%nat.
  change (nchange_report p s0 u (S n)) with
    (nchange_report p s0 u n +
     (if mode_eq_dec (classify p (phi (run_report p s0 u (S n))))
                     (classify p (phi (run_report p s0 u n))) then 0 else 1))%nat.
  set (m0 := md (run_report p s0 u n)) in *.
  set (m1 := md (run_report p s0 u (S n))) in *.
  set (c0 := classify p (phi (run_report p s0 u n))) in *.
  set (c1 := classify p (phi (run_report p s0 u (S n)))) in *.
  assert (Hstep : m1 = m0 \/ (m1 = c0 /\ m0 <> c0)).
  { unfold m1, m0, c0; rewrite run_report_S.
    destruct (mode_eq_dec (md (step_report p (run_report p s0 u n) (u n))) (md (run_report p s0 u n)))
      as [E|NE]; [left; exact E|right].
    destruct (step_report_switch p _ _ NE) as [Hc _]. split; [exact Hc|].
    intros E; apply NE; rewrite Hc, E; reflexivity. }
  destruct Hstep as [E|[E Ne]].
  - rewrite E. destruct (mode_eq_dec m0 m0) as [_|C]; [|congruence].
    destruct (mode_eq_dec m0 c1), (mode_eq_dec m0 c0), (mode_eq_dec c1 c0); try lia; congruence.
  - rewrite E. destruct (mode_eq_dec c0 m0) as [C|_]; [congruence|].
    destruct (mode_eq_dec m0 c0) as [C|_]; [congruence|].
    destruct (mode_eq_dec c0 c1), (mode_eq_dec c1 c0); try lia; congruence.
Qed.

Corollary T12_switches_le_changes_plus_one (p : params) (s0 : state) (u : trace) (n : nat) :
  (nswitch_report p s0 u n <= nchange_report p s0 u n + 1)%nat.
Proof. pose proof (T12_switches_le_changes p s0 u n). lia. Qed.
