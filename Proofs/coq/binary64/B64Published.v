(* The published controller (repo variant, α = 0.1, β = 0.9 as doubles) under zero losses, on
   bit-level doubles.  bstep is one zero-loss step computed by Flocq's operations, with the check
   that every intermediate is finite; bstep_correct carries a checked step to the real model
   (cont_repo64), walk/walk_correct a checked walk of n steps.
   Proved here: (5·2^-1074, 15·2^-1074), the state `simulate --variant repo` reaches after 7112 zero
   losses, is a fixed point of the zero-loss step (0.9·5 = 4.5000000000000001 rounds up to 5;
   0.9·15 rounds to 14 and 0.1·5 to 1, in units of 2^-1074), so φ stays at 15·2^-1074 ≈ 7.4e-323
   once there.  That the trajectory from (1, 0.5) reaches it after 7112 steps is not checked in the
   build: running the walk under vm_compute takes several minutes.  B64Facts.B64_C1_positive_published
   proves φ > 0 for ever without it. *)

From Coq Require Import Reals Lra Lia ZArith.
From Flocq Require Import Core.
From Flocq Require Import IEEE754.BinarySingleNaN.
From UnifiedLoRA Require Import binary64.B64Model binary64.B64Facts.
Open Scope R_scope.
Local Open Scope bool_scope.

Local Notation bpow := (bpow radix2).

Definition b_zero : b64 := B754_zero false.
(* The doubles of the computation, as literals: 0.1, 0.9, fl(1 − 0.9), fl(1 − 0.1) = 0.9, 1, 0.5. *)
Definition c_alpha : b64 := @B754_finite 53 1024 false 7205759403792794 (-56) eq_refl.
Definition c_beta : b64 := @B754_finite 53 1024 false 8106479329266893 (-53) eq_refl.
Definition c_omb : b64 := @B754_finite 53 1024 false 7205759403792792 (-56) eq_refl.
Definition c_oma : b64 := @B754_finite 53 1024 false 8106479329266893 (-53) eq_refl.
Definition c_one : b64 := @B754_finite 53 1024 false 4503599627370496 (-52) eq_refl.
Definition c_half : b64 := @B754_finite 53 1024 false 4503599627370496 (-53) eq_refl.

Lemma c_alpha_R : B2R c_alpha = alpha_d.
Proof. reflexivity. Qed.
Lemma c_beta_R : B2R c_beta = beta_d.
Proof. reflexivity. Qed.
Lemma c_one_R : B2R c_one = 1.
Proof. unfold B2R, c_one, F2R. simpl. lra. Qed.
Lemma c_half_R : B2R c_half = 1 / 2.
Proof. unfold B2R, c_half, F2R. simpl. lra. Qed.
Lemma b_zero_R : B2R b_zero = 0.
Proof. reflexivity. Qed.

Lemma c_omb_R : fsub 1 beta_d = B2R c_omb.
Proof.
  rewrite <- c_one_R, <- c_beta_R. rewrite <- b64_minus_correct by (vm_compute; reflexivity).
  apply B2R_eq_SF. vm_compute. reflexivity.
Qed.

Lemma c_oma_R : fsub 1 alpha_d = B2R c_oma.
Proof.
  rewrite <- c_one_R, <- c_alpha_R. rewrite <- b64_minus_correct by (vm_compute; reflexivity).
  apply B2R_eq_SF. vm_compute. reflexivity.
Qed.

Definition nonzero_finite (x : b64) : bool :=
  match x with B754_finite _ _ _ _ => true | _ => false end.

Lemma B2R_nonzero (x : b64) : nonzero_finite x = true -> B2R x <> 0.
Proof.
  destruct x as [sx|sx| |sx mx ex Hx]; try discriminate. intros _.
  simpl. unfold F2R. simpl. apply Rmult_integral_contrapositive_currified.
  - apply not_0_IZR. destruct sx; discriminate.
  - apply Rgt_not_eq, bpow_gt_0.
Qed.

(* One zero-loss repo step on bit-level doubles, in the order of SPEC §3, with the check that every
   intermediate is finite and the divisor a non-zero finite double; each operation is computed once. *)
Definition bstep (s : b64 * b64) : bool * (b64 * b64) :=
  let m1 := b64_mult c_beta (fst s) in
  let m2 := b64_mult c_omb b_zero in
  let e' := b64_plus m1 m2 in
  let p1 := b64_mult c_oma (snd s) in
  let s1 := b64_plus c_one e' in
  let q := b64_div e' s1 in
  let p2 := b64_mult c_alpha q in
  let f' := b64_plus p1 p2 in
  (is_finite (fst s) && is_finite (snd s) && is_finite m1 && is_finite m2 && is_finite e' &&
   is_finite p1 && is_finite s1 && is_finite q && is_finite p2 && is_finite f' &&
   nonzero_finite s1, (e', f')).

