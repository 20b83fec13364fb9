"""Shared fixtures: the repository root and the Swift binary the package is checked against.

The binary is UNIFIED_LORA_BIN, or .build/debug/unified-lora (``make test`` builds it first)."""

import os
import subprocess

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def binary_path():
    return os.environ.get("UNIFIED_LORA_BIN") or os.path.join(ROOT, ".build", "debug", "unified-lora")


@pytest.fixture(scope="session")
def binary():
    path = binary_path()
    if not os.access(path, os.X_OK):
        pytest.fail("the unified-lora binary is missing at %s: run `swift build` first "
                    "(or set UNIFIED_LORA_BIN)" % path)
    return path


def run(binary, args, stdin=None, check=True):
    p = subprocess.run([binary] + list(args), input=stdin, capture_output=True, text=True)
    if check and p.returncode != 0:
        raise AssertionError("unified-lora %s exited %d: %s" % (" ".join(args), p.returncode, p.stderr))
    return p
