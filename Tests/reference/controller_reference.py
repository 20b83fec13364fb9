#!/usr/bin/env python3
"""An independent statement of the two variants of the Unified-LoRA controller in Python floats.

The repo variant restates, operation for operation, the update of the published controller.py
(SPEC §3): the raw loss is smoothed first, then squashed, then phi, then the mode from the new
phi. The report variant restates SPEC §2. Python floats are IEEE-754 binary64 with one rounding
per operation and no fused multiply-add, so the results must agree bit for bit with the Swift core.

Reads `loss,env` lines on stdin (no header), writes `ehat,phi,mode` per line as float.hex().
Usage: controller_reference.py report|repo [alpha beta alphaE theta0 theta1 cooldown]
"""
import sys


def repo(lines, alpha=0.1, beta=0.9, theta0=0.3, theta1=0.7):
    e_smooth, phi, mode = 1.0, 0.5, 1
    for loss, _env in lines:
        e_smooth = beta * e_smooth + (1 - beta) * loss
        d = e_smooth / (1 + e_smooth)
        phi = (1 - alpha) * phi + alpha * d
        if phi < theta0:
            mode = 0
        elif phi < theta1:
            mode = 1
        else:
            mode = 2
        yield e_smooth, phi, mode


def report(lines, alpha=0.1, beta=0.9, alpha_e=0.5, theta0=0.3, theta1=0.7, cooldown=30):
    ehat, phi, mode, last = 0.0, 0.0, 0, None
    for t, (loss, env) in enumerate(lines):
        d = loss / (1 + loss)
        x = alpha_e * env + (1 - alpha_e) * d
        new_ehat = beta * ehat + (1 - beta) * x
        new_phi = (1 - alpha) * phi + alpha * (ehat / (1 + ehat))
        c = 0 if phi < theta0 else (1 if phi < theta1 else 2)
        if c != mode and (last is None or t - last >= cooldown):
            mode, last = c, t
        ehat, phi = new_ehat, new_phi
        yield ehat, phi, mode


def main():
    variant = sys.argv[1]
    params = [float(a) for a in sys.argv[2:]]
    lines = []
    for raw in sys.stdin:
        loss, env = raw.strip().split(",")
        lines.append((float(loss), float(env)))
    if variant == "repo":
        out = repo(lines, *params)
    else:
        if len(params) == 6:
            params[5] = int(params[5])
        out = report(lines, *params)
    w = sys.stdout.write
    for ehat, phi, mode in out:
        w(f"{ehat.hex()},{phi.hex()},{mode}\n")


if __name__ == "__main__":
    main()
