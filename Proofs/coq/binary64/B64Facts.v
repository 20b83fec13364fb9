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

(* ------------------------------------------------------------------------- *)
(* Ground evaluation: a real expression built from fadd/fsub/fmul/fdiv and doubles is
   rewritten into the bit-level operations of Flocq, which vm_compute evaluates.       *)

Lemma b64_of_R (m : positive) e :
  B2SF (b64_of (Zpos m) e) = SpecFloat.S754_finite false m e ->
  IZR (Zpos m) * bpow e = B2R (b64_of (Zpos m) e).
Proof. intros H. rewrite (B2R_SF _ _ _ _ H). reflexivity. Qed.

Lemma fadd_b (x y : b64) :
  is_finite x = true -> is_finite y = true -> is_finite (b64_plus x y) = true ->
  fadd (B2R x) (B2R y) = B2R (b64_plus x y).
Proof. intros. symmetry. now apply b64_plus_correct. Qed.

Lemma fsub_b (x y : b64) :
  is_finite x = true -> is_finite y = true -> is_finite (b64_minus x y) = true ->
  fsub (B2R x) (B2R y) = B2R (b64_minus x y).
Proof. intros. symmetry. now apply b64_minus_correct. Qed.

Lemma fmul_b (x y : b64) :
  is_finite (b64_mult x y) = true -> fmul (B2R x) (B2R y) = B2R (b64_mult x y).
Proof. intros. symmetry. now apply b64_mult_correct. Qed.

Lemma fdiv_b (x y : b64) (m : positive) e :
  B2SF y = SpecFloat.S754_finite false m e -> is_finite (b64_div x y) = true ->
  fdiv (B2R x) (B2R y) = B2R (b64_div x y).
Proof.
  intros Hy Hf. symmetry. apply b64_div_correct; [|exact Hf].
  rewrite (B2R_SF _ _ _ _ Hy). simpl. apply Rmult_integral_contrapositive_currified.
  - apply not_0_IZR. discriminate.
  - apply Rgt_not_eq, bpow_gt_0.
Qed.

Ltac b64_eval :=
  repeat first
    [ rewrite fadd_b by (vm_compute; reflexivity)
    | rewrite fsub_b by (vm_compute; reflexivity)
    | rewrite fmul_b by (vm_compute; reflexivity)
    | erewrite fdiv_b by (vm_compute; reflexivity) ].

Ltac b64_const m e := rewrite (b64_of_R m e) by (vm_compute; reflexivity).

Ltac b64_close := apply B2R_eq_SF; vm_compute; reflexivity.

(* 1 − 0.1 rounds to the double 0.9 (SPEC §3 remark: fl(1 − 0.1) = fl(0.9)). *)
Theorem B64_one_minus_alpha : fsub 1 alpha_d = beta_d.
Proof.
  unfold alpha_d, beta_d. rewrite <- b64_one_R.
  b64_const 7205759403792794%positive (-56)%Z. b64_const 8106479329266893%positive (-53)%Z.
  b64_eval. b64_close.
Qed.

(* The boundary of the squash: 2^53 gives exactly 1, 2^53 + 2 gives 1 − 2^-52. *)
Theorem B64_squash_2p53 : squash64 (bpow 53) = 1.
Proof.
  unfold squash64. rewrite <- b64_one_R.
  replace (bpow 53) with (IZR 4503599627370496 * bpow 1) by (simpl; lra).
  b64_const 4503599627370496%positive 1%Z. b64_eval. b64_close.
Qed.

Theorem B64_squash_2p53_plus_2 : squash64 (bpow 53 + 2) = 1 - bpow (-52).
Proof.
  unfold squash64.
  replace (bpow 53 + 2) with (IZR 4503599627370497 * bpow 1) by (simpl; lra).
  replace (1 - bpow (-52)) with (IZR 9007199254740990 * bpow (-53)) by (simpl; lra).
  b64_const 9007199254740990%positive (-53)%Z.
  rewrite <- b64_one_R.
  b64_const 4503599627370497%positive 1%Z. b64_eval. b64_close.
Qed.

(* ------------------------------------------------------------------------- *)
(* Monotonicity and signs of the update                                        *)

Lemma div_le a b c : 0 < b -> a <= c * b -> a / b <= c.
Proof.
  intros Hb H. unfold Rdiv. apply Rmult_le_reg_r with b; [lra|].
  rewrite Rmult_assoc, Rinv_l by lra. lra.
