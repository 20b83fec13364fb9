(* Binary32 (T02, the single-precision analogue), one rounding per operation to nearest-even in
   FLT(−149, 24), the operations as in binary64 (1 − α and 1 + x at run time, the squash as a
   quotient, no fused multiply-add).

   The squash fl(x/fl(1 + x)):
   - is exactly 1 for every single x ≥ 2^25 (1 + x rounds to x): B32_squash_one_from_2p25;
   - on [2^24, 2^25), where the singles are x = 2m (2^23 ≤ m < 2^24), 1 + x is the midpoint of
     x and x + 2 and ties to the even significand: the squash is 1 iff m is even (2^24 itself
     included), and at most 1 − 2^-24 when m is odd (2^24 + 2 gives 1 − 2^-23):
     B32_T02_squash_binade_2p24, B32_T02_squash_2p24, B32_T02_squash_2p24_plus_2.  So "exactly 1
     from 2^24" is false for binary32, as "from 2^53" is for binary64 (B64_squash_2p53_plus_2);
   - is at most 1 − 2^-24 < 1 for every single 0 ≤ x < 2^24: B32_T02_squash_below_one.
   φ at α = fl32(0.1) = 13421773·2^-27: fl32(1 − α) = fl32(0.9) and the successor of the largest
   single below 1 is itself, so φ ≤ 1 − 2^-24 for ever, for every sequence of singles Ê_t ≥ 0
   driving it (the report's old Ê and the repo's new Ê alike): B32_T02_phi_never_one.  φ ≤ 1 for
   every α ∈ (0, 1] (B32_T02_phi_le_1); φ > 0 for ever once φ_0 > 0 when fl32(1 − α) > 1/2
   (B32_T02_phi_positive, α = 0.1 included); α = 0.5 with the squash at 1 reaches exactly 1.0
   after 25 steps (B32_T02_alpha_half_reaches_one).  Ê never exceeds a power of two 2^k ≥ 2^-100
   that bounds its start and its inputs when β ∈ [1/2, 1): B32_T02_ehat_bounded_pow2 (k = 127: no
   overflow for inputs ≤ 2^127; every finite input: B32Overflow.v).  C4: with E ≡ 0, α_E = 1/2,
   α = 0.1f, φ ≤ 1/3 − (23/3)·2^-25 < 1/3 for every loss sequence although fl32(1/3) > 1/3
   (B32_T02_C4_phi_below_third, B32_T02_C4_defaults).  Proofs/binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core Sterbenz Mult_error.
From Flocq Require Import IEEE754.BinarySingleNaN.
Open Scope R_scope.

Local Notation bpow := (bpow radix2).

Definition fexp32 := FLT_exp (-149) 24.
Definition fl32 (x : R) : R := round radix2 fexp32 ZnearestE x.
Definition F32 (x : R) : Prop := generic_format radix2 fexp32 x.
Definition squash32 (x : R) : R := fl32 (x / fl32 (1 + x)).

Global Instance fexp32_valid : Valid_exp fexp32.
Proof. unfold fexp32. apply FLT_exp_valid. reflexivity. Qed.

Global Instance fexp32_monotone : Monotone_exp fexp32.
Proof. unfold fexp32. apply FLT_exp_monotone. Qed.

Lemma F32_bpow e : (-149 <= e)%Z -> F32 (bpow e).
Proof. intros H. apply generic_format_bpow. unfold fexp32, FLT_exp. lia. Qed.

Lemma F32_1 : F32 1.
Proof. change 1 with (bpow 0). apply F32_bpow. lia. Qed.

Lemma fl32_id x : F32 x -> fl32 x = x.
Proof. intros H. apply round_generic; auto with typeclass_instances. Qed.

Theorem B32_squash_one_from_2p25 x :
  F32 x -> bpow 25 <= x -> squash32 x = 1.
Proof.
  intros Fx Hx.
  assert (Hx0 : 0 < x) by (generalize (bpow_gt_0 radix2 25); lra).
  assert (Hu : bpow 2 <= ulp radix2 fexp32 x).
  { replace (bpow 2) with (ulp radix2 fexp32 (bpow 25)) by (rewrite ulp_bpow; reflexivity).
    apply ulp_le; auto with typeclass_instances.
    rewrite !Rabs_pos_eq; [|lra|apply bpow_ge_0]. exact Hx. }
  simpl in Hu.
  assert (Hs : fl32 (1 + x) = x).
  { unfold fl32. rewrite Rplus_comm.
    rewrite round_N_eq_DN; auto with typeclass_instances.
    - apply round_DN_plus_eps_pos; auto with typeclass_instances; lra.
    - rewrite round_DN_plus_eps_pos, round_UP_plus_eps_pos; auto with typeclass_instances; lra. }
  unfold squash32. rewrite Hs. unfold Rdiv. rewrite Rinv_r by lra.
  apply fl32_id. exact F32_1.
Qed.

(* ------------------------------------------------------------------------- *)
(* The operations                                                              *)

Definition fadd32 (x y : R) : R := fl32 (x + y).
Definition fsub32 (x y : R) : R := fl32 (x - y).
Definition fmul32 (x y : R) : R := fl32 (x * y).
Definition fdiv32 (x y : R) : R := fl32 (x / y).

Lemma squash32_eq x : squash32 x = fdiv32 x (fadd32 1 x).
Proof. reflexivity. Qed.

Definition phi_next32 (a f e : R) : R := fadd32 (fmul32 (fsub32 1 a) f) (fmul32 a (squash32 e)).
Definition ehat_next32 (b e x : R) : R := fadd32 (fmul32 b e) (fmul32 (fsub32 1 b) x).

(* φ driven by a sequence of Ê values (the report feeds the old Ê_t, the repo the new Ê_{t+1}). *)
Fixpoint phi_seq32 (a f0 : R) (es : nat -> R) (n : nat) : R :=
  match n with
  | O => f0
  | S k => phi_next32 a (phi_seq32 a f0 es k) (es k)
  end.

Fixpoint ehat_seq32 (b e0 : R) (x : nat -> R) (n : nat) : R :=
  match n with
  | O => e0
  | S k => ehat_next32 b (ehat_seq32 b e0 x k) (x k)
  end.

Lemma fl32_format x : F32 (fl32 x).
Proof. apply generic_format_round; auto with typeclass_instances. Qed.

Lemma fl32_le x y : x <= y -> fl32 x <= fl32 y.
Proof. intros H. apply round_le; auto with typeclass_instances. Qed.

Lemma fl32_le_F x y : F32 y -> x <= y -> fl32 x <= y.
Proof. intros Hy H. apply round_le_generic; auto with typeclass_instances. Qed.

Lemma fl32_ge_F x y : F32 y -> y <= x -> y <= fl32 x.
Proof. intros Hy H. apply round_ge_generic; auto with typeclass_instances. Qed.

Lemma fl32_0 : fl32 0 = 0.
Proof. apply round_0; auto with typeclass_instances. Qed.

Lemma fl32_nonneg x : 0 <= x -> 0 <= fl32 x.
Proof. intros H. rewrite <- fl32_0. now apply fl32_le. Qed.

Lemma F32_0 : F32 0.
Proof. apply generic_format_0. Qed.

(* The largest single below 1. *)
Definition below1_32 : R := 1 - bpow (-24).

Lemma pred32_1 : pred radix2 fexp32 1 = below1_32.
Proof. change 1 with (bpow 0). rewrite pred_bpow. reflexivity. Qed.

Lemma below1_32_F : F32 below1_32.
Proof. rewrite <- pred32_1. apply generic_format_pred; auto with typeclass_instances. exact F32_1. Qed.

Lemma F32_lt_1 x : F32 x -> x < 1 -> x <= below1_32.
Proof. intros Fx H. rewrite <- pred32_1. apply pred_ge_gt; auto with typeclass_instances. exact F32_1. Qed.

Lemma squash32_nonneg x : 0 <= x -> 0 <= squash32 x.
Proof.
  intros Hx. unfold squash32. apply fl32_nonneg.
  assert (1 <= fl32 (1 + x)) by (apply fl32_ge_F; [exact F32_1|lra]).
  apply Rmult_le_pos; [lra|]. apply Rlt_le, Rinv_0_lt_compat. lra.
Qed.

Lemma div_le32 a b c : 0 < b -> a <= c * b -> a / b <= c.
Proof.
  intros Hb H. unfold Rdiv. apply Rmult_le_reg_r with b; [lra|].
  rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

Lemma squash32_le_1 x : F32 x -> 0 <= x -> squash32 x <= 1.
Proof.
  intros Fx Hx. unfold squash32.
  assert (H1 : 1 <= fl32 (1 + x)) by (apply fl32_ge_F; [exact F32_1|lra]).
  assert (H2 : x <= fl32 (1 + x)) by (apply fl32_ge_F; [exact Fx|lra]).
  apply fl32_le_F; [exact F32_1|]. apply div_le32; lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* The squash below 2^24 and on [2^24, 2^25)                                    *)

