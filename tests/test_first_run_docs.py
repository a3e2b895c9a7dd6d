"""The README's first run: the two quick-start commands, and how to reach `helpbot` after."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.servers import ROOT

README = ROOT / "README.md"


def _quick_start_block() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.DOTALL)
    assert block, "the quick start has a sh block"
    return [line.split("#", 1)[0].strip() for line in block.group(1).splitlines()]


def test_the_quick_start_is_still_exactly_two_commands():
    assert _quick_start_block() == ["make run", "make test"]


def test_the_readme_says_how_to_run_the_cli_after_make_run():
    section = README.read_text(encoding="utf-8").split("## Quick start", 1)[1]
    section = section.split("\n## ", 1)[0]
    assert "`.venv/bin/helpbot`" in section
    assert "`make shell`" in section
    assert "PORT=" in section  # what to do when port 8000 is taken


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_make_shell_puts_helpbot_on_path():
    venv = Path(sys.executable).parent.parent
    if not (venv / "bin" / "helpbot").exists():
        pytest.skip("this Python has no helpbot script beside it")
    done = subprocess.run(
        ["make", "-s", "-o", "install", "shell", f"VENV={venv}"],
        input="command -v helpbot\n", capture_output=True, text=True, check=False,
        cwd=ROOT, env={**os.environ, "SHELL": "/bin/sh"}, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == str(venv / "bin" / "helpbot")
