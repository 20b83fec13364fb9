(* T02 part 1 on the binade [2^53, 2^54), for every double in it: the doubles there are x = 2m
   (2^52 ≤ m < 2^53), 1 + x is the midpoint of x and x + 2 and ties to the even significand, so the
   squash fl(x/fl(1 + x)) is exactly 1 iff m is even, and at most 1 − 2^-53 when m is odd
   (B64_T02_squash_binade_2p53).  With B64_squash_below_one (below 2^53) and
   B64_squash_one_from_2p54 / B64_T02_squash_one_top (from 2^54 to the largest double) this is the
   whole of T02 part 1: the squash is 1 iff x ≥ 2^54 or x ∈ [2^53, 2^54) with an even significand.
   Proofs/T02-binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core.
From UnifiedLoRA Require Import binary64.B64Model binary64.B64Facts.
Open Scope R_scope.

Local Notation bpow := (bpow radix2).

Lemma fl_one_plus_binade m :
  (2 ^ 52 <= m < 2 ^ 53)%Z ->
  fl (1 + IZR m * 2) = if Z.even m then IZR m * 2 else IZR m * 2 + 2.
Proof.
  intros Hm.
  assert (Hm' : 4503599627370496 <= IZR m <= 9007199254740991).
  { split; [change 4503599627370496 with (IZR (2 ^ 52)); apply IZR_le; lia|
            change 9007199254740991 with (IZR (2 ^ 53 - 1)); apply IZR_le; lia]. }
  assert (Hmag : mag radix2 (1 + IZR m * 2) = 54%Z :> Z).
  { apply mag_unique_pos. replace (54 - 1)%Z with 53%Z by lia.
    assert (bpow 53 = 9007199254740992) by reflexivity.
    assert (bpow 54 = 18014398509481984) by reflexivity. lra. }
  unfold fl, round, F2R, scaled_mantissa, cexp. rewrite Hmag. simpl Fnum. simpl Fexp.
  change (fexp64 54) with 1%Z.
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

Lemma F64_binade x : F64 x -> bpow 53 <= x < bpow 54 ->
  exists m, x = IZR m * 2 /\ (2 ^ 52 <= m < 2 ^ 53)%Z.
Proof.
  intros Fx Hx.
  assert (Hc : cexp radix2 fexp64 x = 1%Z).
  { unfold cexp. rewrite (mag_unique_pos radix2 x 54); [reflexivity|exact Hx]. }
  exists (Ztrunc (scaled_mantissa radix2 fexp64 x)).
  assert (Hx' : x = IZR (Ztrunc (scaled_mantissa radix2 fexp64 x)) * 2).
  { unfold F64, generic_format in Fx. rewrite Hc in Fx. unfold F2R in Fx. simpl in Fx.
    exact Fx. }
  split; [exact Hx'|].
  assert (P53 : bpow 53 = 9007199254740992) by reflexivity.
  assert (P54 : bpow 54 = 18014398509481984) by reflexivity.
  rewrite P53, P54 in Hx. rewrite Hx' in Hx.
  split; [apply le_IZR | apply lt_IZR]; simpl; lra.
Qed.

(* Every double of [2^53, 2^54) is 2m with 2^52 ≤ m < 2^53; the squash is exactly 1 iff m is even,
   and at most 1 − 2^-53 when m is odd. *)
Theorem B64_T02_squash_binade_2p53 x :
  F64 x -> bpow 53 <= x < bpow 54 ->
  exists m, x = IZR m * 2 /\ (2 ^ 52 <= m < 2 ^ 53)%Z /\
    (Z.even m = true -> squash64 x = 1) /\
    (Z.even m = false -> squash64 x <= below1) /\
    (squash64 x = 1 <-> Z.even m = true).
Proof.
  intros Fx Hx. destruct (F64_binade x Fx Hx) as (m & Hxm & Hm).
  assert (Hm' : 4503599627370496 <= IZR m <= 9007199254740991).
  { split; [change 4503599627370496 with (IZR (2 ^ 52)); apply IZR_le; lia|
            change 9007199254740991 with (IZR (2 ^ 53 - 1)); apply IZR_le; lia]. }
  assert (Hev : Z.even m = true -> squash64 x = 1).
  { intros E. unfold squash64, fdiv, fadd. rewrite Hxm, fl_one_plus_binade, E by exact Hm.
    unfold Rdiv. rewrite Rinv_r by lra. apply fl_id, F64_1. }
  assert (Hod : Z.even m = false -> squash64 x <= below1).
  { intros E. unfold squash64, fdiv, fadd. rewrite Hxm, fl_one_plus_binade, E by exact Hm.
    apply fl_le_F; [exact below1_F|]. unfold below1.
    rewrite bpow_m53. apply div_le; [lra|]. nra. }
  exists m. split; [exact Hxm|]. split; [exact Hm|]. split; [exact Hev|]. split; [exact Hod|].
  split; [|exact Hev]. intros H1. destruct (Z.even m) eqn:E; [reflexivity|].
  generalize (Hod eq_refl). unfold below1. generalize (bpow_gt_0 radix2 (-53)). lra.
Qed.

(* T02 part 1 as one statement, for every double x ≥ 0 (up to the largest finite one no operation
   of the squash overflows: B64_T02_squash_one_top, B64_T02_one_plus_no_overflow): the squash is 1
   iff x ≥ 2^54 or x = 2m ∈ [2^53, 2^54) with m even. *)
Theorem B64_T02_squash_one_iff x :
  F64 x -> 0 <= x ->
  (squash64 x = 1 <->
   bpow 54 <= x \/ exists m, x = IZR m * 2 /\ (2 ^ 52 <= m < 2 ^ 53)%Z /\ Z.even m = true).
Proof.
  intros Fx Hx. generalize (bpow_gt_0 radix2 (-53)). intros Hu.
  destruct (Rlt_or_le x (bpow 53)) as [Hl|Hl].
  - assert (Hs : squash64 x <= below1) by (apply B64_squash_below_one; auto).
    split.
    + intros H. unfold below1 in Hs. lra.
    + intros [H|(m & Hxm & Hm & _)].
      * assert (bpow 53 < bpow 54) by (apply bpow_lt; lia). lra.
      * assert (4503599627370496 <= IZR m) by (change 4503599627370496 with (IZR (2 ^ 52)); apply IZR_le; lia).
        assert (bpow 53 = 9007199254740992) by reflexivity. lra.
  - destruct (Rlt_or_le x (bpow 54)) as [Hh|Hh].
    + destruct (B64_T02_squash_binade_2p53 x Fx (conj Hl Hh)) as (m & Hxm & Hm & _ & _ & Hiff).
      split.
      * intros H. right. exists m. split; [exact Hxm|]. split; [exact Hm|]. now apply Hiff.
      * intros [H|(m' & Hxm' & Hm' & He')]; [lra|]. apply Hiff.
        assert (m' = m) by (apply eq_IZR; lra). subst m'. exact He'.
    + split; [intros _; now left|intros _; now apply B64_squash_one_from_2p54].
Qed.
