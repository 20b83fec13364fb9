(* T15: a uniform bound on the distance between the binary64 controller and the real one.

   With u = 2^-53 (the unit roundoff of binary64):
     |Ễ_t − Ê_t| ≤ dX + 5u(1 + B)/(1 − β)       (B64_T15_ehat_error)
     |φ̃_t − φ_t| ≤ dE + 14u/α                   (B64_T15_phi_error)
   for all t, where dX bounds the error of the computed stress input (B64_X_error gives
   dX = u(9 + 5B) for the report's X), dE is the Ê bound, and B = 2^k bounds the start and the
   inputs.  Region: α ∈ (0, 1] and β ∈ [1/2, 1) doubles (the map contracts with rates β and
   1 − α; β ≥ 1/2 keeps the computed Ê below B, B64_ehat_bounded_pow2).  The one-step rounding
   errors are bounded from the standard model of round-to-nearest (|fl z − z| ≤ u|z| + 2^-1075);
   Proofs/gappa/*.g re-derive the same one-step bounds with Gappa. *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core Sterbenz.
From UnifiedLoRA Require Import Model Lemmas binary64.B64Model binary64.B64Facts.
Open Scope R_scope.

Local Notation bpow := (bpow radix2).

Definition u64 : R := bpow (-53).
Definition eta64 : R := bpow (-1075).

Lemma u64_val : u64 = / 9007199254740992.
Proof. reflexivity. Qed.

Lemma eta64_le : 0 < eta64 <= u64 / 1000000.
Proof.
  split; [apply bpow_gt_0|]. unfold eta64, u64.
  apply Rle_trans with (bpow (-53 - 20)).
  - apply bpow_le. lia.
  - change (-53 - 20)%Z with (-53 + -20)%Z. rewrite bpow_plus.
    assert (bpow (-20) <= / 1000000) by (simpl; lra).
    generalize (bpow_gt_0 radix2 (-53)). intros. unfold Rdiv. nra.
Qed.

(* The standard model: one rounding costs at most u|z| + 2^-1075. *)
Lemma fl_err z : Rabs (fl z - z) <= u64 * Rabs z + eta64.
Proof.
  destruct (fl_model z) as (eps & eta & He & Hn & _ & Hz). rewrite Hz.
  replace (z * (1 + eps) + eta - z) with (z * eps + eta) by ring.
  eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_mult.
  unfold u64, eta64. generalize (Rabs_pos z). intros. nra.
Qed.

Lemma fl_err' z M : Rabs z <= M -> Rabs (fl z - z) <= u64 * M + eta64.
Proof.
  intros H. eapply Rle_trans; [apply fl_err|]. unfold u64. generalize (bpow_gt_0 radix2 (-53)).
  intros. nra.
Qed.

(* One convex combination b·e + (1 − b)·x evaluated in binary64, with e, x ∈ [0, B]. *)
Lemma conv_local b e x B :
  0 <= b <= 1 -> 0 <= e <= B -> 0 <= x <= B ->
  Rabs (fadd (fmul b e) (fmul (fsub 1 b) x) - (b * e + (1 - b) * x)) <= 5 * u64 * (1 + B).
Proof.
  intros Hb He Hx. generalize eta64_le. rewrite u64_val. intros Heta.
  assert (Hbe : 0 <= b * e <= B) by nra.
  set (c := fsub 1 b).
  assert (Hc : Rabs (c - (1 - b)) <= u64 * 1 + eta64) by (apply fl_err'; rewrite Rabs_pos_eq; lra).
  assert (Hc1 : 0 <= c <= 1).
  { split; [apply fsub_1_nonneg; lra|]. apply fl_le_F; [exact F64_1|lra]. }
  assert (Hcx : 0 <= c * x <= B) by nra.
  assert (Ha : Rabs (fmul b e - b * e) <= u64 * B + eta64)
    by (apply fl_err'; rewrite Rabs_pos_eq; lra).
  assert (Hm : Rabs (fmul c x - c * x) <= u64 * B + eta64)
    by (apply fl_err'; rewrite Rabs_pos_eq; lra).
  assert (Hd : Rabs (c * x - (1 - b) * x) <= (u64 * 1 + eta64) * B).
  { replace (c * x - (1 - b) * x) with ((c - (1 - b)) * x) by ring.
    rewrite Rabs_mult, (Rabs_pos_eq x) by lra.
    apply Rle_trans with ((u64 * 1 + eta64) * x); [apply Rmult_le_compat_r; lra|].
    apply Rmult_le_compat_l; [rewrite u64_val; lra|lra]. }
  set (s := fmul b e + fmul c x).
  assert (Hs : Rabs (s - (b * e + (1 - b) * x)) <= 3 * u64 * B + 2 * eta64 + eta64 * B).
  { unfold s.
    replace (fmul b e + fmul c x - (b * e + (1 - b) * x))
      with ((fmul b e - b * e) + (fmul c x - c * x) + (c * x - (1 - b) * x)) by ring.
    eapply Rle_trans; [apply Rabs_triang|].
    eapply Rle_trans; [apply Rplus_le_compat_r, Rabs_triang|]. lra. }
  assert (HT : 0 <= b * e + (1 - b) * x <= B) by nra.
  assert (Hsb : Rabs s <= B + (3 * u64 * B + 2 * eta64 + eta64 * B)).
  { apply Rabs_le_inv in Hs. apply Rabs_le. lra. }
  assert (Hf : Rabs (fl s - s) <= u64 * (B + (3 * u64 * B + 2 * eta64 + eta64 * B)) + eta64)
    by (apply fl_err'; exact Hsb).
  unfold fadd. fold c. fold s.
  replace (fl s - (b * e + (1 - b) * x)) with ((fl s - s) + (s - (b * e + (1 - b) * x))) by ring.
  eapply Rle_trans; [apply Rabs_triang|].
  rewrite u64_val in *. assert (0 <= B) by lra. nra.
Qed.

(* The squash: |fl(e / fl(1 + e)) − e/(1 + e)| ≤ 4u for a double e ≥ 0. *)
Lemma squash_local e : F64 e -> 0 <= e -> Rabs (squash64 e - g e) <= 4 * u64.
Proof.
  intros Fe He. generalize eta64_le. rewrite u64_val. intros Heta.
  unfold squash64, fdiv, fadd, g.
  set (S := fl (1 + e)).
  assert (HS1 : 1 <= S) by (apply fl_ge_F; [exact F64_1|lra]).
  assert (HSe : e <= S) by (apply fl_ge_F; [exact Fe|lra]).
  assert (Hq : 0 <= e / S <= 1).
  { split; [apply Rmult_le_pos; [lra|apply Rlt_le, Rinv_0_lt_compat; lra]|].
    apply div_le; lra. }
  assert (H1 : Rabs (fl (e / S) - e / S) <= u64 * 1 + eta64)
    by (apply fl_err'; rewrite Rabs_pos_eq; lra).
  assert (HdS : Rabs (S - (1 + e)) <= u64 * (1 + e) + eta64)
    by (unfold S; eapply Rle_trans; [apply fl_err|]; rewrite (Rabs_pos_eq (1 + e)) by lra; lra).
  assert (H2 : Rabs (e / S - e / (1 + e)) <= Rabs (S - (1 + e)) / S).
  { replace (e / S - e / (1 + e)) with ((e / (1 + e)) * (((1 + e) - S) / S)) by (field; lra).
    unfold Rdiv at 2. rewrite Rabs_mult, Rabs_mult, Rabs_inv, (Rabs_pos_eq S) by lra. fold (Rabs (S - (1 + e)) / S).
    rewrite (Rabs_minus_sym (1 + e)).
    assert (0 <= e / (1 + e) <= 1).
    { split; [apply Rmult_le_pos; [lra|apply Rlt_le, Rinv_0_lt_compat; lra]|].
      apply (div_le e (1 + e) 1); lra. }
    rewrite (Rabs_pos_eq (e / (1 + e))) by lra.
    assert (0 <= Rabs (S - (1 + e)) / S)
      by (apply Rmult_le_pos; [apply Rabs_pos|apply Rlt_le, Rinv_0_lt_compat; lra]).
    nra. }
  assert (H3 : Rabs (S - (1 + e)) / S <= 2 * u64 + 2 * eta64).
  { apply div_le; [lra|]. apply Rabs_le_inv in HdS.
    assert (eta64 <= eta64 * S) by nra.
    rewrite u64_val in *. apply Rabs_le. split; nra. }
  replace (fl (e / S) - e / (1 + e)) with ((fl (e / S) - e / S) + (e / S - e / (1 + e))) by ring.
  eapply Rle_trans; [apply Rabs_triang|]. rewrite u64_val in *. lra.
Qed.

Lemma squash64_le_1' e : F64 e -> 0 <= e -> 0 <= squash64 e <= 1.
Proof. intros. split; [now apply squash64_nonneg|now apply squash64_le_1]. Qed.

(* T02 part 2: fl(fl(1 − α) + α) ≤ 1 for every double α ∈ (0, 1], hence φ ≤ 1 for ever. *)
Lemma B64_one_minus_plus a : F64 a -> 0 < a <= 1 -> fadd (fsub 1 a) a <= 1.
Proof.
  intros Fa Ha. destruct (Rle_or_lt (1/2) a) as [Hh|Hh].
  - rewrite fsub_1_exact by (auto; lra). unfold fadd. rewrite fl_id; [lra|].
    replace (1 - a + a) with 1 by ring. exact F64_1.
  - (* 1 − a ∈ (1/2, 1): its rounding error is at most 2^-54 < 2^-53 = half the gap above 1 *)
    assert (Hu : ulp radix2 fexp64 (1 - a) = bpow (-53)).
    { rewrite ulp_neq_0 by lra. unfold cexp. rewrite (mag_unique_pos radix2 (1 - a) 0).
      - reflexivity.
      - simpl. lra. }
    assert (He : Rabs (fsub 1 a - (1 - a)) <= / 2 * bpow (-53)).
    { unfold fsub. rewrite <- Hu. apply fl_error. }
    apply Rabs_le_inv in He.
    unfold fadd. apply round_N_le_midp; auto with typeclass_instances.
    + exact F64_1.
    + change 1 with (bpow 0). rewrite succ_eq_pos by (apply bpow_ge_0). rewrite ulp_bpow.
      change (fexp64 (0 + 1)) with (-52)%Z. change (bpow 0) with 1.
      assert (bpow (-53) = / 9007199254740992) by reflexivity.
      assert (bpow (-52) = / 4503599627370496) by reflexivity. lra.
Qed.

Theorem B64_phi_le_1 a f q :
  F64 a -> 0 < a <= 1 -> 0 <= f <= 1 -> 0 <= q <= 1 ->
  0 <= fadd (fmul (fsub 1 a) f) (fmul a q) <= 1.
Proof.
  intros Fa Ha Hf Hq. split.
  - apply fadd_nonneg; apply fmul_nonneg; try lra. apply fsub_1_nonneg; lra.
  - eapply Rle_trans; [|apply (B64_one_minus_plus a Fa Ha)].
    assert (Hc : 0 <= fsub 1 a) by (apply fsub_1_nonneg; lra).
    apply fadd_le.
    + apply fl_le_F; [apply fl_format|]. assert (fsub 1 a <= 1) by (apply fl_le_F; [exact F64_1|lra]).
      nra.
    + apply fl_le_F; [exact Fa|]. nra.
Qed.

(* The φ update: |φ̃' − ((1 − α)φ̃ + α g(Ẽ))| ≤ 14u for φ̃ ∈ [0, 1] and a double Ẽ ≥ 0. *)
Lemma phi_local a f e :
  0 <= a <= 1 -> 0 <= f <= 1 -> F64 e -> 0 <= e ->
  Rabs (phi_next64 a f e - ((1 - a) * f + a * g e)) <= 14 * u64.
Proof.
  intros Ha Hf Fe He. unfold phi_next64.
  destruct (squash64_le_1' e Fe He) as [Hq0 Hq1].
  assert (Hc : fadd (fmul (fsub 1 a) f) (fmul a (squash64 e)) =
               fadd (fmul a (squash64 e)) (fmul (fsub 1 a) f)).
  { unfold fadd. now rewrite Rplus_comm. }
  rewrite Hc.
  generalize (conv_local a (squash64 e) f 1 Ha (conj Hq0 Hq1) Hf). intros H1.
  generalize (squash_local e Fe He). intros H2.
  replace (fadd (fmul a (squash64 e)) (fmul (fsub 1 a) f) - ((1 - a) * f + a * g e))
    with ((fadd (fmul a (squash64 e)) (fmul (fsub 1 a) f) - (a * squash64 e + (1 - a) * f))
          + a * (squash64 e - g e)) by ring.
  eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_mult, (Rabs_pos_eq a) by lra.
  assert (a * Rabs (squash64 e - g e) <= 4 * u64).
  { apply Rle_trans with (1 * Rabs (squash64 e - g e)); [apply Rmult_le_compat_r; [apply Rabs_pos|lra]|lra]. }
  lra.
Qed.

(* The report's stress input: |X̃ − X| ≤ u(9 + 5B) for α_E ∈ [0, 1], E ∈ [0, B], B ≥ 1,
   any double L ≥ 0. *)
Theorem B64_X_error p l e B :
  0 <= alphaE p <= 1 -> F64 l -> 0 <= l -> 0 <= e <= B -> 1 <= B ->
  Rabs (X64 (alphaE p) l e - X p l e) <= u64 * (9 + 5 * B).
Proof.
  intros Ha Fl Hl He HB. unfold X64, X, D64, D.
  destruct (squash64_le_1' l Fl Hl) as [Hq0 Hq1].
  generalize (conv_local (alphaE p) e (squash64 l) B Ha He (conj Hq0 (Rle_trans _ _ _ Hq1 HB))).
  intros H1. generalize (squash_local l Fl Hl). intros H2.
  replace (fadd (fmul (alphaE p) e) (fmul (fsub 1 (alphaE p)) (squash64 l)) -
           (alphaE p * e + (1 - alphaE p) * g l))
    with ((fadd (fmul (alphaE p) e) (fmul (fsub 1 (alphaE p)) (squash64 l)) -
           (alphaE p * e + (1 - alphaE p) * squash64 l)) + (1 - alphaE p) * (squash64 l - g l))
    by ring.
  eapply Rle_trans; [apply Rabs_triang|]. rewrite Rabs_mult, (Rabs_pos_eq (1 - alphaE p)) by lra.
  assert ((1 - alphaE p) * Rabs (squash64 l - g l) <= 4 * u64).
  { apply Rle_trans with (1 * Rabs (squash64 l - g l)); [apply Rmult_le_compat_r; [apply Rabs_pos|lra]|lra]. }
  lra.
Qed.