Qed.

Lemma fmul_le a x y : 0 <= a -> x <= y -> fmul a x <= fmul a y.
Proof. intros Ha H. apply fl_le. now apply Rmult_le_compat_l. Qed.

Lemma fmul_nonneg a x : 0 <= a -> 0 <= x -> 0 <= fmul a x.
Proof. intros. apply fl_nonneg. now apply Rmult_le_pos. Qed.

Lemma fadd_le a b c d : a <= c -> b <= d -> fadd a b <= fadd c d.
Proof. intros. apply fl_le. lra. Qed.

Lemma fadd_nonneg a b : 0 <= a -> 0 <= b -> 0 <= fadd a b.
Proof. intros. apply fl_nonneg. lra. Qed.

Lemma fsub_1_nonneg a : a <= 1 -> 0 <= fsub 1 a.
Proof. intros. apply fl_nonneg. lra. Qed.

Lemma X64_nonneg aE l e : 0 <= aE <= 1 -> 0 <= l -> 0 <= e -> 0 <= X64 aE l e.
Proof.
  intros Ha Hl He. unfold X64, D64. apply fadd_nonneg.
  - apply fmul_nonneg; lra.
  - apply fmul_nonneg; [apply fsub_1_nonneg; lra|]. now apply squash64_nonneg.
Qed.

Lemma ehat_next64_nonneg b e x : 0 <= b <= 1 -> 0 <= e -> 0 <= x -> 0 <= ehat_next64 b e x.
Proof.
  intros Hb He Hx. unfold ehat_next64. apply fadd_nonneg.
  - apply fmul_nonneg; lra.
  - apply fmul_nonneg; [apply fsub_1_nonneg; lra|lra].
Qed.

Lemma phi_next64_nonneg a f e : 0 <= a <= 1 -> 0 <= f -> 0 <= e -> 0 <= phi_next64 a f e.
Proof.
  intros Ha Hf He. unfold phi_next64. apply fadd_nonneg.
  - apply fmul_nonneg; [apply fsub_1_nonneg; lra|lra].
  - apply fmul_nonneg; [lra|]. now apply squash64_nonneg.
Qed.

Lemma ehat_next64_F b e x : F64 (ehat_next64 b e x).
Proof. apply fl_format. Qed.

Lemma phi_next64_F a f e : F64 (phi_next64 a f e).
Proof. apply fl_format. Qed.

(* ------------------------------------------------------------------------- *)
(* 2. At α = 0.1 no φ < 1 has a successor ≥ 1: φ never equals 1.0              *)

(* fl(fl(0.9 · (1 − 2^-53)) + 0.1) = 1 − 2^-53: the largest successor of a φ < 1 (T02 part 3). *)
Lemma B64_largest_successor : fadd (fmul beta_d below1) (fmul alpha_d 1) = below1.
Proof.
  replace below1 with (IZR 9007199254740991 * bpow (-53)) by (unfold below1; simpl; lra).
  unfold alpha_d, beta_d. rewrite <- b64_one_R.
  b64_const 9007199254740991%positive (-53)%Z. b64_const 7205759403792794%positive (-56)%Z.
  b64_const 8106479329266893%positive (-53)%Z.
  b64_eval. b64_close.
Qed.

Theorem B64_phi_update_below1 f g :
  0 <= f <= below1 -> 0 <= g <= 1 ->
  fadd (fmul (fsub 1 alpha_d) f) (fmul alpha_d g) <= below1.
Proof.
  intros Hf Hg. rewrite B64_one_minus_alpha, <- B64_largest_successor.
  generalize beta_d_bounds alpha_d_bounds. intros.
  apply fadd_le; apply fmul_le; lra.
Qed.

Lemma below1_lt_1 : below1 < 1.
Proof. unfold below1. generalize (bpow_gt_0 radix2 (-53)). lra. Qed.

(* Report variant, α = 0.1 (the double), every β, α_E, every finite non-negative input:
   φ stays ≤ 1 − 2^-53 < 1 for ever. *)
Theorem B64_phi_never_one_report b aE e0 f0 l e :
  0 <= b <= 1 -> 0 <= aE <= 1 -> (forall k, 0 <= l k /\ 0 <= e k) ->
  F64 e0 -> 0 <= e0 -> 0 <= f0 <= below1 ->
  forall n, 0 <= snd (run_report64 alpha_d b aE (e0, f0) l e n) <= below1.
