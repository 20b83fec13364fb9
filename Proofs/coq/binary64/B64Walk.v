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

(* ------------------------------------------------------------------------- *)
(* T02 part 3, second half: at α = 0.5 φ reaches exactly 1.0.  While the squash is exactly 1
   (every Ê ≥ 2^54, B64_squash_one_from_2p54), φ' = fl(fl(fl(1 − 0.5)·φ) + fl(0.5·1)); from
   φ_0 = 0 it is 1 − 2^-t for t ≤ 53 and exactly 1.0 at t = 54 (1 − 2^-54 is a tie, rounded to the
   even 1.0).  The 54 steps run on Flocq's bit-level doubles, each checked finite. *)

Definition phi_half_next (f : R) : R := fadd (fmul (fsub 1 (1/2)) f) (fmul (1/2) 1).

Fixpoint phi_half (n : nat) : R :=
  match n with O => 0 | S k => phi_half_next (phi_half k) end.

(* φ' of the model (phi_next64) is phi_half_next whenever the squash is 1. *)
Lemma phi_next64_half f e : squash64 e = 1 -> phi_next64 (1/2) f e = phi_half_next f.
Proof. intros H. unfold phi_next64, phi_half_next. rewrite H. reflexivity. Qed.

Definition c_omh : b64 := b64_minus c_one c_half.

Definition hstep (f : b64) : bool * b64 :=
  let m1 := b64_mult c_omh f in
  let m2 := b64_mult c_half c_one in
  let f' := b64_plus m1 m2 in
  (is_finite f && is_finite m1 && is_finite m2 && is_finite f', f').

Lemma hstep_correct f : fst (hstep f) = true -> B2R (snd (hstep f)) = phi_half_next (B2R f).
Proof.
  unfold hstep. cbv zeta. cbn [fst snd]. intros H.
  repeat match type of H with
         | (_ && _)%bool = true => apply andb_prop in H; destruct H as [H ?]
         end.
  unfold phi_half_next.
  assert (Homh : fsub 1 (1/2) = B2R c_omh).
  { rewrite <- c_half_R, <- c_one_R. unfold c_omh. rewrite b64_minus_correct by (vm_compute; reflexivity).
    reflexivity. }
  rewrite Homh, <- c_half_R, <- c_one_R.
  rewrite b64_plus_correct by assumption. rewrite !b64_mult_correct by assumption. reflexivity.
Qed.

Fixpoint hwalk (n : nat) (f : b64) : bool * b64 :=
  match n with
  | O => (true, f)
  | S k => let r := hwalk k f in let s := hstep (snd r) in (fst r && fst s, snd s)
  end.

Lemma hwalk_correct n : fst (hwalk n b_zero) = true -> B2R (snd (hwalk n b_zero)) = phi_half n.
Proof.
  induction n as [|n IH]; [reflexivity|]. cbn [hwalk fst snd phi_half]. intros H.
  apply andb_prop in H as [H1 H2]. rewrite hstep_correct by exact H2. rewrite IH by exact H1. reflexivity.
Qed.

Theorem B64_alpha_half_reaches_one :
  phi_half 54 = 1 /\ phi_half 53 = 1 - bpow radix2 (-53) /\ phi_half 53 < 1.
Proof.
  assert (Ok54 : fst (hwalk 54 b_zero) = true) by (vm_compute; reflexivity).
  assert (Ok53 : fst (hwalk 53 b_zero) = true) by (vm_compute; reflexivity).
  assert (V54 : B2R (snd (hwalk 54 b_zero)) = 1).
  { rewrite <- c_one_R. apply B2R_eq_SF. vm_compute. reflexivity. }
  assert (V53 : B2R (snd (hwalk 53 b_zero)) = 1 - bpow radix2 (-53)).
  { transitivity (B2R (@B754_finite 53 1024 false 9007199254740991 (-53) eq_refl)).
    - apply B2R_eq_SF. vm_compute. reflexivity.
    - unfold B2R, F2R; simpl. lra. }
  rewrite (hwalk_correct 54 Ok54) in V54. rewrite (hwalk_correct 53 Ok53) in V53.
  split; [exact V54|]. split; [exact V53|]. rewrite V53. simpl. lra.
Qed.

(* The same for the model's φ update with any Ê sequence whose squash is 1 (e.g. every Ê ≥ 2^54). *)
Corollary B64_alpha_half_phi_one (es : nat -> R) :
  (forall t, squash64 (es t) = 1) ->
  let f := fix f n := match n with O => 0 | S k => phi_next64 (1/2) (f k) (es k) end in
  f 54%nat = 1 /\ f 53%nat < 1.
Proof.
  intros Hs f.
  assert (E : forall n, f n = phi_half n).
  { induction n as [|n IH]; [reflexivity|]. simpl. rewrite <- IH. apply phi_next64_half, Hs. }
  rewrite !E. destruct B64_alpha_half_reaches_one as (A & _ & C). split; assumption.
Qed.
