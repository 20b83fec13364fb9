"""The measured stress signal (Sources/UnifiedLoRA/LossJumpStress.swift)::

    E_t = max(0, ln L_t − b_{t−1})     b_t = λ·b_{t−1} + (1 − λ)·ln L_t,   b_0 = ln L_0,  E_0 = 0

``ln`` is the C library's ``log`` (``math.log``), ``1 − λ`` is formed at run time, ``max(0, d)`` is
``d if d >= 0 else 0``; a valid loss below 1e-12 (zero included) is read as 1e-12. An invalid loss
(NaN, ±∞, negative) gets ``E = 0`` and leaves the baseline untouched.
"""

import math

from .errors import ParameterError, is_valid

DEFAULT_LAMBDA = 0.98
FLOOR = 1e-12


class LossJumpStress(object):
    """The loss-jump signal: how far the current loss sits above the recent typical loss, on a log
    scale. ``lambda_`` in [0, 1) (default 0.98); raises ``ParameterError`` otherwise."""

    __slots__ = ("lambda_", "baseline")

    def __init__(self, lambda_=DEFAULT_LAMBDA, baseline=None):
        if isinstance(lambda_, bool) or not isinstance(lambda_, (int, float)):
            raise ParameterError("loss-jump.lambda", str(lambda_), "a number in [0, 1)")
        lambda_ = float(lambda_)
        if not (lambda_ >= 0 and lambda_ < 1):
            raise ParameterError("loss-jump.lambda", lambda_, "a number in [0, 1)")
        if baseline is not None and not math.isfinite(baseline):
            raise ParameterError("loss-jump.baseline", float(baseline), "a finite number")
        self.lambda_ = lambda_
        self.baseline = None if baseline is None else float(baseline)

    @classmethod
    def parse(cls, options):
        """From the text after ``loss-jump:`` (``lambda=X``); empty text gives the defaults."""
        lambda_ = DEFAULT_LAMBDA
        if options:
            for item in options.split(","):
                key, eq, value = item.partition("=")
                try:
                    number = float(value) if eq and key == "lambda" else None
                except ValueError:
                    number = None
                if number is None:
                    raise ParameterError("loss-jump", item,
                                         "lambda=X with X in [0, 1), e.g. loss-jump:lambda=0.98")
                lambda_ = number
        return cls(lambda_)

    def update(self, loss):
        """Consumes a valid loss (finite, ≥ 0) and returns ``E_t``."""
        if not is_valid(loss):
            raise ValueError("LossJumpStress.update needs a finite loss ≥ 0, got %r" % (loss,))
        l = math.log(loss if loss > FLOOR else FLOOR)
        b = self.baseline
        if b is None:
            self.baseline = l
            return 0.0
        d = l - b
        self.baseline = self.lambda_ * b + (1.0 - self.lambda_) * l
        return d if d >= 0 else 0.0

    def measure(self, loss):
        """``E_t`` for this loss (and the baseline advanced), or 0 for an invalid loss."""
        return self.update(loss) if is_valid(loss) else 0.0

    def state_dict(self):
        return {"lambda": self.lambda_, "baseline": self.baseline}

    def load_state_dict(self, d):
        other = LossJumpStress(d["lambda"], d["baseline"])
        self.lambda_, self.baseline = other.lambda_, other.baseline

    def copy(self):
        return LossJumpStress(self.lambda_, self.baseline)
