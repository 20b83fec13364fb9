(* The Unified-LoRA controller over IEEE-754 binary64 (Flocq).

   Formulation.  A binary64 value is a real number in the format
   F = generic_format radix2 (FLT_exp (-1074) 53), and one binary64 operation is the
   exact real operation followed by one rounding
       fl x = round radix2 (FLT_exp (-1074) 53) ZnearestE x      (round to nearest, ties to even).
   This is the generic formulation of Flocq.  It is chosen over the bit-level types
   (IEEE754.BinarySingleNaN) for the proofs because every statement stays an
   inequality between reals, Flocq's error lemmas and the Gappa tactic apply directly,
   and no NaN, infinity or signed zero has to be carried through an induction.  It has
   an unbounded exponent range above: an operation overflows exactly when its rounded
   value reaches 2^1024, so "no overflow" is the statement |fl(...)| < 2^1024 about every
   intermediate value.  The link with the bit-level semantics is proved below
   (b64_plus_correct … b64_div_correct): on finite operands, a Flocq
   BinarySingleNaN operation that returns a finite value returns exactly fl of the real
   operation.  The ground facts (the value of fl(1 - 0.1), the fixed point of the φ
   iteration at α = 0.1, …) are computed by the bit-level implementation and carried
   over by these lemmas.

   Evaluation order (SPEC §2 "Evaluation in binary64" and §3): each line as written,
   one rounding per operation, no fused multiply-add, 1 − α, 1 − β, 1 − α_E and 1 + x
   computed at run time, the squash as a quotient first:
     D  = L/(1 + L)
     X  = α_E·E + (1 − α_E)·D
     Ê' = β·Ê + (1 − β)·X
     φ' = (1 − α)·φ + α·(Ê/(1 + Ê))          report: the OLD Ê;  repo: the NEW Ê'
   The repo variant feeds the raw loss L as X. *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core Relative Sterbenz Mult_error.
From Flocq Require Import IEEE754.BinarySingleNaN.
Open Scope R_scope.

(* ------------------------------------------------------------------------- *)
(* binary64 as reals with one rounding per operation                           *)

Definition fexp64 := FLT_exp (-1074) 53.
Definition fl (x : R) : R := round radix2 fexp64 ZnearestE x.
Definition F64 (x : R) : Prop := generic_format radix2 fexp64 x.

Definition fadd (x y : R) : R := fl (x + y).
Definition fsub (x y : R) : R := fl (x - y).
Definition fmul (x y : R) : R := fl (x * y).
Definition fdiv (x y : R) : R := fl (x / y).

(* The squash x/(1 + x) as binary64 computes it: the sum 1 + x first, then the quotient. *)
Definition squash64 (x : R) : R := fdiv x (fadd 1 x).

(* The largest finite double and the overflow threshold of round-to-nearest. *)
Definition max64 : R := (IZR (2 ^ 53 - 1)) * bpow radix2 971.
Definition overflow_free (x : R) : Prop := Rabs x < bpow radix2 1024.

(* ------------------------------------------------------------------------- *)
(* The continuous part of one step                                             *)

Definition D64 (l : R) : R := squash64 l.

Definition X64 (aE l e : R) : R := fadd (fmul aE e) (fmul (fsub 1 aE) (D64 l)).

Definition ehat_next64 (b e x : R) : R := fadd (fmul b e) (fmul (fsub 1 b) x).

Definition phi_next64 (a f e : R) : R := fadd (fmul (fsub 1 a) f) (fmul a (squash64 e)).

(* The (Ê, φ) pair after one report step: φ' from the OLD Ê. *)
Definition cont_report64 (a b aE : R) (s : R * R) (l e : R) : R * R :=
  (ehat_next64 b (fst s) (X64 aE l e), phi_next64 a (snd s) (fst s)).

(* The (Ê, φ) pair after one repo step: Ê' from the raw loss, φ' from the NEW Ê'. *)
Definition cont_repo64 (a b : R) (s : R * R) (l : R) : R * R :=
  let e' := ehat_next64 b (fst s) l in (e', phi_next64 a (snd s) e').

Fixpoint run_report64 (a b aE : R) (s0 : R * R) (l e : nat -> R) (n : nat) : R * R :=
  match n with
  | O => s0
  | S k => cont_report64 a b aE (run_report64 a b aE s0 l e k) (l k) (e k)
  end.

Fixpoint run_repo64 (a b : R) (s0 : R * R) (l : nat -> R) (n : nat) : R * R :=
  match n with
  | O => s0
  | S k => cont_repo64 a b (run_repo64 a b s0 l k) (l k)
  end.

(* Ê alone for a given (already computed) stress sequence x: the report's Ê and the repo's Ê
   (x = the raw loss). *)
Fixpoint ehat_seq64 (b e0 : R) (x : nat -> R) (n : nat) : R :=
  match n with
  | O => e0
  | S k => ehat_next64 b (ehat_seq64 b e0 x k) (x k)
  end.

Lemma run_report64_fst a b aE s0 l e n :
  fst (run_report64 a b aE s0 l e n) = ehat_seq64 b (fst s0) (fun k => X64 aE (l k) (e k)) n.
Proof. induction n as [|n IH]; simpl; [reflexivity|now rewrite IH]. Qed.

Lemma run_repo64_fst a b s0 l n :
  fst (run_repo64 a b s0 l n) = ehat_seq64 b (fst s0) l n.
Proof. induction n as [|n IH]; simpl; [reflexivity|now rewrite IH]. Qed.

(* ------------------------------------------------------------------------- *)
(* Basic properties of fl                                                      *)

Global Instance fexp64_valid : Valid_exp fexp64.
Proof. unfold fexp64. apply FLT_exp_valid. reflexivity. Qed.

Global Instance fexp64_monotone : Monotone_exp fexp64.
Proof. unfold fexp64. apply FLT_exp_monotone. Qed.

Lemma fl_format x : F64 (fl x).
Proof. apply generic_format_round; auto with typeclass_instances. Qed.

Lemma fl_id x : F64 x -> fl x = x.
Proof. intros H. apply round_generic; auto with typeclass_instances. Qed.

Lemma fl_le x y : x <= y -> fl x <= fl y.
Proof. intros H. apply round_le; auto with typeclass_instances. Qed.

Lemma fl_le_F x y : F64 y -> x <= y -> fl x <= y.
Proof. intros Hy H. apply round_le_generic; auto with typeclass_instances. Qed.

Lemma fl_ge_F x y : F64 y -> y <= x -> y <= fl x.
Proof. intros Hy H. apply round_ge_generic; auto with typeclass_instances. Qed.

Lemma F64_0 : F64 0.
Proof. apply generic_format_0. Qed.

Lemma F64_bpow e : (-1074 <= e)%Z -> F64 (bpow radix2 e).
Proof.
  intros H. apply generic_format_bpow. unfold fexp64, FLT_exp. lia.
Qed.

Lemma F64_1 : F64 1.
Proof. change 1 with (bpow radix2 0). apply F64_bpow. lia. Qed.

Lemma fl_0 : fl 0 = 0.
Proof. apply round_0; auto with typeclass_instances. Qed.

Lemma fl_nonneg x : 0 <= x -> 0 <= fl x.
Proof. intros H. rewrite <- fl_0. now apply fl_le. Qed.

(* The half-ulp error bound. *)
Lemma fl_error x : Rabs (fl x - x) <= / 2 * ulp radix2 fexp64 x.
Proof. unfold fl. apply error_le_half_ulp; auto with typeclass_instances. Qed.

(* The standard model of round-to-nearest in FLT: relative error at most u = 2^-53
   or absolute error at most 2^-1075 (gradual underflow). *)
Lemma fl_model x : exists eps eta,
  Rabs eps <= bpow radix2 (-53) /\ Rabs eta <= bpow radix2 (-1075) /\ eps * eta = 0 /\
  fl x = x * (1 + eps) + eta.
Proof.
  destruct (error_N_FLT radix2 (-1074) 53 ltac:(lia) (fun z => negb (Z.even z)) x)
    as (eps & eta & H1 & H2 & H3 & H4).
  exists eps, eta. repeat split; auto.
  - eapply Rle_trans; [exact H1|]. simpl. lra.
  - eapply Rle_trans; [exact H2|]. simpl. lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* The bit-level operations of Flocq and their relation to fl                 *)

Definition b64 := binary_float 53 1024.
Lemma b64_prec : Prec_gt_0 53. Proof. reflexivity. Qed.
Lemma b64_emax : Prec_lt_emax 53 1024. Proof. reflexivity. Qed.
Definition b64_plus (x y : b64) : b64 := @Bplus 53 1024 b64_prec b64_emax mode_NE x y.
Definition b64_minus (x y : b64) : b64 := @Bminus 53 1024 b64_prec b64_emax mode_NE x y.
Definition b64_mult (x y : b64) : b64 := @Bmult 53 1024 b64_prec b64_emax mode_NE x y.
Definition b64_div (x y : b64) : b64 := @Bdiv 53 1024 b64_prec b64_emax mode_NE x y.
(* The double with significand m and exponent e (exact when representable). *)
Definition b64_of (m e : Z) : b64 :=
  @binary_normalize 53 1024 b64_prec b64_emax mode_NE m e false.

Lemma fexp64_eq : fexp64 = SpecFloat.fexp 53 1024.
Proof. reflexivity. Qed.

Ltac overflow_case H :=
  let Hs := fresh in
  destruct H as [Hs _]; unfold binary_overflow, overflow_to_inf in Hs; simpl in Hs;
  match goal with
  | Hf : is_finite ?z = true |- _ =>
      rewrite <- is_finite_SF_B2SF in Hf; rewrite Hs in Hf; discriminate Hf
  end.

Lemma b64_plus_correct x y :
  is_finite x = true -> is_finite y = true -> is_finite (b64_plus x y) = true ->
  B2R (b64_plus x y) = fadd (B2R x) (B2R y).
Proof.
  intros Hx Hy Hz. unfold b64_plus, b64_minus in *. generalize (@Bplus_correct 53 1024 b64_prec b64_emax mode_NE x y Hx Hy).
  destruct Rlt_bool; [intros [H _]; exact H|intros H; overflow_case H].
Qed.

Lemma b64_minus_correct x y :
  is_finite x = true -> is_finite y = true -> is_finite (b64_minus x y) = true ->
  B2R (b64_minus x y) = fsub (B2R x) (B2R y).
Proof.
  intros Hx Hy Hz. unfold b64_plus, b64_minus in *. generalize (@Bminus_correct 53 1024 b64_prec b64_emax mode_NE x y Hx Hy).
  destruct Rlt_bool; [intros [H _]; exact H|intros H; overflow_case H].
Qed.

Lemma b64_mult_correct x y :
  is_finite (b64_mult x y) = true ->
  B2R (b64_mult x y) = fmul (B2R x) (B2R y).
Proof.
  intros Hz. unfold b64_mult in *. generalize (@Bmult_correct 53 1024 b64_prec b64_emax mode_NE x y).
  destruct Rlt_bool; [intros [H _]; exact H|intros H].
  rewrite <- is_finite_SF_B2SF in Hz. rewrite H in Hz. discriminate Hz.
Qed.

Lemma b64_div_correct x y :
  B2R y <> 0 -> is_finite (b64_div x y) = true ->
  B2R (b64_div x y) = fdiv (B2R x) (B2R y).
Proof.
  intros Hy Hz. unfold b64_div in *. generalize (@Bdiv_correct 53 1024 b64_prec b64_emax mode_NE x y Hy).
  destruct Rlt_bool; [intros [H _]; exact H|intros H].
  rewrite <- is_finite_SF_B2SF in Hz. rewrite H in Hz. discriminate Hz.
Qed.

(* Reading a computed double back as a real: B2R x is the significand times the power of two
   that the computation returns (B2SF x is computed by vm_compute). *)
Lemma B2R_SF (x : b64) s m e :
  B2SF x = SpecFloat.S754_finite s m e ->
  B2R x = IZR (cond_Zopp s (Zpos m)) * bpow radix2 e.
Proof.
  intros H. rewrite <- SF2R_B2SF, H. reflexivity.
Qed.

Lemma B2R_SF_zero (x : b64) s :
  B2SF x = SpecFloat.S754_zero s -> B2R x = 0.
Proof. intros H. rewrite <- SF2R_B2SF, H. reflexivity. Qed.

(* ------------------------------------------------------------------------- *)
(* The defaults as doubles                                                     *)

(* 0.1 and 0.9 as binary64 literals (the nearest doubles). *)
Definition alpha_d : R := IZR 7205759403792794 * bpow radix2 (-56).
Definition beta_d  : R := IZR 8106479329266893 * bpow radix2 (-53).
Definition half_d  : R := bpow radix2 (-1).

Lemma alpha_d_b64 : alpha_d = B2R (b64_of 7205759403792794 (-56)).
Proof. rewrite (B2R_SF _ false 7205759403792794 (-56)); [reflexivity|vm_compute; reflexivity]. Qed.

Lemma beta_d_b64 : beta_d = B2R (b64_of 8106479329266893 (-53)).
Proof. rewrite (B2R_SF _ false 8106479329266893 (-53)); [reflexivity|vm_compute; reflexivity]. Qed.

Lemma alpha_d_F : F64 alpha_d.
Proof.
  unfold alpha_d. apply generic_format_FLT. exists (Float radix2 7205759403792794 (-56)).
  - reflexivity.
  - simpl. lia.
  - simpl. lia.
Qed.

Lemma beta_d_F : F64 beta_d.
Proof.
  unfold beta_d. apply generic_format_FLT. exists (Float radix2 8106479329266893 (-53)).
  - reflexivity.
  - simpl. lia.
  - simpl. lia.
Qed.

Lemma alpha_d_bounds : 0.0999999 < alpha_d < 0.1000001.
Proof. unfold alpha_d. simpl. lra. Qed.

Lemma beta_d_bounds : 0.8999999 < beta_d < 0.9000001.
Proof. unfold beta_d. simpl. lra. Qed.
