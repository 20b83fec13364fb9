(* Binary32, T02 part 4 for every finite single (the top binade [2^127, 2^128) included): Ê never
   overflows for β ∈ [1/2, 1), whatever the finite inputs.  max32 = 2^128 − 2^104 is the largest
   single; round to nearest returns at most max32 below the midpoint max32 + 2^103.  For β > 1/2,
   β·max32 rounds down to pred(β)·2^128 = β·2^128 − 2^104; fl32((1 − β)·max32) is within half an ulp
   (≤ 2^102, the product being below 2^127) of (1 − β)·max32; the sum stays below max32 + 2^103.
   The binary64 statement is B64_T02_ehat_step_le_max (B64Overflow.v).  Proofs/binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core Sterbenz.
From UnifiedLoRA Require Import binary64.B32Facts.
Open Scope R_scope.

Local Notation ulp := (ulp radix2 fexp32).
Local Notation pred := (pred radix2 fexp32).
Local Notation succ := (succ radix2 fexp32).
Local Notation bpow := (bpow radix2).

Definition max32 : R := bpow 128 - bpow 104.

Lemma bpow_128_eq : bpow 128 = bpow 104 * bpow 24.
Proof. rewrite <- bpow_plus. reflexivity. Qed.

Lemma bpow_127_eq : bpow 127 = bpow 104 * bpow 23.
Proof. rewrite <- bpow_plus. reflexivity. Qed.

Lemma bpow_104_eq : bpow 104 = 2 * bpow 103.
Proof. change 104%Z with (1 + 103)%Z. rewrite bpow_plus. reflexivity. Qed.

Lemma bpow_103_eq : bpow 103 = 2 * bpow 102.
Proof. change 103%Z with (1 + 102)%Z. rewrite bpow_plus. reflexivity. Qed.

Lemma max32_F : F32 max32.
Proof.
  unfold max32. replace (bpow 128 - bpow 104) with (pred (bpow 128)).
  - apply generic_format_pred; auto with typeclass_instances. apply F32_bpow. lia.
  - rewrite pred_bpow. reflexivity.
Qed.

Lemma max32_top : bpow 127 <= max32 < bpow 128.
Proof.
  unfold max32. rewrite bpow_128_eq, bpow_127_eq. generalize (bpow_gt_0 radix2 104). intros.
  assert (bpow 23 = 8388608) by reflexivity. assert (bpow 24 = 16777216) by reflexivity. nra.
Qed.

Lemma ulp32_top w : bpow 127 <= w < bpow 128 -> ulp w = bpow 104.
Proof.
  intros Hw. assert (0 < w) by (generalize (bpow_gt_0 radix2 127); lra).
  rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 w 128); [reflexivity|exact Hw].
Qed.

Lemma fl32_le_max32 w : w < max32 + bpow 103 -> fl32 w <= max32.
Proof.
  intros Hw. unfold fl32. apply round_N_le_midp; auto with typeclass_instances.
  - exact max32_F.
  - rewrite succ_eq_pos by (generalize max32_top (bpow_ge_0 radix2 127); lra).
    rewrite ulp32_top by exact max32_top. unfold max32 in *. rewrite bpow_104_eq in *. lra.
Qed.

(* A single below 2^128 is at most max32. *)
Lemma F32_le_max32 x : F32 x -> x < bpow 128 -> x <= max32.
Proof.
  intros Fx Hx. unfold max32. replace (bpow 128 - bpow 104) with (pred (bpow 128)).
  - apply pred_ge_gt; auto with typeclass_instances. apply F32_bpow. lia.
  - rewrite pred_bpow. reflexivity.
Qed.

Lemma fl32_beta_max b : F32 b -> 1/2 < b < 1 -> fl32 (b * max32) <= b * bpow 128 - bpow 104.
Proof.
  intros Fb Hb.
  assert (Fh : F32 (1/2)) by exact half32_F.
  assert (H1 : 1/2 <= pred b) by (apply pred_ge_gt; auto with typeclass_instances; lra).
  assert (Hpu : pred b + ulp (pred b) = b) by (apply pred_plus_ulp; auto with typeclass_instances; lra).
  assert (Hp1 : pred b < 1) by (generalize (pred_le_id radix2 fexp32 b); lra).
  assert (Hu : ulp (pred b) = bpow (-24)).
  { rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 (pred b) 0); [reflexivity|].
    simpl. lra. }
  assert (H2 : pred b = b - bpow (-24)) by lra.
  assert (H3 : F32 (pred b)) by (apply generic_format_pred; auto with typeclass_instances).
  set (v := pred b * bpow 128).
  assert (Hv : v = b * bpow 128 - bpow 104).
  { unfold v. rewrite H2, Rmult_minus_distr_r, <- bpow_plus. reflexivity. }
  assert (Fv : F32 v).
  { unfold v. apply F32_mul_pow2; [exact H3|lra|].
    rewrite (mag_unique_pos radix2 (pred b) 0); [lia|]. simpl. lra. }
  assert (Hvt : bpow 127 <= v < bpow 128).
  { unfold v. rewrite bpow_128_eq, bpow_127_eq.
    assert (bpow 23 = 8388608) by reflexivity. assert (bpow 24 = 16777216) by reflexivity.
    generalize (bpow_gt_0 radix2 104). intros. nra. }
  rewrite <- Hv. unfold fl32. apply round_N_le_midp; auto with typeclass_instances.
  rewrite succ_eq_pos by (generalize (bpow_ge_0 radix2 127); lra).
  rewrite ulp32_top by exact Hvt. rewrite Hv. unfold max32.
  generalize (bpow_gt_0 radix2 104). intros. nra.
