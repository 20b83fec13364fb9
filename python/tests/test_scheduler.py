"""The PyTorch scheduler with real PyTorch on the CPU: a tiny model trained with it, the learning
rate of every optimizer step checked against the controller, and the log it writes audited by the
binary as conforming."""

import math
import os

import pytest

torch = pytest.importorskip("torch")

from conftest import run  # noqa: E402
from unified_lora import (Controller, InputError, LossJumpStress, Parameters,  # noqa: E402
                          UnifiedLoRAScheduler)


def tiny_run(tmp_path, steps=120, shock=(40, 70), **kwargs):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(8, 16), torch.nn.Tanh(), torch.nn.Linear(16, 1))
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    log = str(tmp_path / "run.csv")
    sched = UnifiedLoRAScheduler(opt, log=log, **kwargs)
    x = torch.randn(64, 8)
    y = x.sum(dim=1, keepdim=True)
    used, losses = [], []
    for t in range(steps):
        target = y * 25 if shock[0] <= t < shock[1] else y  # a shock: the targets jump
        used.append(opt.param_groups[0]["lr"])
        loss = torch.nn.functional.mse_loss(model(x), target)
        opt.zero_grad()
        loss.backward()
        opt.step()
        sched.step(loss)
        losses.append(loss.item())
    sched.close()
    return sched, log, used, losses


@pytest.mark.parametrize("kwargs", [{}, {"parameters": Parameters.repo()},
                                    {"stress": LossJumpStress()}],
                         ids=["report", "repo", "report-loss-jump"])
def test_training_loop_sets_the_controllers_rates_and_logs_a_conforming_run(binary, tmp_path, kwargs):
    sched, log, used, losses = tiny_run(tmp_path, **kwargs)
    params = kwargs.get("parameters", Parameters.report())
    # The rates the optimizer used: η[M_0], then what the controller returned after each loss.
    replay = Controller(params, stress=LossJumpStress() if "stress" in kwargs else None)
    expected = [replay.learning_rate]
    for x in losses[:-1]:
        expected.append(replay.update(x))
    assert used == expected
    assert sched.get_last_lr() == [sched.controller.learning_rate]
    with open(log) as f:
        lines = f.read().splitlines()
    assert lines[0] == "step,loss,env,ehat,phi,mode,lr" and len(lines) == 121
    assert [float(l.split(",")[1]) for l in lines[1:]] == losses
    flags = ["--variant", params.variant]
    audit = run(binary, ["audit", "--input", log] + flags, check=False)
    assert audit.returncode == 0, audit.stdout + audit.stderr
    assert audit.stdout.startswith("verdict: conforms")
    if "stress" in kwargs:
        # E recomputed from the logged losses by the binary agrees too.
        again = run(binary, ["audit", "--input", log, "--env", "loss-jump"], check=False)
        assert again.returncode == 0, again.stdout


def test_the_shock_moves_the_learning_rate(tmp_path):
    """The tiny run's loss jump (×625 in the loss) must take the controller out of its start mode:
    otherwise this test would not exercise the scheduler at all."""
    _, _, used, _ = tiny_run(tmp_path, stress=LossJumpStress())
    assert len(set(used)) >= 2


def test_a_nan_loss_is_rejected_and_changes_nothing(tmp_path):
    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    opt = torch.optim.SGD(model.parameters(), lr=1.0)
    sched = UnifiedLoRAScheduler(opt, log=str(tmp_path / "log.csv"))
    opt.step()
    sched.step(torch.tensor(0.5))
    before = (sched.controller.state_dict(), opt.param_groups[0]["lr"])
    with pytest.raises(InputError) as e:
        sched.step(torch.tensor(math.nan))
    assert str(e.value) == "step 1: loss = nan is not a finite number ≥ 0; the controller state is unchanged"
    assert (sched.controller.state_dict(), opt.param_groups[0]["lr"]) == before
    sched.close()
    with open(tmp_path / "log.csv") as f:
        assert len(f.read().splitlines()) == 2


def test_step_needs_the_loss():
    opt = torch.optim.SGD(torch.nn.Linear(2, 1).parameters(), lr=1.0)
    sched = UnifiedLoRAScheduler(opt)
    with pytest.raises(TypeError):
        sched.step()


def test_scheduler_state_dict_resumes(tmp_path):
    sched, _, _, losses = tiny_run(tmp_path, steps=60)
    d = sched.state_dict()
    opt = torch.optim.SGD(torch.nn.Linear(8, 1).parameters(), lr=1.0)
    other = UnifiedLoRAScheduler(opt)
    other.load_state_dict(d)
    assert other.controller.state_dict() == sched.controller.state_dict()
    assert other.controller.update(1.0) == sched.controller.update(1.0)
