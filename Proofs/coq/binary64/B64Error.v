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
From UnifiedLoRA Require Import Model Lemmas binary64.B64Model binary64.B64Facts binary64.B64Controller.
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

(* ------------------------------------------------------------------------- *)
(* T15: the uniform bounds, by induction over t                                *)

(* φ alone, driven by a given Ê sequence (the report feeds the old Ê_t, the repo the new Ê_{t+1}). *)
Fixpoint phi_seq (p : params) (f0 : R) (ee : nat -> R) (n : nat) : R :=
  match n with
  | O => f0
  | S k => phi_next p (phi_seq p f0 ee k) (ee k)
  end.

Fixpoint phi_seq64 (a f0 : R) (et : nat -> R) (n : nat) : R :=
  match n with
  | O => f0
  | S k => phi_next64 a (phi_seq64 a f0 et k) (et k)
  end.

Lemma run_report_phi_seq p s0 u n :
  phi (run_report p s0 u n) = phi_seq p (phi s0) (fun k => ehat (run_report p s0 u k)) n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  rewrite run_report_S, step_report_phi, IH. reflexivity.
Qed.

Lemma run_report64_phi_seq a b aE s0 l e n :
  snd (run_report64 a b aE s0 l e n) =
  phi_seq64 a (snd s0) (fun k => fst (run_report64 a b aE s0 l e k)) n.
Proof. induction n as [|n IH]; simpl; [reflexivity|now rewrite IH]. Qed.

Lemma ehat_seq_bounded p e0 x B :
  0 <= beta p <= 1 -> 0 <= e0 <= B -> (forall j, 0 <= x j <= B) ->
  forall n, 0 <= ehat_seq p e0 x n <= B.
Proof.
  intros Hb He Hx n. induction n as [|n IH]; [exact He|]. simpl. unfold ehat_next.
  destruct (Hx n). nra.
Qed.

(* T15, Ê: the computed Ê stays within dX + 5u(1 + B)/(1 − β) of the exact one, for every t,
   when β ∈ [1/2, 1) is a double, B = 2^k bounds the start and both input sequences, and the
   computed input is within dX of the exact one. *)
Theorem B64_T15_ehat_error p e0 x xt k dX :
  F64 (beta p) -> 1/2 <= beta p < 1 -> (-960 <= k)%Z ->
  0 <= e0 <= bpow k ->
  (forall j, 0 <= x j <= bpow k /\ 0 <= xt j <= bpow k /\ Rabs (xt j - x j) <= dX) ->
  forall n, Rabs (ehat_seq64 (beta p) e0 xt n - ehat_seq p e0 x n)
            <= dX + 5 * u64 * (1 + bpow k) / (1 - beta p).
Proof.
  intros Fb Hb Hk He0 Hin.
  set (B := bpow k). set (b := beta p). set (d := 5 * u64 * (1 + B)).
  assert (HdX : 0 <= dX) by (destruct (Hin O) as (_ & _ & H); generalize (Rabs_pos (xt O - x O)); lra).
  assert (Hd : 0 <= d) by (unfold d, B, u64; generalize (bpow_gt_0 radix2 (-53)) (bpow_gt_0 radix2 k); nra).
  assert (HK : 0 <= d / (1 - b)) by (apply Rmult_le_pos; [lra|apply Rlt_le, Rinv_0_lt_compat; unfold b; lra]).
  assert (Ht : forall n, 0 <= ehat_seq64 b e0 xt n <= B)
    by (apply B64_ehat_bounded_pow2; auto; intros j; apply Hin).
  assert (He : forall n, 0 <= ehat_seq p e0 x n <= B)
    by (apply ehat_seq_bounded; auto; [unfold b in *; lra|intros j; apply Hin]).
  intros n. fold b. induction n as [|n IH].
  - simpl. rewrite Rminus_diag_eq, Rabs_R0 by reflexivity. lra.
  - simpl. unfold ehat_next. fold b. unfold ehat_next64.
    destruct (Hin n) as (Hx & Hxt & Hdx).
    generalize (conv_local b (ehat_seq64 b e0 xt n) (xt n) B ltac:(unfold b in *; lra) (Ht n) Hxt).
    fold d. intros Hl.
    set (Et := ehat_seq64 b e0 xt n) in *. set (Ee := ehat_seq p e0 x n) in *.
    replace (fadd (fmul b Et) (fmul (fsub 1 b) (xt n)) - (b * Ee + (1 - b) * x n))
      with ((fadd (fmul b Et) (fmul (fsub 1 b) (xt n)) - (b * Et + (1 - b) * xt n))
            + b * (Et - Ee) + (1 - b) * (xt n - x n)) by ring.
    eapply Rle_trans; [apply Rabs_triang|].
    eapply Rle_trans; [apply Rplus_le_compat_r, Rabs_triang|].
    rewrite !Rabs_mult, (Rabs_pos_eq b), (Rabs_pos_eq (1 - b)) by (unfold b in *; lra).
    assert (H1 : b * Rabs (Et - Ee) <= b * (dX + d / (1 - b)))
      by (apply Rmult_le_compat_l; [unfold b in *; lra|exact IH]).
    assert (H2 : (1 - b) * Rabs (xt n - x n) <= (1 - b) * dX)
      by (apply Rmult_le_compat_l; [unfold b in *; lra|exact Hdx]).
    assert (Heq : d + b * (dX + d / (1 - b)) + (1 - b) * dX = dX + d / (1 - b))
      by (field; unfold b in *; lra).
    lra.
