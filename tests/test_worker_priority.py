"""``helpbot worker`` lowers its CPU priority (HELPBOT_WORKER_NICE) so the web process's
acknowledgements of LINE's webhooks come first on a shared host."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pytest

from helpbot.config import load_settings
from helpbot.errors import ConfigError
from tests.conftest import LINE_SECRET, LINE_TOKEN
from tests.servers import running_worker


@pytest.mark.parametrize(
    ("raw", "expected"), [(None, 10), ("", 10), ("0", 0), ("7", 7), ("19", 19)]
)
def test_worker_nice_setting(raw, expected):
    environ = {} if raw is None else {"HELPBOT_WORKER_NICE": raw}
    assert load_settings(environ=environ, env_file=None).worker_nice == expected


@pytest.mark.parametrize("raw", ["-1", "20", "high", "2.5"])
def test_a_bad_worker_nice_names_the_variable(raw):
    with pytest.raises(ConfigError, match="HELPBOT_WORKER_NICE"):
        load_settings(environ={"HELPBOT_WORKER_NICE": raw}, env_file=None)


def _thread_nices(pid: int) -> dict[str, int]:
    """Niceness of each thread of a process (Linux keeps one per thread)."""
    nices = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        with contextlib.suppress(FileNotFoundError, ProcessLookupError):  # thread ended
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
            nices[task.name] = int(fields[16])  # field 19 of proc(5): nice
    return nices


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads /proc (Linux)")
@pytest.mark.parametrize("increment", [7, 0])
def test_every_thread_of_the_worker_process_runs_at_the_lowered_priority(
    increment, database_url, faq_dir, fake_line
):
    env = {
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "LINE_CHANNEL_SECRET": LINE_SECRET,
        "LINE_CHANNEL_ACCESS_TOKEN": LINE_TOKEN,
        "LINE_API_BASE_URL": fake_line.base_url,
        "HELPBOT_WORKER_NICE": str(increment),
    }
    expected = min(19, os.nice(0) + increment)
    with running_worker(env) as process:
        deadline = time.monotonic() + 60
        # The scheduler's and the event pump's threads exist once the worker is running.
        while len(nices := _thread_nices(process.pid)) < 3:
            assert process.poll() is None, "helpbot worker exited"
            assert time.monotonic() < deadline, "helpbot worker did not start its threads"
            time.sleep(0.2)
        assert set(nices.values()) == {expected}, nices
