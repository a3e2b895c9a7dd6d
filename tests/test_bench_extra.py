"""``helpbot bench`` without the bench extra says how to install it (the bench tests run it
with the extra installed)."""

from __future__ import annotations

import sys

import pytest
from click.testing import CliRunner

from helpbot.cli import main


def test_bench_without_the_extra_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "benchmarks", None)  # as if benchmarks/ were not installed
    result = CliRunner().invoke(main, ["bench", "scale", "--entries", "10"])
    assert result.exit_code == 1
    assert "pip install 'helpbot[bench]'" in result.output

