# One Ê update in binary64 against the exact update at the same arguments (T15, B64Error.v
# conv_local): Ê' = fl(fl(β·Ê) + fl(fl(1 − β)·X)), round to nearest even, no FMA, 1 − β at run time.
# Box of the defaults' T15 (B64_T15_defaults): β ∈ [1/2, 1], Ê, X ∈ [0, 2] (2B with B = 1).
# Coq proves 5u(1 + 2B) = 15u for this box; Gappa finds the bound below (u = 2^-53).
@rnd = float<ieee_64, ne>;
E = rnd(e); Xx = rnd(x); B = rnd(b);
C = rnd(1 - B);
P1 = rnd(B * E);
P2 = rnd(C * Xx);
Y = rnd(P1 + P2);
Z = B * E + (1 - B) * Xx;
{ b in [0.5, 1] /\ e in [0, 2] /\ x in [0, 2] -> |Y - Z| <= 15b-53 }
Y - Z -> (P1 - B * E) + (P2 - C * Xx) + (C - (1 - B)) * Xx + (Y - (P1 + P2));
