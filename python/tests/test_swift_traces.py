"""The package against the Swift binary on random traces of both variants: random parameters,
random losses (with shocks, zeros and huge values) and env, replayed by `unified-lora simulate`
and by the package; every record must agree bit for bit. The seed is printed (and taken from
UNIFIED_LORA_SEED when set), so a failure can be replayed."""

import os
import random
import struct

import pytest

from conftest import run
from unified_lora import Controller, LossJumpStress, Parameters

TRACES = int(os.environ.get("UNIFIED_LORA_TRACES", "40"))


def bits(x):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


@pytest.fixture(scope="module")
def seed():
    s = int(os.environ.get("UNIFIED_LORA_SEED") or random.SystemRandom().randrange(2 ** 32))
    print("random traces: seed %d (replay with UNIFIED_LORA_SEED=%d)" % (s, s))
    return s


def random_loss(rng):
    r = rng.random()
    if r < 0.05:
        return 0.0
    if r < 0.10:
        return rng.choice([5e-324, 1e-300, 1e300, 2.0 ** 53, 1e16])
    if r < 0.25:
        return rng.uniform(5, 50)  # a shock
    return rng.lognormvariate(-0.7, 0.6)


def random_case(rng, variant):
    if variant == "report":
        p = Parameters.report(
            alpha=rng.choice([0.1, rng.uniform(1e-3, 1.0), 1.0]),
            beta=rng.choice([0.9, rng.uniform(0.0, 0.999), 0.0]),
            alpha_e=rng.choice([0.5, rng.uniform(0.0, 1.0), 0.0, 1.0]),
            theta0=rng.uniform(0.05, 0.45), theta1=rng.uniform(0.5, 0.95),
            cooldown=rng.choice([30, 0, rng.randrange(0, 60)]))
    else:
        p = Parameters.repo(alpha=rng.choice([0.1, rng.uniform(1e-3, 1.0)]),
                            beta=rng.choice([0.9, rng.uniform(0.0, 0.999)]),
                            theta0=rng.uniform(0.05, 0.45), theta1=rng.uniform(0.5, 0.95))
    n = rng.randrange(1, 400)
    step = rng.randrange(0, 2000)
    rows = []
    for _ in range(n):
        env = 0.0 if variant == "repo" or rng.random() < 0.5 else rng.uniform(0, 10)
        rows.append((step, random_loss(rng), env))
        step += rng.choice([1, 1, 1, 2, 7])
    return p, rows


def flags(p):
    out = ["--variant", p.variant, "--alpha", repr(p.alpha), "--beta", repr(p.beta),
           "--theta0", repr(p.theta0), "--theta1", repr(p.theta1)]
    if p.variant == "report":
        out += ["--alpha-e", repr(p.alpha_e), "--cooldown", str(p.cooldown)]
    return out


def swift_records(binary, p, rows, extra=()):
    text = "step,loss,env\n" + "".join("%d,%r,%r\n" % r for r in rows)
    out = run(binary, ["simulate", "--format", "csv"] + flags(p) + list(extra), stdin=text).stdout
    lines = out.strip().split("\n")
    assert lines[0] == "step,loss,env,ehat,phi,mode,lr"
    return [line.split(",") for line in lines[1:]]


def compare(swift, mine):
    """Both as (step, env, ehat, phi, mode, lr); floats compared by bit pattern."""
    assert len(swift) == len(mine)
    for s, m in zip(swift, mine):
        got = (m[0], bits(m[1]), bits(m[2]), bits(m[3]), m[4], bits(m[5]))
        want = (int(s[0]), bits(float(s[2])), bits(float(s[3])), bits(float(s[4])), int(s[5]),
                bits(float(s[6])))
        assert got == want, "step %s: package %r, swift %r" % (s[0], got, want)


@pytest.mark.parametrize("variant", ["report", "repo"])
def test_random_traces_agree_with_the_binary(binary, seed, variant):
    rng = random.Random("%d-%s" % (seed, variant))
    records = 0
    for _ in range(TRACES):
        p, rows = random_case(rng, variant)
        c = Controller(p)
        mine = []
        for step, loss, env in rows:
            c.next_step = step
            c.update(loss, env)
            s = c.state
            mine.append((step, env, s.ehat, s.phi, s.mode, c.learning_rate))
        compare(swift_records(binary, p, rows), mine)
        records += len(rows)
    print("%s: %d random traces, %d records bit for bit (seed %d)" % (variant, TRACES, records, seed))


def test_loss_jump_agrees_with_the_binary(binary, seed):
    """`simulate --env loss-jump:lambda=X` and the package's LossJumpStress: the measured E and the
    controller's records, bit for bit."""
    rng = random.Random("%d-loss-jump" % seed)
    records = 0
    for _ in range(TRACES // 2):
        p, rows = random_case(rng, "report")
        lam = rng.choice([0.98, rng.uniform(0, 0.999), 0.0])
        c = Controller(p, stress=LossJumpStress(lam))
        mine = []
        for step, loss, _ in rows:
            c.next_step = step
            c.update(loss)
            s = c.state
            mine.append((step, c.last_env, s.ehat, s.phi, s.mode, c.learning_rate))
        plain = [(step, loss, 0.0) for step, loss, _ in rows]
        compare(swift_records(binary, p, plain, ["--env", "loss-jump:lambda=%r" % lam]), mine)
        records += len(rows)
    print("loss-jump: %d random traces, %d records bit for bit (seed %d)" % (TRACES // 2, records, seed))


@pytest.mark.parametrize("policy", ["saturate", "skip"])
def test_invalid_input_policies_agree_with_the_binary(binary, seed, policy):
    rng = random.Random("%d-%s" % (seed, policy))
    for variant in ("report", "repo"):
        p, rows = random_case(rng, variant)
        rows = [(s, rng.choice([float("nan"), float("inf"), -1.0]) if rng.random() < 0.1 else l, e)
                for s, l, e in rows]
        c = Controller(p, policy=policy)
        mine = []
        for step, loss, env in rows:
            c.next_step = step
            c.update(loss, env)
            s = c.state
            mine.append((step, env, s.ehat, s.phi, s.mode, c.learning_rate))
        compare(swift_records(binary, p, rows, ["--on-invalid", policy]), mine)
