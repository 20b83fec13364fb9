"""Validation: the same checks, in the same order, with the same texts as the Swift library —
each message compared with the one the binary prints for the same bad value."""

import math
import re

import pytest

from conftest import run
from unified_lora import (Controller, InputError, LossJumpStress, ParameterError, Parameters,
                          State)

# (flags for the binary, keyword arguments for Parameters)
BAD_PARAMETERS = [
    (["--alpha=1.5"], dict(alpha=1.5)),
    (["--alpha=0"], dict(alpha=0.0)),
    (["--alpha=nan"], dict(alpha=math.nan)),
    (["--alpha=-1e-07"], dict(alpha=-1e-07)),
    (["--beta=1"], dict(beta=1.0)),
    (["--beta=-0.00001"], dict(beta=-0.00001)),
    (["--alpha-e=1.0000001"], dict(alpha_e=1.0000001)),
    (["--theta0=0"], dict(theta0=0.0)),
    (["--theta1=1"], dict(theta1=1.0)),
    (["--theta0=0.8"], dict(theta0=0.8)),
    (["--lr=0,1,1"], dict(lr=(0.0, 1.0, 1.0))),
    (["--lr=1,inf,1"], dict(lr=(1.0, math.inf, 1.0))),
    (["--lr=1,1,-1e+16"], dict(lr=(1.0, 1.0, -1e16))),
    (["--initial-ehat=-1"], dict(initial=State(-1.0, 0.0, 0))),
    (["--initial-phi=1.5"], dict(initial=State(0.0, 1.5, 0))),
    (["--initial-phi=1000000000000000"], dict(initial=State(0.0, 1e15, 0))),
    (["--variant", "repo", "--alpha-e=0.5"], dict(variant="repo", alpha_e=0.5)),
    (["--variant", "repo", "--cooldown=3"], dict(variant="repo", cooldown=3)),
    (["--variant", "repo", "--initial-ehat=inf"], dict(variant="repo", initial=State(math.inf, 0.5, 1))),
]


def swift_error(binary, args, stdin="step,loss\n0,0.5\n"):
    p = run(binary, ["simulate"] + args, stdin=stdin, check=False)
    assert p.returncode != 0, args
    line = p.stderr.split("\n")[0]
    assert line.startswith("Error: "), p.stderr
    # A typed flag (`--lr`) is refused by the argument parser, which names the flag and the value
    # before the library's message: the message itself is what the package must match.
    return re.sub(r"^The value '[^']*' is invalid for '--[a-z0-9-]+ <[a-z0-9-]+>': ", "", line[len("Error: "):])


# Two checks the command line words itself, naming the flag the user typed (`--theta1`, and the
# flag's range for `--cooldown`), before the library sees the value: the package matches the
# library's own wording (Sources/UnifiedLoRA/Parameters.swift), asserted here as a contract.
LIBRARY_ONLY = [
    (dict(theta0=0.5, theta1=0.5), "invalid parameter theta0 = 0.5: expected a number below theta1 = 0.5"),
    (dict(cooldown=-1), "invalid parameter cooldown = -1: expected an integer ≥ 0"),
]


@pytest.mark.parametrize("kwargs,message", LIBRARY_ONLY, ids=[str(k) for k, _ in LIBRARY_ONLY])
def test_parameter_errors_match_the_library(kwargs, message):
    with pytest.raises(ParameterError) as e:
        Parameters("report", **kwargs)
    assert str(e.value) == message


@pytest.mark.parametrize("flags,kwargs", BAD_PARAMETERS, ids=[" ".join(f) for f, _ in BAD_PARAMETERS])
def test_parameter_errors_match_the_binary(binary, flags, kwargs):
    variant = kwargs.pop("variant", "report")
    with pytest.raises(ParameterError) as e:
        Parameters(variant, **kwargs)
    assert str(e.value) == swift_error(binary, flags)


@pytest.mark.parametrize("spec,kwargs", [
    ("loss-jump:lambda=1", dict(lambda_=1.0)),
    ("loss-jump:lambda=-0.5", dict(lambda_=-0.5)),
    ("loss-jump:lambda=nan", dict(lambda_=math.nan)),
])
def test_loss_jump_errors_match_the_binary(binary, spec, kwargs):
    with pytest.raises(ParameterError) as e:
        LossJumpStress(**kwargs)
    # The argument parser wraps the text ("The value '…' is invalid for '--env <env>': TEXT");
    # swift_error takes the wrapper off.
    assert swift_error(binary, ["--env", spec]) == str(e.value)


def test_loss_jump_option_text_errors():
    with pytest.raises(ParameterError) as e:
        LossJumpStress.parse("gamma=0.5")
    assert str(e.value) == ("invalid parameter loss-jump = gamma=0.5: expected lambda=X with X in "
                            "[0, 1), e.g. loss-jump:lambda=0.98")
    assert LossJumpStress.parse("lambda=0.5").lambda_ == 0.5
    assert LossJumpStress.parse("").lambda_ == 0.98


def test_loss_jump_needs_the_report_variant(binary):
    with pytest.raises(ParameterError) as e:
        Controller(Parameters.repo(), stress=LossJumpStress())
    assert str(e.value) == swift_error(binary, ["--variant", "repo", "--env", "loss-jump"])


@pytest.mark.parametrize("loss,env", [("nan", "0"), ("inf", "0"), ("-1", "0"), ("0.5", "-2"),
                                      ("0.5", "nan"), ("-0.000001", "0")])
def test_input_errors_match_the_binary_and_leave_the_state(binary, loss, env):
    stdin = "step,loss,env\n0,0.5,0\n1,0.7,0\n7,%s,%s\n" % (loss, env)
    c = Controller()
    c.update(0.5, 0.0)
    c.update(0.7, 0.0)
    c.next_step = 7
    before = (c.state.copy(), c.next_step)
    with pytest.raises(InputError) as e:
        c.update(float(loss), float(env))
    assert str(e.value) == swift_error(binary, [], stdin=stdin)
    assert (c.state, c.next_step) == before


def test_saturate_still_rejects_a_bad_env():
    c = Controller(policy="saturate")
    with pytest.raises(InputError) as e:
        c.update(math.nan, -1.0)
    assert str(e.value) == "step 0: env = -1.0 is not a finite number ≥ 0; the controller state is unchanged"


def test_defaults_are_the_libraries():
    r, p = Parameters.report(), Parameters.repo()
    assert (r.alpha, r.beta, r.alpha_e, r.theta0, r.theta1, r.cooldown) == (0.1, 0.9, 0.5, 0.3, 0.7, 30)
    assert r.lr.as_tuple() == (2e-3, 5e-4, 1e-4) and r.initial == State(0.0, 0.0, 0)
    assert (p.alpha, p.beta, p.alpha_e, p.theta0, p.theta1, p.cooldown) == (0.1, 0.9, 0.0, 0.3, 0.7, 0)
    assert p.lr.as_tuple() == (5e-5, 3e-5, 1e-5) and p.initial == State(1.0, 0.5, 1)
