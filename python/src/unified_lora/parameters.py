"""Parameters, learning rates and state, validated as the Swift library validates them
(Sources/UnifiedLoRA/Parameters.swift, LearningRates.swift, ControllerState.swift): same defaults,
same order of checks, same error texts."""

import math

from .errors import ParameterError

SINGLE, MULTI, MIRROR = 0, 1, 2
MODE_NAMES = ("Single", "Multi", "Mirror")
VARIANTS = ("report", "repo")
POLICIES = ("reject", "saturate", "skip")


class LearningRates(object):
    """The learning-rate map ``η[M]``: one finite, positive rate per mode."""

    __slots__ = ("single", "multi", "mirror")

    def __init__(self, single, multi, mirror):
        for field, value in (("lr.single", single), ("lr.multi", multi), ("lr.mirror", mirror)):
            value = _number(field, value, "a finite number > 0")
            if not (math.isfinite(value) and value > 0):
                raise ParameterError(field, value, "a finite number > 0")
        self.single = float(single)
        self.multi = float(multi)
        self.mirror = float(mirror)

    def __getitem__(self, mode):
        return (self.single, self.multi, self.mirror)[mode]

    def as_tuple(self):
        return (self.single, self.multi, self.mirror)

    def __eq__(self, other):
        return isinstance(other, LearningRates) and self.as_tuple() == other.as_tuple()

    def __repr__(self):
        return "LearningRates(%r, %r, %r)" % self.as_tuple()


REPORT_RATES = (2e-3, 5e-4, 1e-4)
REPO_RATES = (5e-5, 3e-5, 1e-5)


class State(object):
    """The controller's complete state ``(Ê, φ, M, s)``; ``last_switch`` None stands for −∞."""

    __slots__ = ("ehat", "phi", "mode", "last_switch")

    def __init__(self, ehat, phi, mode, last_switch=None):
        self.ehat = ehat
        self.phi = phi
        self.mode = mode
        self.last_switch = last_switch

    def validate(self, prefix="initial"):
        """Ê finite and ≥ 0, φ in [0, 1]; raises ``ParameterError`` naming ``prefix.ehat`` or
        ``prefix.phi``."""
        if not (self.ehat >= 0 and math.isfinite(self.ehat)):
            raise ParameterError(prefix + ".ehat", self.ehat, "a finite number ≥ 0")
        if not (self.phi >= 0 and self.phi <= 1):
            raise ParameterError(prefix + ".phi", self.phi, "a number in [0, 1]")

    def copy(self):
        return State(self.ehat, self.phi, self.mode, self.last_switch)

    def as_dict(self):
        return {"ehat": self.ehat, "phi": self.phi, "mode": self.mode,
                "last_switch": self.last_switch}

    def __eq__(self, other):
        # Bit-for-bit equality: floats compared by their bit patterns through repr.
        return isinstance(other, State) and (
            repr(self.ehat), repr(self.phi), self.mode, self.last_switch) == (
            repr(other.ehat), repr(other.phi), other.mode, other.last_switch)

    def __repr__(self):
        return "State(ehat=%r, phi=%r, mode=%d, last_switch=%r)" % (
            self.ehat, self.phi, self.mode, self.last_switch)


def _number(field, value, requirement):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            return float(value)
        except (TypeError, ValueError):
            raise ParameterError(field, str(value), requirement)
    return float(value)


