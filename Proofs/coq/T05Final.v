(* T05 part 4, the other figures `analyze` prints at the defaults, over ℝ (report defaults,
   ε = 0.02):
   - the shock regime (clean fixed point (1/6, 1/7) → sustained L = 20, E = 0) relative to the
     final value, band b = 0.02·φ* = 1/155: exact settling time 48, certificate T_cert = 50;
   - the recovery regime (from the state at the end of the 100-update shock, record 100 of
     T14Defaults.u_shock0, back to the clean L = 0.5; φ* = 1/7): relative to the step, band
     b = 0.02·|φ_100 − 1/7|, exact settling time 58 (certificate 59); relative to the final value,
     b = 0.02/7, exact settling time 61 (certificate 61).
   The records before the certificate are decided by the verified interval simulator (QSim.v);
   the state at record 100 only within its box, which the envelope is monotone in.
   Proofs/T05-settling.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T05 T09Index QSim T15Shock T14Defaults
  T05Defaults QEnv T09Defaults.
Open Scope R_scope.

Ltac qsimpl H := repeat rewrite ?Q2R_minus, ?Q2R_plus, ?Q2R_mult, ?Q2R_frac in H.

Lemma box_in_band (f c b : R) (lo hi : R) :
  lo <= f <= hi -> c - b <= lo -> hi <= c + b -> Rabs (f - c) <= b.
Proof. intros Hf H1 H2. apply Rabs_le. lra. Qed.

(* ------------------------------------------------------------------------- *)
(* The shock regime, relative to the final value. *)

Theorem T05_settling_final_defaults :
  (* the certificate: T_cert = 50 (t_m ≤ 50, U(50) ≤ b, U(49) > b) *)
  (INR 50 + 1) * rho defaults_report <= INR 50 /\
  Ubound defaults_report A_def K_def 49 <= 2 / 100 * g (10 / 21) /\
  2 / 100 * g (10 / 21) < Ubound defaults_report A_def K_def 48 /\
  (* the exact settling time: 48 *)
  (forall t, (t >= 48)%nat ->
     Rabs (phi (run_report defaults_report s_clean u_sust t) - g (10 / 21)) <= 2 / 100 * g (10 / 21)) /\
  2 / 100 * g (10 / 21) < Rabs (phi (run_report defaults_report s_clean u_sust 47) - g (10 / 21)).
Proof.
  assert (Hb : 2 / 100 * g (10 / 21) = 1 / 155) by (unfold g; field).
  rewrite Hb, g_shock.
  assert (Hcert : (INR 50 + 1) * rho defaults_report <= INR 50).
  { rewrite rho_defaults, INR_IZR_INZ. simpl. lra. }
  assert (HU49 : Ubound defaults_report A_def K_def 49 <= 1 / 155).
  { unfold Ubound. rewrite rho_defaults, A_value, K_value, INR_IZR_INZ. simpl. lra. }
  assert (HU48 : 1 / 155 < Ubound defaults_report A_def K_def 48).
  { unfold Ubound. rewrite rho_defaults, A_value, K_value, INR_IZR_INZ. simpl. lra. }
  split; [exact Hcert|]. split; [exact HU49|]. split; [exact HU48|]. split.
  - intros t Ht.
    destruct (Nat.le_gt_cases t 49) as [Hle|Hgt].
    + assert (Hcase : t = 48%nat \/ t = 49%nat) by lia.
      assert (Hchk : forall k, (k = 48 \/ k = 49)%nat ->
                match box_sust k with
                | Some q => Qle_bool ((10 # 31) - (1 # 155)) (flo q) && Qle_bool (fhi q) ((10 # 31) + (1 # 155))
                | None => false end = true)
        by (intros k [-> | ->]; vm_decide).
      specialize (Hchk t Hcase).
      destruct (box_sust t) as [q|] eqn:E; [|discriminate].
      apply andb_true_iff in Hchk as [H1 H2]. apply qle_R in H1. apply qle_R in H2.
      rewrite Q2R_minus, Q2R_plus, !Q2R_frac in *.
      destruct (box_sust_sound t q E) as (_ & Hf & _).
      apply (box_in_band _ _ _ _ _ Hf); lra.
    + rewrite <- g_shock.
      apply (T05_certified_settling_report defaults_report s_clean u_sust (10 / 21) (1 / 155) 49
               defaults_report_admissible u_sust_valid ltac:(unfold s_clean; simpl; lra) u_sust_X Hcert).
      * unfold A_def, K_def in HU49. exact HU49.
      * lia.
  - destruct (box_test (box_sust 47) (fun q => qlt (fhi q) ((10 # 31) - (1 # 155))) ltac:(vm_decide))
      as (q & E & Hi). cbv beta in Hi.
    destruct (box_sust_sound 47 q E) as (_ & [Hl Hh] & _).
    apply qlt_R in Hi. rewrite Q2R_minus, !Q2R_frac in Hi.
    rewrite Rabs_left by lra. lra.
Qed.

(* ------------------------------------------------------------------------- *)
(* The recovery regime. *)

(* The box of record 100 + k (the clean input from record 100 on). *)
Definition box_rec (k : nat) : option qstate := qrun pq_defaults q_clean (xs_shock0 100) 0 (100 + k).

Lemma box_rec_sound (k : nat) (q : qstate) :
  box_rec k = Some q -> contains q (run_report defaults_report s_end u_after k).
Proof.
  intros E. unfold s_end, u_after. rewrite <- run_report_add. exact (box_at 100 (100 + k) q E).
Qed.

Definition band_step : R := 2 / 100 * Rabs (phi s_end - g (1 / 6)).
Definition band_final : R := 2 / 100 * Rabs (g (1 / 6)).

(* What the boxes decide, with φ* = 1/7, from the box q0 of record 100:
   outside the band at record k (either band), inside at record k. *)
Definition rec_out (q0 q : qstate) (final : bool) : bool :=
  let bhi := (if final then (1 # 350) else (2 # 100) * (fhi q0 - (1 # 7)))%Q in
  qlt (fhi q) ((1 # 7) - bhi) || qlt ((1 # 7) + bhi) (flo q).
Definition rec_in (q0 q : qstate) : bool :=
  let blo := ((2 # 100) * (flo q0 - (1 # 7)))%Q in
  Qle_bool ((1 # 7) - blo) (flo q) && Qle_bool (fhi q) ((1 # 7) + blo).
(* The certificates: U⁺(M + 1) from the upper corner, with K = Θ (Γ ≤ Θ above X_c). *)
Definition rec_cert (q0 : qstate) (M : nat) (b : Q) : bool :=
  Qle_bool (1 # 7) (flo q0) && Qle_bool (1 # 6) (elo q0) &&
  Qle_bool (qU pq_defaults (9 # 10) (fhi q0 - (1 # 7)) (q_theta (ehi q0)) M) b.

Definition rec_check (q0 q57 q58 q60 : qstate) : bool :=
  rec_out q0 q57 false && rec_in q0 q58 && rec_out q0 q60 true &&
  rec_cert q0 58 ((2 # 100) * (flo q0 - (1 # 7)))%Q && rec_cert q0 60 (1 # 350).

Theorem T05_settling_recovery_defaults :
  (* relative to the step: exact settling time 58, certified from 59 *)
  (forall t, (t >= 58)%nat -> Rabs (phi (run_report defaults_report s_end u_after t) - g (1 / 6)) <= band_step) /\
  band_step < Rabs (phi (run_report defaults_report s_end u_after 57) - g (1 / 6)) /\
  (* relative to the final value: exact settling time 61, certified from 61 *)
  (forall t, (t >= 61)%nat -> Rabs (phi (run_report defaults_report s_end u_after t) - g (1 / 6)) <= band_final) /\
  band_final < Rabs (phi (run_report defaults_report s_end u_after 60) - g (1 / 6)).
Proof.
  destruct (box_test4 (box_rec 0) (box_rec 57) (box_rec 58) (box_rec 60) rec_check ltac:(vm_decide))
    as (q0 & q57 & q58 & q60 & E0 & E57 & E58 & E60 & Hchk).
  unfold rec_check in Hchk.
  apply andb_prop in Hchk as [Hchk Hc60]. apply andb_prop in Hchk as [Hchk Hc58].
  apply andb_prop in Hchk as [Hchk Hout60]. apply andb_prop in Hchk as [Hout57 Hin58].
  destruct (box_rec_sound 0 q0 E0) as ([He0 He1] & [Hf0 Hf1] & _). cbn [run_report] in He0, He1, Hf0, Hf1.
  pose proof (box_rec_sound 57 q57 E57) as (_ & B57 & _).
  pose proof (box_rec_sound 58 q58 E58) as (_ & B58 & _).
  pose proof (box_rec_sound 60 q60 E60) as (_ & B60 & _).
  assert (Hg6 : g (1 / 6) = 1 / 7) by (unfold g; field).
  assert (Hp := defaults_report_admissible).
  unfold rec_cert in Hc58, Hc60.
  apply andb_prop in Hc58 as [Hc58 HU58]. apply andb_prop in Hc58 as [Hfl Hel].
  apply andb_prop in Hc60 as [_ HU60].
  apply qle_R in Hfl. apply qle_R in Hel. apply qle_R in HU58. apply qle_R in HU60.
  rewrite Q2R_frac in Hfl, Hel.
  rewrite (qU_R pq_defaults defaults_report _ _ _ _ qmatch_defaults), Q2R_minus, Q2R_q_theta in HU58
    by (rewrite Q2R_frac, rho_defaults; reflexivity).
  rewrite (qU_R pq_defaults defaults_report _ _ _ _ qmatch_defaults), Q2R_minus, Q2R_q_theta in HU60
    by (rewrite Q2R_frac, rho_defaults; reflexivity).
  qsimpl HU58. qsimpl HU60.
  assert (Hb_lo : 2 / 100 * (Q2R (flo q0) - 1 / 7) <= band_step).
  { unfold band_step. rewrite Hg6, Rabs_right by lra. lra. }
  assert (Hb_hi : band_step <= 2 / 100 * (Q2R (fhi q0) - 1 / 7)).
  { unfold band_step. rewrite Hg6, Rabs_right by lra. lra. }
  assert (Hbf : band_final = 1 / 350) by (unfold band_final; rewrite Hg6, Rabs_right by lra; field).
  (* The certificate's U from s_end is below the one from the box's upper corner. *)
  assert (HeS : 0 <= ehat s_end) by lra.
  assert (Hx : forall k, X defaults_report (loss (u_after k)) (env (u_after k)) = 1 / 6).
  { intros k. unfold u_after, u_shock0, shock_trace, mk_trace, X, D, g; simpl.
    replace (Nat.ltb (100 + k) 100) with false by (symmetry; apply Nat.ltb_ge; lia). field. }
  assert (Hval : valid_trace u_after) by (intros k; apply u_shock0_valid).
  assert (HK : Rmax (Rabs (Gamma (ehat s_end) (1 / 6))) (Rabs (Theta (ehat s_end) (1 / 6))) <=
               Theta (Q2R (ehi q0)) (1 / 6)).
  { assert (HGa : 0 <= Gamma (ehat s_end) (1 / 6)).
    { unfold Gamma. pose proof (g_le (1 / 6) (ehat s_end) ltac:(lra) ltac:(lra)). lra. }
    assert (HGT : Gamma (ehat s_end) (1 / 6) <= Theta (ehat s_end) (1 / 6)).
    { unfold Gamma, Theta. pose proof (g_tangent (1 / 6) (ehat s_end) ltac:(lra) HeS). lra. }
    assert (Theta (ehat s_end) (1 / 6) <= Theta (Q2R (ehi q0)) (1 / 6)) by (apply Theta_mono; lra).
    rewrite !Rabs_right by lra. apply Rmax_lub; lra. }
  assert (HA : Rabs (phi s_end - g (1 / 6)) <= Q2R (fhi q0) - 1 / 7).
  { rewrite Hg6, Rabs_right by lra. lra. }
  assert (HU : forall M, Ubound defaults_report (Rabs (phi s_end - g (1 / 6)))
                 (Rmax (Rabs (Gamma (ehat s_end) (1 / 6))) (Rabs (Theta (ehat s_end) (1 / 6)))) M <=
               Ubound defaults_report (Q2R (fhi q0) - 1 / 7) (Theta (Q2R (ehi q0)) (1 / 6)) M)
    by (intros M; apply Ubound_mono; assumption).
  assert (Hcert : forall M, (M >= 9)%nat -> (INR (S M) + 1) * rho defaults_report <= INR (S M)).
  { intros M HM. rewrite rho_defaults, S_INR. assert (INR M >= 9) by (apply Rle_ge; replace 9 with (INR 9) by (simpl; lra); apply le_INR; lia). lra. }
  rewrite Hbf, Hg6.
  split; [|split; [|split]].
  - intros t Ht. destruct (Nat.eq_dec t 58) as [->|Hne].
    + unfold rec_in in Hin58. apply andb_true_iff in Hin58 as [H1 H2]. apply qle_R in H1. apply qle_R in H2.
      qsimpl H1. qsimpl H2.
      apply (box_in_band _ _ _ _ _ B58); lra.
    + rewrite <- Hg6.
      apply (T05_certified_settling_report defaults_report s_end u_after (1 / 6) band_step 58 Hp Hval HeS Hx
               (Hcert 58%nat ltac:(lia))); [|lia].
      eapply Rle_trans; [apply HU|]. lra.
  - unfold rec_out in Hout57. apply orb_true_iff in Hout57 as [H|H]; apply qlt_R in H; qsimpl H.
    + rewrite Rabs_left by lra. lra.
    + rewrite Rabs_right by lra. lra.
  - intros t Ht. rewrite <- Hbf, <- Hg6.
    apply (T05_certified_settling_report defaults_report s_end u_after (1 / 6) band_final 60 Hp Hval HeS Hx
             (Hcert 60%nat ltac:(lia))); [|lia].
    eapply Rle_trans; [apply HU|]. rewrite Hbf. exact HU60.
  - unfold rec_out in Hout60. apply orb_true_iff in Hout60 as [H|H]; apply qlt_R in H; qsimpl H.
    + rewrite Rabs_left by lra. lra.
    + rewrite Rabs_right by lra. lra.
Qed.
