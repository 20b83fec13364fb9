(* T02 for every finite double, the top binade [2^1023, 2^1024) included.

   The model of B64Model.v has no upper exponent bound, so a statement about it covers the
   implementation only while no operation reaches the overflow threshold 2^1024.  This file
   proves that for every finite input:
   - the largest double is max64 = 2^1024 − 2^971, and round to nearest returns at most max64
     for every real below the midpoint max64 + 2^970 (fl_le_max64);
   - fl(1 + x) ≤ max64 for every double 0 ≤ x ≤ max64: 1 + x never overflows
     (B64_T02_one_plus_no_overflow), and for 2^54 ≤ x ≤ max64 it is x itself, so the squash is
     exactly 1 on every binade up to the top one (B64_T02_squash_one_top); on the bit-level
     doubles of Flocq: for every finite double x ≥ 2^54, Bplus 1 x and Bdiv x (Bplus 1 x) are
     finite and the quotient is 1 (B64_T02_squash_one_bits);
   - Ê never overflows for β ∈ [1/2, 1), whatever the finite inputs: if Ê_0 and every input
     are ≤ max64, every intermediate of every update is ≤ max64 (B64_T02_ehat_step_le_max,
     B64_T02_ehat_bounded_max, B64_T02_ehat_no_overflow_max); the report's X is ≤ max64 for every
     finite E and L (B64_T02_X_le_max), so the whole report step is overflow-free for every finite
     input (B64_T02_report_no_overflow), and the repo's too (B64_T02_repo_no_overflow).
   The key step: for β > 1/2, fl(β·max64) ≤ (pred β)·2^1024 = β·2^1024 − 2^971 (β·max64 lies
   within (1 − β)·2^971 < 2^970 of that double, it rounds down), and fl((1 − β)·max64) exceeds
   (1 − β)·max64 by at most u·(1 − β)·max64 + 2^-1075 < (1 − β)·2^971 + 2^-1075, so the sum is below
   max64 + 2^970 and rounds to at most max64.  Proofs/T02-binary64.md, Proofs/binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core Sterbenz.
From Flocq Require Import IEEE754.BinarySingleNaN.
From UnifiedLoRA Require Import binary64.B64Model binary64.B64Facts binary64.B64Error.
Open Scope R_scope.

Local Notation ulp := (ulp radix2 fexp64).
Local Notation pred := (pred radix2 fexp64).
Local Notation succ := (succ radix2 fexp64).
Local Notation bpow := (bpow radix2).

(* ------------------------------------------------------------------------- *)
(* The largest double                                                          *)

Lemma max64_eq : max64 = bpow 1024 - bpow 971.
Proof.
  unfold max64. rewrite minus_IZR.
  replace (bpow 1024) with (IZR (2 ^ 53) * bpow 971).
  - simpl. ring.
  - rewrite (IZR_Zpower radix2) by lia. rewrite <- bpow_plus. reflexivity.
Qed.

Lemma max64_F : F64 max64.
Proof.
  unfold max64. apply generic_format_FLT. exists (Float radix2 (2 ^ 53 - 1) 971).
  - reflexivity.
  - simpl. lia.
  - simpl. lia.
Qed.

Lemma bpow_971_pos : 0 < bpow 971.
Proof. apply bpow_gt_0. Qed.

Lemma bpow_1024_eq : bpow 1024 = bpow 971 * bpow 53.
Proof. rewrite <- bpow_plus. reflexivity. Qed.

Lemma bpow_1023_eq : bpow 1023 = bpow 971 * bpow 52.
Proof. rewrite <- bpow_plus. reflexivity. Qed.

Lemma bpow_970_eq : bpow 971 = 2 * bpow 970.
Proof. change 971%Z with (1 + 970)%Z. rewrite bpow_plus. reflexivity. Qed.

(* ulp is 2^971 on the top binade. *)
Lemma ulp_top w : bpow 1023 <= w < bpow 1024 -> ulp w = bpow 971.
Proof.
  intros Hw. assert (0 < w) by (generalize (bpow_gt_0 radix2 1023); lra).
  rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 w 1024).
  - reflexivity.
  - exact Hw.
