(* The Unified-LoRA controller over the real numbers: one statement of both variants.

   This file is the single Coq home of the equations of SPEC §2 (the report variant) and
   SPEC §3 (the published controller.py, the repo variant).  Every theorem of the
   development is about the functions defined here; the binary64 model
   (Proofs/coq/binary64/) mirrors the same names over Flocq.

   Report variant, one step at log step t (note the indices):
     D_t     = L_t / (1 + L_t)
     X_t     = α_E·E_t + (1 − α_E)·D_t
     Ê_{t+1} = β·Ê_t + (1 − β)·X_t
     φ_{t+1} = (1 − α)·φ_t + α·Ê_t/(1 + Ê_t)          the OLD Ê_t
     c_t     = classify φ_t                            the OLD φ_t
     M_{t+1} = c_t if c_t ≠ M_t and t − s_t ≥ N_s, else M_t;  s_{t+1} = t on a switch
   The step number t is the input record's own step (a log's step column); s = −∞ is None.

   Repo variant, per loss, each line using the value just computed:
     Ê ← β·Ê + (1 − β)·L;   φ ← (1 − α)·φ + α·Ê/(1 + Ê);   M ← classify φ
   (no cooldown, no external stress; s is kept only to state C2 on both variants). *)

From Coq Require Import Reals Lra ZArith.
Open Scope R_scope.

(* ------------------------------------------------------------------------- *)
(* Modes and parameters                                                        *)

Inductive mode : Set := Single | Multi | Mirror.

Definition mode_eq_dec (a b : mode) : {a = b} + {a <> b}.
Proof. decide equality. Defined.

Record params : Type := mkParams {
  alpha    : R;    (* φ responsiveness α *)
  beta     : R;    (* stress EMA factor β *)
  alphaE   : R;    (* external-stress weight α_E (report only) *)
  theta0   : R;    (* leave-Single threshold θ0 *)
  theta1   : R;    (* enter-Mirror threshold θ1 *)
  cooldown : nat   (* N_s, in log steps (report only) *)
}.

(* SPEC §4: the admissible parameter sets. *)
Definition admissible (p : params) : Prop :=
  0 < alpha p <= 1 /\ 0 <= beta p < 1 /\ 0 <= alphaE p <= 1 /\
  0 < theta0 p /\ theta0 p < theta1 p /\ theta1 p < 1.

(* The defaults of SPEC §2 and §3. *)
Definition defaults_report : params :=
  mkParams (1/10) (9/10) (1/2) (3/10) (7/10) 30.
Definition defaults_repo : params :=
  mkParams (1/10) (9/10) 0 (3/10) (7/10) 0.

(* ------------------------------------------------------------------------- *)
(* Inputs, states, traces                                                      *)