class Parameters(object):
    """A validated parameter set for one variant (SPEC sections 2, 3, 4).

    ============  ==================  ===================  ===================
    field         domain              report default       repo default
    ============  ==================  ===================  ===================
    alpha (α)     (0, 1]              0.1                  0.1
    beta (β)      [0, 1)              0.9                  0.9
    alpha_e (α_E) [0, 1]              0.5                  0 (no external E)
    theta0/1      0 < θ0 < θ1 < 1     0.3, 0.7             0.3, 0.7
    cooldown N_s  integer ≥ 0         30                   0 (no cooldown)
    lr            finite, > 0         2e-3, 5e-4, 1e-4     5e-5, 3e-5, 1e-5
    initial       Ê ≥ 0, φ in [0, 1]  (0, 0, Single, −∞)   (1, 0.5, Multi, −∞)
    ============  ==================  ===================  ===================

    Omitted values take the variant's defaults. Raises ``ParameterError`` naming the first
    invalid field, in the Swift library's order of checks (the learning rates are checked first,
    as the Swift caller builds ``LearningRates`` before ``Parameters``).
    """

    __slots__ = ("variant", "alpha", "beta", "alpha_e", "theta0", "theta1", "cooldown", "lr",
                 "initial")

    def __init__(self, variant="report", alpha=None, beta=None, alpha_e=None, theta0=None,
                 theta1=None, cooldown=None, lr=None, initial=None):
        if variant not in VARIANTS:
            raise ParameterError("variant", str(variant), "report or repo")
        report = variant == "report"
        if lr is None:
            lr = LearningRates(*(REPORT_RATES if report else REPO_RATES))
        elif not isinstance(lr, LearningRates):
            lr = tuple(lr)
            if len(lr) != 3:
                raise ParameterError(
                    "lr", ",".join(describe_any(x) for x in lr),
                    "three numbers separated by commas, e.g. 2e-3,5e-4,1e-4")
            lr = LearningRates(*lr)
        alpha = _number("alpha", 0.1 if alpha is None else alpha, "a number in (0, 1]")
        beta = _number("beta", 0.9 if beta is None else beta, "a number in [0, 1)")
        alpha_e = _number("alpha-e", (0.5 if report else 0.0) if alpha_e is None else alpha_e,
                          "a number in [0, 1]")
        theta0 = _number("theta0", 0.3 if theta0 is None else theta0, "a number in (0, 1)")
        theta1 = _number("theta1", 0.7 if theta1 is None else theta1, "a number in (0, 1)")
        if cooldown is None:
            cooldown = 30 if report else 0
        if not (alpha > 0 and alpha <= 1):
            raise ParameterError("alpha", alpha, "a number in (0, 1]")
        if not (beta >= 0 and beta < 1):
            raise ParameterError("beta", beta, "a number in [0, 1)")
        if not (alpha_e >= 0 and alpha_e <= 1):
            raise ParameterError("alpha-e", alpha_e, "a number in [0, 1]")
        if not (theta0 > 0 and theta0 < 1):
            raise ParameterError("theta0", theta0, "a number in (0, 1)")
        if not (theta1 > 0 and theta1 < 1):
            raise ParameterError("theta1", theta1, "a number in (0, 1)")
        if not theta0 < theta1:
            raise ParameterError("theta0", theta0, "a number below theta1 = %s" % describe_any(theta1))
        if isinstance(cooldown, bool) or not isinstance(cooldown, int) or cooldown < 0:
            raise ParameterError("cooldown", describe_any(cooldown), "an integer ≥ 0")
        if not report:
            if alpha_e != 0:
                raise ParameterError("alpha-e", alpha_e, "0: the repo variant has no external stress")
            if cooldown != 0:
                raise ParameterError("cooldown", str(cooldown), "0: the repo variant has no cooldown")
        if initial is None:
            initial = State(0.0, 0.0, SINGLE) if report else State(1.0, 0.5, MULTI)
        elif isinstance(initial, dict):
            initial = State(float(initial["ehat"]), float(initial["phi"]), initial["mode"],
                            initial.get("last_switch"))
        else:
            initial = initial.copy()
        if initial.mode not in (SINGLE, MULTI, MIRROR) or isinstance(initial.mode, bool):
            raise ParameterError("initial-mode", describe_any(initial.mode), "0, 1 or 2")
        initial.ehat = float(initial.ehat)
        initial.phi = float(initial.phi)
        initial.validate()
        self.variant = variant
        self.alpha = alpha
        self.beta = beta
        self.alpha_e = alpha_e
        self.theta0 = theta0
        self.theta1 = theta1
        self.cooldown = cooldown
        self.lr = lr
        self.initial = initial

    @classmethod
    def report(cls, **changes):
        """The report variant (SPEC section 2), defaults unless changed."""
        return cls("report", **changes)

    @classmethod
    def repo(cls, **changes):
        """The published controller.py (SPEC section 3), defaults unless changed."""
        return cls("repo", **changes)

    def as_dict(self):
        return {"variant": self.variant, "alpha": self.alpha, "beta": self.beta,
                "alpha_e": self.alpha_e, "theta0": self.theta0, "theta1": self.theta1,
                "cooldown": self.cooldown, "lr": list(self.lr.as_tuple()),
                "initial": self.initial.as_dict()}

    @classmethod
    def from_dict(cls, d):
        """The inverse of ``as_dict``, validated again."""
        return cls(d["variant"], alpha=d["alpha"], beta=d["beta"], alpha_e=d["alpha_e"],
                   theta0=d["theta0"], theta1=d["theta1"], cooldown=d["cooldown"], lr=d["lr"],
                   initial=d["initial"])

    def __eq__(self, other):
        return isinstance(other, Parameters) and self.as_dict() == other.as_dict()

    def __repr__(self):
        return "Parameters(%s)" % ", ".join("%s=%r" % kv for kv in self.as_dict().items())


def describe_any(x):
    from .errors import describe
    return describe(x)