Qed.

(* T15, φ: the computed φ stays within dE + 14u/α of the exact one, for every t, when α ∈ (0, 1]
   is a double and the Ê sequences driving them stay within dE (with the computed one a
   double ≥ 0). *)
Theorem B64_T15_phi_error p f0t f0 et ee dE :
  F64 (alpha p) -> 0 < alpha p <= 1 -> 0 <= f0t <= 1 ->
  (forall j, F64 (et j) /\ 0 <= et j /\ 0 <= ee j /\ Rabs (et j - ee j) <= dE) ->
  Rabs (f0t - f0) <= dE + 14 * u64 / alpha p ->
  forall n, Rabs (phi_seq64 (alpha p) f0t et n - phi_seq p f0 ee n) <= dE + 14 * u64 / alpha p.
Proof.
  intros Fa Ha Hf0 Hin H0.
  set (a := alpha p) in *.
  assert (Hr : forall n, 0 <= phi_seq64 a f0t et n <= 1).
  { intros n. induction n as [|n IH]; [exact Hf0|]. simpl. unfold phi_next64.
    destruct (Hin n) as (Fe & He & _). apply B64_phi_le_1; auto.
    now apply squash64_le_1'. }
  intros n. induction n as [|n IH]; [exact H0|].
  simpl. unfold phi_next. fold a.
  destruct (Hin n) as (Fe & He & Hee & Hd).
  generalize (phi_local a (phi_seq64 a f0t et n) (et n) ltac:(lra) (Hr n) Fe He). intros Hl.
  set (Ft := phi_seq64 a f0t et n) in *. set (Fe' := phi_seq p f0 ee n) in *.
  replace (phi_next64 a Ft (et n) - ((1 - a) * Fe' + a * g (ee n)))
    with ((phi_next64 a Ft (et n) - ((1 - a) * Ft + a * g (et n)))
          + (1 - a) * (Ft - Fe') + a * (g (et n) - g (ee n))) by ring.
  eapply Rle_trans; [apply Rabs_triang|].
  eapply Rle_trans; [apply Rplus_le_compat_r, Rabs_triang|].
  rewrite !Rabs_mult, (Rabs_pos_eq a), (Rabs_pos_eq (1 - a)) by lra.
  assert (H1 : (1 - a) * Rabs (Ft - Fe') <= (1 - a) * (dE + 14 * u64 / a))
    by (apply Rmult_le_compat_l; [lra|exact IH]).
  assert (H2 : a * Rabs (g (et n) - g (ee n)) <= a * dE).
  { apply Rmult_le_compat_l; [lra|]. eapply Rle_trans; [apply g_lipschitz; auto|exact Hd]. }
  assert (Heq : 14 * u64 + (1 - a) * (dE + 14 * u64 / a) + a * dE = dE + 14 * u64 / a)
    by (field; lra).
  lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* T15 for the whole report variant                                            *)

Lemma run_report64_fst_F a b aE s0 l e n :
  F64 (fst s0) -> F64 (fst (run_report64 a b aE s0 l e n)).
Proof. intros H. destruct n; [exact H|apply fl_format]. Qed.

Definition dX64 (B : R) : R := u64 * (9 + 5 * B).
Definition dE64 (p : params) (B : R) : R := dX64 B + 5 * u64 * (1 + 2 * B) / (1 - beta p).
Definition dphi64 (p : params) (B : R) : R := dE64 p B + 14 * u64 / alpha p.

(* The report variant in binary64 against the report variant over the reals, same parameters
   (doubles), same start, same input: for every t,
     |Ễ_t − Ê_t| ≤ dE = u(9 + 5B) + 5u(1 + 2B)/(1 − β),   |φ̃_t − φ_t| ≤ dE + 14u/α,
   for α ∈ (0, 1], β ∈ [1/2, 1), α_E ∈ [0, 1], losses that are doubles ≥ 0 (unbounded),
   stresses E ∈ [0, B] and Ê_0 ∈ [0, B], where B = 2^k ≥ 1. *)
Theorem B64_T15_error_bound p s0 u k :
  F64 (alpha p) -> 0 < alpha p <= 1 -> F64 (beta p) -> 1/2 <= beta p < 1 ->
  0 <= alphaE p <= 1 -> (0 <= k <= 900)%Z ->
  (forall j, F64 (loss (u j)) /\ 0 <= loss (u j) /\ 0 <= env (u j) <= bpow k) ->
  F64 (ehat s0) -> 0 <= ehat s0 <= bpow k -> 0 <= phi s0 <= 1 ->
  forall n,
    Rabs (ehat (run_report_b64 p s0 u n) - ehat (run_report p s0 u n)) <= dE64 p (bpow k) /\
    Rabs (phi (run_report_b64 p s0 u n) - phi (run_report p s0 u n)) <= dphi64 p (bpow k).
Proof.
  intros Fa Ha Fb Hb HaE Hk Hin Fe0 He0 Hf0.
  set (B := bpow k) in *.
  assert (HB1 : 1 <= B) by (unfold B; change 1 with (bpow 0); apply bpow_le; lia).
  assert (H2B : bpow (k + 1) = 2 * B) by (unfold B; rewrite bpow_plus; simpl; lra).
  assert (Hu : u64 = / 9007199254740992) by reflexivity.
  set (xt := fun j => X64 (alphaE p) (loss (u j)) (env (u j))).
  set (x := fun j => X p (loss (u j)) (env (u j))).
  assert (Hx : forall j, 0 <= x j <= 2 * B /\ 0 <= xt j <= 2 * B /\ Rabs (xt j - x j) <= dX64 B).
  { intros j. destruct (Hin j) as (Fl & Hl & He).
    assert (HX : Rabs (xt j - x j) <= dX64 B) by (apply B64_X_error; auto).
    assert (0 <= D (loss (u j)) < 1) by (apply D_range; lra).
    assert (Hxr : 0 <= x j <= B) by (unfold x, X; nra).
    assert (0 <= xt j) by (apply X64_nonneg; lra).
    apply Rabs_le_inv in HX. unfold dX64 in HX. rewrite Hu in HX.
    split; [lra|]. split; [split; [lra|lra]|]. apply Rabs_le. unfold dX64. rewrite Hu. lra. }
  assert (HE : forall n, Rabs (ehat_seq64 (beta p) (ehat s0) xt n - ehat_seq p (ehat s0) x n)
                         <= dE64 p B).
  { intros n. unfold dE64. rewrite <- H2B.
    apply B64_T15_ehat_error; auto; try lia.
    - rewrite H2B. lra.
    - rewrite H2B. exact Hx. }
  assert (Hcont : forall n, ehat (run_report_b64 p s0 u n) = ehat_seq64 (beta p) (ehat s0) xt n /\
                            phi (run_report_b64 p s0 u n) =
                            phi_seq64 (alpha p) (phi s0)
                              (fun j => ehat_seq64 (beta p) (ehat s0) xt j) n).
  { intros n. generalize (run_report_b64_cont p s0 u n). intros Hc.
    assert (Hf : forall m, fst (run_report64 (alpha p) (beta p) (alphaE p) (ehat s0, phi s0)
                                 (fun k0 => loss (u k0)) (fun k0 => env (u k0)) m)
                           = ehat_seq64 (beta p) (ehat s0) xt m)
      by (intros m; rewrite run_report64_fst; reflexivity).
    split.
    - rewrite <- Hf, <- Hc. reflexivity.
    - replace (phi (run_report_b64 p s0 u n))
        with (snd (run_report64 (alpha p) (beta p) (alphaE p) (ehat s0, phi s0)
                     (fun k0 => loss (u k0)) (fun k0 => env (u k0)) n)) by (rewrite <- Hc; reflexivity).
      rewrite run_report64_phi_seq. simpl.
      clear Hc. induction n as [|n IH]; [reflexivity|]. simpl. rewrite IH, Hf. reflexivity. }
  assert (Hex : forall n, ehat (run_report p s0 u n) = ehat_seq p (ehat s0) x n)
    by (intros n; apply run_report_ehat).
  assert (Hte : forall n, 0 <= ehat_seq64 (beta p) (ehat s0) xt n <= bpow (k + 1)).
  { apply B64_ehat_bounded_pow2; auto; try lia; rewrite H2B; [lra|intros j; apply Hx]. }
  assert (Hee : forall n, 0 <= ehat_seq p (ehat s0) x n <= 2 * B).
  { apply ehat_seq_bounded; [lra|lra|intros j; apply Hx]. }
  intros n. split.
  - rewrite (proj1 (Hcont n)), Hex. apply HE.
  - rewrite (proj2 (Hcont n)), run_report_phi_seq. unfold dphi64.
    apply B64_T15_phi_error; auto.
    + intros j. repeat split.
      * destruct j; [exact Fe0|apply fl_format].
      * apply Hte.
      * rewrite Hex. apply Hee.
      * rewrite Hex. apply HE.
    + rewrite Rminus_diag_eq, Rabs_R0 by reflexivity.
      assert (0 <= dE64 p B) by (eapply Rle_trans; [apply Rabs_pos|apply (HE O)]).
      assert (0 <= 14 * u64 / alpha p)
        by (apply Rmult_le_pos; [rewrite Hu; lra|apply Rlt_le, Rinv_0_lt_compat; lra]).
      lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* Transfer of the thresholds: the binary64 run takes the exact run's modes as long as the   *)
(* exact φ keeps a margin d from θ0 and θ1                                                     *)

Definition margin (p : params) (d f : R) : Prop :=
  f + d < theta0 p \/ (theta0 p + d <= f /\ f + d < theta1 p) \/ theta1 p + d <= f.

Lemma classify_stable p d f ft :
  theta0 p <= theta1 p -> Rabs (ft - f) <= d -> margin p d f -> classify p ft = classify p f.
Proof.
  intros Ht H Hm. apply Rabs_le_inv in H. unfold classify, margin in *.
  destruct Hm as [Hm|[Hm|Hm]];
  destruct (Rlt_dec ft (theta0 p)); destruct (Rlt_dec f (theta0 p)); try reflexivity;
  try (exfalso; lra);
  destruct (Rlt_dec ft (theta1 p)); destruct (Rlt_dec f (theta1 p)); try reflexivity;
  exfalso; lra.
Qed.

Lemma step_report64_same_discrete p st st64 i :
  md st64 = md st -> last st64 = last st -> classify p (phi st64) = classify p (phi st) ->
  md (step_report64 p st64 i) = md (step_report p st i) /\
  last (step_report64 p st64 i) = last (step_report p st i).
Proof.
  intros Hm Hl Hc. unfold step_report64, step_report. rewrite Hm, Hl, Hc.
  destruct (mode_eq_dec _ _); [now split|]. destruct (cooldown_ok _ _ _); now split.
Qed.

(* If |φ̃_t − φ_t| ≤ d for all t and the exact φ_t keeps the margin d for every t < n, the
   binary64 run has the exact run's mode and last switch at step n. *)
Theorem B64_T15_modes_agree p s0 u d n :
  theta0 p <= theta1 p ->
  (forall t, Rabs (phi (run_report_b64 p s0 u t) - phi (run_report p s0 u t)) <= d) ->
  (forall t, (t < n)%nat -> margin p d (phi (run_report p s0 u t))) ->
  md (run_report_b64 p s0 u n) = md (run_report p s0 u n) /\
  last (run_report_b64 p s0 u n) = last (run_report p s0 u n).
Proof.
  intros Ht Hd Hm. induction n as [|n IH]; [now split|].
  destruct IH as [H1 H2]; [intros t Htn; apply Hm; lia|].
  simpl. apply step_report64_same_discrete; auto.
  apply (classify_stable p d); [exact Ht|apply Hd|apply Hm; lia].
Qed.

(* ------------------------------------------------------------------------- *)
(* The figures at the defaults                                                 *)

(* 0.3 and 0.7 as doubles. *)
Definition theta0_d : R := IZR 5404319552844595 * bpow (-54).
Definition theta1_d : R := IZR 6305039478318694 * bpow (-53).

(* The report defaults as the doubles the code uses. *)
Definition defaults_report64 : params := mkParams alpha_d beta_d (1/2) theta0_d theta1_d 30.

Lemma defaults64_dE : dE64 defaults_report64 1 <= 165 * u64.
Proof.
  unfold dE64, dX64, defaults_report64. simpl beta.
  assert (Hb : beta_d = 8106479329266893 / 9007199254740992) by (unfold beta_d; simpl; lra).
  assert (Hu : u64 = / 9007199254740992) by reflexivity.
  assert (H : 5 * u64 * (1 + 2 * 1) / (1 - beta_d) <= 151 * u64).
  { apply div_le; rewrite Hb; [lra|]. rewrite Hu. lra. }
  rewrite Hu in *. lra.
Qed.

Lemma defaults64_dphi : dphi64 defaults_report64 1 <= 305 * u64.
Proof.
  unfold dphi64. generalize defaults64_dE. intros HE.
  unfold defaults_report64 at 2. simpl alpha.
  assert (Ha : alpha_d = 7205759403792794 / 72057594037927936) by (unfold alpha_d; simpl; lra).
  assert (Hu : u64 = / 9007199254740992) by reflexivity.
  assert (H : 14 * u64 / alpha_d <= 140 * u64).
  { apply div_le; rewrite Ha; [lra|]. rewrite Hu. lra. }
  lra.
Qed.

(* T15 at the defaults (α = 0.1, β = 0.9, α_E = 1/2 as doubles, E ∈ [0, 1], any loss sequence of
   doubles ≥ 0, Ê_0 ∈ [0, 1], φ_0 ∈ [0, 1]): |Ễ_t − Ê_t| ≤ 165u and |φ̃_t − φ_t| ≤ 305u for every
   t (u = 2^-53; 305u ≈ 3.4e-14), and the binary64 run has the exact run's modes as long as the
   exact φ keeps 305u away from θ0 and θ1. *)
Theorem B64_T15_defaults s0 u :
  (forall j, F64 (loss (u j)) /\ 0 <= loss (u j) /\ 0 <= env (u j) <= 1) ->
  F64 (ehat s0) -> 0 <= ehat s0 <= 1 -> 0 <= phi s0 <= 1 ->
  forall n,
    Rabs (ehat (run_report_b64 defaults_report64 s0 u n) -
          ehat (run_report defaults_report64 s0 u n)) <= 165 * u64 /\
    Rabs (phi (run_report_b64 defaults_report64 s0 u n) -
          phi (run_report defaults_report64 s0 u n)) <= 305 * u64.
Proof.
  intros Hin Fe He Hf n.
  generalize alpha_d_bounds beta_d_bounds. intros Ha Hb.
  destruct (B64_T15_error_bound defaults_report64 s0 u 0) with (n := n) as [H1 H2];
    simpl; auto; try lia; try lra.
  - exact alpha_d_F.
  - exact beta_d_F.
  - split; [eapply Rle_trans; [exact H1|apply defaults64_dE]|].
    eapply Rle_trans; [exact H2|apply defaults64_dphi].
Qed.

Corollary B64_T15_defaults_modes s0 u n :
  (forall j, F64 (loss (u j)) /\ 0 <= loss (u j) /\ 0 <= env (u j) <= 1) ->
  F64 (ehat s0) -> 0 <= ehat s0 <= 1 -> 0 <= phi s0 <= 1 ->
  (forall t, (t < n)%nat -> margin defaults_report64 (305 * u64) (phi (run_report defaults_report64 s0 u t))) ->
  md (run_report_b64 defaults_report64 s0 u n) = md (run_report defaults_report64 s0 u n) /\
  last (run_report_b64 defaults_report64 s0 u n) = last (run_report defaults_report64 s0 u n).
Proof.
  intros Hin Fe He Hf Hm. apply (B64_T15_modes_agree _ _ _ (305 * u64)); auto.
  { unfold defaults_report64, theta0_d, theta1_d. simpl. lra. }
  intros t. apply (B64_T15_defaults s0 u Hin Fe He Hf t).
Qed.
