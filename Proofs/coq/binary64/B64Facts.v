(* The binary64 facts stated by Proofs/T02-binary64.md and the README, proved over the model of
   B64Model.v (one rounding per operation, round to nearest even). *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core Relative Sterbenz Mult_error.
From Flocq Require Import IEEE754.BinarySingleNaN.
From UnifiedLoRA Require Import binary64.B64Model.
Open Scope R_scope.

Local Notation ulp := (ulp radix2 fexp64).
Local Notation pred := (pred radix2 fexp64).
Local Notation succ := (succ radix2 fexp64).
Local Notation bpow := (bpow radix2).

(* ------------------------------------------------------------------------- *)
(* Helpers                                                                     *)

Lemma B2R_eq_SF (x y : b64) : B2SF x = B2SF y -> B2R x = B2R y.
Proof. intros H. rewrite <- !SF2R_B2SF, H. reflexivity. Qed.

Definition b64_one : b64 := @Bone 53 1024 b64_prec b64_emax.
Lemma b64_one_R : B2R b64_one = 1.
Proof. apply Bone_correct. Qed.

(* The largest double below 1. *)
Definition below1 : R := 1 - bpow (-53).

Lemma pred_1 : pred 1 = below1.
Proof.
  change 1 with (bpow 0). rewrite pred_bpow. reflexivity.
Qed.

Lemma below1_F : F64 below1.
Proof. rewrite <- pred_1. apply generic_format_pred; auto with typeclass_instances. exact F64_1. Qed.

Lemma F64_lt_1 x : F64 x -> x < 1 -> x <= below1.
Proof. intros Fx H. rewrite <- pred_1. apply pred_ge_gt; auto with typeclass_instances. exact F64_1. Qed.

Lemma bpow_m53 : bpow (-53) = / 9007199254740992.
Proof. reflexivity. Qed.

Lemma bpow_m52 : bpow (-52) = / 4503599627370496.
Proof. reflexivity. Qed.

Lemma ulp_pos_F x : F64 x -> 0 < x -> bpow (-1074) <= ulp x.
Proof.
  intros Fx Hx. rewrite ulp_neq_0 by lra. apply bpow_le. unfold cexp, fexp64, FLT_exp. lia.
Qed.

(* A positive double is at least the least subnormal 2^-1074. *)
Lemma F64_pos_ge x : F64 x -> 0 < x -> bpow (-1074) <= x.
Proof.
  intros Fx Hx. apply Rle_trans with (ulp x); [apply ulp_pos_F; assumption|].
  rewrite <- (Rabs_pos_eq x) at 2 by lra. apply ulp_le_abs; [lra|exact Fx].
Qed.

(* ulp on [1, 2) is 2^-52. *)
Lemma ulp_1_2 x : 1 <= x < 2 -> ulp x = bpow (-52).
Proof.
  intros Hx. rewrite ulp_neq_0 by lra. unfold cexp.
  rewrite (mag_unique_pos radix2 x 1).
  - reflexivity.
  - simpl. lra.
Qed.

(* Rounding a number above half the least subnormal gives a positive double. *)
Lemma fl_pos x : bpow (-1075) < x -> 0 < fl x.
Proof.
  intros Hx. generalize (fl_error x). intros He.
  destruct (Rlt_or_le x (bpow (-1074 + 53))) as [Hs|Hb].
  - assert (Hp : Prec_gt_0 53) by reflexivity.
    assert (Hu : ulp x = bpow (-1074)).
    { unfold fexp64. apply ulp_FLT_small; try exact Hp.
      rewrite Rabs_pos_eq; [exact Hs|]. generalize (bpow_gt_0 radix2 (-1075)). lra. }
    rewrite Hu in He.
    apply Rabs_le_inv in He. replace (bpow (-1075)) with (/2 * bpow (-1074)) in Hx by
      (change (-1075)%Z with (-1 + -1074)%Z; rewrite bpow_plus; reflexivity). lra.
  - assert (Hx0 : 0 < x) by (generalize (bpow_gt_0 radix2 (-1074 + 53)); lra).
    assert (Hu : ulp x <= Rabs x * bpow (1 - 53)).
    { assert (Hp : Prec_gt_0 53) by reflexivity.
      unfold fexp64. apply ulp_FLT_le; try exact Hp. rewrite Rabs_pos_eq by lra.
      apply Rle_trans with (bpow (-1074 + 53)); [apply bpow_le; lia|exact Hb]. }
    rewrite Rabs_pos_eq in Hu by lra.
    apply Rabs_le_inv in He. change (bpow (1 - 53)) with (bpow (-52)) in Hu.
    rewrite bpow_m52 in Hu. lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* 1. When the squash x/(1 + x) is exactly 1                                  *)

Lemma squash64_nonneg x : 0 <= x -> 0 <= squash64 x.
Proof.
  intros Hx. unfold squash64, fdiv, fadd. apply fl_nonneg.
  assert (1 <= fl (1 + x)) by (apply fl_ge_F; [exact F64_1|lra]).
  apply Rmult_le_pos; [lra|]. apply Rlt_le, Rinv_0_lt_compat. lra.
Qed.

