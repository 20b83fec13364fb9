"""Helpers shared by the notebooks: find the unified-lora binary, run it, read its output.

The binary is $UNIFIED_LORA_BIN, else .build/release/unified-lora, else .build/debug/unified-lora
(relative to the repository root: $UNIFIED_LORA_ROOT, else the parent of this file's folder). $UNIFIED_LORA_NOTEBOOK_BUDGET=small makes the notebooks use
small grids and short runs (the test suite sets it); the default is "full".
"""
import csv
import io
import json
import os
import subprocess

import matplotlib

ROOT = os.environ.get("UNIFIED_LORA_ROOT") or os.path.abspath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
BUDGET = os.environ.get("UNIFIED_LORA_NOTEBOOK_BUDGET", "full")
SMALL = BUDGET == "small"

MODE_NAMES = ["Single", "Multi", "Mirror"]
MODE_COLORS = ["#d8ecd2", "#fbe3b0", "#f6c3c0"]  # green, amber, red bands


def binary():
    env = os.environ.get("UNIFIED_LORA_BIN")
    if env:
        # A relative path is taken from the repository root (the kernel runs in Notebooks/).
        return env if os.path.isabs(env) else os.path.join(ROOT, env)
    for build in ("release", "debug"):
        path = os.path.join(ROOT, ".build", build, "unified-lora")
        if os.access(path, os.X_OK):
            return path
    raise FileNotFoundError(
        "no unified-lora binary: run `swift build -c release --product unified-lora` "
        "or set UNIFIED_LORA_BIN")


def run(*args, check=True):
    """Runs the binary; returns (exit status, stdout). Raises on an unexpected failure."""
    p = subprocess.run([binary(), *map(str, args)], capture_output=True, text=True)
    if check and p.returncode != 0:
        raise RuntimeError("unified-lora %s exited %d: %s" % (" ".join(map(str, args)), p.returncode, p.stderr))
    return p.returncode, p.stdout


def describe():
    """The binary (relative to the repository root), its version and the budget, for the record."""
    version = subprocess.run([binary(), "--version"], capture_output=True, text=True).stdout.strip()
    return "binary: %s (version %s) | budget: %s" % (os.path.relpath(binary(), ROOT), version, BUDGET)


def command(*args):
    """The command line as text, for printing next to a figure."""
    return "unified-lora " + " ".join(map(str, args))


def csv_records(*args):
    """Runs a command with --format csv and returns its rows as dicts of floats (ints for step, mode)."""
    _, out = run(*args, "--format", "csv")
    rows = []
    for r in csv.DictReader(io.StringIO(out)):
        rows.append({k: (int(v) if k in ("step", "mode") else float(v)) for k, v in r.items()})
    return rows


def json_output(*args, statuses=(0,)):
    """Runs a command with --format json and returns (exit status, parsed JSON)."""
    status, out = run(*args, "--format", "json", check=False)
    if status not in statuses:
        raise RuntimeError("unified-lora %s exited %d" % (" ".join(map(str, args)), status))
    return status, json.loads(out)


def column(rows, key):
    return [r[key] for r in rows]


def mode_bands(ax, steps, modes, alpha=1.0):
    """Shades the background of ax by mode (green Single, amber Multi, red Mirror)."""
    start = 0
    for i in range(1, len(modes) + 1):
        if i == len(modes) or modes[i] != modes[start]:
            ax.axvspan(steps[start] - 0.5, steps[i - 1] + 0.5, color=MODE_COLORS[modes[start]],
                       alpha=alpha, lw=0, zorder=0)
            start = i


def mode_legend(ax, **kw):
    from matplotlib.patches import Patch
    handles = [Patch(color=c, label=n) for c, n in zip(MODE_COLORS, MODE_NAMES)]
    return ax.legend(handles=handles, **kw)


def shade_windows(ax, windows, label="shock"):
    for k, (a, b) in enumerate(windows):
        ax.axvspan(a - 0.5, b - 0.5, color="0.5", alpha=0.15, lw=0, label=label if k == 0 else None)


def style():
    matplotlib.rcParams.update({
        "figure.dpi": 100, "savefig.dpi": 100, "axes.grid": True, "grid.alpha": 0.3,
        "axes.spines.top": False, "axes.spines.right": False, "font.size": 9,
    })