Record input : Type := mkInput {
  step : Z;        (* the record's step number t *)
  loss : R;        (* L_t *)
  env  : R         (* E_t (the repo variant ignores it) *)
}.

Definition valid_input (i : input) : Prop := 0 <= loss i /\ 0 <= env i.

(* An input trace: the k-th consumed record. *)
Definition trace := nat -> input.

Definition valid_trace (u : trace) : Prop := forall k, valid_input (u k).

(* Step numbers t0, t0 + 1, t0 + 2, … (a log with consecutive steps). *)
Definition consecutive (t0 : Z) (u : trace) : Prop :=
  forall k, step (u k) = (t0 + Z.of_nat k)%Z.

(* A trace with consecutive step numbers from t0 and the given loss / stress sequences. *)
Definition mk_trace (t0 : Z) (l e : nat -> R) : trace :=
  fun k => mkInput (t0 + Z.of_nat k)%Z (l k) (e k).

Record state : Type := mkState {
  ehat : R;             (* Ê *)
  phi  : R;             (* φ *)
  md   : mode;          (* M *)
  last : option Z       (* s: step of the last switch; None is −∞ *)
}.

Definition init_report : state := mkState 0 0 Single None.
Definition init_repo   : state := mkState 1 (1/2) Multi None.

(* ------------------------------------------------------------------------- *)
(* The equations                                                               *)

(* The squashing map g(x) = x/(1 + x). *)
Definition g (x : R) : R := x / (1 + x).

Definition D (l : R) : R := g l.

Definition X (p : params) (l e : R) : R := alphaE p * e + (1 - alphaE p) * D l.

Definition ehat_next (p : params) (e x : R) : R := beta p * e + (1 - beta p) * x.

(* φ' = (1 − α)·φ + α·g(Ê): the report feeds the OLD Ê, the repo the NEW one. *)
Definition phi_next (p : params) (f e : R) : R := (1 - alpha p) * f + alpha p * g e.

Definition classify (p : params) (f : R) : mode :=
  if Rlt_dec f (theta0 p) then Single
  else if Rlt_dec f (theta1 p) then Multi
  else Mirror.

(* t − s ≥ N_s, with s = −∞ allowing a switch at once. *)
Definition cooldown_ok (p : params) (t : Z) (s : option Z) : bool :=
  match s with
  | None => true
  | Some s => Z.leb (Z.of_nat (cooldown p)) (t - s)
  end.

Definition step_report (p : params) (st : state) (i : input) : state :=
  let x := X p (loss i) (env i) in
  let e' := ehat_next p (ehat st) x in
  let f' := phi_next p (phi st) (ehat st) in
  let c := classify p (phi st) in
  if mode_eq_dec c (md st) then mkState e' f' (md st) (last st)
  else if cooldown_ok p (step i) (last st) then mkState e' f' c (Some (step i))
  else mkState e' f' (md st) (last st).

Definition step_repo (p : params) (st : state) (i : input) : state :=
  let e' := ehat_next p (ehat st) (loss i) in
  let f' := phi_next p (phi st) e' in
  let m := classify p f' in
  mkState e' f' m (if mode_eq_dec m (md st) then last st else Some (step i)).

(* The state after consuming the first n records of u. *)
Fixpoint run_report (p : params) (s0 : state) (u : trace) (n : nat) : state :=
  match n with
  | O => s0
  | S k => step_report p (run_report p s0 u k) (u k)
  end.

Fixpoint run_repo (p : params) (s0 : state) (u : trace) (n : nat) : state :=
  match n with
  | O => s0
  | S k => step_repo p (run_repo p s0 u k) (u k)
  end.

(* The continuous part alone, for a stress sequence x (report) or a loss sequence l (repo). *)
Fixpoint ehat_seq (p : params) (e0 : R) (x : nat -> R) (n : nat) : R :=
  match n with
  | O => e0
  | S k => ehat_next p (ehat_seq p e0 x k) (x k)
  end.

(* Unfolding lemmas used throughout. *)
Lemma run_report_S p s0 u n :
  run_report p s0 u (S n) = step_report p (run_report p s0 u n) (u n).
Proof. reflexivity. Qed.

Lemma run_repo_S p s0 u n :
  run_repo p s0 u (S n) = step_repo p (run_repo p s0 u n) (u n).
Proof. reflexivity. Qed.

Lemma step_report_ehat p st i :
  ehat (step_report p st i) = ehat_next p (ehat st) (X p (loss i) (env i)).
Proof.
  unfold step_report; destruct (mode_eq_dec _ _); [reflexivity|].
  destruct (cooldown_ok _ _ _); reflexivity.
Qed.

Lemma step_report_phi p st i :
  phi (step_report p st i) = phi_next p (phi st) (ehat st).
Proof.
  unfold step_report; destruct (mode_eq_dec _ _); [reflexivity|].
  destruct (cooldown_ok _ _ _); reflexivity.
Qed.

Lemma step_repo_ehat p st i :
  ehat (step_repo p st i) = ehat_next p (ehat st) (loss i).
Proof. reflexivity. Qed.

Lemma step_repo_phi p st i :
  phi (step_repo p st i) = phi_next p (phi st) (ehat_next p (ehat st) (loss i)).
Proof. reflexivity. Qed.

Lemma step_repo_md p st i :
  md (step_repo p st i) = classify p (phi_next p (phi st) (ehat_next p (ehat st) (loss i))).
Proof. reflexivity. Qed.

(* The report's Ê after n steps depends only on the stress sequence X_k. *)
Lemma run_report_ehat p s0 u n :
  ehat (run_report p s0 u n) =
  ehat_seq p (ehat s0) (fun k => X p (loss (u k)) (env (u k))) n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  rewrite run_report_S, step_report_ehat, IH; reflexivity.
Qed.

Lemma run_repo_ehat p s0 u n :
  ehat (run_repo p s0 u n) = ehat_seq p (ehat s0) (fun k => loss (u k)) n.
Proof.
  induction n as [|n IH]; [reflexivity|].
  rewrite run_repo_S, step_repo_ehat, IH; reflexivity.
Qed.

Lemma defaults_report_admissible : admissible defaults_report.
Proof. unfold admissible, defaults_report; simpl; lra. Qed.

Lemma defaults_repo_admissible : admissible defaults_repo.
Proof. unfold admissible, defaults_repo; simpl; lra. Qed.
