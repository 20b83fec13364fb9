(* C7 / T12 part 5 with N_s = 0: a switch at EVERY step, for ever, so the switch count over n
   records is exactly n.  Defaults with N_s = 0 (α = 0.1, β = 0.9, α_E = 0.5, θ0 = 0.3); a
   2-periodic orbit straddling θ0: (Ê, φ) alternates (31/69, 569/1900) and (29/71, 571/1900),
   with L = 0 and E alternating 134/1633 and 8002/4899 (X = E/2).  φ alternates 0.29947… < θ0 and
   0.30053… ≥ θ0, so the candidate alternates Single/Multi and, with no cooldown, so does the
   mode.  Proofs/T12-switches.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T12.
Open Scope R_scope.

Definition p_chatter : params := mkParams (1 / 10) (9 / 10) (1 / 2) (3 / 10) (7 / 10) 0.
Definition e_even : R := 31 / 69.
Definition e_odd : R := 29 / 71.
Definition f_even : R := 569 / 1900.
Definition f_odd : R := 571 / 1900.
Definition s_chatter : state := mkState e_even f_even Multi None.
Definition u_chatter : trace :=
  mk_trace 0 (fun _ => 0) (fun k => if Nat.even k then 134 / 1633 else 8002 / 4899).

Definition chatter_state (n : nat) : state :=
  if Nat.even n then mkState e_even f_even Multi (match n with O => None | S k => Some (Z.of_nat k) end)
  else mkState e_odd f_odd Single (match n with O => None | S k => Some (Z.of_nat k) end).

Lemma chatter_orbit (n : nat) : run_report p_chatter s_chatter u_chatter n = chatter_state n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  rewrite run_report_S, IH. unfold chatter_state. rewrite Nat.even_succ, <- Nat.negb_even.
  unfold u_chatter, mk_trace.
  destruct (Nat.even n) eqn:Ev; simpl negb; cbv iota.
  - unfold step_report; cbn [ehat phi md last step loss env].
    assert (C : classify p_chatter f_even = Single)
      by (apply classify_single; unfold f_even, p_chatter; simpl; lra).
    rewrite C. destruct (mode_eq_dec Single Multi) as [E|_]; [discriminate|].
    assert (Ok : cooldown_ok p_chatter (0 + Z.of_nat n) (match n with O => None | S k => Some (Z.of_nat k) end) = true).
    { destruct n as [|k]; [reflexivity|]. unfold cooldown_ok; simpl cooldown. apply Z.leb_le. rewrite Nat2Z.inj_succ. lia. }
    rewrite Ok. f_equal.
    + unfold ehat_next, X, D, g, e_even, e_odd, p_chatter; simpl. field.
    + unfold phi_next, g, e_even, f_even, f_odd, p_chatter; simpl. field.
  - unfold step_report; cbn [ehat phi md last step loss env].
    assert (C : classify p_chatter f_odd = Multi)
      by (apply classify_multi; unfold f_odd, p_chatter; simpl; lra).
    rewrite C. destruct (mode_eq_dec Multi Single) as [E|_]; [discriminate|].
    assert (Ok : cooldown_ok p_chatter (0 + Z.of_nat n) (match n with O => None | S k => Some (Z.of_nat k) end) = true).
    { destruct n as [|k]; [reflexivity|]. unfold cooldown_ok; simpl cooldown. apply Z.leb_le. rewrite Nat2Z.inj_succ. lia. }
    rewrite Ok. f_equal.
    + unfold ehat_next, X, D, g, e_even, e_odd, p_chatter; simpl. field.
    + unfold phi_next, g, e_odd, f_even, f_odd, p_chatter; simpl. field.
Qed.

(* A switch at every step, for ever: the switch count over n records is n. *)
Theorem T12_switch_every_step_N0 :
  (forall n, md (run_report p_chatter s_chatter u_chatter (S n)) <> md (run_report p_chatter s_chatter u_chatter n)) /\
  (forall n, nswitch_report p_chatter s_chatter u_chatter n = n).
Proof.
  assert (H : forall n, md (run_report p_chatter s_chatter u_chatter (S n)) <> md (run_report p_chatter s_chatter u_chatter n)).
  { intros n. rewrite !chatter_orbit. unfold chatter_state. rewrite Nat.even_succ, <- Nat.negb_even.
    destruct (Nat.even n); simpl; discriminate. }
  split; [exact H|].
  induction n as [|n IH]; [reflexivity|]. simpl. rewrite IH.
  destruct (mode_eq_dec _ _) as [E|_]; [exfalso; exact (H n E)|lia].
Qed.

Lemma chatter_inputs_valid : valid_trace u_chatter.
Proof. intros k; unfold valid_input, u_chatter, mk_trace; simpl; destruct (Nat.even k); lra. Qed.

(* The repo variant (no cooldown, M = c(φ′)): the same orbit, read in the published order.
   (Ê, φ) alternates (29/71, 569/1900) and (31/69, 571/1900) under the losses 4001/4899 and
   67/1633 (each φ reads the new Ê), so the mode alternates Single/Multi at every step for ever.
   (Reaching this orbit exactly from the published start (1, 0.5) is not shown: Ê can fall by at
   most a factor β per step; the tests build such an input from the start by bisection.) *)
Definition repo_chatter_state (n : nat) : state :=
  if Nat.even n then mkState e_odd f_even Single (match n with O => None | S k => Some (Z.of_nat k) end)
  else mkState e_even f_odd Multi (match n with O => None | S k => Some (Z.of_nat k) end).

Definition u_repo_chatter : trace :=
  mk_trace 0 (fun k => if Nat.even k then 4001 / 4899 else 67 / 1633) (fun _ => 0).

Lemma repo_chatter_orbit (n : nat) :
  run_repo defaults_repo (repo_chatter_state O) u_repo_chatter n = repo_chatter_state n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  rewrite run_repo_S, IH. unfold repo_chatter_state. rewrite Nat.even_succ, <- Nat.negb_even.
  unfold u_repo_chatter, mk_trace.
  destruct (Nat.even n) eqn:Ev; simpl negb; cbv iota; unfold step_repo; cbn [ehat phi md last step loss env].
  - assert (E1 : ehat_next defaults_repo e_odd (4001 / 4899) = e_even)
      by (unfold ehat_next, e_odd, e_even, defaults_repo; simpl; field).
    assert (F1 : phi_next defaults_repo f_even e_even = f_odd)
      by (unfold phi_next, g, e_even, f_even, f_odd, defaults_repo; simpl; field).
    rewrite E1, F1.
    assert (C : classify defaults_repo f_odd = Multi)
      by (apply classify_multi; unfold f_odd, defaults_repo; simpl; lra).
    rewrite C. destruct (mode_eq_dec Multi Single) as [E|_]; [discriminate|]. reflexivity.
  - assert (E1 : ehat_next defaults_repo e_even (67 / 1633) = e_odd)
      by (unfold ehat_next, e_odd, e_even, defaults_repo; simpl; field).
    assert (F1 : phi_next defaults_repo f_odd e_odd = f_even)
      by (unfold phi_next, g, e_odd, f_even, f_odd, defaults_repo; simpl; field).
    rewrite E1, F1.
    assert (C : classify defaults_repo f_even = Single)
      by (apply classify_single; unfold f_even, defaults_repo; simpl; lra).
    rewrite C. destruct (mode_eq_dec Single Multi) as [E|_]; [discriminate|]. reflexivity.
Qed.

Theorem T12_repo_switch_every_step :
  forall n, md (run_repo defaults_repo (repo_chatter_state O) u_repo_chatter (S n)) <>
            md (run_repo defaults_repo (repo_chatter_state O) u_repo_chatter n).
Proof.
  intros n. rewrite !repo_chatter_orbit. unfold repo_chatter_state. rewrite Nat.even_succ, <- Nat.negb_even.
  destruct (Nat.even n); simpl; discriminate.
Qed.