Qed.

Lemma max64_top : bpow 1023 <= max64 < bpow 1024.
Proof.
  rewrite max64_eq, bpow_1023_eq, bpow_1024_eq. generalize bpow_971_pos. intros.
  assert (bpow 52 = 4503599627370496) by reflexivity.
  assert (bpow 53 = 9007199254740992) by reflexivity. nra.
Qed.

Lemma succ_max64 : succ max64 = bpow 1024.
Proof.
  rewrite succ_eq_pos by (generalize max64_top (bpow_ge_0 radix2 1023); lra).
  rewrite ulp_top by exact max64_top. rewrite max64_eq. ring.
Qed.

(* Round to nearest returns at most max64 below the midpoint max64 + 2^970 between max64 and 2^1024. *)
Lemma fl_le_max64 w : w < max64 + bpow 970 -> fl w <= max64.
Proof.
  intros Hw. unfold fl. apply round_N_le_midp; auto with typeclass_instances.
  - exact max64_F.
  - rewrite succ_max64. rewrite max64_eq in *. rewrite bpow_970_eq in *. lra.
Qed.

Lemma max64_overflow_free w : 0 <= w <= max64 -> overflow_free w.
Proof.
  intros Hw. unfold overflow_free. rewrite Rabs_pos_eq by lra. generalize max64_top. lra.
Qed.

(* A double below 2^1024 is at most max64: max64 is the largest finite double. *)
Lemma F64_le_max64 x : F64 x -> x < bpow 1024 -> x <= max64.
Proof.
  intros Fx Hx. replace max64 with (pred (bpow 1024)).
  - apply pred_ge_gt; auto with typeclass_instances. apply F64_bpow. lia.
  - rewrite pred_bpow, max64_eq. reflexivity.
Qed.

(* ------------------------------------------------------------------------- *)
(* 1 + x and the squash on every binade                                        *)

Theorem B64_T02_one_plus_no_overflow x :
  0 <= x <= max64 -> 1 <= fl (1 + x) <= max64 /\ overflow_free (fl (1 + x)).
Proof.
  intros Hx.
  assert (H1 : 1 <= fl (1 + x)) by (apply fl_ge_F; [exact F64_1|lra]).
  assert (H2 : fl (1 + x) <= max64).
  { apply fl_le_max64. assert (1 < bpow 970) by (change 1 with (bpow 0); apply bpow_lt; lia). lra. }
  split; [lra|]. apply max64_overflow_free. lra.
Qed.

Lemma fl_one_plus_big x : F64 x -> bpow 54 <= x -> fl (1 + x) = x.
Proof.
  intros Fx Hx.
  assert (Hx0 : 0 < x) by (generalize (bpow_gt_0 radix2 54); lra).
  assert (Hu : bpow 2 <= ulp x).
  { replace (bpow 2) with (ulp (bpow 54)) by (rewrite ulp_bpow; reflexivity).
    apply ulp_le; auto with typeclass_instances.
    rewrite !Rabs_pos_eq; [|lra|apply bpow_ge_0]. exact Hx. }
  simpl in Hu.
  unfold fl. rewrite Rplus_comm.
  rewrite round_N_eq_DN; auto with typeclass_instances.
  - apply round_DN_plus_eps_pos; auto with typeclass_instances; lra.
  - rewrite round_DN_plus_eps_pos, round_UP_plus_eps_pos; auto with typeclass_instances; lra.
Qed.

(* For every double 2^54 ≤ x ≤ max64 (the top binade included): 1 + x rounds to x (no overflow),
   and the squash is exactly 1. *)
Theorem B64_T02_squash_one_top x :
  F64 x -> bpow 54 <= x <= max64 ->
  fl (1 + x) = x /\ overflow_free (fl (1 + x)) /\ squash64 x = 1.
Proof.
  intros Fx Hx. rewrite fl_one_plus_big by (auto; lra).
  split; [reflexivity|]. split.
  - apply max64_overflow_free. generalize (bpow_gt_0 radix2 54). lra.
  - apply B64_squash_one_from_2p54; auto; lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* The same on Flocq's bit-level doubles: finite results, and the quotient is 1 *)

