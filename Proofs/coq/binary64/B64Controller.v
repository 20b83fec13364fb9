(* The whole controller (both variants) over binary64: the same discrete logic as Model.v
   (classify, cooldown_ok, the report's old-φ / old-Ê order, the repo's new-Ê order), with the
   continuous part (Ê, φ) computed by the binary64 operations of B64Model.v. *)

From Coq Require Import Reals Lra ZArith.
From UnifiedLoRA Require Import Model binary64.B64Model.
Open Scope R_scope.

Definition step_report64 (p : params) (st : state) (i : input) : state :=
  let x := X64 (alphaE p) (loss i) (env i) in
  let e' := ehat_next64 (beta p) (ehat st) x in
  let f' := phi_next64 (alpha p) (phi st) (ehat st) in
  let c := classify p (phi st) in
  if mode_eq_dec c (md st) then mkState e' f' (md st) (last st)
  else if cooldown_ok p (step i) (last st) then mkState e' f' c (Some (step i))
  else mkState e' f' (md st) (last st).

Definition step_repo64 (p : params) (st : state) (i : input) : state :=
  let e' := ehat_next64 (beta p) (ehat st) (loss i) in
  let f' := phi_next64 (alpha p) (phi st) e' in
  let m := classify p f' in
  mkState e' f' m (if mode_eq_dec m (md st) then last st else Some (step i)).

Fixpoint run_report_b64 (p : params) (s0 : state) (u : trace) (n : nat) : state :=
  match n with
  | O => s0
  | S k => step_report64 p (run_report_b64 p s0 u k) (u k)
  end.

Fixpoint run_repo_b64 (p : params) (s0 : state) (u : trace) (n : nat) : state :=
  match n with
  | O => s0
  | S k => step_repo64 p (run_repo_b64 p s0 u k) (u k)
  end.

(* The report variant's discrete part is the real model's: from the same state, the binary64
   step takes the same mode and switch step; only Ê and φ are computed differently. *)
Lemma step_report64_discrete p st i :
  md (step_report64 p st i) = md (step_report p st i) /\
  last (step_report64 p st i) = last (step_report p st i).
Proof.
  unfold step_report64, step_report. destruct (mode_eq_dec _ _); [now split|].
  destruct (cooldown_ok _ _ _); now split.
Qed.

Lemma step_report64_cont p st i :
  ehat (step_report64 p st i) = ehat_next64 (beta p) (ehat st) (X64 (alphaE p) (loss i) (env i)) /\
  phi (step_report64 p st i) = phi_next64 (alpha p) (phi st) (ehat st).
Proof.
  unfold step_report64. destruct (mode_eq_dec _ _); [now split|].
  destruct (cooldown_ok _ _ _); now split.
Qed.

(* The repo variant's mode is classify of the new φ, as in the real model. *)
Lemma step_repo64_md p st i :
  md (step_repo64 p st i) = classify p (phi (step_repo64 p st i)).
Proof. reflexivity. Qed.

(* (Ê, φ) of the full binary64 run is the continuous iteration of B64Model.v. *)
Lemma run_report_b64_cont p s0 u n :
  (ehat (run_report_b64 p s0 u n), phi (run_report_b64 p s0 u n)) =
  run_report64 (alpha p) (beta p) (alphaE p) (ehat s0, phi s0)
    (fun k => loss (u k)) (fun k => env (u k)) n.
Proof.
  induction n as [|n IH]; [reflexivity|]. simpl.
  destruct (step_report64_cont p (run_report_b64 p s0 u n) (u n)) as [H1 H2].
  rewrite H1, H2, <- IH. reflexivity.
Qed.

Lemma run_repo_b64_cont p s0 u n :
  (ehat (run_repo_b64 p s0 u n), phi (run_repo_b64 p s0 u n)) =
  run_repo64 (alpha p) (beta p) (ehat s0, phi s0) (fun k => loss (u k)) n.
Proof.
  induction n as [|n IH]; [reflexivity|]. simpl. rewrite <- IH. reflexivity.
Qed.
