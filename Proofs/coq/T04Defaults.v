(* T04 part 4 at the defaults over ℝ: the spectral-radius estimate of the settling time is 38
   (the least t with ρ^t ≤ ε, ρ = 0.9, ε = 0.02, i.e. ⌈ln 0.02 / ln 0.9⌉), while the exact
   settling time of the same regime (clean fixed point → sustained L = 20, E = 0, step-relative
   band) is 55 (T05_settling_defaults): the Jordan block's factor t makes the estimate wrong by
   17 updates.  Proofs/T04-jacobian.md *)

From Coq Require Import Reals Lra Lia.
From UnifiedLoRA Require Import Model Lemmas T05 T15Shock T05Defaults.
Open Scope R_scope.

Lemma pow_le_1 (x : R) (n : nat) : 0 <= x <= 1 -> x ^ n <= 1.
Proof.
  intros Hx; induction n as [|n IH]; simpl; [lra|].
  assert (0 <= x ^ n) by (apply pow_le; lra). nra.
Qed.

Theorem T04_estimate_vs_exact_defaults :
  rho defaults_report = 9 / 10 /\
  (* the estimate: 38 is the least t with ρ^t ≤ 0.02 *)
  (forall t, (t < 38)%nat -> 2 / 100 < rho defaults_report ^ t) /\
  rho defaults_report ^ 38 <= 2 / 100 /\
  (* the exact settling time of the same regime and band: 55 *)
  (forall t, (t >= 55)%nat -> Rabs (phi (run_report defaults_report s_clean u_sust t) - g (10 / 21)) <= band) /\
  band < Rabs (phi (run_report defaults_report s_clean u_sust 54) - g (10 / 21)).
Proof.
  destruct T05_settling_defaults as (_ & _ & _ & Hin & Hout).
  rewrite rho_defaults. split; [reflexivity|]. split; [|split; [lra|split; assumption]].
  intros t Ht.
  assert (E : (9 / 10) ^ 37 = (9 / 10) ^ t * (9 / 10) ^ (37 - t)) by (rewrite <- pow_add; f_equal; lia).
  assert (H1 : (9 / 10) ^ (37 - t) <= 1) by (apply pow_le_1; lra).
  assert (H0 : 0 <= (9 / 10) ^ t) by (apply pow_le; lra).
  assert (H37 : 2 / 100 < (9 / 10) ^ 37) by lra.
  nra.
Qed.
