(* The T05 envelopes over the rationals, for deciding concrete figures of T09 and T14 at a
   parameter set given by rationals (QSim.qmatch): lo_j, hi_j (T09Index.lo_env, hi_env) and
   U(t) (T05.Ubound) computed exactly in Q and checked by vm_compute.  No rounding: these are
   finitely many exact rational expressions, so Q2R of the rational value IS the real value
   (qenv_R, qU_R).  Proofs/T09-recovery.md, Proofs/T14-latency.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool List.
From UnifiedLoRA Require Import Model Lemmas T03 T05 T09Index QSim.
Open Scope R_scope.

(* Reduced at every step (Qred), so the exact values stay small. *)
Fixpoint qpow (q : Q) (n : nat) : Q := match n with O => 1 | S k => Qred (q * qpow q k) end.

Lemma Q2R_red (q : Q) : Q2R (Qred q) = Q2R q.
Proof. apply Qeq_eqR, Qred_correct. Qed.

Lemma qpow_R (q : Q) (n : nat) : Q2R (qpow q n) = Q2R q ^ n.
Proof. induction n as [|n IH]; cbn [qpow pow]; [apply Q2R_one|rewrite Q2R_red, Q2R_mult, IH; reflexivity]. Qed.

(* S_t = Σ_{j<t} (1 − α)^{t−1−j} β^j (T03.Ssum). *)
Fixpoint qS (a b : Q) (n : nat) : Q := match n with O => 0 | S k => Qred ((1 - a) * qS a b k + qpow b k) end.

Lemma qS_R (a b : Q) (n : nat) : Q2R (qS a b n) = Ssum (Q2R a) (Q2R b) n.
Proof.
  induction n as [|n IH]; cbn [qS Ssum].
  - unfold Q2R; simpl; field.
  - rewrite Q2R_red, Q2R_plus, Q2R_mult, Q2R_minus, Q2R_one, IH, qpow_R. reflexivity.
Qed.

(* (1 − α)^j·u0 + α·S_j·c: hi_env with c = Θ, lo_env with c = Γ. *)
Definition qenv (pq : qparams) (u0 c : Q) (j : nat) : Q :=
  qpow (1 - qa pq) j * u0 + qa pq * qS (qa pq) (qb pq) j * c.

Lemma qenv_hi (pq : qparams) (p : params) (u0 c : Q) (j : nat) :
  qmatch pq p -> Q2R (qenv pq u0 c j) = hi_env p (Q2R u0) (Q2R c) j.
Proof.
  intros (Ha & Hb & _). unfold qenv, hi_env.
  rewrite Q2R_plus, !Q2R_mult, qpow_R, Q2R_minus, Q2R_one, qS_R, Ha, Hb. reflexivity.
Qed.

Lemma qenv_lo (pq : qparams) (p : params) (u0 c : Q) (j : nat) :
  qmatch pq p -> Q2R (qenv pq u0 c j) = lo_env p (Q2R u0) (Q2R c) j.
Proof. intros H. rewrite (qenv_hi pq p u0 c j H). reflexivity. Qed.

(* U(m + 1) = ρ^(m+1)·A + α·K·(m + 1)·ρ^m, with ρ given as a rational. *)
Definition qU (pq : qparams) (r A K : Q) (m : nat) : Q :=
  qpow r (S m) * A + qa pq * K * (inject_Z (Z.of_nat (S m)) * qpow r m).

Lemma qU_R (pq : qparams) (p : params) (r A K : Q) (m : nat) :
  qmatch pq p -> Q2R r = rho p -> Q2R (qU pq r A K m) = Ubound p (Q2R A) (Q2R K) m.
Proof.
  intros (Ha & _) Hr. unfold qU, Ubound.
  rewrite Q2R_plus, !Q2R_mult, !qpow_R, Hr, Ha, INR_IZR_INZ.
  unfold Q2R at 3; simpl. rewrite Rinv_1, Rmult_1_r. reflexivity.
Qed.

Lemma Q2R_Theta (e x : Q) : 0 <= Q2R x ->
  Q2R ((e - x) / ((1 + x) * (1 + x))) = Theta (Q2R e) (Q2R x).
Proof.
  intros Hx. unfold Theta, gslope.
  assert (H1 : Q2R (1 + x) <> 0) by (rewrite Q2R_plus, Q2R_one; lra).
  rewrite Q2R_plus, Q2R_one in H1.
  rewrite Q2R_div, Q2R_minus, Q2R_mult, Q2R_plus, Q2R_one.
  - field. exact H1.
  - intros Hz. apply Qeq_eqR in Hz. rewrite Q2R_mult, Q2R_plus, Q2R_one in Hz. unfold Q2R at 3 in Hz; simpl in Hz.
    apply H1. nra.
Qed.

(* j is the least index with th ≤ f j: f i < th for i < J, th ≤ f J. *)
Definition qfirst (f : nat -> Q) (th : Q) (J : nat) : bool :=
  forallb (fun i => qlt (f i) th) (seq 0 J) && Qle_bool th (f J).

Lemma qfirst_sound (f : nat -> Q) (th : Q) (J : nat) :
  qfirst f th J = true -> (forall i, (i < J)%nat -> Q2R (f i) < Q2R th) /\ Q2R th <= Q2R (f J).
Proof.
  unfold qfirst. intros H. apply andb_true_iff in H as [H1 H2]. split; [|apply qle_R, H2].
  intros i Hi. rewrite forallb_forall in H1. apply qlt_R, H1, in_seq. lia.
Qed.

(* f i < th for every i in [a, a + n). *)
Definition qbelow (f : nat -> Q) (th : Q) (a n : nat) : bool := forallb (fun i => qlt (f i) th) (seq a n).

Lemma qbelow_sound (f : nat -> Q) (th : Q) (a n : nat) :
  qbelow f th a n = true -> forall i, (a <= i < a + n)%nat -> Q2R (f i) < Q2R th.
Proof. unfold qbelow. intros H i Hi. rewrite forallb_forall in H. apply qlt_R, H, in_seq. lia. Qed.
