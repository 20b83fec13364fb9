(* T12 part 5, the repo variant: its chattering orbit (T12Chatter.repo_chatter_orbit, a switch at
   every step for ever) is reached exactly from the published start (Ê, φ, M) = (1, 0.5, Multi).
   The input is explicit data: 21 losses that steer (Ê, φ) in exact rationals to (29/71, 569/1900)
   in Single — Ê may fall by at most a factor β per step, so the first 18 losses choose g(Ê) on a
   grid of hundredths just above g(βÊ) (φ stays a decimal), the 19th puts φ at 3/10 exactly, and
   the last two hit φ = 571/1900 and then (29/71, 569/1900) (g is inverted exactly) — followed by
   the orbit's losses 4001/4899, 67/1633 for ever.  The modes switch at every step from record 21
   on (update 22).  (The tests' own construction, by bisection in binary64, is a different
   input reaching a nearby chattering regime, not this exact orbit.)  Proofs/T12-switches.md *)

From Coq Require Import Reals Lra Lia ZArith List.
From UnifiedLoRA Require Import Model Lemmas T12 T12Chatter.
Open Scope R_scope.
Import ListNotations.

Definition reach_losses : list R := [
    (3 / 13); (74 / 351); (4 / 21); (69 / 406); (13 / 87); (4 / 31); (27 / 248); (47 / 528);
    (13 / 187); (6 / 119); (2 / 63); (1 / 74); (19 / 111); (3 / 19); (212 / 1463); (397 / 3003);
    (123 / 1027); (17 / 158); (46580942993789511249 / 159462780163772284796);
    (2770637208096837469958 / 1315567936351121349567); (203 / 1562)
  ].

(* The states (Ê_k, φ_k), k = 0 … 21, that the losses produce. *)
Definition reach_ehat : list R := [
    1; (12 / 13); (23 / 27); (11 / 14); (21 / 29); (2 / 3); (19 / 31); (9 / 16); (17 / 33);
    (8 / 17); (3 / 7); (7 / 18); (13 / 37); (1 / 3); (6 / 19); (23 / 77); (11 / 39); (21 / 79);
    (1 / 4); (10134304959056928801 / 39865695040943071199); (29 / 66); (29 / 71)
  ].
Definition reach_phi : list R := [
    (1 / 2); (249 / 500); (2471 / 5000); (24439 / 50000); (240951 / 500000); (2368559 / 5000000);
    (23217031 / 50000000); (226953279 / 500000000); (2212579511 / 5000000000);
    (21513215599 / 50000000000); (208618940391 / 500000000000); (2017570463519 / 5000000000000);
    (19458134171671 / 50000000000000); (187623207545039 / 500000000000000);
    (1808608867905351 / 5000000000000000); (17427479811148159 / 50000000000000000);
    (167847318300333431 / 500000000000000000); (1615625864703000879 / 5000000000000000000);
    (15540632782327007911 / 50000000000000000000); (3 / 10); (571 / 1900); (569 / 1900)
  ].

Definition u_reach : trace :=
  mk_trace 0 (fun k => if Nat.ltb k 21 then nth k reach_losses 0
                      else if Nat.even (k - 21) then 4001 / 4899 else 67 / 1633) (fun _ => 0).

Lemma run_repo_add (p : params) (s0 : state) (u : trace) (a b : nat) :
  run_repo p s0 u (a + b) = run_repo p (run_repo p s0 u a) (fun k => u (a + k)%nat) b.
Proof.
  induction b as [|b IH]; [rewrite Nat.add_0_r; reflexivity|].
  rewrite Nat.add_succ_r, !run_repo_S, IH. reflexivity.
Qed.

(* The repo's (Ê, φ, M) depend only on the previous (Ê, φ, M) and the loss (not on the step
   numbers or the last switch). *)