Qed.

(* One Ê update in binary32 with β ∈ [1/2, 1) a single and Ê, X ∈ [0, max32]: every intermediate and
   the result are at most max32. *)
Theorem B32_T02_ehat_step_le_max b e x :
  F32 b -> 1/2 <= b < 1 -> 0 <= e <= max32 -> 0 <= x <= max32 ->
  fmul32 b e <= max32 /\ fmul32 (fsub32 1 b) x <= max32 /\ 0 <= ehat_next32 b e x <= max32.
Proof.
  intros Fb Hb He Hx. generalize max32_top (bpow_gt_0 radix2 104). intros Ht H104.
  assert (Hm0 : 0 <= max32) by (generalize (bpow_gt_0 radix2 127); lra).
  assert (Hs : fsub32 1 b = 1 - b) by (apply fsub32_1_exact; auto; lra).
  assert (Hbe : fmul32 b e <= fmul32 b max32) by (apply fl32_le; nra).
  assert (Hbx : fmul32 (1 - b) x <= fmul32 (1 - b) max32) by (apply fl32_le; nra).
  assert (Hb0 : 0 <= fmul32 b e) by (apply fl32_nonneg; nra).
  assert (Hx0 : 0 <= fmul32 (1 - b) x) by (apply fl32_nonneg; nra).
  (* fl32((1 − b)·max32) ≤ (1 − b)·max32 + 2^102 *)
  assert (Hc : fmul32 (1 - b) max32 <= (1 - b) * max32 + bpow 102).
  { destruct (Req_dec ((1 - b) * max32) 0) as [Z|Z].
    { unfold fmul32. rewrite Z, fl32_0. generalize (bpow_gt_0 radix2 102). lra. }
    assert (He' : Rabs (fl32 ((1 - b) * max32) - (1 - b) * max32) <= / 2 * ulp ((1 - b) * max32))
      by (unfold fl32; apply error_le_half_ulp; auto with typeclass_instances).
    assert (Hu : ulp ((1 - b) * max32) <= bpow 103).
    { rewrite ulp_neq_0 by exact Z. apply bpow_le. unfold cexp.
      assert (mag radix2 ((1 - b) * max32) <= 127)%Z.
      { apply mag_le_bpow; [exact Z|]. rewrite Rabs_pos_eq by nra.
        assert (bpow 127 * 2 = bpow 128) by (change 128%Z with (127 + 1)%Z; rewrite bpow_plus; reflexivity).
        nra. }
      unfold fexp32, FLT_exp. lia. }
    apply Rabs_le_inv in He'. unfold fmul32. rewrite bpow_103_eq in Hu. lra. }
  assert (Hfb : fmul32 b max32 <= b * bpow 128 - bpow 104 \/ b = 1/2).
  { destruct (Req_dec b (1/2)) as [E|E]; [now right|left]. apply fl32_beta_max; auto; lra. }
  assert (Hsum : fmul32 b e + fmul32 (1 - b) x < max32 + bpow 103).
  { destruct Hfb as [Hfb|Eb].
    - unfold max32 in *. rewrite bpow_104_eq in *. rewrite bpow_103_eq in *. nra.
    - subst b.
      assert (Fh : F32 (max32 * bpow (-1))).
      { apply F32_mul_pow2; [exact max32_F|generalize (bpow_gt_0 radix2 127); lra|].
        rewrite (mag_unique_pos radix2 max32 128); [lia|exact max32_top]. }
      assert (fmul32 (1/2) max32 = max32 / 2).
      { unfold fmul32. replace (1/2 * max32) with (max32 * bpow (-1)) by (simpl; lra).
        rewrite fl32_id by exact Fh. simpl. lra. }
      replace (1 - 1/2) with (1/2) in * by lra. rewrite bpow_104_eq in *. lra. }
  assert (Hbm : fmul32 b e <= max32) by (apply fl32_le_F; [exact max32_F|nra]).
  assert (Hxm : fmul32 (1 - b) x <= max32) by (apply fl32_le_F; [exact max32_F|nra]).
  rewrite Hs. split; [exact Hbm|]. split; [exact Hxm|].
  unfold ehat_next32. rewrite Hs. split; [apply fl32_nonneg; lra|]. unfold fadd32.
  apply fl32_le_max32. exact Hsum.
Qed.

(* Ê_t ≤ max32 for every t: no Ê update overflows in binary32 for any finite input when β ≥ 1/2. *)
Theorem B32_T02_ehat_bounded_max b e0 x :
  F32 b -> 1/2 <= b < 1 -> 0 <= e0 <= max32 -> (forall j, 0 <= x j <= max32) ->
  forall n, 0 <= ehat_seq32 b e0 x n <= max32.
Proof.
  intros Fb Hb He0 Hx n. induction n as [|n IH]; simpl; [exact He0|].
  apply (B32_T02_ehat_step_le_max b _ (x n)); auto.
Qed.