Lemma b64_plus_finite x y :
  is_finite x = true -> is_finite y = true -> Rabs (fadd (B2R x) (B2R y)) < bpow 1024 ->
  is_finite (b64_plus x y) = true /\ B2R (b64_plus x y) = fadd (B2R x) (B2R y).
Proof.
  intros Hx Hy H. generalize (@Bplus_correct 53 1024 b64_prec b64_emax mode_NE x y Hx Hy).
  unfold fadd, fl, fexp64 in H. rewrite Rlt_bool_true by exact H.
  intros (H1 & H2 & _). split; [exact H2|exact H1].
Qed.

Lemma b64_div_finite x y :
  is_finite x = true -> B2R y <> 0 -> Rabs (fdiv (B2R x) (B2R y)) < bpow 1024 ->
  is_finite (b64_div x y) = true /\ B2R (b64_div x y) = fdiv (B2R x) (B2R y).
Proof.
  intros Hx Hy H. generalize (@Bdiv_correct 53 1024 b64_prec b64_emax mode_NE x y Hy).
  unfold fdiv, fl, fexp64 in H. rewrite Rlt_bool_true by exact H.
  intros (H1 & H2 & _). unfold b64_div. split; [rewrite H2; exact Hx|exact H1].
Qed.

Lemma B2R_F64 (x : b64) : F64 (B2R x).
Proof. apply generic_format_B2R. Qed.

Lemma B2R_lt_max (x : b64) : is_finite x = true -> B2R x <= max64.
Proof.
  intros Hx. apply F64_le_max64; [apply B2R_F64|].
  generalize (abs_B2R_lt_emax 53 1024 x). intros H. apply Rabs_lt_inv in H. lra.
Qed.

(* The code's arithmetic itself: for every finite double x ≥ 2^54, up to the largest one,
   1 + x and x / (1 + x) are finite (no overflow) and the squash is exactly 1. *)
Theorem B64_T02_squash_one_bits (x : b64) :
  is_finite x = true -> bpow 54 <= B2R x ->
  is_finite (b64_plus b64_one x) = true /\ B2R (b64_plus b64_one x) = B2R x /\
  is_finite (b64_div x (b64_plus b64_one x)) = true /\ B2R (b64_div x (b64_plus b64_one x)) = 1.
