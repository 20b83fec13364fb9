#!/usr/bin/env python3
"""Checks an implementation of the Unified-LoRA controller against the conformance vectors.

    unified-lora vectors --out vectors
    python3 scripts/check_vectors.py vectors          # exit 0: every case agrees bit for bit

Standard library only. To check your own implementation, copy this file and replace
`report_step` and `repo_step` (or `run_case`) with calls into it. The state is a dict
{ehat, phi, mode, last_switch}; last_switch None stands for minus infinity.

The two step functions below are a second, independent statement of SPEC sections 2 and 3 in
Python floats (IEEE-754 binary64, one rounding per operation, no fused multiply-add), so they
must agree with the vectors to the last bit.
"""
import json
import os
import struct
import sys


def bits(x):
    """The IEEE-754 binary64 bit pattern of x as 0x + 16 hex digits."""
    return "0x%016x" % struct.unpack("<Q", struct.pack("<d", x))[0]


def from_bits(text):
    return struct.unpack("<d", struct.pack("<Q", int(text, 16)))[0]


def classify(phi, theta0, theta1):
    if phi < theta0:
        return 0
    if phi < theta1:
        return 1
    return 2


def report_step(s, t, loss, env, p):
    d = loss / (1 + loss)
    x = p["alpha_e"] * env + (1 - p["alpha_e"]) * d
    ehat = p["beta"] * s["ehat"] + (1 - p["beta"]) * x
    phi = (1 - p["alpha"]) * s["phi"] + p["alpha"] * (s["ehat"] / (1 + s["ehat"]))
    c = classify(s["phi"], p["theta0"], p["theta1"])
    mode, last = s["mode"], s["last_switch"]
    if c != mode and (last is None or t - last >= p["cooldown"]):
        mode, last = c, t
    return {"ehat": ehat, "phi": phi, "mode": mode, "last_switch": last}


def repo_step(s, t, loss, env, p):
    ehat = p["beta"] * s["ehat"] + (1 - p["beta"]) * loss
    d = ehat / (1 + ehat)
    phi = (1 - p["alpha"]) * s["phi"] + p["alpha"] * d
    mode = classify(phi, p["theta0"], p["theta1"])
    last = t if mode != s["mode"] else s["last_switch"]
    return {"ehat": ehat, "phi": phi, "mode": mode, "last_switch": last}


def value(obj, name):
    """A float of the vectors, from its bit pattern; checks that the decimal reads the same."""
    x = from_bits(obj[name + "_bits"])
    if bits(float(obj[name])) != obj[name + "_bits"]:
        raise ValueError("%s: decimal %r and bits %s disagree" % (name, obj[name], obj[name + "_bits"]))
    return x


def parameters(case):
    q = case["parameters"]
    p = {k: value(q, k) for k in ("alpha", "beta", "alpha_e", "theta0", "theta1")}
    p["cooldown"] = q["cooldown"]
    p["lr"] = [value(r, "value") for r in q["lr"]]
    i = q["initial"]
    initial = {"ehat": value(i, "ehat"), "phi": value(i, "phi"), "mode": i["mode"],
               "last_switch": i["last_switch"]}
    return p, initial


def run_case(case):
    """The records of your implementation for one case: dicts with ehat, phi, mode, lr, last_switch."""
    p, s = parameters(case)
    step = report_step if case["variant"] == "report" else repo_step
    out = []
    for inp in case["inputs"]:
        s = step(s, inp["step"], value(inp, "loss"), value(inp, "env"), p)
        out.append(dict(s, lr=p["lr"][s["mode"]]))
    return out


def check_case(case):
    """A list of disagreements (empty when the case passes)."""
    problems = []
    got = run_case(case)
    if len(got) != len(case["records"]):
        return ["%d records, expected %d" % (len(got), len(case["records"]))]
    for mine, want in zip(got, case["records"]):
        for f in ("ehat", "phi", "lr"):
            if bits(mine[f]) != want[f + "_bits"]:
                problems.append("step %d: %s = %r (%s), expected %s (%s)" % (
                    want["step"], f, mine[f], bits(mine[f]), want[f], want[f + "_bits"]))
        for f in ("mode", "last_switch"):
            if mine[f] != want[f]:
                problems.append("step %d: %s = %r, expected %r" % (want["step"], f, mine[f], want[f]))
        if len(problems) >= 5:
            break
    return problems


def main(argv):
    if len(argv) != 2:
        print("usage: check_vectors.py DIR   (DIR written by: unified-lora vectors --out DIR)", file=sys.stderr)
        return 2
    root = argv[1]
    with open(os.path.join(root, "index.json")) as f:
        index = json.load(f)
    if index["schema"] != 1:
        print("unknown schema %r" % index["schema"], file=sys.stderr)
        return 2
    failed = 0
    records = 0
    for entry in index["cases"]:
        with open(os.path.join(root, entry["file"])) as f:
            case = json.load(f)
        problems = check_case(case)
        records += len(case["records"])
        print("%-4s %-36s %5d records" % ("ok" if not problems else "FAIL", case["id"], len(case["records"])))
        for p in problems:
            print("     " + p)
        failed += bool(problems)
    n = len(index["cases"])
    print("%d passed, %d failed" % (n - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
