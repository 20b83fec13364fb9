(* T09 part 5 at the defaults over ℝ: the report defaults, the shock L = 20, E = 0 for 100
   updates from the clean fixed point (1/6, 1/7), Single, no switch, steps 0, 1, …, then the
   clean L = 0.5 (X_c = 1/6, φ*_c = 1/7, m = θ0 − φ*_c = 11/70).  From the state at record 100
   (the end of the shock) the envelope's certified index is K = 10: hi_9 ≥ m and hi_j < m for
   every j ≥ 10 (the certificate M = 9: (M + 2)ρ ≤ M + 1 and U⁺(9) < m); so φ < θ0 from
   recovery record 10 on, and the certified recovery bound of part 2 is K + max(N_s, 1) = 40:
   Single at every record 100 + k, k ≥ 40.  (The exact latency is 8, T14_defaults_table_E0.)
   The state at record 100 is known only within the box of the verified interval simulator
   (QSim.v); hi_j and U⁺ are monotone in it, so the box's corners decide both facts.
   Proofs/T09-recovery.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T05 T09Index QSim T15Shock T14Defaults
  T05Defaults QEnv.
Open Scope R_scope.

Definition s_end : state := run_report defaults_report s_clean (u_shock0 100) 100.
Definition u_after : trace := fun j => u_shock0 100 (100 + j)%nat.

(* The upper envelope of φ − φ*_c after the shock (T05 part 1, tangent at X_c = 1/6). *)
Definition hi_after (j : nat) : R :=
  hi_env defaults_report (phi s_end - g (1 / 6)) (Theta (ehat s_end) (1 / 6)) j.

Lemma hi_env_mono (p : params) (u0 u0' c c' : R) (j : nat) :
  admissible p -> u0 <= u0' -> c <= c' -> hi_env p u0 c j <= hi_env p u0' c' j.
Proof.
  intros Hp Hu Hc. pose proof Hp as Hp'; unfold admissible in Hp'. unfold hi_env.
  assert (0 <= (1 - alpha p) ^ j) by (apply pow_le; lra).
  assert (0 <= Ssum (alpha p) (beta p) j) by (apply S_nonneg; lra).
  assert (0 <= alpha p * Ssum (alpha p) (beta p) j) by nra.
  nra.
Qed.

Lemma Theta_mono (e e' x : R) : 0 <= x -> e <= e' -> Theta e x <= Theta e' x.
Proof.
  intros Hx He. unfold Theta, gslope.
  assert (0 < / ((1 + x) * (1 + x))) by (apply Rinv_0_lt_compat; nra). nra.
Qed.

Lemma Ubound_mono (p : params) (A A' K K' : R) (m : nat) :
  admissible p -> A <= A' -> K <= K' -> Ubound p A K m <= Ubound p A' K' m.
Proof.
  intros Hp HA HK. pose proof Hp as Hp'; unfold admissible in Hp'. unfold Ubound.
  destruct (rho_range p Hp) as [[Hr0 _] _].
  assert (0 <= rho p ^ S m) by (apply pow_le; lra).
  assert (0 <= INR (S m) * rho p ^ m) by (apply Rmult_le_pos; [apply pos_INR|apply pow_le; lra]).
  assert (0 <= alpha p * (INR (S m) * rho p ^ m)) by nra.
  nra.
Qed.

(* The box at record 100 decides: the lower corner gives hi_9 ≥ m, the upper corner U⁺(9) < m;
   and the last switch (step 34) is before the end of the shock. *)
Definition q_theta (e : Q) : Q := (e - (1 # 6)) / ((1 + (1 # 6)) * (1 + (1 # 6))).

Definition box_check (q : qstate) : bool :=
  Qle_bool (1 # 7) (flo q) && Qle_bool (1 # 6) (elo q) &&
  Qle_bool (11 # 70) (qenv pq_defaults (flo q - (1 # 7)) (q_theta (elo q)) 9) &&
  qlt (qU pq_defaults (9 # 10) (fhi q - (1 # 7)) (q_theta (ehi q)) 9) (11 # 70) &&
  match qlast q with Some s => Z.ltb s 100 | None => true end.

Lemma Q2R_q_theta (e : Q) : Q2R (q_theta e) = Theta (Q2R e) (1 / 6).
Proof. unfold q_theta. rewrite Q2R_Theta by (rewrite Q2R_frac; lra). rewrite Q2R_frac. reflexivity. Qed.

Theorem T09_defaults_K10 :
  (* K = 10: hi_9 ≥ m and hi_j < m for every j ≥ 10 *)
  theta0 defaults_report - g (1 / 6) <= hi_after 9 /\
  (forall j, (j >= 10)%nat -> hi_after j < theta0 defaults_report - g (1 / 6)) /\
  (* part 1: φ < θ0 from recovery record 10 on *)
  (forall j, (j >= 10)%nat -> phi (run_report defaults_report s_end u_after j) < theta0 defaults_report) /\
  (* part 2: the certified bound K + max(N_s, 1) = 40 *)
  (forall k, (k >= 40)%nat -> md (run_report defaults_report s_clean (u_shock0 100) (100 + k)%nat) = Single).
Proof.
  assert (Hchk : match qrun pq_defaults q_clean (xs_shock0 100) 0 100 with
                 | Some q => box_check q | None => false end = true) by (vm_decide).
  destruct (qrun pq_defaults q_clean (xs_shock0 100) 0 100) as [q|] eqn:E; [|discriminate].
  destruct (box_at 100 100 q E) as ([He0 He1] & [Hf0 Hf1] & _ & Hlast). fold s_end in He0, He1, Hf0, Hf1, Hlast.
  unfold box_check in Hchk. apply andb_true_iff in Hchk as [Hchk Hl].
  apply andb_true_iff in Hchk as [Hchk HU]. apply andb_true_iff in Hchk as [Hchk Hh9].
  apply andb_true_iff in Hchk as [Hf Hel].
  apply qle_R in Hf. apply qle_R in Hel. apply qle_R in Hh9. apply qlt_R in HU.
  rewrite (qenv_hi pq_defaults defaults_report _ _ 9 qmatch_defaults), Q2R_minus, Q2R_q_theta in Hh9.
  rewrite (qU_R pq_defaults defaults_report _ _ _ 9 qmatch_defaults), Q2R_minus, Q2R_q_theta in HU
    by (rewrite Q2R_frac, rho_defaults; reflexivity).
  rewrite !Q2R_frac in Hf, Hel, Hh9, HU.
  assert (Hth0 : theta0 defaults_report - g (1 / 6) = 11 / 70) by (unfold defaults_report, g; simpl; field).
  assert (Hp := defaults_report_admissible).
  assert (Hu0 : 0 <= phi s_end - g (1 / 6)) by (unfold g; lra).
  assert (Hth : 0 <= Theta (ehat s_end) (1 / 6)).
  { apply Rle_trans with (Theta (1 / 6) (1 / 6)); [unfold Theta; lra|apply Theta_mono; lra]. }
  assert (HUM : Ubound defaults_report (Rmax (phi s_end - g (1 / 6)) 0) (Rmax (Theta (ehat s_end) (1 / 6)) 0) 9
                < theta0 defaults_report - g (1 / 6)).
  { rewrite !Rmax_left by lra. rewrite Hth0.
    eapply Rle_lt_trans; [|exact HU]. apply Ubound_mono; [exact Hp|unfold g; lra|apply Theta_mono; lra]. }
  assert (HM : (INR (S 9) + 1) * rho defaults_report <= INR (S 9)).
  { rewrite rho_defaults, INR_IZR_INZ. simpl. lra. }
  assert (Hx : forall k, X defaults_report (loss (u_after k)) (env (u_after k)) = 1 / 6).
  { intros k. unfold u_after, u_shock0, shock_trace, mk_trace, X, D, g; simpl.
    replace (Nat.ltb (100 + k) 100) with false by (symmetry; apply Nat.ltb_ge; lia). field. }
  assert (Hval : valid_trace u_after) by (intros k; apply u_shock0_valid).
  assert (HeS : 0 <= ehat s_end) by lra.
  assert (Hbelow : forall j, (j >= 10)%nat -> hi_after j < theta0 defaults_report - g (1 / 6)).
  { intros j Hj. destruct j as [|m]; [lia|]. unfold hi_after.
    pose proof (hi_env_le_Uplus defaults_report (phi s_end - g (1 / 6)) (Theta (ehat s_end) (1 / 6)) m Hp).
    assert (Ubound defaults_report (Rmax (phi s_end - g (1 / 6)) 0) (Rmax (Theta (ehat s_end) (1 / 6)) 0) m <=
            Ubound defaults_report (Rmax (phi s_end - g (1 / 6)) 0) (Rmax (Theta (ehat s_end) (1 / 6)) 0) 9).
    { apply T05_U_nonincreasing; [exact Hp|apply Rmax_r|apply Rmax_r|exact HM|lia]. }
    lra. }
  assert (Hphi : forall j, (j >= 10)%nat -> phi (run_report defaults_report s_end u_after j) < theta0 defaults_report).
  { apply (T09_index_report defaults_report s_end u_after (1 / 6) 10 9 Hp Hval HeS Hx HM HUM).
    intros j Hj; lia. }
  split; [|split; [exact Hbelow|split; [exact Hphi|]]].
  - rewrite Hth0. eapply Rle_trans; [exact Hh9|]. unfold hi_after.
    apply hi_env_mono; [exact Hp|unfold g; lra|apply Theta_mono; lra].
  - intros k Hk.
    assert (Hadd : run_report defaults_report s_clean (u_shock0 100) (100 + k)%nat =
                   run_report defaults_report s_end u_after k) by (unfold s_end, u_after; apply run_report_add).
    rewrite Hadd.
    apply (T09_recovery_bound_report defaults_report s_end u_after 100 10).
    + intros j. unfold u_after, u_shock0, shock_trace, mk_trace. cbn [step]. rewrite Nat2Z.inj_add. lia.
    + rewrite Hlast. destruct (qlast q) as [s|]; [apply Z.ltb_lt, Hl|exact I].
    + exact Hphi.
    + unfold defaults_report; simpl. lia.
Qed.
