(* A verified interval simulator of the report controller over the rationals, for deciding
   facts about concrete trajectories in exact real arithmetic (the least shock length of
   T15, Proofs/T15-stability.md).

   Why rationals with outward rounding, not binary64: the theorems are about the controller
   over ℝ (Model.v); exact rational iteration is infeasible (the denominators of φ_t multiply
   by those of 1 + Ê_j at each step), so every bound is rounded outward to a multiple of 2⁻⁴⁰
   after each step.  The step is monotone in (Ê, φ) (β ≥ 0, 1 − α ≥ 0, g increasing), so the
   lower and upper corners of the box are iterated separately, and the mode and last switch
   are tracked exactly as long as the φ box lies on one side of each threshold (otherwise the
   simulator answers None and proves nothing).  Soundness (`qrun_sound`) is a theorem;
   concrete runs are checked by vm_compute. *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Qround Bool.
From UnifiedLoRA Require Import Model Lemmas T01.
Open Scope R_scope.

Record qparams : Type := mkQParams { qa : Q; qb : Q; qth0 : Q; qth1 : Q; qcool : nat }.

Definition qmatch (pq : qparams) (p : params) : Prop :=
  Q2R (qa pq) = alpha p /\ Q2R (qb pq) = beta p /\ Q2R (qth0 pq) = theta0 p /\
  Q2R (qth1 pq) = theta1 p /\ qcool pq = cooldown p.

Record qstate : Type := mkQState { elo : Q; ehi : Q; flo : Q; fhi : Q; qmd : mode; qlast : option Z }.

Definition contains (q : qstate) (st : state) : Prop :=
  Q2R (elo q) <= ehat st <= Q2R (ehi q) /\ Q2R (flo q) <= phi st <= Q2R (fhi q) /\
  md st = qmd q /\ last st = qlast q.

Definition scale : Q := inject_Z (2 ^ 40).
Definition rdown (q : Q) : Q := inject_Z (Qfloor (q * scale)) / scale.
Definition rup (q : Q) : Q := inject_Z (Qceiling (q * scale)) / scale.

Lemma scale_pos : (0 < scale)%Q.
Proof. unfold scale, Qlt; simpl; lia. Qed.

Lemma rdown_le (q : Q) : Q2R (rdown q) <= Q2R q.
Proof.
  apply Qle_Rle. unfold rdown. apply Qle_shift_div_r; [apply scale_pos|]. apply Qfloor_le.
Qed.

Lemma rup_ge (q : Q) : Q2R q <= Q2R (rup q).
Proof.
  apply Qle_Rle. unfold rup. apply Qle_shift_div_l; [apply scale_pos|]. apply Qle_ceiling.
Qed.

Definition qlt (a b : Q) : bool := negb (Qle_bool b a).

Lemma qlt_R (a b : Q) : qlt a b = true -> Q2R a < Q2R b.
Proof.
  unfold qlt; intros H. apply negb_true_iff in H. apply Qlt_Rlt.
  apply Qnot_le_lt. intros Hle. apply Qle_bool_iff in Hle. congruence.
Qed.

Lemma qle_R (a b : Q) : Qle_bool a b = true -> Q2R a <= Q2R b.
Proof. intros H; apply Qle_Rle, Qle_bool_iff, H. Qed.

(* The candidate of every φ in [flo, fhi], when all agree. *)
Definition qcand (pq : qparams) (q : qstate) : option mode :=
  if qlt (fhi q) (qth0 pq) then Some Single
  else if Qle_bool (qth0 pq) (flo q) && qlt (fhi q) (qth1 pq) then Some Multi
  else if Qle_bool (qth1 pq) (flo q) then Some Mirror
  else None.

Lemma qcand_sound (pq : qparams) (p : params) (q : qstate) (f : R) (c : mode) :
  admissible p -> qmatch pq p -> Q2R (flo q) <= f <= Q2R (fhi q) -> qcand pq q = Some c -> classify p f = c.
Proof.
  intros Hp (Ha & Hb & H0 & H1 & Hc) Hf. unfold admissible in Hp. unfold qcand, classify.
  destruct (qlt (fhi q) (qth0 pq)) eqn:E1.
  - apply qlt_R in E1. intros [= <-]. destruct (Rlt_dec f (theta0 p)); [reflexivity|lra].
  - destruct (Qle_bool (qth0 pq) (flo q)) eqn:E2; destruct (qlt (fhi q) (qth1 pq)) eqn:E3; simpl.
    + apply qle_R in E2; apply qlt_R in E3. intros [= <-].
      destruct (Rlt_dec f (theta0 p)); [lra|]. destruct (Rlt_dec f (theta1 p)); [reflexivity|lra].
    + destruct (Qle_bool (qth1 pq) (flo q)) eqn:E4; [|discriminate].
      apply qle_R in E4. intros [= <-].
      destruct (Rlt_dec f (theta0 p)); [lra|]. destruct (Rlt_dec f (theta1 p)); [lra|reflexivity].
    + destruct (Qle_bool (qth1 pq) (flo q)) eqn:E4; [|discriminate].
      apply qle_R in E4. intros [= <-].
      destruct (Rlt_dec f (theta0 p)); [lra|]. destruct (Rlt_dec f (theta1 p)); [lra|reflexivity].
    + destruct (Qle_bool (qth1 pq) (flo q)) eqn:E4; [|discriminate].
      apply qle_R in E4. intros [= <-].
      destruct (Rlt_dec f (theta0 p)); [lra|]. destruct (Rlt_dec f (theta1 p)); [lra|reflexivity].
Qed.

Definition qcooldown_ok (n : nat) (t : Z) (s : option Z) : bool :=
  match s with None => true | Some s => Z.leb (Z.of_nat n) (t - s) end.

Definition qg (e : Q) : Q := e / (1 + e).

(* One step with the exact observation x and step number t. *)
Definition qstep (pq : qparams) (q : qstate) (x : Q) (t : Z) : option qstate :=
  if negb (Qle_bool 0 (elo q)) then None else
  match qcand pq q with
  | None => None
  | Some c =>
      let el := rdown (qb pq * elo q + (1 - qb pq) * x) in
      let eh := rup (qb pq * ehi q + (1 - qb pq) * x) in
      let fl := rdown ((1 - qa pq) * flo q + qa pq * qg (elo q)) in
      let fh := rup ((1 - qa pq) * fhi q + qa pq * qg (ehi q)) in
      if mode_eq_dec c (qmd q) then Some (mkQState el eh fl fh (qmd q) (qlast q))
      else if qcooldown_ok (qcool pq) t (qlast q) then Some (mkQState el eh fl fh c (Some t))
      else Some (mkQState el eh fl fh (qmd q) (qlast q))
  end.

Lemma Q2R_g (e : Q) : 0 <= Q2R e -> Q2R (qg e) = g (Q2R e).
Proof.
  intros He. unfold qg, g. rewrite Q2R_div, Q2R_plus.
  - replace (Q2R 1) with 1 by (unfold Q2R; simpl; field). reflexivity.
  - intros Hz. apply Qeq_eqR in Hz. rewrite Q2R_plus in Hz.
    replace (Q2R 1) with 1 in Hz by (unfold Q2R; simpl; field). unfold Q2R in Hz at 2; simpl in Hz. lra.
Qed.

Lemma Q2R_one : Q2R 1 = 1.
Proof. unfold Q2R; simpl; field. Qed.

Lemma qstep_sound (pq : qparams) (p : params) (q q' : qstate) (st : state) (i : input) (x : Q) :
  admissible p -> qmatch pq p -> contains q st ->
  Q2R x = X p (loss i) (env i) -> qstep pq q x (step i) = Some q' ->
  contains q' (step_report p st i).
Proof.
  intros Hp Hm Hc Hx Hs. pose proof Hp as Hp'; unfold admissible in Hp'.
  destruct Hm as (Ha & Hb & H0 & H1 & Hcl).
  destruct Hc as (He & Hf & Hmd & Hl).
  unfold qstep in Hs.
  destruct (Qle_bool 0 (elo q)) eqn:E0; [|discriminate]. simpl in Hs.
  apply qle_R in E0. replace (Q2R 0) with 0 in E0 by (unfold Q2R; simpl; field).
  destruct (qcand pq q) as [c|] eqn:Ec; [|discriminate].
  pose proof (qcand_sound pq p q (phi st) c Hp (conj Ha (conj Hb (conj H0 (conj H1 Hcl)))) Hf Ec) as Hcl'.
  assert (Hgl : g (Q2R (elo q)) <= g (ehat st)) by (apply g_le; lra).
  assert (Hgh : g (ehat st) <= g (Q2R (ehi q))) by (apply g_le; lra).
  assert (HE : Q2R (rdown (qb pq * elo q + (1 - qb pq) * x)) <= ehat (step_report p st i) <=
               Q2R (rup (qb pq * ehi q + (1 - qb pq) * x))).
  { rewrite step_report_ehat. unfold ehat_next.
    pose proof (rdown_le (qb pq * elo q + (1 - qb pq) * x)) as R1.
    pose proof (rup_ge (qb pq * ehi q + (1 - qb pq) * x)) as R2.
    rewrite Q2R_plus, !Q2R_mult, Q2R_minus, Q2R_one, Hb, Hx in R1, R2. split; nra. }
  assert (HF : Q2R (rdown ((1 - qa pq) * flo q + qa pq * qg (elo q))) <= phi (step_report p st i) <=
               Q2R (rup ((1 - qa pq) * fhi q + qa pq * qg (ehi q)))).
  { rewrite step_report_phi. unfold phi_next.
    pose proof (rdown_le ((1 - qa pq) * flo q + qa pq * qg (elo q))) as R1.
    pose proof (rup_ge ((1 - qa pq) * fhi q + qa pq * qg (ehi q))) as R2.
    rewrite Q2R_plus, !Q2R_mult, Q2R_minus, Q2R_one, Q2R_g, Ha in R1 by lra.
    rewrite Q2R_plus, !Q2R_mult, Q2R_minus, Q2R_one, Q2R_g, Ha in R2 by lra. split; nra. }
  rewrite step_report_ehat in HE. rewrite step_report_phi in HF.
  unfold step_report. rewrite Hcl', Hmd, Hl.
  destruct (mode_eq_dec c (qmd q)) as [Eq|Ne].
  - injection Hs as <-. unfold contains; cbn [ehat phi md last elo ehi flo fhi qmd qlast].
    exact (conj HE (conj HF (conj eq_refl eq_refl))).
  - unfold cooldown_ok. rewrite <- Hcl. unfold qcooldown_ok in Hs.
    destruct (match qlast q with None => true | Some s => Z.leb (Z.of_nat (qcool pq)) (step i - s) end);
      injection Hs as <-; unfold contains; cbn [ehat phi md last elo ehi flo fhi qmd qlast];
      exact (conj HE (conj HF (conj eq_refl eq_refl))).
Qed.

(* The simulator over n records of a trace with observations xs k and step numbers t0 + k. *)
Fixpoint qrun (pq : qparams) (q0 : qstate) (xs : nat -> Q) (t0 : Z) (n : nat) : option qstate :=
  match n with
  | O => Some q0
  | S k => match qrun pq q0 xs t0 k with
           | Some q => qstep pq q (xs k) (t0 + Z.of_nat k)%Z
           | None => None
           end
  end.

Theorem qrun_sound (pq : qparams) (p : params) (s0 : state) (q0 : qstate) (u : trace) (xs : nat -> Q) (t0 : Z) :
  admissible p -> qmatch pq p -> contains q0 s0 -> consecutive t0 u ->
  (forall k, Q2R (xs k) = X p (loss (u k)) (env (u k))) ->
  forall n q, qrun pq q0 xs t0 n = Some q -> contains q (run_report p s0 u n).
Proof.
  intros Hp Hm H0 Hc Hx n; induction n as [|n IH]; intros q Hq.
  - simpl in Hq. injection Hq as <-. exact H0.
  - simpl in Hq. destruct (qrun pq q0 xs t0 n) as [q1|] eqn:E; [|discriminate].
    rewrite run_report_S. apply (qstep_sound pq p q1 q _ (u n) (xs n) Hp Hm (IH q1 eq_refl) (Hx n)).
    rewrite Hc. exact Hq.
Qed.

(* Checks along the way: every record up to n is simulated and satisfies the test. *)
Fixpoint qall (pq : qparams) (q0 : qstate) (xs : nat -> Q) (t0 : Z) (test : qstate -> bool) (n : nat) : bool :=
  (match qrun pq q0 xs t0 n with Some q => test q | None => false end) &&
  match n with O => true | S k => qall pq q0 xs t0 test k end.

Lemma qall_sound (pq : qparams) (q0 : qstate) (xs : nat -> Q) (t0 : Z) (test : qstate -> bool) (n : nat) :
  qall pq q0 xs t0 test n = true ->
  forall k, (k <= n)%nat -> exists q, qrun pq q0 xs t0 k = Some q /\ test q = true.
Proof.
  induction n as [|n IH]; intros H k Hk; cbn [qall] in H; apply andb_true_iff in H as [H1 H2].
  - replace k with O by lia. cbn [qrun] in H1 |- *. exists q0; split; [reflexivity|exact H1].
  - destruct (Nat.eq_dec k (S n)) as [->|Hne].
    + destruct (qrun pq q0 xs t0 (S n)) as [q|]; [exists q; split; [reflexivity|exact H1]|discriminate].
    + apply IH; [exact H2|lia].
Qed.

(* Running a trace for a + b records is running its tail for b records from the state at a. *)
Lemma run_report_add (p : params) (s0 : state) (u : trace) (a b : nat) :
  run_report p s0 u (a + b) = run_report p (run_report p s0 u a) (fun k => u (a + k)%nat) b.
Proof.
  induction b as [|b IH]; [rewrite Nat.add_0_r; reflexivity|].
  rewrite Nat.add_succ_r, !run_report_S, IH. reflexivity.
Qed.

(* The same in one pass (what the concrete checks run): from the box q at record k, test every
   record k, …, k + fuel and return the box at k + fuel. *)
Fixpoint qwalk (pq : qparams) (q : qstate) (xs : nat -> Q) (t0 : Z) (test : qstate -> bool)
    (k fuel : nat) : option qstate :=
  if test q then
    match fuel with
    | O => Some q
    | S f => match qstep pq q (xs k) (t0 + Z.of_nat k)%Z with
             | Some q' => qwalk pq q' xs t0 test (S k) f
             | None => None
             end
    end
  else None.

Theorem qwalk_sound (pq : qparams) (p : params) (s0 : state) (u : trace) (xs : nat -> Q) (t0 : Z)
    (test : qstate -> bool) :
  admissible p -> qmatch pq p -> consecutive t0 u ->
  (forall k, Q2R (xs k) = X p (loss (u k)) (env (u k))) ->
  forall fuel k q qf, contains q (run_report p s0 u k) -> qwalk pq q xs t0 test k fuel = Some qf ->
  (forall j, (k <= j <= k + fuel)%nat -> exists qj, contains qj (run_report p s0 u j) /\ test qj = true) /\
  contains qf (run_report p s0 u (k + fuel)%nat).
Proof.
  intros Hp Hm Hc Hx fuel; induction fuel as [|f IH]; intros k q qf Hq Hw; simpl in Hw.
  - destruct (test q) eqn:Et; [|discriminate]. injection Hw as <-.
    rewrite Nat.add_0_r. split; [|exact Hq].
    intros j Hj; replace j with k by lia; exists q; split; assumption.
  - destruct (test q) eqn:Et; [|discriminate].
    destruct (qstep pq q (xs k) (t0 + Z.of_nat k)%Z) as [q'|] eqn:Es; [|discriminate].
    assert (Hq' : contains q' (run_report p s0 u (S k))).
    { rewrite run_report_S. apply (qstep_sound pq p q q' _ (u k) (xs k) Hp Hm Hq (Hx k)).
      rewrite Hc; exact Es. }
    destruct (IH (S k) q' qf Hq' Hw) as [Hall Hend].
    replace (k + S f)%nat with (S k + f)%nat by lia. split; [|exact Hend].
    intros j Hj. destruct (Nat.eq_dec j k) as [->|Hne]; [exists q; split; assumption|].
    apply Hall; lia.
Qed.

(* Carrying a concrete check to the boxes it is about.  A test of computed boxes is decided by
   `vm_compute` on the goal `match o with Some q => t q | None => false end = true`: the kernel
   checks that by the virtual machine too.  Never `vm_compute in H`, and never unfold a check
   over computed boxes in a hypothesis: the kernel re-checks those conversions by its lazy
   reduction, which re-runs the simulator symbolically (minutes for a hundred records). *)
(* A concrete equation a = b with b a value, checked once, by the kernel's virtual machine at Qed
   (`vm_compute; reflexivity` would run the same computation twice: in the tactic and in the
   kernel). *)
Ltac vm_decide := match goal with |- _ = ?b => vm_cast_no_check (@eq_refl _ b) end.

Lemma box_test (o : option qstate) (t : qstate -> bool) :
  match o with Some q => t q | None => false end = true -> exists q, o = Some q /\ t q = true.
Proof. destruct o as [q|]; [intros H; exists q; split; [reflexivity|exact H]|discriminate]. Qed.

Lemma box_test4 (o1 o2 o3 o4 : option qstate) (t : qstate -> qstate -> qstate -> qstate -> bool) :
  match o1, o2, o3, o4 with Some q1, Some q2, Some q3, Some q4 => t q1 q2 q3 q4 | _, _, _, _ => false end = true ->
  exists q1 q2 q3 q4, o1 = Some q1 /\ o2 = Some q2 /\ o3 = Some q3 /\ o4 = Some q4 /\ t q1 q2 q3 q4 = true.
Proof.
  destruct o1 as [q1|], o2 as [q2|], o3 as [q3|], o4 as [q4|]; try discriminate.
  intros H; exists q1, q2, q3, q4; repeat split; exact H.
Qed.
