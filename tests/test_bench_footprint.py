"""``helpbot bench footprint``: the Procfile's processes, small, through the CLI; the JSON
shape and generous ceilings (the targets themselves are met in the bench, not here)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from benchmarks import footprint
from helpbot.cli import main

pytestmark = pytest.mark.slow

TARGET_KEYS = {"web_mib", "worker_mib", "total_mib", "worker_cpu_ms_per_event", "answers_per_s"}


def test_cli_json_small_run_within_ceilings(database_url, faq_dir):
    result = CliRunner().invoke(
        main,
        ["bench", "footprint", "--events", "40", "--warmup", "5", "--database-url",
         database_url, "--faq-dir", str(faq_dir), "--timeout", "90", "--json"],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["events"] == 40 and report["warmup"] == 5 and report["web_chat"] is False
    assert report["web_command"].startswith(
        "gunicorn --config python:helpbot.cli.gunicorn_conf --bind 127.0.0.1:PORT --workers 2")
    pss = report["pss_mib"]
    assert len(pss["web"]) == 3  # the gunicorn master and its two workers
    assert all(value > 0 for value in pss["web"].values())
    assert pss["total"] == pytest.approx(pss["web_total"] + pss["worker"], abs=0.2)
    assert set(report["targets"]) == TARGET_KEYS
    for name, row in report["targets"].items():
        assert set(row) == {"target", "measured", "holds"}
        assert row["measured"] == report[name]
    # CI floor: far above the targets (a loaded CI machine), far below what a regression
    # costs (the web process loading the matcher again was 600 MiB).
    assert report["web_mib"] < 300
    assert report["total_mib"] < 800
    assert 0 < report["worker_cpu_ms_per_event"] < 500
    assert report["answers_per_s"] > 0.5


def test_web_command_is_the_procfiles_web_line_on_loopback():
    command = footprint.web_command(8123)
    assert command[0].endswith("gunicorn")
    assert command[1:5] == ["--config", "python:helpbot.cli.gunicorn_conf",
                            "--bind", "127.0.0.1:8123"]
    assert "helpbot.cli.access_log.QuietPollingLogger" in command
    assert command[-1] == "helpbot.app:create_app()"


def test_pss_and_cpu_of_this_process():
    assert footprint.pss_bytes(os.getpid()) > 1024 * 1024
    before = footprint.cpu_seconds(os.getpid())
    sum(i * i for i in range(300_000))
    assert footprint.cpu_seconds(os.getpid()) >= before
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(5)"])
    try:
        assert child.pid in footprint.children(os.getpid())
    finally:
        child.kill()
        child.wait()


def test_gunicorns_master_imports_no_database_or_matching_code():
    """The Procfile's --logger-class is imported by gunicorn's master (no app there)."""
    probe = (
        "import sys, helpbot.cli.access_log; "
        "print(sorted(m for m in ('sqlalchemy', 'numpy', 'alembic', 'linebot') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          check=True, env={**os.environ})
    assert done.stdout.strip() == "[]"
