# One φ update in binary64 against the exact update at the same arguments (T15, B64Error.v
# phi_local): φ' = fl(fl(fl(1 − α)·φ) + fl(α·fl(Ê / fl(1 + Ê)))), the squash as a quotient first.
# Box: α ∈ [0, 1], φ ∈ [0, 1], Ê ∈ [0, 2]. Coq proves 14u; Gappa finds the bound below (u = 2^-53).
@rnd = float<ieee_64, ne>;
F = rnd(f); E = rnd(e); A = rnd(a);
C = rnd(1 - A);
S1 = rnd(1 + E);
Q = rnd(E / S1);
P1 = rnd(C * F);
P2 = rnd(A * Q);
Y = rnd(P1 + P2);
G = E / (1 + E);
Z = (1 - A) * F + A * G;
{ a in [0, 1] /\ f in [0, 1] /\ e in [0, 2] -> |Y - Z| <= 14b-53 }
Y - Z -> (P1 - C * F) + (C - (1 - A)) * F + (P2 - A * Q) + A * (Q - G) + (Y - (P1 + P2));
E / S1 - G -> (E / (S1 * (1 + E))) * ((1 + E) - S1);
