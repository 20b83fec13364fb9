# The squash x/(1 + x) in binary64, fl(x / fl(1 + x)), against the exact value, for every double
# x ∈ [0, 2^1000] (B64Error.v squash_local proves 4u for every double x ≥ 0; u = 2^-53).
@rnd = float<ieee_64, ne>;
E = rnd(e);
S1 = rnd(1 + E);
Q = rnd(E / S1);
G = E / (1 + E);
{ e in [0, 1b1000] -> |Q - G| <= 4b-53 }
Q - G -> (Q - E / S1) + (E / S1 - G);
E / S1 - G -> (E / (S1 * (1 + E))) * ((1 + E) - S1);
