(* T02 part 4 for β < 1/2: Ê never overflows for any double β ∈ [0, 1), whatever the finite
   inputs (B64Overflow.v has β ∈ [1/2, 1), where 1 − β is exact).

   For β < 1/2, c = fl(1 − β) is no longer 1 − β: it can exceed it by half an ulp, 2^-54, so
   β + c can be 1 + 2^-54 and the exact combination β·MAX + c·MAX can exceed MAX by almost
   2^970, the distance to the overflow threshold.  What saves it is the grid: c is a double of
   [1/2, 1], so fl(c·MAX) ≤ c·2^1024 − 2^971 (the product rounds down onto the grid of the top
   binade, B64Overflow.fl_beta_max; c = 1 and c = 1/2 are exact), while fl(β·MAX) ≤ β·MAX·(1 + u)
   + 2^-1075 = β·(2^1024 − 2^918) + 2^-1075.  Together:
     fl(β·MAX) + fl(c·MAX) ≤ β·2^1024 + (1 − β + 2^-54)·2^1024 − 2^971 − β·2^918 + 2^-1075
                          = MAX + 2^970 − β·2^918 + 2^-1075 < MAX + 2^970
   for every double β > 0 (β ≥ 2^-1074), and the sum rounds to at most MAX.  β = 0 is exact.
   Proofs/T02-binary64.md, Proofs/binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core.
From UnifiedLoRA Require Import binary64.B64Model binary64.B64Facts binary64.B64Error binary64.B64Overflow.
Open Scope R_scope.

Local Notation ulp := (ulp radix2 fexp64).
Local Notation bpow := (bpow radix2).

(* A positive double is at least the least subnormal, 2^-1074. *)
Lemma F64_pos_ge b : F64 b -> 0 < b -> bpow (-1074) <= b.
Proof.
  intros Fb Hb. apply (generic_format_ge_bpow radix2 fexp64); [|exact Hb|exact Fb].
  intros e. unfold fexp64, FLT_exp. lia.
Qed.

(* c = fl(1 − β) for a double β ∈ (0, 1/2): 1/2 ≤ c ≤ 1 and c ≤ 1 − β + 2^-54. *)
Lemma fsub_1_small b : F64 b -> 0 < b < 1/2 ->
  1/2 <= fsub 1 b <= 1 /\ fsub 1 b <= 1 - b + bpow (-54) /\ F64 (fsub 1 b).
Proof.
  intros Fb Hb. unfold fsub.
  split; [split|split].
  - apply fl_ge_F; [exact half_F|lra].
  - apply fl_le_F; [exact F64_1|lra].
  - assert (Hu : ulp (1 - b) = bpow (-53)).
    { rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 (1 - b) 0).
      - reflexivity.
      - simpl. lra. }
    generalize (fl_error (1 - b)). rewrite Hu. intros H. apply Rabs_le_inv in H.
    replace (bpow (-54)) with (/ 2 * bpow (-53)) by (simpl; lra). lra.
  - apply fl_format.
Qed.

(* fl(c·MAX) ≤ c·2^1024 − 2^971 for a double c ∈ (1/2, 1]. *)
Lemma fl_c_max c : F64 c -> 1/2 < c <= 1 -> fmul c max64 <= c * bpow 1024 - bpow 971.
Proof.
  intros Fc Hc. destruct (Req_dec c 1) as [->|Ne].
  - unfold fmul. rewrite Rmult_1_l, fl_id by exact max64_F. rewrite max64_eq. lra.
  - apply fl_beta_max; [exact Fc|lra].
Qed.

(* One Ê update with β ∈ [0, 1/2) a double and Ê, X ∈ [0, max64]: every intermediate is at
   most max64 (no overflow), and so is the result. *)
