"""Typed errors with the Swift library's exact texts (Sources/UnifiedLoRA/ParameterError.swift,
InputError.swift)."""

import math


def describe(value):
    """A float as Swift's ``Double.description`` prints it: the shortest decimal that round-trips
    (``1e-05``, ``1e+16``, ``1000000000000000.0``, ``nan``, ``inf``); Python's ``repr`` uses the
    same rule. Integers print as integers."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return str(value)


class ParameterError(ValueError):
    """A parameter or initial value outside the domain of SPEC section 4.

    ``str(error)`` is ``invalid parameter FIELD = VALUE: expected REQUIREMENT``, exactly as the
    Swift ``ParameterError`` prints it."""

    def __init__(self, field, value, requirement):
        self.field = field
        self.value = value if isinstance(value, str) else describe(value)
        self.requirement = requirement
        super().__init__("invalid parameter %s = %s: expected %s" % (field, self.value, requirement))

    def __eq__(self, other):
        return isinstance(other, ParameterError) and str(self) == str(other)

    def __hash__(self):
        return hash(str(self))


class InputError(ValueError):
    """An input record outside the domain of the equations: a NaN, an infinity, a negative loss or a
    negative external stress. The controller's state is left untouched.

    ``str(error)`` is ``step T: FIELD = VALUE is not a finite number ≥ 0; the controller state is
    unchanged``, exactly as the Swift ``InputError`` prints it."""

    def __init__(self, step, field, value):
        self.step = step
        self.field = field
        self.value = value
        super().__init__(
            "step %d: %s = %s is not a finite number ≥ 0; the controller state is unchanged"
            % (step, field, describe(float(value))))


def is_valid(x):
    """Inside the domain of SPEC section 4: finite and ≥ 0 (NaN fails the comparison)."""
    return x >= 0 and math.isfinite(x)