Proof.
  intros Hb Ha Hin Fe0 He0 Hf0 n.
  assert (H : forall n, F64 (fst (run_report64 alpha_d b aE (e0, f0) l e n)) /\
                       0 <= fst (run_report64 alpha_d b aE (e0, f0) l e n) /\
                       0 <= snd (run_report64 alpha_d b aE (e0, f0) l e n) <= below1).
  { generalize alpha_d_bounds. intros Hal.
    induction n0 as [|n0 (IHF & IHe & IHf)]; simpl; [now repeat split|].
    destruct (Hin n0) as [Hl He]. repeat split.
    - apply ehat_next64_F.
    - apply ehat_next64_nonneg; auto. apply X64_nonneg; auto.
    - apply phi_next64_nonneg; lra.
    - apply B64_phi_update_below1; [lra|]. split; [now apply squash64_nonneg|].
      now apply squash64_le_1. }
  apply H.
Qed.

(* Repo variant, α = 0.1: the same, φ computed from the new Ê. *)
Theorem B64_phi_never_one_repo b e0 f0 l :
  0 <= b <= 1 -> (forall k, 0 <= l k) -> (forall k, F64 (l k)) ->
  F64 e0 -> 0 <= e0 -> 0 <= f0 <= below1 ->
  forall n, 0 <= snd (run_repo64 alpha_d b (e0, f0) l n) <= below1.