Theorem B64_T02_ehat_step_le_max_small b e x :
  F64 b -> 0 <= b < 1/2 -> 0 <= e <= max64 -> 0 <= x <= max64 ->
  0 <= fmul b e <= max64 /\ 1/2 <= fsub 1 b <= 1 /\ 0 <= fmul (fsub 1 b) x <= max64 /\
  0 <= ehat_next64 b e x <= max64.
Proof.
  intros Fb Hb He Hx.
  generalize max64_top bpow_971_pos. intros Ht H971.
  assert (Hbm : fmul b e <= max64) by (apply fl_le_F; [exact max64_F|nra]).
  assert (Hb0e : 0 <= fmul b e) by (apply fmul_nonneg; lra).
  destruct (Req_dec b 0) as [->|Hb0].
  { (* β = 0: the products are 0 and fl(x) *)
    assert (H1 : fsub 1 0 = 1) by (unfold fsub; rewrite Rminus_0_r; apply fl_id, F64_1).
    assert (H0 : fmul 0 e = 0) by (unfold fmul; rewrite Rmult_0_l; apply fl_0).
    assert (Hx1 : 0 <= fmul 1 x <= max64).
    { unfold fmul; rewrite Rmult_1_l. split; [apply fl_nonneg; lra|apply fl_le_F; [exact max64_F|lra]]. }
    unfold ehat_next64. rewrite H1, H0. split; [lra|]. split; [lra|]. split; [exact Hx1|].
    unfold fadd. rewrite Rplus_0_l. split; [apply fl_nonneg; lra|apply fl_le_F; [exact max64_F|lra]]. }
  assert (Hbpos : 0 < b) by lra.
  assert (Hbmin : bpow (-1074) <= b) by (apply F64_pos_ge; assumption).
  destruct (fsub_1_small b Fb (conj Hbpos (proj2 Hb))) as ([Hc1 Hc2] & Hc3 & Fc).
  set (c := fsub 1 b) in *.
  assert (Hcm : fmul c x <= max64) by (apply fl_le_F; [exact max64_F|nra]).
  assert (Hc0x : 0 <= fmul c x) by (apply fmul_nonneg; lra).
  assert (Hbe : fmul b e <= fmul b max64) by (apply fmul_le; lra).
  assert (Hcx : fmul c x <= fmul c max64) by (apply fmul_le; lra).
  (* the first product: fl(β·MAX) ≤ β·(2^1024 − 2^918) + 2^-1075 *)
  assert (Hu1 : u64 * bpow 1024 = bpow 971) by (unfold u64; rewrite <- bpow_plus; reflexivity).
  assert (Hu2 : u64 * bpow 971 = bpow 918) by (unfold u64; rewrite <- bpow_plus; reflexivity).
  assert (Hfb : fmul b max64 <= b * (bpow 1024 - bpow 918) + eta64).
  { generalize (fl_err (b * max64)). unfold fmul. intros H.
    rewrite (Rabs_pos_eq (b * max64)) in H by nra. apply Rabs_le_inv in H.
    rewrite max64_eq in H |- *.
    replace (b * (bpow 1024 - bpow 918)) with
      (b * (bpow 1024 - bpow 971) + b * (u64 * bpow 1024 - u64 * bpow 971)) by (rewrite Hu1, Hu2; ring).
    nra. }
  assert (Htiny : eta64 < b * bpow 918).
  { apply Rlt_le_trans with (bpow (-1074) * bpow 918).
    - rewrite <- bpow_plus. unfold eta64. apply bpow_lt. lia.
    - apply Rmult_le_compat_r; [apply bpow_ge_0|exact Hbmin]. }
  assert (H1024 : bpow 1024 = 2 * bpow 1023) by (change 1024%Z with (1 + 1023)%Z; rewrite bpow_plus; reflexivity).
  assert (H54 : bpow (-54) * bpow 1024 = bpow 970) by (rewrite <- bpow_plus; reflexivity).
  assert (H970 := bpow_970_eq).
  assert (Hsum : fmul b e + fmul c x < max64 + bpow 970).
  { destruct (Req_dec c (1/2)) as [Ec|Ec].
    - (* c = 1/2: fl(MAX/2) = MAX/2 *)
      assert (Fh : F64 (max64 * bpow (-1))).
      { apply F64_mul_pow2; [exact max64_F|generalize (bpow_gt_0 radix2 1023); lra|].
        rewrite (mag_unique_pos radix2 max64 1024); [lia|]. exact max64_top. }
      assert (Hh : fmul c max64 = max64 / 2).
      { unfold fmul. rewrite Ec. replace (1/2 * max64) with (max64 * bpow (-1)) by (simpl; lra).
        rewrite fl_id by exact Fh. simpl; lra. }
      assert (b * bpow 1024 < bpow 1023) by nra.
      rewrite max64_eq in *. nra.
    - assert (Hcc : fmul c max64 <= c * bpow 1024 - bpow 971) by (apply fl_c_max; [exact Fc|lra]).
      assert (c * bpow 1024 <= (1 - b) * bpow 1024 + bpow 970).
      { rewrite <- H54. generalize (bpow_gt_0 radix2 1024). intros. nra. }
      rewrite max64_eq in *. nra. }
  assert (Hr : fl (fmul b e + fmul c x) <= max64) by (apply fl_le_max64; exact Hsum).
  split; [lra|]. split; [lra|]. split; [lra|].
  split; [apply ehat_next64_nonneg; lra|]. exact Hr.
