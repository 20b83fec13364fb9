"""The README's section "Use it in your training loop": its Python block is run as written (in a
temporary directory, with real PyTorch on the CPU), then the `unified-lora audit` command shown
after it is run on the log the loop wrote; it must exit 0 and print every output line the README
shows."""

import os
import re
import subprocess
import sys

import pytest

from conftest import ROOT

pytest.importorskip("torch")

SECTION = "## Use it in your training loop"


def section_blocks():
    with open(os.path.join(ROOT, "README.md"), encoding="utf-8") as f:
        text = f.read()
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    section = text[start:end if end >= 0 else len(text)]
    return re.findall(r"```(\w*)\n(.*?)```", section, re.S)


def test_readme_training_loop_runs_and_its_log_audits_as_conforming(binary, tmp_path):
    blocks = section_blocks()
    code = [body for lang, body in blocks if lang == "python"]
    assert len(code) == 1, "one python block in the section"
    assert len(code[0].strip().splitlines()) <= 16, "the README promises a short loop"
    subprocess.run([sys.executable, "-c", code[0]], cwd=str(tmp_path), check=True)
    audit = [body for lang, body in blocks if body.startswith("unified-lora audit")]
    assert len(audit) == 1, "one audit block in the section"
    lines = audit[0].strip().splitlines()
    args = lines[0].split()[1:]
    p = subprocess.run([binary] + args, cwd=str(tmp_path), capture_output=True, text=True)
    assert p.returncode == 0, p.stdout + p.stderr
    got = p.stdout.splitlines()
    for shown in lines[1:]:
        assert shown in got, "README shows %r; audit printed:\n%s" % (shown, p.stdout)
    assert got[0] == "verdict: conforms"
