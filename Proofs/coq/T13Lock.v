(* T13 part 3, the cooldown lock with all defaults: Multi is skipped.  Defaults, initial mode
   Multi, (Ê, φ) = (0, 0), s = −∞, constant L = 0, E = 10⁶, step numbers 0, 1, 2, …: the mode
   switches to Single at step 0, the cooldown then freezes it while φ crosses the whole Multi band,
   and at step 30 it goes Single → Mirror directly.  Proofs/T13-order.md *)

From Coq Require Import Reals Lra Lia ZArith.
From UnifiedLoRA Require Import Model Lemmas T03.
Open Scope R_scope.

Definition s_lock : state := mkState 0 0 Multi None.
Definition u_lock : trace := mk_trace 0 (fun _ => 0) (fun _ => 1000000).

Lemma lock_X k : X defaults_report (loss (u_lock k)) (env (u_lock k)) = 500000.
Proof. unfold X, D, g; simpl; field. Qed.

Lemma lock_ehat n : (n >= 1)%nat -> 50000 <= ehat (run_report defaults_report s_lock u_lock n).
Proof.
  intros Hn. rewrite (T03_exact_ehat_report defaults_report s_lock u_lock 500000 lock_X n).
  simpl (ehat s_lock). simpl (beta defaults_report).
  assert (0 <= (9 / 10) ^ n <= 9 / 10).
  { split; [apply pow_le; lra|]. destruct n as [|n]; [lia|].
    simpl. assert ((9 / 10) ^ n <= 1).
    { rewrite <- (pow1 n). apply pow_incr. lra. }
    assert (0 <= (9 / 10) ^ n) by (apply pow_le; lra). nra. }
  nra.
Qed.

Lemma lock_phi k :
  (50000 / 50001) * (1 - (9 / 10) ^ k) <= phi (run_report defaults_report s_lock u_lock (S k)).
Proof.
  induction k as [|k IH].
  - rewrite run_report_S, step_report_phi; simpl; unfold phi_next, g; simpl. lra.
  - rewrite run_report_S, step_report_phi; unfold phi_next.
    pose proof (lock_ehat (S k) ltac:(lia)) as HE.
    assert (Hg : 50000 / 50001 <= g (ehat (run_report defaults_report s_lock u_lock (S k)))).
    { replace (50000 / 50001) with (g 50000) by (unfold g; field). apply g_le; lra. }
    simpl (alpha defaults_report). simpl pow. lra.
Qed.

Theorem T13_cooldown_lock_skips_multi :
  md (run_report defaults_report s_lock u_lock 1) = Single /\
  (forall k, (1 <= k <= 30)%nat -> md (run_report defaults_report s_lock u_lock k) = Single) /\
  theta0 defaults_report <= phi (run_report defaults_report s_lock u_lock 5) /\
  theta1 defaults_report <= phi (run_report defaults_report s_lock u_lock 30) /\
  md (run_report defaults_report s_lock u_lock 31) = Mirror.
Proof.
  assert (H1 : md (run_report defaults_report s_lock u_lock 1) = Single /\
               last (run_report defaults_report s_lock u_lock 1) = Some 0%Z).
  { rewrite run_report_S. rewrite (step_report_eq_switch _ _ _ Single); [split; reflexivity| | |].
    - apply classify_single; simpl; lra.
    - discriminate.
    - reflexivity. }
  assert (Hk : forall k, (1 <= k <= 30)%nat ->
                 md (run_report defaults_report s_lock u_lock k) = Single /\
                 last (run_report defaults_report s_lock u_lock k) = Some 0%Z).
  { intros k Hk. induction k as [|k IH]; [lia|].
    destruct (Nat.eq_dec k 0) as [->|Hk0]; [exact H1|].
    destruct (IH ltac:(lia)) as [Hm Hl].
    rewrite run_report_S, step_report_eq_blocked; [split; assumption|].
    rewrite Hl. unfold cooldown_ok; simpl (step (u_lock k)). simpl (cooldown defaults_report).
    apply Z.leb_gt. lia. }
  assert (P5 : theta0 defaults_report <= phi (run_report defaults_report s_lock u_lock 5)).
  { pose proof (lock_phi 4). simpl (theta0 defaults_report). simpl pow in H. lra. }
  assert (P30 : theta1 defaults_report <= phi (run_report defaults_report s_lock u_lock 30)).
  { pose proof (lock_phi 29). simpl (theta1 defaults_report). simpl pow in H. lra. }
  split; [exact (proj1 H1)|split; [intros k Hk'; apply (Hk k Hk')|split; [exact P5|split; [exact P30|]]]].
  destruct (Hk 30%nat ltac:(lia)) as [Hm Hl].
  rewrite run_report_S, (step_report_eq_switch _ _ _ Mirror); [reflexivity| | |].
  - apply classify_mirror; [exact P30|apply defaults_report_admissible].
  - rewrite Hm; discriminate.
  - rewrite Hl; reflexivity.
Qed.