Qed.

Theorem B64_T02_ehat_step_le_max_all b e x :
  F64 b -> 0 <= b < 1 -> 0 <= e <= max64 -> 0 <= x <= max64 ->
  0 <= fmul b e <= max64 /\ 0 <= fsub 1 b <= 1 /\ 0 <= fmul (fsub 1 b) x <= max64 /\
  0 <= ehat_next64 b e x <= max64.
Proof.
  intros Fb Hb He Hx. destruct (Rlt_le_dec b (1/2)) as [Hs|Hl].
  - destruct (B64_T02_ehat_step_le_max_small b e x Fb (conj (proj1 Hb) Hs) He Hx) as (H1 & H2 & H3 & H4).
    repeat split; lra.
  - destruct (B64_T02_ehat_step_le_max b e x Fb (conj Hl (proj2 Hb)) He Hx) as (H1 & H2 & H3 & H4).
    rewrite H2 in *. repeat split; lra.
Qed.

(* T02 part 4 for every double β ∈ [0, 1): with Ê_0 and every input ≤ max64, every intermediate
   of every Ê update is ≤ max64 < 2^1024 — Ê never overflows, whatever β. *)
Theorem B64_T02_ehat_no_overflow_all b e0 x :
  F64 b -> 0 <= b < 1 -> 0 <= e0 <= max64 -> (forall j, 0 <= x j <= max64) ->
  forall n, let e := ehat_seq64 b e0 x n in
  0 <= e <= max64 /\
  overflow_free (fsub 1 b) /\ overflow_free (fmul b e) /\
  overflow_free (fmul (fsub 1 b) (x n)) /\ overflow_free (ehat_next64 b e (x n)).
Proof.
  intros Fb Hb He0 Hx.
  assert (Hall : forall n, 0 <= ehat_seq64 b e0 x n <= max64).
  { intros n. induction n as [|n IH]; simpl; [exact He0|].
    apply (B64_T02_ehat_step_le_max_all b _ (x n)); auto. }
  intros n e.
  destruct (B64_T02_ehat_step_le_max_all b e (x n) Fb Hb (Hall n) (Hx n)) as (H1 & H2 & H3 & H4).
  generalize max64_top. intros Ht.
  assert (1 <= bpow 1023) by (change 1 with (bpow 0); apply bpow_le; lia).
  split; [apply Hall|].
  split; [apply max64_overflow_free; lra|]. split; [apply max64_overflow_free; lra|].
  split; apply max64_overflow_free; lra.
Qed.