Lemma squash64_le_1 x : F64 x -> 0 <= x -> squash64 x <= 1.
Proof.
  intros Fx Hx. unfold squash64, fdiv, fadd.
  assert (H1 : 1 <= fl (1 + x)) by (apply fl_ge_F; [exact F64_1|lra]).
  assert (H2 : x <= fl (1 + x)) by (apply fl_ge_F; [exact Fx|lra]).
  apply fl_le_F; [exact F64_1|]. apply (Rmult_le_reg_r (fl (1 + x))); [lra|].
  unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(* From 2^54 on, 1 + x rounds to x and the quotient is exactly 1. *)
Theorem B64_squash_one_from_2p54 x :
  F64 x -> bpow 54 <= x -> squash64 x = 1.
Proof.
  intros Fx Hx.
  assert (Hx0 : 0 < x) by (generalize (bpow_gt_0 radix2 54); lra).
  assert (Hu : bpow 2 <= ulp x).
  { replace (bpow 2) with (ulp (bpow 54)) by (rewrite ulp_bpow; reflexivity).
    apply ulp_le; auto with typeclass_instances.
    rewrite !Rabs_pos_eq; [|lra|apply bpow_ge_0]. exact Hx. }
  simpl in Hu.
  assert (Hs : fl (1 + x) = x).
  { unfold fl. rewrite Rplus_comm.
    rewrite round_N_eq_DN; auto with typeclass_instances.
    - apply round_DN_plus_eps_pos; auto with typeclass_instances; lra.
    - rewrite round_DN_plus_eps_pos, round_UP_plus_eps_pos; auto with typeclass_instances; lra. }
  unfold squash64, fadd, fdiv. rewrite Hs. unfold Rdiv. rewrite Rinv_r by lra.
  apply fl_id. exact F64_1.
Qed.

(* Below 2^53 the quotient rounds to at most 1 − 2^-53 < 1. *)
Theorem B64_squash_below_one x :
  F64 x -> 0 <= x < bpow 53 -> squash64 x <= below1.
Proof.
  intros Fx Hx. unfold squash64, fadd, fdiv.
  assert (H1 : 1 <= fl (1 + x)) by (apply fl_ge_F; [exact F64_1|lra]).
  destruct (Rlt_or_le x 1) as [Hl|Hl].
  - (* the quotient is at most x < 1 *)
    apply Rle_trans with (fl x).
    + apply fl_le. unfold Rdiv.
      assert (Hi : / fl (1 + x) <= / 1) by (apply Rinv_le_contravar; lra). rewrite Rinv_1 in Hi.
      apply Rle_trans with (x * 1); [|lra]. apply Rmult_le_compat_l; lra.
    + rewrite fl_id by exact Fx. now apply F64_lt_1.
  - (* 1 + x rounds to at least succ x = x + ulp x, and x < 2^53 ulp x *)
    assert (Hx0 : x <> 0) by lra.
    assert (Hc : (cexp radix2 fexp64 x = mag radix2 x - 53)%Z).
    { unfold cexp, fexp64, FLT_exp.
      assert (0 <= mag radix2 x)%Z.
      { apply mag_ge_bpow. rewrite Rabs_pos_eq by lra. simpl. lra. }
      lia. }
    assert (Hu1 : ulp x <= 1).
    { rewrite ulp_neq_0 by exact Hx0. change 1 with (bpow 0). apply bpow_le.
      rewrite Hc. assert (mag radix2 x <= 53)%Z.
      { apply mag_le_bpow; [exact Hx0|]. rewrite Rabs_pos_eq by lra. lra. }
      lia. }
    assert (Hux : x < bpow 53 * ulp x).
    { rewrite ulp_neq_0 by exact Hx0. rewrite Hc, <- bpow_plus.
      replace (53 + (mag radix2 x - 53))%Z with (mag radix2 x : Z) by lia.
      generalize (bpow_mag_gt radix2 x). rewrite Rabs_pos_eq by lra. auto. }
    assert (Hu0 : 0 < ulp x).
    { apply Rlt_le_trans with (bpow (-1074)); [apply bpow_gt_0|apply ulp_pos_F; auto; lra]. }
    assert (Hy : x + ulp x <= fl (1 + x)).
    { apply fl_ge_F.
      - rewrite <- succ_eq_pos by lra. apply generic_format_succ; auto with typeclass_instances.
      - lra. }
    apply round_N_le_midp; auto with typeclass_instances.
    + exact below1_F.
    + rewrite <- pred_1, succ_pred; auto with typeclass_instances; [|exact F64_1]. rewrite pred_1. unfold below1.
      rewrite bpow_m53. simpl in Hux.
      apply Rle_lt_trans with (x / (x + ulp x)).
      * unfold Rdiv. apply Rmult_le_compat_l; [lra|]. apply Rinv_le_contravar; lra.
      * apply (Rmult_lt_reg_r (x + ulp x)); [lra|].
        unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(* Ground values at the boundary, computed by the bit-level operations:
   fl(2^53 / fl(1 + 2^53)) = 1, and fl((2^53+2) / fl(1 + (2^53+2))) = 1 − 2^-52 < 1
   (1 + (2^53 + 2) is a tie rounded to the even 2^53 + 4): between 2^53 and 2^54 the
   squash is 1 exactly at the even significands, so "exactly 1 for x ≥ 2^53" is false. *)
