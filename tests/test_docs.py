"""The front page and docs/ as a newcomer uses them: every relative link leads to a file, and every
shell block marked runnable (```bash runnable) runs as written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
_RUNNABLE = re.compile(r"^```bash runnable\n(.*?)^```", re.M | re.S)


def test_every_relative_link_leads_to_a_file():
    broken = []
    for page in PAGES:
        for target in _LINK.findall(page.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (page.parent / target).exists():
                broken.append(f"{page.relative_to(ROOT)} -> {target}")
    assert not broken, broken


def test_the_front_page_is_short_and_has_a_section_per_user():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(text) < 8000
    for heading in (
        "## The two commands",
        "## For operators",
        "## For analysts",
        "## For auditors",
        "## For contributors",
    ):
        assert heading in text, heading


BLOCKS = [(page, block) for page in PAGES for block in _RUNNABLE.findall(page.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("page,block", BLOCKS, ids=[f"{p.name}:{i}" for i, (p, _) in enumerate(BLOCKS)])
def test_runnable_shell_blocks_run_as_written(page, block):
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", block], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, f"{page.name}:\n{block}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"


def test_there_are_runnable_blocks():
    assert len(BLOCKS) >= 3
