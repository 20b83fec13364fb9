"""The package against `unified-lora vectors`, bit for bit: every case, every record, the floats
compared by their IEEE-754 bit patterns."""

import json
import os
import struct

import pytest

from conftest import run
from unified_lora import Controller, LearningRates, Parameters, State


def bits(x):
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(text):
    return struct.unpack("<d", struct.pack("<Q", int(text, 16)))[0]


@pytest.fixture(scope="session")
def vectors(binary, tmp_path_factory):
    out = str(tmp_path_factory.mktemp("vectors"))
    run(binary, ["vectors", "--out", out])
    with open(os.path.join(out, "index.json")) as f:
        index = json.load(f)
    cases = []
    for entry in index["cases"]:
        with open(os.path.join(out, entry["file"])) as f:
            cases.append(json.load(f))
    return cases


def parameters_of(case):
    q = case["parameters"]
    f = {k: from_bits(q[k + "_bits"]) for k in ("alpha", "beta", "alpha_e", "theta0", "theta1")}
    i = q["initial"]
    return Parameters(
        case["variant"], alpha=f["alpha"], beta=f["beta"], alpha_e=f["alpha_e"], theta0=f["theta0"],
        theta1=f["theta1"], cooldown=q["cooldown"],
        lr=LearningRates(*[from_bits(r["value_bits"]) for r in q["lr"]]),
        initial=State(from_bits(i["ehat_bits"]), from_bits(i["phi_bits"]), i["mode"], i["last_switch"]))


def test_every_vector_agrees_bit_for_bit(vectors):
    assert len(vectors) >= 10
    records = 0
    problems = []
    for case in vectors:
        p = parameters_of(case)
        first = case["inputs"][0]["step"]
        c = Controller(p, first_step=first)
        for inp, want in zip(case["inputs"], case["records"]):
            # The vectors may jump in step numbers: the cooldown counts in them.
            c.next_step = inp["step"]
            lr = c.update(from_bits(inp["loss_bits"]), from_bits(inp["env_bits"]))
            s = c.state
            got = (bits(s.ehat), bits(s.phi), s.mode, s.last_switch, bits(lr))
            exp = (want["ehat_bits"], want["phi_bits"], want["mode"], want["last_switch"], want["lr_bits"])
            if got != exp:
                problems.append("%s step %d: got %r, expected %r" % (case["id"], want["step"], got, exp))
            records += 1
        assert len(case["inputs"]) == len(case["records"])
    print("conformance vectors: %d cases, %d records checked bit for bit" % (len(vectors), records))
    assert not problems, "\n".join(problems[:10])


def test_vectors_cover_both_variants(vectors):
    assert {c["variant"] for c in vectors} == {"report", "repo"}
