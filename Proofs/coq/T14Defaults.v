(* T14 / T09 part 5, the defaults table at E = 0, decided over ℝ with the verified interval
   simulator (QSim.v): the report defaults, the shock L = 20, E = 0 for 100 updates from the clean
   fixed point (1/6, 1/7), Single, no switch, steps 0, 1, …, then the clean L = 0.5 for ever.
   Detection: Multi first after update 35 (the switch at step 34).  Recovery: Single first after
   recovery update 8 (update 108), and Single for ever from there (T15 stability).  These are the
   figures `analyze` prints as latency.toMulti and latency.toSingle.  Proofs/T14-latency.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool.
From UnifiedLoRA Require Import Model Lemmas T01 T15 QSim T15Shock.
Open Scope R_scope.

Definition u_shock0 (n : nat) : trace := shock_trace 0 n 20 0 (1/2) 0.
Definition xs_shock0 (n : nat) (k : nat) : Q := if Nat.ltb k n then 10 # 21 else 1 # 6.

Lemma xs_shock0_X (n k : nat) :
  Q2R (xs_shock0 n k) = X defaults_report (loss (u_shock0 n k)) (env (u_shock0 n k)).
Proof.
  unfold xs_shock0, u_shock0, shock_trace, mk_trace, X, D, g; simpl.
  destruct (Nat.ltb k n); rewrite Q2R_frac; field.
Qed.

Lemma u_shock0_valid (n : nat) : valid_trace (u_shock0 n).
Proof. intros k; unfold valid_input, u_shock0, shock_trace, mk_trace; simpl; destruct (Nat.ltb k n); lra. Qed.

Lemma box_at (n k : nat) (q : qstate) :
  qrun pq_defaults q_clean (xs_shock0 n) 0 k = Some q ->
  contains q (run_report defaults_report s_clean (u_shock0 n) k).
Proof.
  intros H. apply (qrun_sound pq_defaults defaults_report s_clean q_clean (u_shock0 n) (xs_shock0 n) 0
                    defaults_report_admissible qmatch_defaults contains_clean (fun k => eq_refl)
                    (xs_shock0_X n) k q H).
Qed.

Definition mode0_at (n k : nat) : option mode :=
  match qrun pq_defaults q_clean (xs_shock0 n) 0 k with Some q => Some (qmd q) | None => None end.

Lemma mode0_at_sound (n k : nat) (m : mode) :
  mode0_at n k = Some m -> md (run_report defaults_report s_clean (u_shock0 n) k) = m.
Proof.
  unfold mode0_at. destruct (qrun pq_defaults q_clean (xs_shock0 n) 0 k) as [q|] eqn:E; [|discriminate].
  intros [= <-]. apply (box_at n k q E).
Qed.

(* The recovery check at record H: the box has Ê < 2/5 (< 3/7 = θ0/(1 − θ0)), φ < θ0, Single. *)
Definition settled_test (q : qstate) : bool :=
  qlt (ehi q) (2 # 5) && qlt (fhi q) (3 # 10) && (if mode_eq_dec (qmd q) Single then true else false).

Theorem T14_defaults_table_E0 :
  md (run_report defaults_report s_clean (u_shock0 100) 34) = Single /\
  md (run_report defaults_report s_clean (u_shock0 100) 35) = Multi /\
  md (run_report defaults_report s_clean (u_shock0 100) 107) = Multi /\
  (forall k, (k >= 108)%nat -> md (run_report defaults_report s_clean (u_shock0 100) k) = Single).
Proof.
  split; [apply mode0_at_sound; vm_decide|].
  split; [apply mode0_at_sound; vm_decide|].
  split; [apply mode0_at_sound; vm_decide|].
  intros k Hk.
  destruct (box_test (qrun pq_defaults q_clean (xs_shock0 100) 0 108) settled_test ltac:(vm_decide))
    as (q & E & Hs).
  unfold settled_test in Hs.
  apply andb_prop in Hs as [Hs Hm]. apply andb_prop in Hs as [He Hf].
  apply qlt_R in He. apply qlt_R in Hf. rewrite !Q2R_frac in He, Hf.
  destruct (mode_eq_dec (qmd q) Single) as [Hm'|]; [|discriminate].
  destruct (box_at 100 108 q E) as ([He0 He1] & [_ Hf1] & Hmd & _).
  set (sH := run_report defaults_report s_clean (u_shock0 100) 108) in *.
  assert (HeH : 0 <= ehat sH).
  { apply ehat_nonneg_report; [exact defaults_report_admissible|apply u_shock0_valid|unfold s_clean; simpl; lra]. }
  replace k with (108 + (k - 108))%nat by lia. rewrite run_report_add. fold sH.
  refine (proj2 (T15_stability_single_report defaults_report sH (fun j => u_shock0 100 (108 + j)%nat) (2/5)
                   defaults_report_admissible (fun j => u_shock0_valid 100 (108 + j)%nat) _ _ _ _ _ (k - 108)));
    [split; [exact HeH|lra]| | |simpl; lra|rewrite Hmd; exact Hm'].
  - intros j. unfold u_shock0, shock_trace, mk_trace, X, D, g; simpl.
    replace (Nat.ltb (108 + j) 100) with false by (symmetry; apply Nat.ltb_ge; lia). lra.
  - unfold defaults_report; simpl; lra.
Qed.
