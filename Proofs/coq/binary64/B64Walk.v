(* The published controller's zero-loss walk from its start (1, 0.5) to the subnormal fixed state
   (5, 15)·2^-1074, run to the end: 7112 steps, on the kernel's primitive binary64 floats
   (vm_compute runs them natively) and carried to Flocq's bit-level model by Flocq's
   PrimFloat equivalences (Prim2B commutes with +, ×, ÷ in round-to-nearest-even), then to the
   real model run_repo64 by walk_correct (B64Published).  The checked Flocq walk itself would take
   minutes under vm_compute (a few ms per Flocq division); the primitive one takes milliseconds.
   Rests on the standard library's specification of primitive floats (FloatAxioms), which
   scripts/check-proofs admits for binary64/. *)

Local Set Warnings "-abstract-large-number".
From Coq Require Import Reals Lra Lia ZArith Floats Eqdep_dec.
From Flocq Require Import Core.
From Flocq Require Import IEEE754.BinarySingleNaN IEEE754.PrimFloat.
From UnifiedLoRA Require Import binary64.B64Model binary64.B64Facts binary64.B64Published.
Local Open Scope bool_scope.

Lemma comparison_uip (c : comparison) (a b : c = Lt) : a = b.
Proof. apply UIP_dec. decide equality. Qed.

Lemma prec_irr (a b : Prec_gt_0 53) : a = b.
Proof. apply comparison_uip. Qed.

Lemma emax_irr (a b : Prec_lt_emax 53 1024) : a = b.
Proof. apply comparison_uip. Qed.

Lemma prim_mult x y : Prim2B (x * y)%float = b64_mult (Prim2B x) (Prim2B y).
Proof. rewrite mul_equiv. unfold b64_mult. f_equal; [apply prec_irr|apply emax_irr]. Qed.

Lemma prim_plus x y : Prim2B (x + y)%float = b64_plus (Prim2B x) (Prim2B y).
Proof. rewrite add_equiv. unfold b64_plus. f_equal; [apply prec_irr|apply emax_irr]. Qed.

Lemma prim_div x y : Prim2B (x / y)%float = b64_div (Prim2B x) (Prim2B y).
Proof. rewrite div_equiv. unfold b64_div. f_equal; [apply prec_irr|apply emax_irr]. Qed.

Lemma prim_finite x : PrimFloat.is_finite x = is_finite (Prim2B x).
Proof. apply is_finite_equiv. Qed.

Definition pnonzero_finite (x : PrimFloat.float) : bool := nonzero_finite (Prim2B x).

(* The same step as bstep, on primitive floats. *)
Definition pstep (s : PrimFloat.float * PrimFloat.float) : bool * (PrimFloat.float * PrimFloat.float) :=
  let m1 := (B2Prim c_beta * fst s)%float in
  let m2 := (B2Prim c_omb * B2Prim b_zero)%float in
  let e' := (m1 + m2)%float in
  let p1 := (B2Prim c_oma * snd s)%float in
  let s1 := (B2Prim c_one + e')%float in
  let q := (e' / s1)%float in
  let p2 := (B2Prim c_alpha * q)%float in
  let f' := (p1 + p2)%float in
  (PrimFloat.is_finite (fst s) && PrimFloat.is_finite (snd s) && PrimFloat.is_finite m1 &&
   PrimFloat.is_finite m2 && PrimFloat.is_finite e' && PrimFloat.is_finite p1 &&
   PrimFloat.is_finite s1 && PrimFloat.is_finite q && PrimFloat.is_finite p2 &&
   PrimFloat.is_finite f' && pnonzero_finite s1, (e', f')).

Definition P2B (s : PrimFloat.float * PrimFloat.float) : b64 * b64 := (Prim2B (fst s), Prim2B (snd s)).

Lemma pstep_equiv s : fst (pstep s) = fst (bstep (P2B s)) /\ P2B (snd (pstep s)) = snd (bstep (P2B s)).
Proof.
  unfold pstep, bstep, P2B, pnonzero_finite. cbv zeta. cbn [fst snd].
  rewrite !prim_finite. repeat progress rewrite ?prim_plus, ?prim_div, ?prim_mult, ?Prim2B_B2Prim. split; reflexivity.
Qed.

Fixpoint pwalk (n : nat) (ok : bool) (prev s : PrimFloat.float * PrimFloat.float) : bool * (PrimFloat.float * PrimFloat.float) * (PrimFloat.float * PrimFloat.float) :=
  match n with
  | O => (ok, prev, s)
  | S k => let r := pstep s in pwalk k (ok && fst r) s (snd r)
  end.

Lemma pwalk_equiv n ok prev s :
  fst (fst (pwalk n ok prev s)) = fst (fst (walk n ok (P2B prev) (P2B s))) /\
  P2B (snd (fst (pwalk n ok prev s))) = snd (fst (walk n ok (P2B prev) (P2B s))) /\
  P2B (snd (pwalk n ok prev s)) = snd (walk n ok (P2B prev) (P2B s)).
Proof.
  revert ok prev s. induction n as [|n IH]; intros ok prev s; [repeat split; reflexivity|].
  cbn [pwalk walk]. destruct (pstep_equiv s) as [H1 H2]. rewrite <- H1, <- H2. apply IH.
Qed.

Definition p_start : PrimFloat.float * PrimFloat.float := (B2Prim c_one, B2Prim c_half).

Lemma p_start_B : P2B p_start = b_start.
Proof. unfold P2B, p_start, b_start; cbn [fst snd]. rewrite !Prim2B_B2Prim. reflexivity. Qed.

Definition sub_b5 : b64 := @B754_finite 53 1024 false 5 (-1074) eq_refl.
Definition sub_b15 : b64 := @B754_finite 53 1024 false 15 (-1074) eq_refl.
Definition sub_b16 : b64 := @B754_finite 53 1024 false 16 (-1074) eq_refl.

(* After exactly 7112 zero losses the published controller is at (5, 15)·2^-1074 (and it stays
   there, B64_zero_loss_stays); after 7111 it is at (5, 16)·2^-1074, so 7112 is the first. *)
Theorem B64_zero_loss_walk_7112 :
  run_repo64 alpha_d beta_d (1, 1/2) (fun _ => 0) 7112 = (sub_min 5, sub_min 15) /\
  run_repo64 alpha_d beta_d (1, 1/2) (fun _ => 0) 7111 = (sub_min 5, sub_min 16).
Proof.
  pose proof (pwalk_equiv 7112 true p_start p_start) as (Hok & Hprev & Hend).
  rewrite p_start_B in Hok, Hprev, Hend.
  assert (Hc : pwalk 7112 true p_start p_start =
               (true, (B2Prim sub_b5, B2Prim sub_b16), (B2Prim sub_b5, B2Prim sub_b15)))
    by (vm_compute; reflexivity).
  rewrite Hc in Hok, Hprev, Hend. cbn [fst snd] in Hok, Hprev, Hend.
  destruct (walk_correct 7112 b_start b_start (eq_sym Hok)) as [W1 W2].
  rewrite b_start_R in W1, W2. rewrite <- Hend in W1. rewrite <- Hprev in W2.
  unfold P2B, pairR in W1, W2. cbn [fst snd] in W1, W2. rewrite !Prim2B_B2Prim in W1, W2.
  assert (Hn : 7112%nat <> O) by (intro H; vm_compute in H; discriminate).
  specialize (W2 Hn).
  assert (Hp : Nat.pred 7112 = 7111%nat) by (vm_compute; reflexivity). rewrite Hp in W2.
  split; [rewrite <- W1; reflexivity|rewrite <- W2; reflexivity].
Qed.