Definition pairR (s : b64 * b64) : R * R := (B2R (fst s), B2R (snd s)).

Lemma bstep_correct s :
  fst (bstep s) = true -> pairR (snd (bstep s)) = cont_repo64 alpha_d beta_d (pairR s) 0.
Proof.
  unfold bstep. cbv zeta. cbn [fst snd]. intros H.
  repeat match type of H with
         | (_ && _)%bool = true => apply andb_prop in H; destruct H as [H ?]
         end.
  unfold pairR, cont_repo64, ehat_next64, phi_next64, squash64. cbn [fst snd].
  rewrite c_omb_R, c_oma_R, <- c_alpha_R, <- c_beta_R, <- b_zero_R, <- c_one_R.
  repeat first
    [ rewrite b64_plus_correct by (try assumption; reflexivity)
    | rewrite b64_mult_correct by (try assumption; reflexivity)
    | rewrite b64_div_correct by (try assumption; now apply B2R_nonzero) ].
  reflexivity.
Qed.

(* Walk n steps once: (every step checked, the state before the last step, the last state).
   walk_correct carries a checked walk to the real model; running the 7112 steps of the
   published trajectory under vm_compute is too slow for the build (several minutes), so the
   walk itself is not run here. *)
Fixpoint walk (n : nat) (ok : bool) (prev s : b64 * b64) : bool * (b64 * b64) * (b64 * b64) :=
  match n with
  | O => (ok, prev, s)
  | S k => let r := bstep s in walk k (ok && fst r) s (snd r)
  end.

Lemma run_repo64_shift a b s0 n :
  run_repo64 a b s0 (fun _ => 0) (S n) = run_repo64 a b (cont_repo64 a b s0 0) (fun _ => 0) n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  change (run_repo64 a b s0 (fun _ => 0) (S (S n)))
    with (cont_repo64 a b (run_repo64 a b s0 (fun _ => 0) (S n)) 0).
  rewrite IH. reflexivity.
Qed.

Lemma walk_ok_false n prev s : fst (fst (walk n false prev s)) = false.
Proof.
  revert prev s. induction n as [|n IH]; intros prev s; [reflexivity|]. simpl. apply IH.
Qed.

Lemma walk_correct n prev s :
  fst (fst (walk n true prev s)) = true ->
  pairR (snd (walk n true prev s)) = run_repo64 alpha_d beta_d (pairR s) (fun _ => 0) n /\
  (n <> O -> pairR (snd (fst (walk n true prev s))) =
             run_repo64 alpha_d beta_d (pairR s) (fun _ => 0) (Nat.pred n)).
Proof.
  revert prev s. induction n as [|n IH]; intros prev s H; [split; [reflexivity|easy]|].
  change (walk (S n) true prev s) with (walk n (true && fst (bstep s)) s (snd (bstep s))) in *.
  destruct (fst (bstep s)) eqn:Hb.
  2: { cbn [andb] in H. rewrite walk_ok_false in H. discriminate. }
  cbn [andb] in H |- *.
  destruct (IH s (snd (bstep s)) H) as [H1 H2].
  rewrite run_repo64_shift, <- (bstep_correct s Hb). split; [exact H1|].
  intros _. destruct n as [|n].
  - simpl. reflexivity.
  - rewrite H2 by discriminate. cbn [Nat.pred].
    rewrite run_repo64_shift, <- (bstep_correct s Hb). reflexivity.
Qed.

Definition b_start : b64 * b64 := (c_one, c_half).

Lemma b_start_R : pairR b_start = (1, 1/2).
Proof. unfold pairR, b_start. cbn [fst snd]. now rewrite c_one_R, c_half_R. Qed.

Definition sub_min (k : positive) : R := IZR (Zpos k) * bpow (-1074).

Lemma B64_zero_loss_fixed :
  cont_repo64 alpha_d beta_d (sub_min 5, sub_min 15) 0 = (sub_min 5, sub_min 15).
Proof.
  set (s := (@B754_finite 53 1024 false 5 (-1074) eq_refl, @B754_finite 53 1024 false 15 (-1074) eq_refl)).
  assert (Hs : pairR s = (sub_min 5, sub_min 15)) by reflexivity.
  rewrite <- Hs, <- bstep_correct by (vm_compute; reflexivity).
  unfold pairR. f_equal; apply B2R_eq_SF; vm_compute; reflexivity.
Qed.

(* Once the published controller is at (5·2^-1074, 15·2^-1074) under zero losses, it stays there. *)
Theorem B64_zero_loss_stays n :
  run_repo64 alpha_d beta_d (sub_min 5, sub_min 15) (fun _ => 0) n = (sub_min 5, sub_min 15).
Proof.
  induction n as [|n IH]; [reflexivity|]. simpl. rewrite IH. apply B64_zero_loss_fixed.
Qed.
