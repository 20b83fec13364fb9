# The report's stress input X = fl(fl(α_E·E) + fl(fl(1 − α_E)·fl(L / fl(1 + L)))) against
# α_E·E + (1 − α_E)·L/(1 + L) (B64Error.v B64_X_error proves u(9 + 5B), here B = 1: 14u), for
# α_E ∈ [0, 1], E ∈ [0, 1] and every double loss L ∈ [0, 2^1000].
@rnd = float<ieee_64, ne>;
Lf = rnd(l); Ef = rnd(e); Af = rnd(ae);
S1 = rnd(1 + Lf);
Dq = rnd(Lf / S1);
C = rnd(1 - Af);
P1 = rnd(Af * Ef);
P2 = rnd(C * Dq);
Y = rnd(P1 + P2);
G = Lf / (1 + Lf);
Z = Af * Ef + (1 - Af) * G;
{ ae in [0, 1] /\ e in [0, 1] /\ l in [0, 1b1000] -> |Y - Z| <= 14b-53 }
Y - Z -> (P1 - Af * Ef) + (P2 - C * Dq) + (C - (1 - Af)) * Dq + (1 - Af) * (Dq - G) + (Y - (P1 + P2));
Dq - G -> (Dq - Lf / S1) + (Lf / S1 - G);
Lf / S1 - G -> (Lf / (S1 * (1 + Lf))) * ((1 + Lf) - S1);
