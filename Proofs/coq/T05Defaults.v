(* T05 part 4, the defaults over ℝ: the report defaults, the sustained shock L = 20, E = 0 from
   the clean fixed point (1/6, 1/7), step-relative band ε = 0.02: the certified settling time is
   T_cert = 56 (U(56) ≤ b < U(55), T05_certified_settling_report) and the exact settling time is 55
   (φ_54 is outside the band, φ_55 inside, decided by the verified interval simulator of QSim.v).
   These are the figures `analyze` prints for the shock regime ("55 / ≤56").  Proofs/T05-settling.md *)

From Coq Require Import Reals Lra Lia ZArith QArith Qreals Bool.
From UnifiedLoRA Require Import Model Lemmas T01 T03 T05 QSim T15Shock.
Open Scope R_scope.

Definition u_sust : trace := mk_trace 0 (fun _ => 20) (fun _ => 0).

Lemma u_sust_X k : X defaults_report (loss (u_sust k)) (env (u_sust k)) = 10 / 21.
Proof. unfold u_sust, mk_trace, X, D, g; simpl; field. Qed.

Lemma u_sust_valid : valid_trace u_sust.
Proof. intros k; unfold valid_input, u_sust, mk_trace; simpl; lra. Qed.

Definition box_sust (k : nat) : option qstate := qrun pq_defaults q_clean (fun _ => 10 # 21) 0 k.

Lemma box_sust_sound k q : box_sust k = Some q -> contains q (run_report defaults_report s_clean u_sust k).
Proof.
  intros H. apply (qrun_sound pq_defaults defaults_report s_clean q_clean u_sust (fun _ => 10 # 21) 0
                    defaults_report_admissible qmatch_defaults contains_clean (fun k => eq_refl)
                    (fun k => eq_trans (Q2R_frac 10 21) (eq_sym (eq_trans (u_sust_X k) eq_refl)))
                    k q H).
Qed.

(* φ* = g(10/21) = 10/31; |φ_0 − φ*| = 39/217; the band b = 0.02·39/217 = 39/10850. *)
Definition band : R := 2 / 100 * Rabs (phi s_clean - g (10 / 21)).

Lemma band_value : band = 39 / 10850.
Proof.
  unfold band, s_clean, g; simpl. replace (1 / 7 - 10 / 21 / (1 + 10 / 21)) with (- (39 / 217)) by field.
  rewrite Rabs_Ropp, Rabs_right by lra. field.
Qed.

Lemma g_shock : g (10 / 21) = 10 / 31.
Proof. unfold g; field. Qed.

Definition A_def : R := Rabs (phi s_clean - g (10 / 21)).
Definition K_def : R := Rmax (Rabs (Gamma (ehat s_clean) (10 / 21))) (Rabs (Theta (ehat s_clean) (10 / 21))).

Lemma A_value : A_def = 39 / 217.
Proof.
  unfold A_def, s_clean, g; simpl. replace (1 / 7 - 10 / 21 / (1 + 10 / 21)) with (- (39 / 217)) by field.
  rewrite Rabs_Ropp, Rabs_right by lra. reflexivity.
Qed.

Lemma K_value : K_def = 39 / 217.
Proof.
  unfold K_def, Gamma, Theta, gslope, s_clean, g; simpl.
  replace (1 / 6 / (1 + 1 / 6) - 10 / 21 / (1 + 10 / 21)) with (- (39 / 217)) by field.
  replace (/ ((1 + 10 / 21) * (1 + 10 / 21)) * (1 / 6 - 10 / 21)) with (- (273 / 1922)) by field.
  rewrite !Rabs_Ropp, !Rabs_right by lra. apply Rmax_left. lra.
Qed.

Lemma rho_defaults : rho defaults_report = 9 / 10.
Proof. unfold rho, defaults_report; simpl. rewrite Rmax_left; lra. Qed.

Theorem T05_settling_defaults :
  (* the certificate: T_cert = 56 (t_m ≤ 56, U(56) ≤ b, U(55) > b) *)
  (INR 56 + 1) * rho defaults_report <= INR 56 /\
  Ubound defaults_report A_def K_def 55 <= band /\ band < Ubound defaults_report A_def K_def 54 /\
  (* the exact settling time: 55 *)
  (forall t, (t >= 55)%nat -> Rabs (phi (run_report defaults_report s_clean u_sust t) - g (10 / 21)) <= band) /\
  band < Rabs (phi (run_report defaults_report s_clean u_sust 54) - g (10 / 21)).
Proof.
  assert (Hcert : (INR 56 + 1) * rho defaults_report <= INR 56).
  { rewrite rho_defaults, INR_IZR_INZ. simpl. lra. }
  assert (HU55 : Ubound defaults_report A_def K_def 55 <= band).
  { unfold Ubound. rewrite rho_defaults, A_value, K_value, band_value, INR_IZR_INZ. simpl. lra. }
  assert (HU54 : band < Ubound defaults_report A_def K_def 54).
  { unfold Ubound. rewrite rho_defaults, A_value, K_value, band_value, INR_IZR_INZ. simpl. lra. }
  split; [exact Hcert|]. split; [exact HU55|]. split; [exact HU54|].
  rewrite band_value, g_shock. split.
  - intros t Ht. destruct (Nat.eq_dec t 55) as [->|Hne].
    + destruct (box_test (box_sust 55)
                  (fun q => Qle_bool ((10 # 31) - (39 # 10850)) (flo q) && Qle_bool (fhi q) (10 # 31))
                  ltac:(vm_decide)) as (q & E & Hq).
      apply andb_prop in Hq as [Lo Hi]. apply qle_R in Lo. apply qle_R in Hi.
      destruct (box_sust_sound 55 q E) as (_ & [Hl Hh] & _).
      rewrite Q2R_minus, !Q2R_frac in Lo. rewrite !Q2R_frac in Hi.
      rewrite Rabs_left1 by lra. lra.
    + rewrite <- band_value, <- g_shock.
      apply (T05_certified_settling_report defaults_report s_clean u_sust (10 / 21) band 55
               defaults_report_admissible u_sust_valid ltac:(unfold s_clean; simpl; lra) u_sust_X Hcert HU55).
      lia.
  - destruct (box_test (box_sust 54) (fun q => qlt (fhi q) ((10 # 31) - (39 # 10850)))
                ltac:(vm_decide)) as (q & E & Hi). cbv beta in Hi.
    destruct (box_sust_sound 54 q E) as (_ & [Hl Hh] & _).
    apply qlt_R in Hi. rewrite Q2R_minus, !Q2R_frac in Hi.
    rewrite Rabs_left by lra. lra.
Qed.