Proof.
  intros Hx Hb.
  assert (Hm : B2R x <= max64) by (now apply B2R_lt_max).
  assert (F1 : is_finite b64_one = true) by reflexivity.
  destruct (B64_T02_squash_one_top (B2R x) (B2R_F64 x) (conj Hb Hm)) as (Hs & _ & Hq).
  assert (Hp : Rabs (fadd (B2R b64_one) (B2R x)) < bpow 1024).
  { rewrite b64_one_R. unfold fadd. rewrite Hs. rewrite Rabs_pos_eq; generalize max64_top (bpow_gt_0 radix2 54); lra. }
  destruct (b64_plus_finite _ _ F1 Hx Hp) as [Hpf Hpv].
  assert (Hpv' : B2R (b64_plus b64_one x) = B2R x) by (rewrite Hpv, b64_one_R; exact Hs).
  assert (Hx0 : B2R x <> 0) by (generalize (bpow_gt_0 radix2 54); lra).
  assert (Hd : Rabs (fdiv (B2R x) (B2R (b64_plus b64_one x))) < bpow 1024).
  { rewrite Hpv'. unfold fdiv. unfold Rdiv. rewrite Rinv_r by exact Hx0. rewrite fl_id by exact F64_1.
    rewrite Rabs_R1. change 1 with (bpow 0). apply bpow_lt. lia. }
  destruct (b64_div_finite _ _ Hx ltac:(rewrite Hpv'; exact Hx0) Hd) as [Hdf Hdv].
  repeat split; auto. rewrite Hdv, Hpv'. unfold fdiv, Rdiv. rewrite Rinv_r by exact Hx0.
  apply fl_id. exact F64_1.
Qed.

(* ------------------------------------------------------------------------- *)
(* Ê never overflows for β ∈ [1/2, 1), for every finite input                    *)

Lemma pred_beta b : F64 b -> 1/2 < b < 1 ->
  1/2 <= pred b /\ pred b = b - bpow (-53) /\ F64 (pred b).
Proof.
  intros Fb Hb.
  assert (Fh : F64 (1/2)) by exact half_F.
  assert (H1 : 1/2 <= pred b) by (apply pred_ge_gt; auto with typeclass_instances; lra).
  assert (H2 : pred b < 1) by (generalize (pred_le_id radix2 fexp64 b); lra).
  assert (Hpu : pred b + ulp (pred b) = b).
  { apply pred_plus_ulp; auto with typeclass_instances. lra. }
  assert (Hu : ulp (pred b) = bpow (-53)).
  { rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 (pred b) 0).
    - reflexivity.
    - simpl. lra. }
  split; [exact H1|]. split; [lra|].
  apply generic_format_pred; auto with typeclass_instances.
Qed.

(* fl(β·max64) ≤ β·2^1024 − 2^971 for a double β ∈ (1/2, 1). *)
Lemma fl_beta_max b : F64 b -> 1/2 < b < 1 -> fl (b * max64) <= b * bpow 1024 - bpow 971.
Proof.
  intros Fb Hb. destruct (pred_beta b Fb Hb) as (H1 & H2 & H3).
  assert (Hp1 : pred b < 1) by (rewrite H2; generalize (bpow_gt_0 radix2 (-53)); lra).
  set (v := pred b * bpow 1024).
  assert (Hv : v = b * bpow 1024 - bpow 971).
  { unfold v. rewrite H2. rewrite Rmult_minus_distr_r, <- bpow_plus. reflexivity. }
  assert (Fv : F64 v).
  { unfold v. apply F64_mul_pow2; [exact H3|lra|].
    rewrite (mag_unique_pos radix2 (pred b) 0); [lia|]. simpl. lra. }
  assert (Hvt : bpow 1023 <= v < bpow 1024).
  { unfold v. rewrite bpow_1024_eq. rewrite bpow_1023_eq.
    assert (bpow 52 = 4503599627370496) by reflexivity.
    assert (bpow 53 = 9007199254740992) by reflexivity.
    assert (pred b < 1) by (rewrite H2; generalize (bpow_gt_0 radix2 (-53)); lra).
    generalize bpow_971_pos. intros. nra. }
  rewrite <- Hv. unfold fl. apply round_N_le_midp; auto with typeclass_instances.
  rewrite succ_eq_pos by (generalize (bpow_ge_0 radix2 1023); lra).
  rewrite ulp_top by exact Hvt. rewrite Hv, max64_eq.
  generalize bpow_971_pos. intros. nra.
Qed.

(* One Ê update with β ∈ [1/2, 1) a double and Ê, X ∈ [0, max64]: every intermediate is at most
   max64 (no overflow), and so is the result. *)
Theorem B64_T02_ehat_step_le_max b e x :
  F64 b -> 1/2 <= b < 1 -> 0 <= e <= max64 -> 0 <= x <= max64 ->
  0 <= fmul b e <= max64 /\ fsub 1 b = 1 - b /\ 0 <= fmul (fsub 1 b) x <= max64 /\
  0 <= ehat_next64 b e x <= max64.
Proof.
  intros Fb Hb He Hx.
  rewrite fsub_1_exact by (auto; lra).
  generalize max64_top bpow_971_pos. intros Ht H971.
  assert (Hm0 : 0 <= fmul b e) by (apply fmul_nonneg; lra).
  assert (Hn0 : 0 <= fmul (1 - b) x) by (apply fmul_nonneg; lra).
  assert (Hbe : fmul b e <= fmul b max64) by (apply fmul_le; lra).
  assert (Hbx : fmul (1 - b) x <= fmul (1 - b) max64) by (apply fmul_le; lra).
  (* the second product: at most (1 − b)·max64 + u·(1 − b)·max64 + 2^-1075 *)
  assert (Hc : fmul (1 - b) max64 <= (1 - b) * max64 + (u64 * ((1 - b) * max64) + eta64)).
  { generalize (fl_err ((1 - b) * max64)). unfold fmul. intros H.
    rewrite (Rabs_pos_eq ((1 - b) * max64)) in H by nra. apply Rabs_le_inv in H. lra. }
  assert (Hu : u64 * max64 <= bpow 971).
  { unfold u64. rewrite max64_eq. rewrite Rmult_minus_distr_l, <- !bpow_plus.
    generalize (bpow_gt_0 radix2 (-53 + 971)). simpl (-53 + 1024)%Z. lra. }
  assert (He64 : eta64 < bpow 969).
  { unfold eta64. apply bpow_lt. lia. }
  assert (H970 : bpow 971 = 4 * bpow 969).
  { change 971%Z with (2 + 969)%Z. rewrite bpow_plus. reflexivity. }
  assert (Hfb : fmul b max64 <= b * bpow 1024 - bpow 971 \/ b = 1/2).
  { destruct (Req_dec b (1/2)) as [E|E]; [now right|left]. apply fl_beta_max; auto; lra. }
  assert (Hsum : fmul b e + fmul (1 - b) x < max64 + bpow 970).
  { destruct Hfb as [Hfb|Eb].
    - assert (u64 * ((1 - b) * max64) <= (1 - b) * bpow 971).
      { replace (u64 * ((1 - b) * max64)) with ((1 - b) * (u64 * max64)) by ring.
        apply Rmult_le_compat_l; lra. }
      rewrite max64_eq in *. rewrite bpow_970_eq in *. nra.
    - subst b. (* β = 1/2: both products are exact halves of numbers ≤ max64 *)
      assert (Fh : F64 (max64 * bpow (-1))).
      { apply F64_mul_pow2; [exact max64_F|generalize (bpow_gt_0 radix2 1023); lra|]. rewrite (mag_unique_pos radix2 max64 1024); [lia|].
        exact max64_top. }
      assert (Hh : max64 * bpow (-1) = max64 / 2) by (simpl; lra).
      assert (fmul (1/2) max64 = max64 / 2).
      { unfold fmul. rewrite <- Hh. replace (1/2 * max64) with (max64 * bpow (-1)) by (simpl; lra).
        apply fl_id. exact Fh. }
      replace (1 - 1/2) with (1/2) in * by lra. rewrite bpow_970_eq in *. lra. }
  assert (Hr : fl (fmul b e + fmul (1 - b) x) <= max64) by (apply fl_le_max64; exact Hsum).
  assert (Hbm : fmul b e <= max64).
  { apply fl_le_F; [exact max64_F|]. nra. }
  assert (Hxm : fmul (1 - b) x <= max64).
  { apply fl_le_F; [exact max64_F|]. nra. }
  split; [lra|]. split; [reflexivity|]. split; [lra|].
  split; [apply ehat_next64_nonneg; lra|]. unfold ehat_next64. rewrite fsub_1_exact by (auto; lra).
  exact Hr.
Qed.

Theorem B64_T02_ehat_bounded_max b e0 x :
  F64 b -> 1/2 <= b < 1 -> 0 <= e0 <= max64 -> (forall j, 0 <= x j <= max64) ->
  forall n, 0 <= ehat_seq64 b e0 x n <= max64.
Proof.
  intros Fb Hb He0 Hx n. induction n as [|n IH]; simpl; [exact He0|].
  apply (B64_T02_ehat_step_le_max b _ (x n)); auto.
Qed.

(* T02 part 4 for every finite input, the largest double included: with β ∈ [1/2, 1) a double,
   Ê_0 and every input ≤ max64, every intermediate of every Ê update is ≤ max64 < 2^1024. *)
Theorem B64_T02_ehat_no_overflow_max b e0 x :
  F64 b -> 1/2 <= b < 1 -> 0 <= e0 <= max64 -> (forall j, 0 <= x j <= max64) ->
  forall n, let e := ehat_seq64 b e0 x n in
  overflow_free (fsub 1 b) /\ overflow_free (fmul b e) /\
  overflow_free (fmul (fsub 1 b) (x n)) /\ overflow_free (ehat_next64 b e (x n)) /\
  ehat_next64 b e (x n) <= max64.
Proof.
  intros Fb Hb He0 Hx n e.
  assert (He : 0 <= e <= max64) by (apply B64_T02_ehat_bounded_max; auto).
  destruct (B64_T02_ehat_step_le_max b e (x n)) as (H1 & H2 & H3 & H4); auto.
  generalize max64_top. intros Ht.
  assert (1 <= bpow 1023) by (change 1 with (bpow 0); apply bpow_le; lia).
  rewrite H2 in *. split; [apply max64_overflow_free; lra|].
  split; [apply max64_overflow_free; lra|]. split; [apply max64_overflow_free; lra|].
  split; [apply max64_overflow_free; lra|]. apply H4.
Qed.

(* The report's X = fl(fl(α_E·E) + fl(fl(1 − α_E)·D)) is at most max64 for every finite E ≥ 0
   and every double α_E ∈ [0, 1], whatever the loss. *)
Theorem B64_T02_X_le_max aE l e :
  F64 aE -> 0 <= aE <= 1 -> F64 e -> 0 <= e <= max64 -> F64 l -> 0 <= l ->
  0 <= X64 aE l e <= max64.
Proof.
  intros FaE Ha Fe He Fl Hl. split; [now apply X64_nonneg|].
  generalize max64_top bpow_971_pos. intros Ht H971.
  unfold X64, D64.
  destruct (Req_dec aE 1) as [E1|E1].
  - subst aE. unfold fsub. replace (1 - 1) with 0 by ring. rewrite fl_0.
    unfold fmul at 2. rewrite Rmult_0_l, fl_0. unfold fmul, fadd. rewrite Rplus_0_r, Rmult_1_l.
    rewrite (fl_id e Fe). rewrite (fl_id e Fe). lra.
  - assert (Hb1 : aE <= below1) by (apply F64_lt_1; auto; lra).
    (* fl(α_E·E) ≤ max64 − 2^971, the double below max64 *)
    set (w := max64 - bpow 971).
    assert (Fw : F64 w).
    { unfold w. rewrite max64_eq. apply generic_format_FLT.
      exists (Float radix2 (2 ^ 53 - 2) 971).
      - unfold F2R. cbn [Fnum Fexp].
        assert (Z1 : IZR (2 ^ 53 - 2) = 9007199254740990) by reflexivity.
        assert (Z2 : bpow 53 = 9007199254740992) by reflexivity.
        rewrite Z1, bpow_1024_eq, Z2. ring.
      - simpl. lia.
      - simpl. lia. }
    assert (Hwt : bpow 1023 <= w < bpow 1024).
    { unfold w. rewrite max64_eq, bpow_1024_eq, bpow_1023_eq.
      assert (bpow 52 = 4503599627370496) by reflexivity.
      assert (bpow 53 = 9007199254740992) by reflexivity. nra. }
    assert (Hm1 : fmul aE e <= w).
    { apply Rle_trans with (fmul below1 max64).
      { apply fl_le. generalize (bpow_gt_0 radix2 1023). intros. nra. }
      unfold fmul, fl. apply round_N_le_midp; auto with typeclass_instances.
      rewrite succ_eq_pos by (generalize (bpow_ge_0 radix2 1023); lra).
      rewrite ulp_top by exact Hwt. unfold w, below1.
      replace ((max64 - bpow 971 + (max64 - bpow 971 + bpow 971)) / 2) with (max64 - bpow 971 / 2)
        by field.
      assert (Hu : bpow (-53) * max64 > bpow 970).
      { rewrite max64_eq, Rmult_minus_distr_l, <- !bpow_plus. simpl (-53 + 1024)%Z. simpl (-53 + 971)%Z.
        rewrite bpow_970_eq. assert (bpow 918 < bpow 970) by (apply bpow_lt; lia). lra. }
      rewrite bpow_970_eq. nra. }
    assert (H2 : fsub 1 aE <= 1) by (apply fl_le_F; [exact F64_1|lra]).
    assert (H3 : fmul (fsub 1 aE) (squash64 l) <= 1).
    { apply fl_le_F; [exact F64_1|].
      generalize (squash64_le_1 l Fl Hl) (squash64_nonneg l Hl) (fsub_1_nonneg aE (proj2 Ha)). intros.
      nra. }
    apply fl_le_F; [exact max64_F|]. unfold w in Hm1.
    assert (1 <= bpow 971) by (change 1 with (bpow 0); apply bpow_le; lia). lra.
Qed.

(* The whole report step for every finite input: with β ∈ [1/2, 1), α_E ∈ [0, 1] doubles, Ê_0 a
   double in [0, max64], losses and stresses finite doubles ≥ 0, every intermediate of step n is at
   most max64 — the squash's 1 + L and 1 + Ê, X, both products of the Ê update and Ê itself — so no
   operation of the report run overflows (φ's operations are in [0, 1], B64_phi_le_1). *)
Theorem B64_T02_report_no_overflow a b aE e0 f0 l e :
  F64 b -> 1/2 <= b < 1 -> F64 aE -> 0 <= aE <= 1 ->
  (forall k, F64 (l k) /\ 0 <= l k <= max64 /\ F64 (e k) /\ 0 <= e k <= max64) ->
  F64 e0 -> 0 <= e0 <= max64 ->
  forall n, let Eh := fst (run_report64 a b aE (e0, f0) l e n) in
  fl (1 + l n) <= max64 /\ 0 <= X64 aE (l n) (e n) <= max64 /\
  fmul b Eh <= max64 /\ fmul (fsub 1 b) (X64 aE (l n) (e n)) <= max64 /\
  0 <= Eh <= max64 /\ fl (1 + Eh) <= max64.
Proof.
  intros Fb Hb FaE Ha Hin Fe0 He0 n Eh.
  assert (HX : forall k, 0 <= X64 aE (l k) (e k) <= max64).
  { intros k. destruct (Hin k) as (Fl & Hl & Fe & He). apply B64_T02_X_le_max; auto; lra. }
  assert (HE : 0 <= Eh <= max64).
  { unfold Eh. rewrite run_report64_fst. apply B64_T02_ehat_bounded_max; auto. }
  destruct (B64_T02_ehat_step_le_max b Eh (X64 aE (l n) (e n)) Fb Hb HE (HX n)) as (H1 & H2 & H3 & H4).
  destruct (Hin n) as (Fl & Hl & Fe & He).
  split; [apply (B64_T02_one_plus_no_overflow (l n)); lra|].
  split; [apply HX|]. split; [apply H1|]. split; [apply H3|]. split; [exact HE|].
  apply (B64_T02_one_plus_no_overflow Eh). exact HE.
Qed.

(* The repo step likewise: Ê from the raw loss, every intermediate ≤ max64 for every finite loss. *)
Theorem B64_T02_repo_no_overflow a b e0 f0 l :
  F64 b -> 1/2 <= b < 1 -> (forall k, 0 <= l k <= max64) -> 0 <= e0 <= max64 ->
  forall n, let Eh := fst (run_repo64 a b (e0, f0) l n) in
  fmul b Eh <= max64 /\ fmul (fsub 1 b) (l n) <= max64 /\
  0 <= ehat_next64 b Eh (l n) <= max64 /\ fl (1 + ehat_next64 b Eh (l n)) <= max64.
Proof.
  intros Fb Hb Hin He0 n Eh.
  assert (HE : 0 <= Eh <= max64).
  { unfold Eh. rewrite run_repo64_fst. apply B64_T02_ehat_bounded_max; auto. }
  destruct (B64_T02_ehat_step_le_max b Eh (l n) Fb Hb HE (Hin n)) as (H1 & H2 & H3 & H4).
  split; [apply H1|]. split; [apply H3|]. split; [exact H4|].
  apply (B64_T02_one_plus_no_overflow (ehat_next64 b Eh (l n))). exact H4.
Qed.