Theorem B32_T02_squash_below_one x :
  F32 x -> 0 <= x < bpow 24 -> squash32 x <= below1_32.
Proof.
  intros Fx Hx. unfold squash32.
  assert (H1 : 1 <= fl32 (1 + x)) by (apply fl32_ge_F; [exact F32_1|lra]).
  destruct (Rlt_or_le x 1) as [Hl|Hl].
  - apply Rle_trans with (fl32 x).
    + apply fl32_le. unfold Rdiv.
      assert (Hi : / fl32 (1 + x) <= / 1) by (apply Rinv_le_contravar; lra). rewrite Rinv_1 in Hi.
      apply Rle_trans with (x * 1); [|lra]. apply Rmult_le_compat_l; lra.
    + rewrite fl32_id by exact Fx. now apply F32_lt_1.
  - assert (Hx0 : x <> 0) by lra.
    assert (Hm0 : (0 <= mag radix2 x)%Z).
    { apply mag_ge_bpow. rewrite Rabs_pos_eq by lra. simpl. lra. }
    assert (Hc : (cexp radix2 fexp32 x = mag radix2 x - 24)%Z).
    { unfold cexp, fexp32, FLT_exp. lia. }
    assert (Hux : x < bpow 24 * ulp radix2 fexp32 x).
    { rewrite ulp_neq_0 by exact Hx0. rewrite Hc, <- bpow_plus.
      replace (24 + (mag radix2 x - 24))%Z with (mag radix2 x : Z) by lia.
      generalize (bpow_mag_gt radix2 x). rewrite Rabs_pos_eq by lra. auto. }
    assert (Hu0 : 0 < ulp radix2 fexp32 x).
    { rewrite ulp_neq_0 by exact Hx0. apply bpow_gt_0. }
    assert (Hy : x + ulp radix2 fexp32 x <= fl32 (1 + x)).
    { apply fl32_ge_F.
      - rewrite <- succ_eq_pos by lra. apply generic_format_succ; auto with typeclass_instances.
      - assert (ulp radix2 fexp32 x <= 1).
        { rewrite ulp_neq_0 by exact Hx0. change 1 with (bpow 0). apply bpow_le.
          rewrite Hc. assert (mag radix2 x <= 24)%Z.
          { apply mag_le_bpow; [exact Hx0|]. rewrite Rabs_pos_eq by lra. lra. }
          lia. }
        lra. }
    apply round_N_le_midp; auto with typeclass_instances.
    + exact below1_32_F.
    + rewrite <- pred32_1, succ_pred; auto with typeclass_instances; [|exact F32_1].
      rewrite pred32_1. unfold below1_32.
      assert (E24 : bpow (-24) = / 16777216) by reflexivity.
      assert (P24 : bpow 24 = 16777216) by reflexivity.
      rewrite E24. rewrite P24 in Hux.
      apply Rle_lt_trans with (x / (x + ulp radix2 fexp32 x)).
      * unfold Rdiv. apply Rmult_le_compat_l; [lra|]. apply Rinv_le_contravar; lra.
      * apply (Rmult_lt_reg_r (x + ulp radix2 fexp32 x)); [lra|].
        unfold Rdiv. rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

(* 1 + 2m for 2^23 ≤ m < 2^24 is the midpoint of 2m and 2m + 2; it rounds to the one whose
   significand (m or m + 1) is even. *)
Lemma fl32_one_plus_binade m :
  (2 ^ 23 <= m < 2 ^ 24)%Z ->
  fl32 (1 + IZR m * 2) = if Z.even m then IZR m * 2 else IZR m * 2 + 2.