Proof.
  intros Hb Hin Fin Fe0 He0 Hf0 n.
  assert (H : forall n, F64 (fst (run_repo64 alpha_d b (e0, f0) l n)) /\
                       0 <= fst (run_repo64 alpha_d b (e0, f0) l n) /\
                       0 <= snd (run_repo64 alpha_d b (e0, f0) l n) <= below1).
  { generalize alpha_d_bounds. intros Hal.
    induction n0 as [|n0 (IHF & IHe & IHf)]; simpl; [now repeat split|].
    assert (He' : 0 <= ehat_next64 b (fst (run_repo64 alpha_d b (e0, f0) l n0)) (l n0))
      by (apply ehat_next64_nonneg; auto).
    repeat split.
    - apply ehat_next64_F.
    - exact He'.
    - apply phi_next64_nonneg; lra.
    - apply B64_phi_update_below1; [lra|]. split; [now apply squash64_nonneg|].
      apply squash64_le_1; [apply ehat_next64_F|exact He']. }
  apply H.
Qed.

(* ------------------------------------------------------------------------- *)
(* 3. Ê is bounded by any power of two that bounds its start and its input     *)
(*    when β ≥ 1/2: no overflow for inputs ≤ 2^1023                             *)

Lemma fsub_1_exact b : F64 b -> 1/2 <= b <= 1 -> fsub 1 b = 1 - b.
Proof.
  intros Fb Hb. apply fl_id. apply sterbenz; auto with typeclass_instances.
  - exact F64_1.
  - lra.
Qed.

Lemma F64_mul_pow2 x k : F64 x -> 0 < x -> (-1021 - mag radix2 x <= k)%Z -> F64 (x * bpow k).
Proof.
  intros Fx Hx Hk. apply mult_bpow_exact_FLT; auto with typeclass_instances; try reflexivity; lia.


Qed.

Theorem B64_ehat_step_le_pow2 b e x k :
  F64 b -> 1/2 <= b < 1 -> (-960 <= k)%Z ->
  0 <= e <= bpow k -> 0 <= x <= bpow k ->
  fmul b e <= bpow k /\ fmul (fsub 1 b) x <= bpow k /\
  0 <= ehat_next64 b e x <= bpow k.
Proof.
  intros Fb Hb Hk He Hx.
  rewrite fsub_1_exact by (auto; lra).
  assert (Hb1 : b <= below1) by (apply F64_lt_1; auto; lra).
  assert (Hm53 : bpow (-53) <= 1 - b) by (unfold below1 in Hb1; lra).
  assert (HB : 0 < bpow k) by apply bpow_gt_0.
  assert (F1 : F64 (b * bpow k)).
  { apply F64_mul_pow2; [auto|lra|].
    rewrite (mag_unique_pos radix2 b 0); [lia|]. simpl. lra. }
  assert (F2 : F64 ((1 - b) * bpow k)).
  { apply F64_mul_pow2; [apply sterbenz; auto with typeclass_instances; [exact F64_1|lra]|lra|].
    assert (-52 <= mag radix2 (1 - b))%Z.
    { apply mag_ge_bpow. rewrite Rabs_pos_eq by lra. exact Hm53. }
    lia. }
  assert (H1 : fmul b e <= b * bpow k).
  { rewrite <- (fl_id _ F1). apply fmul_le; lra. }
  assert (H2 : fmul (1 - b) x <= (1 - b) * bpow k).
  { rewrite <- (fl_id _ F2). apply fmul_le; lra. }
  split; [|split; [|split]].
  - nra.
  - nra.
  - apply ehat_next64_nonneg; lra.
  - unfold ehat_next64. rewrite fsub_1_exact by (auto; lra).
    rewrite <- (fl_id (bpow k)) by (apply F64_bpow; lia).
    apply fl_le. lra.
Qed.

(* The bound holds along any trajectory: Ê_t ≤ 2^k when Ê_0 ≤ 2^k and every input ≤ 2^k. *)
Theorem B64_ehat_bounded_pow2 b e0 x k :
  F64 b -> 1/2 <= b < 1 -> (-960 <= k)%Z ->
  0 <= e0 <= bpow k -> (forall j, 0 <= x j <= bpow k) ->
  forall n, 0 <= ehat_seq64 b e0 x n <= bpow k.
Proof.
  intros Fb Hb Hk He0 Hx n. induction n as [|n IH]; simpl; [exact He0|].
  apply (B64_ehat_step_le_pow2 b _ (x n) k); auto.
Qed.

Lemma bpow_1023_lt : bpow 1023 < bpow 1024.
Proof. apply bpow_lt. lia. Qed.

(* No overflow: with β ∈ [1/2, 1) and inputs ≤ 2^1023, every intermediate of every Ê update
   stays ≤ 2^1023, below the overflow threshold 2^1024 of round-to-nearest. *)
Theorem B64_ehat_no_overflow b e0 x :
  F64 b -> 1/2 <= b < 1 ->
  0 <= e0 <= bpow 1023 -> (forall j, 0 <= x j <= bpow 1023) ->
  forall n, let e := ehat_seq64 b e0 x n in
  overflow_free (fsub 1 b) /\ overflow_free (fmul b e) /\
  overflow_free (fmul (fsub 1 b) (x n)) /\ overflow_free (ehat_next64 b e (x n)).
Proof.
  intros Fb Hb He0 Hx n e.
  assert (He : 0 <= e <= bpow 1023) by (apply B64_ehat_bounded_pow2; auto; lia).
  destruct (B64_ehat_step_le_pow2 b e (x n) 1023) as (H1 & H2 & H3); auto; try lia.
  generalize bpow_1023_lt. intros Hlt. unfold overflow_free.
  assert (0 <= fmul b e) by (apply fmul_nonneg; lra).
  assert (0 <= fmul (fsub 1 b) (x n)) by (apply fmul_nonneg; [apply fsub_1_nonneg|apply Hx]; lra).
  rewrite fsub_1_exact in * by (auto; lra).
  rewrite !Rabs_pos_eq by lra.
  assert (1 <= bpow 1023) by (change 1 with (bpow 0); apply bpow_le; lia). lra.
Qed.

(* The report's stress input stays ≤ 2^1023 when E ≤ 2^1022 (any loss): Ê never overflows. *)
Lemma B64_X_bounded aE l e :
  0 <= aE <= 1 -> F64 e -> 0 <= e <= bpow 1022 -> F64 l -> 0 <= l ->
  0 <= X64 aE l e <= bpow 1023.
Proof.
  intros Ha Fe He Fl Hl. split; [now apply X64_nonneg|].
  unfold X64, D64.
  assert (H1 : fmul aE e <= bpow 1022).
  { rewrite <- (fl_id (bpow 1022)) by (apply F64_bpow; lia). apply fl_le.
    assert (aE * e <= e) by nra. lra. }
  assert (H2 : fsub 1 aE <= 1) by (apply fl_le_F; [exact F64_1|lra]).
  assert (H3 : fmul (fsub 1 aE) (squash64 l) <= 1).
  { apply fl_le_F; [exact F64_1|].
    generalize (squash64_le_1 l Fl Hl) (squash64_nonneg l Hl) (fsub_1_nonneg aE (proj2 Ha)). intros.
    nra. }
  apply fl_le_F; [apply F64_bpow; lia|].
  assert (bpow 1022 + 1 <= bpow 1023).
  { change 1023%Z with (1 + 1022)%Z. rewrite bpow_plus.
    generalize (bpow_ge_0 radix2 1022). simpl.
    assert (1 <= bpow 1022) by (change 1 with (bpow 0); apply bpow_le; lia). lra. }
  lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* 4. C1 positivity in binary64: φ > 0 for ever once φ > 0, when fl(1 − α) > 1/2  *)

(* fl(c·φ) ≥ 2^-1074 > 0 for a positive double φ when c > 1/2: c·φ ≥ c·2^-1074 exceeds half the
   least subnormal, so round to nearest cannot return 0 (gradual underflow). *)
Lemma B64_phi_step_pos c f t :
  F64 f -> 0 < f -> 1/2 < c -> 0 <= t -> 0 < fadd (fmul c f) t.
Proof.
  intros Ff Hf Hc Ht.
  assert (Hm : 0 < fmul c f).
  { apply fl_pos. generalize (F64_pos_ge f Ff Hf). intros Hge.
    replace (bpow (-1075)) with (/2 * bpow (-1074)) by
      (change (-1075)%Z with (-1 + -1074)%Z; rewrite bpow_plus; reflexivity).
    generalize (bpow_gt_0 radix2 (-1074)). nra. }
  apply Rlt_le_trans with (fmul c f); [exact Hm|].
  apply fl_ge_F; [apply fl_format|lra].
Qed.

Theorem B64_phi_positive_report a b aE e0 f0 l e :
  0 <= a <= 1 -> 1/2 < fsub 1 a -> 0 <= b <= 1 -> 0 <= aE <= 1 ->
  (forall k, 0 <= l k /\ 0 <= e k) -> 0 <= e0 -> F64 f0 -> 0 < f0 ->
  forall n, 0 < snd (run_report64 a b aE (e0, f0) l e n).
Proof.
  intros Ha Hc Hb HaE Hin He0 Ff0 Hf0 n.
  assert (H : forall n, 0 <= fst (run_report64 a b aE (e0, f0) l e n) /\
                       F64 (snd (run_report64 a b aE (e0, f0) l e n)) /\
                       0 < snd (run_report64 a b aE (e0, f0) l e n)).
  { induction n0 as [|n0 (IHe & IHF & IHf)]; simpl; [now repeat split|].
    destruct (Hin n0) as [Hl He]. repeat split.
    - apply ehat_next64_nonneg; auto. apply X64_nonneg; auto.
    - apply phi_next64_F.
    - apply B64_phi_step_pos; auto. apply fmul_nonneg; [lra|]. now apply squash64_nonneg. }
  apply H.
Qed.

Theorem B64_phi_positive_repo a b e0 f0 l :
  0 <= a <= 1 -> 1/2 < fsub 1 a -> 0 <= b <= 1 ->
  (forall k, 0 <= l k) -> 0 <= e0 -> F64 f0 -> 0 < f0 ->
  forall n, 0 < snd (run_repo64 a b (e0, f0) l n).
Proof.
  intros Ha Hc Hb Hin He0 Ff0 Hf0 n.
  assert (H : forall n, 0 <= fst (run_repo64 a b (e0, f0) l n) /\
                       F64 (snd (run_repo64 a b (e0, f0) l n)) /\
                       0 < snd (run_repo64 a b (e0, f0) l n)).
  { induction n0 as [|n0 (IHe & IHF & IHf)]; simpl; [now repeat split|].
    assert (He' : 0 <= ehat_next64 b (fst (run_repo64 a b (e0, f0) l n0)) (l n0))
      by (apply ehat_next64_nonneg; auto).
    repeat split.
    - exact He'.
    - apply phi_next64_F.
    - apply B64_phi_step_pos; auto. apply fmul_nonneg; [lra|]. now apply squash64_nonneg. }
  apply H.
Qed.

Lemma half_F : F64 (1/2).
Proof. replace (1/2) with (bpow (-1)) by (simpl; lra). apply F64_bpow. lia. Qed.

(* The published controller (repo variant, α = 0.1, β = 0.9 as doubles) from its start
   (Ê, φ) = (1, 0.5): φ_t > 0 for every t and every non-negative loss sequence, zero
   losses included (φ then decays into the subnormals and stops above 0). *)
Theorem B64_C1_positive_published l :
  (forall k, 0 <= l k) -> forall n, 0 < snd (run_repo64 alpha_d beta_d (1, 1/2) l n).
Proof.
  intros Hl. generalize alpha_d_bounds beta_d_bounds. intros Ha Hb.
  apply B64_phi_positive_repo; auto; try lra.
  - rewrite B64_one_minus_alpha. lra.
  - exact half_F.
Qed.

(* ------------------------------------------------------------------------- *)
(* 5. The binary64 side of C4: with E ≡ 0 and α_E = 1/2, φ ≤ P < 1/3 for every loss   *)
(*    sequence, where P = 6004799503160657·2^-54 = 1/3 − (13/3)·2^-54               *)

(* fl(1/3), the double just below 1/3. *)
Definition third_d : R := IZR 6004799503160661 * bpow (-54).
(* The bound: the fixed point of φ ← fl(fl(0.9·φ) + fl(0.1·fl(1/3))). *)
Definition phi_sup_d : R := IZR 6004799503160657 * bpow (-54).

Lemma phi_sup_d_third : phi_sup_d = 1/3 - 13/3 * bpow (-54).
Proof. unfold phi_sup_d. simpl. lra. Qed.

Lemma phi_sup_d_lt : phi_sup_d < 1/3.
Proof. rewrite phi_sup_d_third. generalize (bpow_gt_0 radix2 (-54)). lra. Qed.

Lemma B64_squash_half : squash64 (1/2) = third_d.
Proof.
  unfold squash64, third_d.
  replace (1/2) with (IZR 4503599627370496 * bpow (-53)) by (simpl; lra).
  b64_const 6004799503160661%positive (-54)%Z.
  rewrite <- b64_one_R.
  b64_const 4503599627370496%positive (-53)%Z. b64_eval. b64_close.
Qed.

Lemma B64_fl_third : fdiv 1 3 = third_d.
Proof.
  unfold third_d.
  replace 3 with (IZR 6755399441055744 * bpow (-51)) by (simpl; lra).
  b64_const 6004799503160661%positive (-54)%Z.
  rewrite <- b64_one_R.
  b64_const 6755399441055744%positive (-51)%Z. b64_eval. b64_close.
Qed.

Lemma B64_phi_sup_fixed : fadd (fmul beta_d phi_sup_d) (fmul alpha_d third_d) = phi_sup_d.
Proof.
  unfold phi_sup_d, third_d, alpha_d, beta_d.
  b64_const 6004799503160657%positive (-54)%Z. b64_const 6004799503160661%positive (-54)%Z.
  b64_const 7205759403792794%positive (-56)%Z. b64_const 8106479329266893%positive (-53)%Z.
  b64_eval. b64_close.
Qed.

(* The squash of an Ê ∈ [0, 1/2] is at most fl(1/3) < 1/3. *)
Lemma B64_squash_le_third e : F64 e -> 0 <= e <= 1/2 -> squash64 e <= third_d.
Proof.
  intros Fe He. destruct (Req_dec e (1/2)) as [Eh|Eh].
  { rewrite Eh, B64_squash_half. lra. }
  assert (Hp : e <= 1/2 - bpow (-54)).
  { replace (1/2) with (bpow (-1)) in * by (simpl; lra).
    replace (bpow (-54)) with (bpow (fexp64 (-1))) by reflexivity.
    rewrite <- pred_bpow. apply pred_ge_gt; auto with typeclass_instances.
    - apply F64_bpow. lia.
    - lra. }
  assert (Hy : 1 + e - bpow (-53) <= fl (1 + e)).
  { generalize (fl_error (1 + e)). rewrite ulp_1_2 by lra. intros H.
    apply Rabs_le_inv in H.
    replace (bpow (-53)) with (/2 * bpow (-52)) by
      (change (-53)%Z with (-1 + -52)%Z; rewrite bpow_plus; reflexivity). lra. }
  rewrite <- B64_fl_third. unfold squash64, fdiv, fadd. apply fl_le.
  generalize (bpow_gt_0 radix2 (-54)). intros H54.
  replace (bpow (-53)) with (2 * bpow (-54)) in Hy by
      (change (-53)%Z with (1 + -54)%Z; rewrite bpow_plus; reflexivity).
  replace (1 / 3) with (/ 3) by lra.
  assert (Hs : bpow (-54) = / 18014398509481984) by reflexivity.
  apply div_le; [lra|]. apply Rle_trans with (/ 3 * (1 + e - 2 * bpow (-54))); [lra|].
  apply Rmult_le_compat_l; lra.
Qed.

Lemma B64_X_half l : F64 l -> 0 <= l -> 0 <= X64 (1/2) l 0 <= 1/2.
Proof.
  intros Fl Hl. split; [apply X64_nonneg; lra|].
  unfold X64, D64. rewrite (fsub_1_exact (1/2)) by (try exact half_F; lra).
  unfold fmul at 1. rewrite Rmult_0_r, fl_0. unfold fadd. rewrite Rplus_0_l.
  apply fl_le_F; [exact half_F|]. apply fl_le_F; [exact half_F|].
  generalize (squash64_le_1 l Fl Hl) (squash64_nonneg l Hl). intros. nra.
Qed.

(* C4 in binary64: report variant, α = 0.1, α_E = 1/2, any β ∈ [1/2, 1) (a double), E ≡ 0,
   any loss sequence of doubles ≥ 0 (1e300 included): from Ê_0 ∈ [0, 1/2], φ_0 ∈ [0, P],
   φ_t ≤ P < 1/3 for every t.  The default start (0, 0) is included. *)
Theorem B64_C4_phi_below_third b e0 f0 l :
  F64 b -> 1/2 <= b < 1 -> (forall k, F64 (l k) /\ 0 <= l k) ->
  F64 e0 -> 0 <= e0 <= 1/2 -> 0 <= f0 <= phi_sup_d ->
  forall n, 0 <= snd (run_report64 alpha_d b (1/2) (e0, f0) l (fun _ => 0) n) <= phi_sup_d.
Proof.
  intros Fb Hb Hl Fe0 He0 Hf0 n.
  assert (H : forall n, F64 (fst (run_report64 alpha_d b (1/2) (e0, f0) l (fun _ => 0) n)) /\
                       0 <= fst (run_report64 alpha_d b (1/2) (e0, f0) l (fun _ => 0) n) <= 1/2 /\
                       0 <= snd (run_report64 alpha_d b (1/2) (e0, f0) l (fun _ => 0) n) <= phi_sup_d).
  { generalize alpha_d_bounds beta_d_bounds. intros Ha Hbd.
    induction n0 as [|n0 (IHF & IHe & IHf)]; simpl; [now repeat split|].
    destruct (Hl n0) as [Fl Hl0].
    destruct (B64_ehat_step_le_pow2 b (fst (run_report64 alpha_d b (1/2) (e0, f0) l (fun _ => 0) n0))
                (X64 (1/2) (l n0) 0) (-1)) as (_ & _ & HE); auto; try lia.
    { replace (bpow (-1)) with (1/2) by (simpl; lra). exact IHe. }
    { replace (bpow (-1)) with (1/2) by (simpl; lra). now apply B64_X_half. }
    replace (bpow (-1)) with (1/2) in HE by (simpl; lra).
    split; [apply ehat_next64_F|]. split; [exact HE|]. split.
    - apply phi_next64_nonneg; lra.
    - unfold phi_next64. rewrite B64_one_minus_alpha, <- B64_phi_sup_fixed.
      apply fadd_le; apply fmul_le; try lra.
      apply B64_squash_le_third; auto. }
  apply H.
Qed.

(* The defaults: β = 0.9 and the default start (Ê, φ) = (0, 0). *)
Corollary B64_C4_defaults l :
  (forall k, F64 (l k) /\ 0 <= l k) ->
  forall n, snd (run_report64 alpha_d beta_d (1/2) (0, 0) l (fun _ => 0) n) < 1/3.
Proof.
  intros Hl n. generalize beta_d_bounds phi_sup_d_lt. intros Hb Hs.
  assert (0 <= phi_sup_d) by (unfold phi_sup_d; generalize (bpow_gt_0 radix2 (-54)); simpl; lra).
  eapply Rle_lt_trans; [apply (B64_C4_phi_below_third beta_d 0 0 l)|]; auto; try lra.
  - exact beta_d_F.
  - exact F64_0.
Qed.
