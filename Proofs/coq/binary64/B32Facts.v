(* Binary32 (T02 part 2, the single-precision analogue): with one rounding per operation to
   nearest-even in FLT(−149, 24), the squash fl(x/fl(1 + x)) is exactly 1 for every single x ≥ 2^25
   (1 + x rounds to x).  (At x = 2^24 it is 1 as well — 1 + 2^24 is a tie, rounded to the even
   2^24 — but that point is not stated here.)  The binary64 statement is B64_squash_one_from_2p54.  Proofs/binary64.md *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core.
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
