"""state_dict()/load_state_dict(): a run stopped and resumed (through JSON and through
torch.save) continues bit for bit; a corrupt state dict is rejected and changes nothing."""

import io
import json
import random

import pytest

from unified_lora import Controller, LossJumpStress, ParameterError, Parameters


def losses(seed, n):
    rng = random.Random(seed)
    return [rng.uniform(5, 30) if 100 <= k < 160 else rng.lognormvariate(-0.7, 0.4) for k in range(n)]


def trace(c, xs):
    return [(repr(c.update(x)), repr(c.state.ehat), repr(c.state.phi), c.state.mode, c.state.last_switch)
            for x in xs]


@pytest.mark.parametrize("make", [
    lambda: Controller(Parameters.report()),
    lambda: Controller(Parameters.repo()),
    lambda: Controller(Parameters.report(cooldown=5), stress=LossJumpStress(0.9)),
])
@pytest.mark.parametrize("via", ["json", "torch"])
def test_resume_is_bit_for_bit(make, via):
    xs = losses(7, 300)
    straight = trace(make(), xs)
    first = make()
    head = trace(first, xs[:130])
    d = first.state_dict()
    if via == "json":
        d = json.loads(json.dumps(d))
    else:
        torch = pytest.importorskip("torch")
        buf = io.BytesIO()
        torch.save(d, buf)
        buf.seek(0)
        d = torch.load(buf)
    resumed = make()
    resumed.load_state_dict(d)
    assert head + trace(resumed, xs[130:]) == straight


def test_a_corrupt_state_dict_is_rejected_and_changes_nothing():
    c = Controller()
    c.update(0.5)
    before = c.state_dict()
    bad = json.loads(json.dumps(before))
    bad["state"]["phi"] = 1.5
    with pytest.raises(ParameterError) as e:
        c.load_state_dict(bad)
    assert str(e.value) == "invalid parameter state.phi = 1.5: expected a number in [0, 1]"
    bad = json.loads(json.dumps(before))
    bad["parameters"]["theta0"] = 0.9
    with pytest.raises(ParameterError) as e:
        c.load_state_dict(bad)
    assert str(e.value) == "invalid parameter theta0 = 0.9: expected a number below theta1 = 0.7"
    assert c.state_dict() == before
