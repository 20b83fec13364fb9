"""One step of each variant, evaluated in IEEE-754 binary64 exactly as SPEC section 2 says: each
line as written, one rounding per operation (Python floats have no fused multiply-add), the
complements ``1 − α``, ``1 − β``, ``1 − α_E`` and ``1 + x`` formed at run time, the squashing term
as a quotient first. Results are bit-identical to the Swift library's ``ReportEquations`` and
``RepoEquations``.

The caller guarantees the input is valid (finite, ≥ 0), except where ``squashed_loss`` stands in
for an invalid loss under the ``saturate`` policy.
"""

from .parameters import SINGLE, MULTI, MIRROR, State


def classify(phi, theta0, theta1):
    """The candidate mode of φ: 0 if φ < θ0, 1 if θ0 ≤ φ < θ1, 2 otherwise (NaN: 2)."""
    if phi < theta0:
        return SINGLE
    if phi < theta1:
        return MULTI
    return MIRROR


def cooldown_elapsed(t, last, cooldown):
    """``t − s ≥ N_s`` with ``s = None`` for −∞ (Python integers do not overflow)."""
    return last is None or t - last >= cooldown


def report_step(s, loss, env, t, p, squashed_loss=None):
    """The report variant (SPEC section 2)::

        D  = L/(1 + L)
        X  = α_E·E + (1 − α_E)·D
        Ê' = β·Ê + (1 − β)·X
        φ' = (1 − α)·φ + α·(Ê/(1 + Ê))      -- the OLD Ê
        c  = classify(φ)                     -- the OLD φ
        M' = c if t − s ≥ N_s and c ≠ M, else M
    """
    d = loss / (1.0 + loss) if squashed_loss is None else squashed_loss
    x = p.alpha_e * env + (1.0 - p.alpha_e) * d
    ehat = p.beta * s.ehat + (1.0 - p.beta) * x
    phi = (1.0 - p.alpha) * s.phi + p.alpha * (s.ehat / (1.0 + s.ehat))
    candidate = classify(s.phi, p.theta0, p.theta1)
    mode, last = s.mode, s.last_switch
    if candidate != mode and cooldown_elapsed(t, last, p.cooldown):
        mode, last = candidate, t
    return State(ehat, phi, mode, last)


def repo_step(s, loss, t, p):
    """The published controller.py (SPEC section 3), each line using the value just computed::

        Ê ← β·Ê + (1 − β)·L
        φ ← (1 − α)·φ + α·(Ê/(1 + Ê))       -- the NEW Ê
        M ← classify(φ)                      -- the NEW φ, no cooldown
    """
    ehat = p.beta * s.ehat + (1.0 - p.beta) * loss
    phi = (1.0 - p.alpha) * s.phi + p.alpha * (ehat / (1.0 + ehat))
    return _repo_finish(s, ehat, phi, t, p)


def repo_saturated_step(s, t, p):
    """The repo variant's ``saturate`` step for an invalid loss: Ê untouched, ``D = 1``."""
    return _repo_finish(s, s.ehat, (1.0 - p.alpha) * s.phi + p.alpha * 1.0, t, p)


def _repo_finish(s, ehat, phi, t, p):
    mode = classify(phi, p.theta0, p.theta1)
    return State(ehat, phi, mode, s.last_switch if mode == s.mode else t)