Proof.
  intros Hm.
  assert (Hm' : 8388608 <= IZR m <= 16777215).
  { split; [change 8388608 with (IZR (2 ^ 23)); apply IZR_le; lia|
            change 16777215 with (IZR (2 ^ 24 - 1)); apply IZR_le; lia]. }
  assert (Hmag : mag radix2 (1 + IZR m * 2) = 25%Z :> Z).
  { apply mag_unique_pos. replace (25 - 1)%Z with 24%Z by lia.
    assert (bpow 24 = 16777216) by reflexivity. assert (bpow 25 = 33554432) by reflexivity. lra. }
  unfold fl32, round, F2R, scaled_mantissa, cexp. rewrite Hmag. simpl Fnum. simpl Fexp.
  change (fexp32 25) with 1%Z.
  assert (E2 : IZR (Z.pow_pos 2 1) = 2) by reflexivity. rewrite E2.
  assert (Hs : (1 + IZR m * 2) * / 2 = IZR m + / 2) by field.
  rewrite Hs. assert (E2' : bpow 1 = 2) by reflexivity. rewrite E2'.
  assert (Hf : Zfloor (IZR m + / 2) = m).
  { apply Zfloor_imp. rewrite plus_IZR. change (IZR 1) with 1. lra. }
  assert (Hce : Zceil (IZR m + / 2) = (m + 1)%Z).
  { apply Zceil_imp. rewrite ?minus_IZR, ?plus_IZR. change (IZR 1) with 1. lra. }
  unfold ZnearestE, Znearest. rewrite Hf.
  rewrite Rcompare_Eq by lra. rewrite Hce.
  destruct (Z.even m); simpl; [reflexivity|].
  rewrite plus_IZR. simpl. lra.
Qed.

Lemma F32_binade x : F32 x -> bpow 24 <= x < bpow 25 ->
  exists m, x = IZR m * 2 /\ (2 ^ 23 <= m < 2 ^ 24)%Z.
Proof.
  intros Fx Hx.
  assert (Hc : cexp radix2 fexp32 x = 1%Z).
  { unfold cexp. rewrite (mag_unique_pos radix2 x 25); [reflexivity|exact Hx]. }
  exists (Ztrunc (scaled_mantissa radix2 fexp32 x)).
  assert (Hx' : x = IZR (Ztrunc (scaled_mantissa radix2 fexp32 x)) * 2).
  { unfold F32, generic_format in Fx. rewrite Hc in Fx. unfold F2R in Fx. simpl in Fx.
    exact Fx. }
  split; [exact Hx'|].
  assert (P24 : bpow 24 = 16777216) by reflexivity.
  assert (P25 : bpow 25 = 33554432) by reflexivity.
  rewrite P24, P25 in Hx. rewrite Hx' in Hx.
  split; [apply le_IZR | apply lt_IZR]; simpl; lra.
Qed.

(* T02 for binary32 on [2^24, 2^25): every single there is x = 2m, 2^23 ≤ m < 2^24, and the squash
   is exactly 1 iff m is even; for odd m it is at most 1 − 2^-24. *)
Theorem B32_T02_squash_binade_2p24 x :
  F32 x -> bpow 24 <= x < bpow 25 ->
  exists m, x = IZR m * 2 /\ (2 ^ 23 <= m < 2 ^ 24)%Z /\
    (Z.even m = true -> squash32 x = 1) /\
    (Z.even m = false -> squash32 x <= below1_32) /\
    (squash32 x = 1 <-> Z.even m = true).
Proof.
  intros Fx Hx. destruct (F32_binade x Fx Hx) as (m & Hxm & Hm).
  assert (Hm' : 8388608 <= IZR m <= 16777215).
  { split; [change 8388608 with (IZR (2 ^ 23)); apply IZR_le; lia|
            change 16777215 with (IZR (2 ^ 24 - 1)); apply IZR_le; lia]. }
  assert (Hev : Z.even m = true -> squash32 x = 1).
  { intros E. unfold squash32. rewrite Hxm, fl32_one_plus_binade, E by exact Hm.
    unfold Rdiv. rewrite Rinv_r by lra. apply fl32_id, F32_1. }
  assert (Hod : Z.even m = false -> squash32 x <= below1_32).
  { intros E. unfold squash32. rewrite Hxm, fl32_one_plus_binade, E by exact Hm.
    apply fl32_le_F; [exact below1_32_F|]. unfold below1_32.
    assert (E24 : bpow (-24) = / 16777216) by reflexivity. rewrite E24.
    apply div_le32; [lra|]. nra. }
  exists m. split; [exact Hxm|]. split; [exact Hm|]. split; [exact Hev|]. split; [exact Hod|].
  split; [|exact Hev]. intros H1. destruct (Z.even m) eqn:E; [reflexivity|].
  generalize (Hod eq_refl). unfold below1_32. generalize (bpow_gt_0 radix2 (-24)). lra.
Qed.

Corollary B32_T02_squash_2p24 : squash32 (bpow 24) = 1.
Proof.
  destruct (B32_T02_squash_binade_2p24 (bpow 24)) as (m & Hx & Hm & Hev & _ & _).
  - apply F32_bpow. lia.
  - split; [lra|apply bpow_lt; lia].
  - apply Hev. assert (IZR m = 8388608) by (simpl in Hx; lra).
    replace m with 8388608%Z by (apply eq_IZR; symmetry; assumption). reflexivity.
Qed.

Corollary B32_T02_squash_2p24_plus_2 : squash32 (bpow 24 + 2) < 1.
Proof.
  destruct (B32_T02_squash_binade_2p24 (bpow 24 + 2)) as (m & Hx & Hm & _ & Hod & _).
  - replace (bpow 24 + 2) with (IZR 8388609 * bpow 1) by (simpl; lra).
    apply generic_format_FLT. exists (Float radix2 8388609 1); [reflexivity|simpl; lia|simpl; lia].
  - simpl. lra.
  - assert (IZR m = 8388609) by (simpl in Hx; lra).
    replace m with 8388609%Z in Hod by (apply eq_IZR; symmetry; assumption).
    generalize (Hod eq_refl). unfold below1_32. generalize (bpow_gt_0 radix2 (-24)). lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* φ ≤ 1 for every α; φ ≤ 1 − 2^-24 for ever at α = 0.1; φ > 0 for ever      *)

(* ulp on [1/2, 1) is 2^-24 *)
Lemma ulp32_half_1 x : 1/2 <= x < 1 -> ulp radix2 fexp32 x = bpow (-24).
Proof.
  intros Hx. rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 x 0).
  - reflexivity.
  - simpl. lra.
Qed.

Lemma B32_one_minus_plus a : F32 a -> 0 < a <= 1 -> fadd32 (fsub32 1 a) a <= 1.
Proof.
  intros Fa Ha. destruct (Rle_or_lt (1/2) a) as [Hh|Hh].
  - assert (E : fsub32 1 a = 1 - a).
    { apply fl32_id. apply sterbenz; auto with typeclass_instances. exact F32_1. lra. }
    rewrite E. unfold fadd32. replace (1 - a + a) with 1 by ring. rewrite fl32_id; [lra|exact F32_1].
  - assert (Hu : ulp radix2 fexp32 (1 - a) = bpow (-24)) by (apply ulp32_half_1; lra).
    assert (He : Rabs (fsub32 1 a - (1 - a)) <= / 2 * bpow (-24)).
    { unfold fsub32, fl32. rewrite <- Hu. apply error_le_half_ulp; auto with typeclass_instances. }
    apply Rabs_le_inv in He.
    unfold fadd32, fl32. apply round_N_le_midp; auto with typeclass_instances.
    + exact F32_1.
    + change 1 with (bpow 0). rewrite succ_eq_pos by (apply bpow_ge_0). rewrite ulp_bpow.
      change (fexp32 (0 + 1)) with (-23)%Z. change (bpow 0) with 1.
      assert (bpow (-24) = / 16777216) by reflexivity.
      assert (bpow (-23) = / 8388608) by reflexivity. lra.
Qed.

Theorem B32_T02_phi_le_1 a f q :
  F32 a -> 0 < a <= 1 -> 0 <= f <= 1 -> 0 <= q <= 1 ->
  0 <= fadd32 (fmul32 (fsub32 1 a) f) (fmul32 a q) <= 1.
Proof.
  intros Fa Ha Hf Hq.
  assert (Hc0 : 0 <= fsub32 1 a) by (apply fl32_nonneg; lra).
  assert (Hc1 : fsub32 1 a <= 1) by (apply fl32_le_F; [exact F32_1|lra]).
  split.
  - apply fl32_nonneg. generalize (fl32_nonneg (fsub32 1 a * f)) (fl32_nonneg (a * q)). unfold fmul32.
    intros H1 H2. assert (0 <= fsub32 1 a * f) by nra. assert (0 <= a * q) by nra. nra.
  - eapply Rle_trans; [|apply (B32_one_minus_plus a Fa Ha)].
    unfold fadd32. apply fl32_le. apply Rplus_le_compat.
    + apply fl32_le_F; [apply fl32_format|]. nra.
    + apply fl32_le_F; [exact Fa|]. nra.
Qed.

(* The bit-level binary32 operations of Flocq, for the ground values at α = 0.1. *)
Definition b32 := binary_float 24 128.
Lemma b32_prec : Prec_gt_0 24. Proof. reflexivity. Qed.
Lemma b32_emax : Prec_lt_emax 24 128. Proof. reflexivity. Qed.
Definition b32_plus (x y : b32) : b32 := @Bplus 24 128 b32_prec b32_emax mode_NE x y.
Definition b32_minus (x y : b32) : b32 := @Bminus 24 128 b32_prec b32_emax mode_NE x y.
Definition b32_mult (x y : b32) : b32 := @Bmult 24 128 b32_prec b32_emax mode_NE x y.
Definition b32_of (m e : Z) : b32 := @binary_normalize 24 128 b32_prec b32_emax mode_NE m e false.
Definition b32_one : b32 := @Bone 24 128 b32_prec b32_emax.

Lemma b32_one_R : B2R b32_one = 1.
Proof. apply Bone_correct. Qed.

Lemma B2R32_SF (x : b32) s m e :
  B2SF x = SpecFloat.S754_finite s m e -> B2R x = IZR (cond_Zopp s (Zpos m)) * bpow e.
Proof. intros H. rewrite <- SF2R_B2SF, H. reflexivity. Qed.

Lemma B2R32_eq_SF (x y : b32) : B2SF x = B2SF y -> B2R x = B2R y.
Proof. intros H. rewrite <- !SF2R_B2SF, H. reflexivity. Qed.

Lemma b32_of_R (m : positive) e :
  B2SF (b32_of (Zpos m) e) = SpecFloat.S754_finite false m e -> IZR (Zpos m) * bpow e = B2R (b32_of (Zpos m) e).
Proof. intros H. rewrite (B2R32_SF _ _ _ _ H). reflexivity. Qed.

Ltac overflow_case32 H :=
  let Hs := fresh in
  destruct H as [Hs _]; unfold binary_overflow, overflow_to_inf in Hs; simpl in Hs;
  match goal with
  | Hf : is_finite ?z = true |- _ =>
      rewrite <- is_finite_SF_B2SF in Hf; rewrite Hs in Hf; discriminate Hf
  end.

Lemma fadd32_b (x y : b32) :
  is_finite x = true -> is_finite y = true -> is_finite (b32_plus x y) = true ->
  fadd32 (B2R x) (B2R y) = B2R (b32_plus x y).
Proof.
  intros Hx Hy Hz. symmetry. unfold b32_plus in *.
  generalize (@Bplus_correct 24 128 b32_prec b32_emax mode_NE x y Hx Hy).
  destruct Rlt_bool; [intros [H _]; exact H|intros H; overflow_case32 H].
Qed.

Lemma fsub32_b (x y : b32) :
  is_finite x = true -> is_finite y = true -> is_finite (b32_minus x y) = true ->
  fsub32 (B2R x) (B2R y) = B2R (b32_minus x y).
Proof.
  intros Hx Hy Hz. symmetry. unfold b32_minus in *.
  generalize (@Bminus_correct 24 128 b32_prec b32_emax mode_NE x y Hx Hy).
  destruct Rlt_bool; [intros [H _]; exact H|intros H; overflow_case32 H].
Qed.

Lemma fmul32_b (x y : b32) :
  is_finite (b32_mult x y) = true -> fmul32 (B2R x) (B2R y) = B2R (b32_mult x y).
Proof.
  intros Hz. symmetry. unfold b32_mult in *.
  generalize (@Bmult_correct 24 128 b32_prec b32_emax mode_NE x y).
  destruct Rlt_bool; [intros [H _]; exact H|intros H].
  rewrite <- is_finite_SF_B2SF in Hz. rewrite H in Hz. discriminate Hz.
Qed.

Ltac b32_eval :=
  repeat first
    [ rewrite fadd32_b by (vm_compute; reflexivity)
    | rewrite fsub32_b by (vm_compute; reflexivity)
    | rewrite fmul32_b by (vm_compute; reflexivity) ].

Ltac b32_const m e := rewrite (b32_of_R m e) by (vm_compute; reflexivity).
Ltac b32_close := apply B2R32_eq_SF; vm_compute; reflexivity.

(* 0.1 and 0.9 as binary32 literals (the nearest singles). *)
Definition alpha32 : R := IZR 13421773 * bpow (-27).
Definition beta32 : R := IZR 15099494 * bpow (-24).

Lemma alpha32_F : F32 alpha32.
Proof.
  unfold alpha32. apply generic_format_FLT. exists (Float radix2 13421773 (-27)); [reflexivity|simpl; lia|simpl; lia].
Qed.

Lemma alpha32_bounds : 0.0999999 < alpha32 < 0.1000001.
Proof. unfold alpha32. simpl. lra. Qed.

Lemma beta32_bounds : 0.8999999 < beta32 < 0.9000001.
Proof. unfold beta32. simpl. lra. Qed.

(* fl32(1 − 0.1f) = 0.9f *)
Lemma B32_one_minus_alpha : fsub32 1 alpha32 = beta32.
Proof.
  unfold alpha32, beta32. rewrite <- b32_one_R.
  b32_const 13421773%positive (-27)%Z. b32_const 15099494%positive (-24)%Z.
  b32_eval. b32_close.
Qed.

(* fl32(fl32(0.9f·(1 − 2^-24)) + fl32(0.1f·1)) = 1 − 2^-24: the largest successor of a φ < 1. *)
Lemma B32_largest_successor : fadd32 (fmul32 beta32 below1_32) (fmul32 alpha32 1) = below1_32.
Proof.
  replace below1_32 with (IZR 16777215 * bpow (-24)) by (unfold below1_32; simpl; lra).
  unfold alpha32, beta32. rewrite <- b32_one_R.
  b32_const 16777215%positive (-24)%Z. b32_const 13421773%positive (-27)%Z.
  b32_const 15099494%positive (-24)%Z.
  b32_eval. b32_close.
Qed.

(* T02 for binary32 at α = 0.1f: φ ≤ 1 − 2^-24 < 1 for ever, for every sequence of singles Ê_t ≥ 0
   driving it (report: the old Ê; repo: the new Ê), from any φ_0 ∈ [0, 1 − 2^-24]. *)
Theorem B32_T02_phi_never_one f0 es :
  (forall t, F32 (es t) /\ 0 <= es t) -> 0 <= f0 <= below1_32 ->
  forall n, 0 <= phi_seq32 alpha32 f0 es n <= below1_32.
Proof.
  intros Hes Hf0 n. generalize alpha32_bounds beta32_bounds. intros Ha Hb.
  assert (Hb1 : below1_32 <= 1) by (unfold below1_32; generalize (bpow_gt_0 radix2 (-24)); lra).
  induction n as [|n IH]; [exact Hf0|]. simpl. unfold phi_next32.
  destruct (Hes n) as [Fe He].
  assert (Hq0 : 0 <= squash32 (es n)) by (now apply squash32_nonneg).
  assert (Hq1 : squash32 (es n) <= 1) by (now apply squash32_le_1).
  split.
  - apply (B32_T02_phi_le_1 alpha32 _ (squash32 (es n)) alpha32_F); lra.
  - rewrite B32_one_minus_alpha, <- B32_largest_successor. unfold fadd32. apply fl32_le.
    apply Rplus_le_compat; unfold fmul32; apply fl32_le; nra.
Qed.

(* C1 in binary32: fl32(c·φ) ≥ 2^-149 for a positive single φ when c > 1/2, so φ > 0 for ever
   once φ_0 > 0 when fl32(1 − α) > 1/2 (α = 0.1f included). *)
Lemma F32_pos_ge x : F32 x -> 0 < x -> bpow (-149) <= x.
Proof.
  intros Fx Hx. apply Rle_trans with (ulp radix2 fexp32 x).
  - rewrite ulp_neq_0 by lra. apply bpow_le. unfold cexp, fexp32, FLT_exp. lia.
  - rewrite <- (Rabs_pos_eq x) at 2 by lra. apply ulp_le_abs; auto with typeclass_instances. lra.
Qed.

Lemma fl32_pos x : bpow (-150) < x -> 0 < fl32 x.
Proof.
  intros Hx.
  assert (Hh : bpow (-150) = / 2 * bpow (-149))
    by (change (-150)%Z with (-1 + -149)%Z; rewrite bpow_plus; reflexivity).
  assert (He : Rabs (fl32 x - x) <= / 2 * ulp radix2 fexp32 x)
    by (unfold fl32; apply error_le_half_ulp; auto with typeclass_instances).
  assert (Hx0 : 0 < x) by (generalize (bpow_gt_0 radix2 (-150)); lra).
  destruct (Rlt_or_le x (bpow (-149 + 24))) as [Hs|Hb].
  - assert (Hu : ulp radix2 fexp32 x = bpow (-149)).
    { assert (Hp : Prec_gt_0 24) by reflexivity.
      unfold fexp32. apply ulp_FLT_small; try exact Hp. rewrite Rabs_pos_eq; lra. }
    rewrite Hu in He. apply Rabs_le_inv in He. lra.
  - assert (Hu : ulp radix2 fexp32 x <= Rabs x * bpow (1 - 24)).
    { assert (Hp : Prec_gt_0 24) by reflexivity.
      unfold fexp32. apply ulp_FLT_le; try exact Hp. rewrite Rabs_pos_eq by lra.
      apply Rle_trans with (bpow (-149 + 24)); [apply bpow_le; lia|exact Hb]. }
    rewrite Rabs_pos_eq in Hu by lra. apply Rabs_le_inv in He.
    assert (E23 : bpow (1 - 24) = / 8388608) by reflexivity. rewrite E23 in Hu. lra.
Qed.

Theorem B32_T02_phi_positive a f0 es :
  F32 a -> 0 < a <= 1 -> 1/2 < fsub32 1 a -> (forall t, F32 (es t) /\ 0 <= es t) ->
  F32 f0 -> 0 < f0 -> forall n, 0 < phi_seq32 a f0 es n.
Proof.
  intros Fa Ha Hc Hes Ff0 Hf0 n.
  assert (H : forall n, F32 (phi_seq32 a f0 es n) /\ 0 < phi_seq32 a f0 es n).
  { induction n0 as [|n0 (IHF & IHp)]; [now split|]. simpl. unfold phi_next32. split; [apply fl32_format|].
    destruct (Hes n0) as [Fe He].
    assert (Hm : 0 < fmul32 (fsub32 1 a) (phi_seq32 a f0 es n0)).
    { apply fl32_pos. generalize (F32_pos_ge _ IHF IHp). intros Hge.
      replace (bpow (-150)) with (/2 * bpow (-149)) by
        (change (-150)%Z with (-1 + -149)%Z; rewrite bpow_plus; reflexivity).
      generalize (bpow_gt_0 radix2 (-149)). nra. }
    assert (Hq : 0 <= fmul32 a (squash32 (es n0))).
    { apply fl32_nonneg. generalize (squash32_nonneg (es n0) He). nra. }
    apply Rlt_le_trans with (fmul32 (fsub32 1 a) (phi_seq32 a f0 es n0)); [exact Hm|].
    unfold fadd32. apply fl32_ge_F; [apply fl32_format|lra]. }
  apply H.
Qed.

Corollary B32_T02_phi_positive_alpha32 f0 es :
  (forall t, F32 (es t) /\ 0 <= es t) -> F32 f0 -> 0 < f0 -> forall n, 0 < phi_seq32 alpha32 f0 es n.
Proof.
  intros Hes Ff Hf. generalize alpha32_bounds beta32_bounds. intros Ha Hb.
  apply B32_T02_phi_positive; auto using alpha32_F; try lra.
  rewrite B32_one_minus_alpha. lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* Ê bounded by a power of two (no overflow for inputs ≤ 2^127) when β ∈ [1/2, 1) *)

Lemma F32_mul_pow2 x k : F32 x -> 0 < x -> (-125 - mag radix2 x <= k)%Z -> F32 (x * bpow k).
Proof.
  intros Fx Hx Hk. apply mult_bpow_exact_FLT; auto with typeclass_instances; try reflexivity; lia.
Qed.

Lemma fsub32_1_exact b : F32 b -> 1/2 <= b <= 1 -> fsub32 1 b = 1 - b.
Proof. intros Fb Hb. apply fl32_id. apply sterbenz; auto with typeclass_instances. exact F32_1. lra. Qed.

Theorem B32_T02_ehat_step_le_pow2 b e x k :
  F32 b -> 1/2 <= b < 1 -> (-100 <= k)%Z -> 0 <= e <= bpow k -> 0 <= x <= bpow k ->
  0 <= ehat_next32 b e x <= bpow k.
Proof.
  intros Fb Hb Hk He Hx. unfold ehat_next32. rewrite fsub32_1_exact by (auto; lra).
  assert (Hb1 : b <= below1_32) by (apply F32_lt_1; auto; lra).
  assert (Hm24 : bpow (-24) <= 1 - b) by (unfold below1_32 in Hb1; lra).
  assert (HB : 0 < bpow k) by apply bpow_gt_0.
  assert (F1 : F32 (b * bpow k)).
  { apply F32_mul_pow2; [auto|lra|]. rewrite (mag_unique_pos radix2 b 0); [lia|]. simpl. lra. }
  assert (F2 : F32 ((1 - b) * bpow k)).
  { apply F32_mul_pow2; [apply sterbenz; auto with typeclass_instances; [exact F32_1|lra]|lra|].
    assert (-23 <= mag radix2 (1 - b))%Z.
    { apply mag_ge_bpow. rewrite Rabs_pos_eq by lra. exact Hm24. }
    lia. }
  assert (H1 : fmul32 b e <= b * bpow k) by (apply fl32_le_F; [exact F1|nra]).
  assert (H2 : fmul32 (1 - b) x <= (1 - b) * bpow k) by (apply fl32_le_F; [exact F2|nra]).
  assert (H1' : 0 <= fmul32 b e) by (apply fl32_nonneg; nra).
  assert (H2' : 0 <= fmul32 (1 - b) x) by (apply fl32_nonneg; nra).
  split; [apply fl32_nonneg; lra|].
  unfold fadd32. apply fl32_le_F; [apply F32_bpow; lia|]. nra.
Qed.

Theorem B32_T02_ehat_bounded_pow2 b e0 x k :
  F32 b -> 1/2 <= b < 1 -> (-100 <= k)%Z -> 0 <= e0 <= bpow k -> (forall j, 0 <= x j <= bpow k) ->
  forall n, 0 <= ehat_seq32 b e0 x n <= bpow k.
Proof.
  intros Fb Hb Hk He0 Hx n. induction n as [|n IH]; simpl; [exact He0|].
  apply B32_T02_ehat_step_le_pow2; auto.
Qed.

(* ------------------------------------------------------------------------- *)
(* α = 0.5 with the squash at 1 reaches exactly 1.0 after 25 steps              *)

(* φ_{n+1} = fl32(fl32(fl32(1 − 0.5)·φ_n) + fl32(0.5·1)) from φ_0 = 0. *)
Fixpoint phi_half32 (n : nat) : R :=
  match n with
  | O => 0
  | S k => phi_next32 (1/2) (phi_half32 k) (bpow 25)
  end.

Definition b32_half : b32 := b32_of 1 (-1).

Lemma half32_F : F32 (1/2).
Proof. replace (1/2) with (bpow (-1)) by (simpl; lra). apply F32_bpow. lia. Qed.

Lemma squash32_2p25 : squash32 (bpow 25) = 1.
Proof. apply B32_squash_one_from_2p25; [apply F32_bpow; lia|lra]. Qed.
Definition b32_zero : b32 := b32_of 0 0.

(* The same iteration on bit-level singles, each intermediate checked finite. *)
Fixpoint hwalk32 (n : nat) : bool * b32 :=
  match n with
  | O => (true, b32_zero)
  | S k =>
      let (ok, f) := hwalk32 k in
      let a := b32_mult b32_half f in
      let c := b32_mult b32_half b32_one in
      let r := b32_plus a c in
      (andb ok (andb (is_finite f) (andb (is_finite a) (andb (is_finite c) (is_finite r)))), r)
  end.

Lemma b32_half_R : B2R b32_half = 1/2.
Proof. rewrite (B2R32_SF _ false 8388608 (-24)); [simpl; lra|vm_compute; reflexivity]. Qed.

Lemma b32_zero_R : B2R b32_zero = 0.
Proof.
  assert (H : B2SF b32_zero = SpecFloat.S754_zero false) by (vm_compute; reflexivity).
  rewrite <- SF2R_B2SF, H. reflexivity.
Qed.

Lemma hwalk32_correct n : fst (hwalk32 n) = true -> B2R (snd (hwalk32 n)) = phi_half32 n.
Proof.
  induction n as [|n IH]; [intros _; exact b32_zero_R|].
  cbn [hwalk32 phi_half32]. destruct (hwalk32 n) as [ok f] eqn:Ew. cbn [fst snd] in IH |- *.
  intros Hok. apply andb_prop in Hok as [Hok H1]. apply andb_prop in H1 as [Hf H1].
  apply andb_prop in H1 as [Ha H1]. apply andb_prop in H1 as [Hc Hr].
  rewrite <- fadd32_b by assumption. rewrite <- !fmul32_b by assumption.
  rewrite IH by exact Hok. rewrite b32_half_R, b32_one_R.
  unfold phi_next32. rewrite fsub32_1_exact by (try exact half32_F; lra).
  replace (1 - 1/2) with (1/2) by lra. rewrite squash32_2p25. reflexivity.
Qed.

(* With the squash at 1 (every Ê ≥ 2^25, B32_squash_one_from_2p25), α = 0.5 takes φ from 0 to
   1 − 2^-24 after 24 steps and to exactly 1.0 after 25 (1 − 2^-25 is a tie, rounded to the even 1.0). *)
Theorem B32_T02_alpha_half_reaches_one :
  phi_half32 25 = 1 /\ phi_half32 24 = 1 - bpow (-24) /\ phi_half32 24 < 1.
Proof.
  assert (Ok25 : fst (hwalk32 25) = true) by (vm_compute; reflexivity).
  assert (Ok24 : fst (hwalk32 24) = true) by (vm_compute; reflexivity).
  assert (V25 : B2R (snd (hwalk32 25)) = 1).
  { rewrite <- b32_one_R. apply B2R32_eq_SF. vm_compute. reflexivity. }
  assert (V24 : B2R (snd (hwalk32 24)) = 1 - bpow (-24)).
  { rewrite (B2R32_SF _ false 16777215 (-24)); [simpl; lra|vm_compute; reflexivity]. }
  rewrite (hwalk32_correct 25 Ok25) in V25. rewrite (hwalk32_correct 24 Ok24) in V24.
  split; [exact V25|]. split; [exact V24|]. rewrite V24. generalize (bpow_gt_0 radix2 (-24)). lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* C4 in binary32: with E ≡ 0 and α_E = 1/2, φ ≤ P32 < 1/3 for every loss sequence *)

(* The report's X and one report step (Ê from the stress, φ from the OLD Ê) in binary32. *)
Definition X32 (aE l e : R) : R := fadd32 (fmul32 aE e) (fmul32 (fsub32 1 aE) (squash32 l)).

Fixpoint run_report32 (a b aE : R) (s0 : R * R) (l e : nat -> R) (n : nat) : R * R :=
  match n with
  | O => s0
  | S k => let s := run_report32 a b aE s0 l e k in
           (ehat_next32 b (fst s) (X32 aE (l k) (e k)), phi_next32 a (snd s) (fst s))
  end.

Lemma fdiv32_b (x y : b32) (m : positive) e :
  B2SF y = SpecFloat.S754_finite false m e ->
  is_finite (@Bdiv 24 128 b32_prec b32_emax mode_NE x y) = true ->
  fdiv32 (B2R x) (B2R y) = B2R (@Bdiv 24 128 b32_prec b32_emax mode_NE x y).
Proof.
  intros Hy Hz. symmetry.
  assert (Hy0 : B2R y <> 0).
  { rewrite (B2R32_SF _ _ _ _ Hy). simpl. apply Rmult_integral_contrapositive_currified.
    - apply not_0_IZR. discriminate.
    - apply Rgt_not_eq, bpow_gt_0. }
  generalize (@Bdiv_correct 24 128 b32_prec b32_emax mode_NE x y Hy0).
  destruct Rlt_bool; [intros [H _]; exact H|intros H].
  rewrite <- is_finite_SF_B2SF in Hz. rewrite H in Hz. discriminate Hz.
Qed.

(* fl32(1/3) = 11184811·2^-25, just ABOVE 1/3 (by 2^-25/3): unlike binary64, the squash of 1/2
   exceeds 1/3 in binary32. *)
Definition third32 : R := IZR 11184811 * bpow (-25).
(* The bound: the fixed point of φ ← fl32(fl32(0.9f·φ) + fl32(0.1f·fl32(1/3))), below 1/3. *)
Definition phi_sup32 : R := IZR 11184803 * bpow (-25).

Lemma phi_sup32_third : phi_sup32 = 1/3 - 23/3 * bpow (-25).
Proof. unfold phi_sup32. simpl. lra. Qed.

Lemma phi_sup32_lt : phi_sup32 < 1/3.
Proof. rewrite phi_sup32_third. generalize (bpow_gt_0 radix2 (-25)). lra. Qed.

Lemma B32_fl_third : fdiv32 1 3 = third32.
Proof.
  unfold third32.
  replace 3 with (IZR 12582912 * bpow (-22)) by (simpl; lra).
  b32_const 11184811%positive (-25)%Z.
  rewrite <- b32_one_R.
  b32_const 12582912%positive (-22)%Z.
  erewrite fdiv32_b by (vm_compute; reflexivity). b32_close.
Qed.

Lemma B32_squash_half : squash32 (1/2) = third32.
Proof.
  rewrite squash32_eq. unfold fadd32.
  replace (1 + 1/2) with (3/2) by lra.
  rewrite fl32_id.
  - rewrite <- B32_fl_third. unfold fdiv32. f_equal. field.
  - replace (3/2) with (IZR 3 * bpow (-1)) by (simpl; lra).
    apply generic_format_FLT. exists (Float radix2 3 (-1)); [reflexivity|simpl; lia|simpl; lia].
Qed.

Lemma B32_phi_sup_fixed : fadd32 (fmul32 beta32 phi_sup32) (fmul32 alpha32 third32) = phi_sup32.
Proof.
  unfold phi_sup32, third32, alpha32, beta32.
  b32_const 11184803%positive (-25)%Z. b32_const 11184811%positive (-25)%Z.
  b32_const 13421773%positive (-27)%Z. b32_const 15099494%positive (-24)%Z.
  b32_eval. b32_close.
Qed.

(* The squash of an Ê ∈ [0, 1/2] is at most fl32(1/3). *)
Lemma B32_squash_le_third e : F32 e -> 0 <= e <= 1/2 -> squash32 e <= third32.
Proof.
  intros Fe He. destruct (Req_dec e (1/2)) as [Eh|Eh].
  { rewrite Eh, B32_squash_half. lra. }
  assert (Hp : e <= 1/2 - bpow (-25)).
  { replace (1/2) with (bpow (-1)) in * by (simpl; lra).
    replace (bpow (-25)) with (bpow (fexp32 (-1))) by reflexivity.
    rewrite <- pred_bpow. apply pred_ge_gt; auto with typeclass_instances.
    - apply F32_bpow. lia.
    - lra. }
  assert (Hy : 1 + e - bpow (-24) <= fl32 (1 + e)).
  { assert (He' : Rabs (fl32 (1 + e) - (1 + e)) <= / 2 * ulp radix2 fexp32 (1 + e))
      by (unfold fl32; apply error_le_half_ulp; auto with typeclass_instances).
    assert (Hu : ulp radix2 fexp32 (1 + e) = bpow (-23)).
    { rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 (1 + e) 1).
      - reflexivity.
      - simpl. lra. }
    rewrite Hu in He'. apply Rabs_le_inv in He'.
    replace (bpow (-24)) with (/2 * bpow (-23)) by
      (change (-24)%Z with (-1 + -23)%Z; rewrite bpow_plus; reflexivity). lra. }
  rewrite <- B32_fl_third. unfold squash32, fdiv32. apply fl32_le.
  generalize (bpow_gt_0 radix2 (-25)). intros H25.
  replace (bpow (-24)) with (2 * bpow (-25)) in Hy by
      (change (-24)%Z with (1 + -25)%Z; rewrite bpow_plus; reflexivity).
  replace (1 / 3) with (/ 3) by lra.
  assert (Hs : bpow (-25) = / 33554432) by reflexivity.
  apply div_le32; [lra|]. apply Rle_trans with (/ 3 * (1 + e - 2 * bpow (-25))); [lra|].
  apply Rmult_le_compat_l; lra.
Qed.

Lemma half32_exact_sub : fsub32 1 (1/2) = 1/2.
Proof. rewrite fsub32_1_exact; [lra|exact half32_F|lra]. Qed.

Lemma B32_X_half l : F32 l -> 0 <= l -> 0 <= X32 (1/2) l 0 <= 1/2.
Proof.
  intros Fl Hl. unfold X32. rewrite half32_exact_sub.
  assert (Hz : fmul32 (1/2) 0 = 0) by (unfold fmul32; rewrite Rmult_0_r; exact fl32_0).
  rewrite Hz. unfold fadd32. rewrite Rplus_0_l.
  generalize (squash32_le_1 l Fl Hl) (squash32_nonneg l Hl). intros.
  split; [apply fl32_nonneg, fl32_nonneg; nra|].
  apply fl32_le_F; [exact half32_F|]. apply fl32_le_F; [exact half32_F|]. nra.
Qed.

(* C4 in binary32: report variant, α = 0.1f, α_E = 1/2, any single β ∈ [1/2, 1), E ≡ 0, any loss
   sequence of singles ≥ 0: from Ê_0 ∈ [0, 1/2], φ_0 ∈ [0, P32], φ_t ≤ P32 = 1/3 − (23/3)·2^-25 < 1/3
   for every t (although fl32(1/3) > 1/3: the rounding of 0.9f·φ absorbs it). *)
Theorem B32_T02_C4_phi_below_third b e0 f0 l :
  F32 b -> 1/2 <= b < 1 -> (forall k, F32 (l k) /\ 0 <= l k) ->
  F32 e0 -> 0 <= e0 <= 1/2 -> 0 <= f0 <= phi_sup32 ->
  forall n, 0 <= snd (run_report32 alpha32 b (1/2) (e0, f0) l (fun _ => 0) n) <= phi_sup32.
Proof.
  intros Fb Hb Hl Fe0 He0 Hf0 n.
  assert (H : forall n, F32 (fst (run_report32 alpha32 b (1/2) (e0, f0) l (fun _ => 0) n)) /\
                       0 <= fst (run_report32 alpha32 b (1/2) (e0, f0) l (fun _ => 0) n) <= 1/2 /\
                       0 <= snd (run_report32 alpha32 b (1/2) (e0, f0) l (fun _ => 0) n) <= phi_sup32).
  { generalize alpha32_bounds beta32_bounds. intros Ha Hbd.
    assert (Hh : bpow (-1) = 1/2) by (simpl; lra).
    induction n0 as [|n0 (IHF & IHe & IHf)]; [simpl; now repeat split|].
    cbn [run_report32 fst snd].
    set (E := fst (run_report32 alpha32 b (1/2) (e0, f0) l (fun _ => 0) n0)) in *.
    set (P := snd (run_report32 alpha32 b (1/2) (e0, f0) l (fun _ => 0) n0)) in *.
    destruct (Hl n0) as [Fl Hl0].
    assert (HE : 0 <= ehat_next32 b E (X32 (1/2) (l n0) 0) <= bpow (-1)).
    { apply B32_T02_ehat_step_le_pow2; auto; try lia; rewrite Hh; [exact IHe|now apply B32_X_half]. }
    rewrite Hh in HE.
    split; [apply fl32_format|]. split; [exact HE|]. split.
    - unfold phi_next32. apply fl32_nonneg.
      assert (0 <= fsub32 1 alpha32) by (apply fl32_nonneg; lra).
      assert (0 <= fmul32 (fsub32 1 alpha32) P) by (apply fl32_nonneg; nra).
      assert (0 <= fmul32 alpha32 (squash32 E)).
      { apply fl32_nonneg. generalize (squash32_nonneg E (proj1 IHe)). nra. }
      lra.
    - unfold phi_next32. rewrite B32_one_minus_alpha, <- B32_phi_sup_fixed.
      unfold fadd32. apply fl32_le. apply Rplus_le_compat; unfold fmul32; apply fl32_le.
      + nra.
      + generalize (B32_squash_le_third E IHF IHe). nra. }
  apply H.
Qed.

(* The default start (0, 0) and β = 0.9f: φ_t < 1/3 for every t. *)
Corollary B32_T02_C4_defaults l :
  (forall k, F32 (l k) /\ 0 <= l k) ->
  forall n, snd (run_report32 alpha32 beta32 (1/2) (0, 0) l (fun _ => 0) n) < 1/3.
Proof.
  intros Hl n. generalize beta32_bounds phi_sup32_lt. intros Hb Hs.
  assert (0 <= phi_sup32) by (unfold phi_sup32; generalize (bpow_gt_0 radix2 (-25)); simpl; lra).
  assert (Fb : F32 beta32).
  { unfold beta32. apply generic_format_FLT. exists (Float radix2 15099494 (-24)); [reflexivity|simpl; lia|simpl; lia]. }
  eapply Rle_lt_trans; [apply (B32_T02_C4_phi_below_third beta32 0 0 l)|]; auto; try lra.
  exact F32_0.
Qed.