Lemma repo_same (p : params) (s s' : state) (u v : trace) :
  ehat s = ehat s' -> phi s = phi s' -> md s = md s' -> (forall k, loss (u k) = loss (v k)) ->
  forall n, ehat (run_repo p s u n) = ehat (run_repo p s' v n) /\
            phi (run_repo p s u n) = phi (run_repo p s' v n) /\
            md (run_repo p s u n) = md (run_repo p s' v n).
Proof.
  intros He Hf Hm Hl n; induction n as [|n [IHe [IHf IHm]]]; [auto|].
  rewrite !run_repo_S, !step_repo_ehat, !step_repo_phi, !step_repo_md, IHe, IHf, Hl. auto.
Qed.

Lemma reach_track (k : nat) : (k <= 21)%nat ->
  ehat (run_repo defaults_repo init_repo u_reach k) = nth k reach_ehat 0 /\
  phi (run_repo defaults_repo init_repo u_reach k) = nth k reach_phi 0.
Proof.
  induction k as [|k IH]; intros Hk; [unfold init_repo; simpl; split; reflexivity|].
  destruct (IH ltac:(lia)) as [He Hf].
  rewrite run_repo_S, step_repo_ehat, step_repo_phi, He, Hf.
  assert (Hl : loss (u_reach k) = nth k reach_losses 0).
  { unfold u_reach, mk_trace. simpl loss. replace (Nat.ltb k 21) with true by (symmetry; apply Nat.ltb_lt; lia).
    reflexivity. }
  rewrite Hl. clear IH He Hf Hl.
  unfold ehat_next, phi_next, g, defaults_repo; cbn [alpha beta].
  do 21 (destruct k as [|k]; [cbn [nth reach_ehat reach_phi reach_losses]; split; field|]).
  lia.
Qed.

Theorem T12_repo_reaches_orbit :
  ehat (run_repo defaults_repo init_repo u_reach 21) = e_odd /\
  phi (run_repo defaults_repo init_repo u_reach 21) = f_even /\
  md (run_repo defaults_repo init_repo u_reach 21) = Single /\
  (forall n, (n >= 21)%nat ->
     md (run_repo defaults_repo init_repo u_reach (S n)) <> md (run_repo defaults_repo init_repo u_reach n)).
Proof.
  destruct (reach_track 21 ltac:(lia)) as [He Hf].
  cbn [nth reach_ehat reach_phi] in He, Hf.
  assert (Hm : md (run_repo defaults_repo init_repo u_reach 21) = Single).
  { rewrite run_repo_S, step_repo_md, <- step_repo_phi, <- run_repo_S, Hf.
    apply classify_single. unfold defaults_repo; simpl; lra. }
  assert (He' : ehat (run_repo defaults_repo init_repo u_reach 21) = e_odd) by (rewrite He; unfold e_odd; reflexivity).
  assert (Hf' : phi (run_repo defaults_repo init_repo u_reach 21) = f_even) by (rewrite Hf; unfold f_even; reflexivity).
  split; [exact He'|]. split; [exact Hf'|]. split; [exact Hm|].
  intros n Hn.
  assert (Hl : forall k, loss (u_reach (21 + k)%nat) = loss (u_repo_chatter k)).
  { intros k. unfold u_reach, u_repo_chatter, mk_trace. cbn [loss].
    replace (Nat.ltb (21 + k) 21) with false by (symmetry; apply Nat.ltb_ge; lia).
    replace (21 + k - 21)%nat with k by lia. reflexivity. }
  pose proof (repo_same defaults_repo (run_repo defaults_repo init_repo u_reach 21) (repo_chatter_state O)
                (fun k => u_reach (21 + k)%nat) u_repo_chatter ltac:(rewrite He'; reflexivity)
                ltac:(rewrite Hf'; reflexivity) ltac:(rewrite Hm; reflexivity) Hl) as Hsame.
  destruct (Hsame (S (n - 21))) as [_ [_ Hm1]]. destruct (Hsame (n - 21)%nat) as [_ [_ Hm2]].
  replace (S n) with (21 + S (n - 21))%nat by lia. replace n with (21 + (n - 21))%nat at 2 by lia.
  rewrite !run_repo_add, Hm1, Hm2. apply T12_repo_switch_every_step.
Qed.
