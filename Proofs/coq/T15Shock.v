(* T15 — the least shock length that reaches Mirror (the figure `analyze` prints as "least shock
   length reaching Mirror"): its characterisation for every admissible parameter set, and its
   value at the defaults with E = 5 (33), decided in exact real arithmetic through the verified
   interval simulator of QSim.v.  Proofs/T15-stability.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool List.
From UnifiedLoRA Require Import Model Lemmas T01 T06 T07 T09Index QSim.
Open Scope R_scope.

(* n updates of the shock (ls, es), then the clean input (lc, ec) for ever, steps t0, t0 + 1, … *)
Definition shock_trace (t0 : Z) (n : nat) (ls es lc ec : R) : trace :=
  mk_trace t0 (fun k => if Nat.ltb k n then ls else lc) (fun k => if Nat.ltb k n then es else ec).

Definition reaches_mirror (p : params) (s0 : state) (u : trace) : Prop :=
  exists k, md (run_report p s0 u k) = Mirror.

(* Characterisation, every admissible parameter set, any trace: from a state not in Mirror,
   Mirror is reached iff some iterate φ_k ≥ θ1 is read at a step whose cooldown has elapsed.
   So the least shock length is the least n for which the trajectory of shock_trace n has
   such an iterate. *)
Theorem T15_mirror_iff_crossing (p : params) (s0 : state) (u : trace) :
  admissible p -> md s0 <> Mirror ->
  (reaches_mirror p s0 u <->
   exists k, theta1 p <= phi (run_report p s0 u k) /\
             cooldown_ok p (step (u k)) (last (run_report p s0 u k)) = true).
Proof.
  intros Hp H0. split.
  - intros [k Hk]. induction k as [|k IH]; [contradiction|].
    destruct (mode_eq_dec (md (run_report p s0 u k)) Mirror) as [E|NE]; [apply IH, E|].
    rewrite run_report_S in Hk.
    assert (Hsw : md (step_report p (run_report p s0 u k) (u k)) <> md (run_report p s0 u k)) by congruence.
    destruct (step_report_switch p _ _ Hsw) as [Hc [_ Hok]].
    exists k; split; [|exact Hok]. rewrite Hk in Hc. symmetry in Hc.
    apply (proj1 (classify_mirror_iff p _ Hp)) in Hc. exact Hc.
  - intros [k [Hf Hc]]. exists (S k). apply T07_mirror_reached_at; assumption.
Qed.

(* Without a cooldown (N_s = 0) the condition is only the crossing, and it is upward closed in
   the shock length when the shock dominates the clean input (T06): the least shock length is
   the least n whose trajectory has an iterate φ_k ≥ θ1. *)
Theorem T15_shock_monotone (p : params) (s0 : state) (t0 : Z) (ls es lc ec : R) (n n' : nat) :
  admissible p -> 0 <= ehat s0 -> 0 <= lc <= ls -> 0 <= ec <= es -> (n <= n')%nat ->
  forall k, phi (run_report p s0 (shock_trace t0 n ls es lc ec) k) <=
            phi (run_report p s0 (shock_trace t0 n' ls es lc ec) k).
Proof.
  intros Hp He Hl He' Hn k.
  apply (T06_monotone_report p s0 s0 _ _ Hp); [| |exact He|lra|lra].
  - intros j; unfold valid_input, shock_trace, mk_trace; simpl; split; destruct (Nat.ltb j n); lra.
  - intros j; unfold shock_trace, mk_trace; simpl.
    destruct (Nat.ltb j n) eqn:E1; destruct (Nat.ltb j n') eqn:E2; try lra;
      apply Nat.ltb_lt in E1; apply Nat.ltb_ge in E2; lia.
Qed.

Theorem T15_least_shock_N0 (p : params) (s0 : state) (t0 : Z) (ls es lc ec : R) (n : nat) :
  admissible p -> cooldown p = 0%nat -> md s0 <> Mirror ->
  match last s0 with None => True | Some s => (s <= t0)%Z end ->
  (reaches_mirror p s0 (shock_trace t0 n ls es lc ec) <->
   exists k, theta1 p <= phi (run_report p s0 (shock_trace t0 n ls es lc ec) k)).
Proof.
  intros Hp H0 Hm Hs. rewrite T15_mirror_iff_crossing by assumption.
  split; intros [k Hk]; exists k; [apply Hk|split; [exact Hk|]].
  unfold cooldown_ok; rewrite H0.
  destruct (report_last_origin p s0 (shock_trace t0 n ls es lc ec) k) as [E|[i [Hi E]]]; rewrite E.
  - destruct (last s0) as [s|]; [|reflexivity]. apply Z.leb_le. simpl. lia.
  - apply Z.leb_le. simpl. lia.
Qed.

(* ------------------------------------------------------------------------- *)
(* A finite check that decides "never Mirror" for ever: the simulated records 0…H avoid
   Mirror, and at H the box is below (s, θ1) with g(s) = θ1, while every later observation is
   below s: from there φ < θ1 for ever (T07 part 1), so Mirror stays out (T07). *)

Definition not_mirror (q : qstate) : bool := if mode_eq_dec (qmd q) Mirror then false else true.

Definition never_mirror_check (pq : qparams) (q0 : qstate) (xs : nat -> Q) (t0 : Z) (H : nat) (s : Q) : bool :=
  match qwalk pq q0 xs t0 not_mirror 0 H with
  | Some q => qlt (ehi q) s && qlt (fhi q) (qth1 pq)
  | None => false
  end.

Lemma never_mirror_sound (pq : qparams) (p : params) (s0 : state) (q0 : qstate) (u : trace)
    (xs : nat -> Q) (t0 : Z) (H : nat) (s : Q) :
  admissible p -> qmatch pq p -> contains q0 s0 -> consecutive t0 u -> valid_trace u -> 0 <= ehat s0 ->
  (forall k, Q2R (xs k) = X p (loss (u k)) (env (u k))) ->
  (forall k, (k >= H)%nat -> X p (loss (u k)) (env (u k)) < Q2R s) -> g (Q2R s) = theta1 p ->
  never_mirror_check pq q0 xs t0 H s = true ->
  forall k, md (run_report p s0 u k) <> Mirror.
Proof.
  intros Hp Hm H0 Hc Hu He Hx Hlate Hgs Hchk k.
  unfold never_mirror_check in Hchk.
  destruct (qwalk pq q0 xs t0 not_mirror 0 H) as [qH|] eqn:EH; [|discriminate].
  destruct (qwalk_sound pq p s0 u xs t0 not_mirror Hp Hm Hc Hx H O q0 qH H0 EH) as [Hpre HH].
  assert (Hpre' : forall k, (k <= H)%nat -> md (run_report p s0 u k) <> Mirror).
  { intros j Hj. destruct (Hpre j ltac:(lia)) as [q [Hq Ht]].
    destruct Hq as (_ & _ & Hmd & _).
    rewrite Hmd. unfold not_mirror in Ht. destruct (mode_eq_dec (qmd q) Mirror); [discriminate|assumption]. }
  destruct (Nat.le_gt_cases k H) as [Hk|Hk]; [apply Hpre'; exact Hk|].
  apply andb_true_iff in Hchk as [He1 Hf1]. apply qlt_R in He1. apply qlt_R in Hf1.
  destruct HH as ([_ HeH] & [_ HfH] & _ & _). simpl in HeH, HfH.
  destruct Hm as (_ & _ & _ & Hth1 & _).
  set (sH := run_report p s0 u H). set (u' := fun j => u (H + j)%nat).
  assert (HeH0 : 0 <= ehat sH) by (apply ehat_nonneg_report; assumption).
  assert (Hinv : forall j, phi (run_report p sH u' j) < theta1 p).
  { intros j. rewrite <- Hgs.
    assert (Hl' : forall i, X p (loss (u' i)) (env (u' i)) < Q2R s) by (intros i; apply Hlate; lia).
    assert (HsH : ehat sH < Q2R s) by (unfold sH; lra).
    assert (HfH' : phi sH < g (Q2R s)) by (unfold sH; lra).
    exact (proj2 (T07_invariant_report p sH u' (Q2R s) Hp (fun i => Hu (H + i)%nat) HeH0 Hl' HsH HfH' j)). }
  replace k with (H + (k - H))%nat by lia. rewrite run_report_add.
  apply (T07_mirror_unreachable p sH u' Hp); [apply Hpre'; lia|exact Hinv].
Qed.

(* ------------------------------------------------------------------------- *)
(* The defaults (report): α = 0.1, β = 0.9, α_E = 0.5, θ0 = 0.3, θ1 = 0.7, N_s = 30; the shock
   L = 20, E = 5 from the clean fixed point (Ê, φ) = (1/6, 1/7), Single, no recent switch, step 0;
   then the clean L = 0.5, E = 0.  X_shock = 125/42, X_clean = 1/6. *)

Definition pq_defaults : qparams := mkQParams (1 # 10) (9 # 10) (3 # 10) (7 # 10) 30.
Definition pq_defaults_N0 : qparams := mkQParams (1 # 10) (9 # 10) (3 # 10) (7 # 10) 0.
Definition defaults_report_N0 : params := mkParams (1/10) (9/10) (1/2) (3/10) (7/10) 0.

Definition s_clean : state := mkState (1/6) (1/7) Single None.
Definition q_clean : qstate := mkQState (1 # 6) (1 # 6) (1 # 7) (1 # 7) Single None.

Definition u_shock (n : nat) : trace := shock_trace 0 n 20 5 (1/2) 0.
Definition xs_shock (n : nat) (k : nat) : Q := if Nat.ltb k n then 125 # 42 else 1 # 6.

Lemma Q2R_frac (a : Z) (b : positive) : Q2R (a # b) = IZR a / IZR (Zpos b).
Proof. reflexivity. Qed.

Lemma qmatch_defaults : qmatch pq_defaults defaults_report.
Proof. unfold qmatch, pq_defaults, defaults_report; simpl; rewrite !Q2R_frac; repeat split; lra. Qed.

Lemma qmatch_defaults_N0 : qmatch pq_defaults_N0 defaults_report_N0.
Proof. unfold qmatch, pq_defaults_N0, defaults_report_N0; simpl; rewrite !Q2R_frac; repeat split; lra. Qed.

Lemma contains_clean : contains q_clean s_clean.
Proof. unfold contains, q_clean, s_clean; simpl; rewrite !Q2R_frac; repeat split; lra. Qed.

Lemma xs_shock_X (p : params) (n k : nat) :
  alphaE p = 1/2 -> Q2R (xs_shock n k) = X p (loss (u_shock n k)) (env (u_shock n k)).
Proof.
  intros Ha. unfold xs_shock, u_shock, shock_trace, mk_trace, X, D, g; simpl. rewrite Ha.
  destruct (Nat.ltb k n); rewrite Q2R_frac; field.
Qed.

Lemma u_shock_valid (n : nat) : valid_trace (u_shock n).
Proof. intros k; unfold valid_input, u_shock, shock_trace, mk_trace; simpl; destruct (Nat.ltb k n); lra. Qed.

Lemma u_shock_consecutive (n : nat) : consecutive 0 (u_shock n).
Proof. intros k; reflexivity. Qed.

Lemma u_shock_late (p : params) (n k : nat) :
  alphaE p = 1/2 -> (k >= n)%nat -> X p (loss (u_shock n k)) (env (u_shock n k)) < Q2R (7 # 3).
Proof.
  intros Ha Hk. rewrite <- (xs_shock_X p n k Ha). unfold xs_shock.
  replace (Nat.ltb k n) with false by (symmetry; apply Nat.ltb_ge; exact Hk).
  rewrite !Q2R_frac. lra.
Qed.

Lemma g_7_3 : g (Q2R (7 # 3)) = 7/10.
Proof. rewrite Q2R_frac; unfold g; field. Qed.

(* No shock of length ≤ 32 ever reaches Mirror (checked to record 45, then for ever by T07). *)
Lemma never_mirror_upto (pq : qparams) (p : params) (N : nat) :
  admissible p -> qmatch pq p -> alphaE p = 1/2 -> theta1 p = 7/10 -> (N <= 45)%nat ->
  forallb (fun n => never_mirror_check pq q_clean (xs_shock n) 0 45 (7 # 3)) (seq 0 (S N)) = true ->
  forall n, (n <= N)%nat -> forall k, md (run_report p s_clean (u_shock n) k) <> Mirror.
Proof.
  intros Hp Hm Ha Hth HN Hall n Hn.
  rewrite forallb_forall in Hall. specialize (Hall n ltac:(apply in_seq; lia)).
  apply (never_mirror_sound pq p s_clean q_clean (u_shock n) (xs_shock n) 0 45 (7 # 3) Hp Hm contains_clean
           (u_shock_consecutive n) (u_shock_valid n)).
  - unfold s_clean; simpl; lra.
  - intros; apply xs_shock_X, Ha.
  - intros k Hk; apply u_shock_late; [exact Ha|lia].
  - rewrite g_7_3; lra.
  - exact Hall.
Qed.

Definition mode_at (pq : qparams) (n k : nat) : option mode :=
  match qrun pq q_clean (xs_shock n) 0 k with Some q => Some (qmd q) | None => None end.

Lemma mode_at_sound (pq : qparams) (p : params) (n k : nat) (m : mode) :
  admissible p -> qmatch pq p -> alphaE p = 1/2 ->
  mode_at pq n k = Some m -> md (run_report p s_clean (u_shock n) k) = m.
Proof.
  intros Hp Hm Ha H. unfold mode_at in H.
  destruct (qrun pq q_clean (xs_shock n) 0 k) as [q|] eqn:E; [|discriminate].
  injection H as <-.
  apply (qrun_sound pq p s_clean q_clean (u_shock n) (xs_shock n) 0 Hp Hm contains_clean
           (u_shock_consecutive n) (fun k => xs_shock_X p n k Ha) k q E).
Qed.

(* The figure `analyze --shock-env 5` prints: the least shock length reaching Mirror is 33.
   Every shorter shock (n ≤ 32) never reaches Mirror, at any record; a shock of 33 updates puts
   the controller in Mirror after update 38 (the switch at step 37, when the cooldown of the
   switch to Multi at step 7 has elapsed) — below the sustained shock's latency 38 by nothing at
   the switch itself, but with 5 fewer shock updates (the old-Ê overshoot carries φ above θ1
   after the shock has ended). *)
Theorem T15_least_shock_defaults :
  (forall n, (n <= 32)%nat -> ~ reaches_mirror defaults_report s_clean (u_shock n)) /\
  md (run_report defaults_report s_clean (u_shock 33) 38) = Mirror.
Proof.
  split.
  - intros n Hn [k Hk]. revert Hk.
    apply (never_mirror_upto pq_defaults defaults_report 32 defaults_report_admissible qmatch_defaults
             eq_refl eq_refl ltac:(lia)); [vm_decide|exact Hn].
  - apply (mode_at_sound pq_defaults); [exact defaults_report_admissible|exact qmatch_defaults|reflexivity|].
    vm_decide.
Qed.

(* The sustained shock (here: 38 updates or more) reaches Mirror exactly at update 38. *)
Theorem T15_sustained_latency_defaults (n : nat) :
  (n >= 38)%nat ->
  md (run_report defaults_report s_clean (u_shock n) 37) = Multi /\
  md (run_report defaults_report s_clean (u_shock n) 38) = Mirror.
Proof.
  intros Hn.
  assert (Hpre : forall k, (k <= 38)%nat -> run_report defaults_report s_clean (u_shock n) k =
                                          run_report defaults_report s_clean (u_shock 38) k).
  { intros k Hk; induction k as [|k IH]; [reflexivity|].
    rewrite !run_report_S, IH by lia. f_equal. unfold u_shock, shock_trace, mk_trace.
    replace (Nat.ltb k n) with true by (symmetry; apply Nat.ltb_lt; lia).
    replace (Nat.ltb k 38) with true by (symmetry; apply Nat.ltb_lt; lia). reflexivity. }
  rewrite !Hpre by lia. split;
  (apply (mode_at_sound pq_defaults); [exact defaults_report_admissible|exact qmatch_defaults|reflexivity|];
   vm_decide).
Qed.

(* Without the cooldown the least shock length is 31, not 33: at the defaults with N_s = 0 the
   figure is set by the overshoot alone, and with N_s = 30 by the cooldown of the switch to
   Multi at step 7 (φ ≥ θ1 already at record 34 after a 31-update shock, but the switch must
   wait for step 37, when φ of the 31- and 32-update shocks is back below θ1). *)
Theorem T15_least_shock_defaults_N0 :
  (forall n, (n <= 30)%nat -> ~ reaches_mirror defaults_report_N0 s_clean (u_shock n)) /\
  reaches_mirror defaults_report_N0 s_clean (u_shock 31).
Proof.
  assert (Hp : admissible defaults_report_N0) by (unfold admissible, defaults_report_N0; simpl; lra).
  split.
  - intros n Hn [k Hk]. revert Hk.
    apply (never_mirror_upto pq_defaults_N0 defaults_report_N0 30 Hp qmatch_defaults_N0
             eq_refl eq_refl ltac:(lia)); [vm_decide|exact Hn].
  - exists 35%nat. apply (mode_at_sound pq_defaults_N0); [exact Hp|exact qmatch_defaults_N0|reflexivity|].
    vm_decide.
Qed.
