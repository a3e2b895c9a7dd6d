"""`helpbot serve` as a new user runs it: a busy port, SIGTERM, and a quiet access log."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpbot.cli.access_log import is_quiet_poll
from helpbot.cli.serve import failures, terminate
from tests.servers import ROOT, free_port

pytestmark = pytest.mark.slow

SERVE = [sys.executable, "-c", "from helpbot.cli import main; main()", "serve"]


def _env(database_url: str, faq_dir: Path, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "HELPBOT_DATABASE_URL": database_url,
        "HELPBOT_FAQ_DIR": str(faq_dir),
        "HELPBOT_EMBEDDING_CACHE": "",
        "HELPBOT_LOG_KEY": "serve-test",
        "PORT": str(port),
        "PYTHONPATH": str(ROOT),
        "PYTHONUNBUFFERED": "1",
    }


@contextlib.contextmanager
def _serving(env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(
            SERVE, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield process
    finally:  # whatever happened, leave nothing running
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()]


def _alive(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status


def _port_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_healthy(base_url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    pytest.fail("helpbot serve never answered /healthz:\n" + log.read_text(errors="replace"))


def test_a_busy_port_is_one_line_naming_port_and_a_failure(database_url, faq_dir, tmp_path):
    with socket.socket() as someone_else:
        someone_else.bind(("127.0.0.1", 0))
        someone_else.listen()
        port = someone_else.getsockname()[1]
        done = subprocess.run(
            SERVE, check=False, env=_env(database_url, faq_dir, port), cwd=ROOT,
            capture_output=True, text=True, timeout=120,
        )
    assert done.returncode == 1
    assert "http://" not in done.stdout + done.stderr  # no URL pointing at someone else
    assert "Connection in use" not in done.stderr  # gunicorn never started
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"helpbot: port {port} ")
    assert f"PORT={port + 1}" in lines[0]


def test_sigterm_stops_gunicorn_and_the_worker_and_frees_the_port(
    database_url, faq_dir, tmp_path
):
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_path / "serve.log"
    with _serving(_env(database_url, faq_dir, port), log) as process:
        _wait_healthy(base_url, process, log)
        assert f"Open the playground: {base_url}/" in log.read_text()
        children = _children(process.pid)
        assert len(children) == 2  # gunicorn's master and the worker
        _chat_and_poll(base_url)
        process.send_signal(signal.SIGTERM)  # to serve alone, as a process manager does
        assert process.wait(timeout=40) == 0
        assert not [child for child in children if _alive(child)]
        assert _port_free(port)
    output = log.read_text(errors="replace")
    # How each child ended is said: stopped, or killed after the wait (not a failure).
    for child in children:
        assert f"(pid {child}) stopped" in output or f"(pid {child}) did not stop" in output
    # The access log keeps real requests and leaves out the chat's successful polls.
    assert "POST /api/playground/messages" in output
    assert "GET /healthz" in output
    assert "GET /api/playground/messages" not in output


def _chat_and_poll(base_url: str) -> None:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    request = urllib.request.Request(
        f"{base_url}/api/playground/messages", method="POST",
        data=json.dumps({"text": "食べ物に困っています"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with opener.open(request, timeout=20) as response:
        assert response.status == 200
    for _ in range(3):
        with opener.open(f"{base_url}/api/playground/messages?after=0", timeout=10) as response:
            assert response.status == 200


@pytest.mark.parametrize(
    ("method", "path", "status", "quiet"),
    [
        ("GET", "/api/playground/messages", "200", True),
        ("GET", "/api/playground/cases", "200", True),
        ("GET", "/api/playground/messages", "429", False),
        ("POST", "/api/playground/messages", "200", False),
        ("GET", "/", "200", False),
        ("GET", "/healthz", "200", False),
    ],
)
def test_only_successful_polls_leave_the_access_log(method, path, status, quiet):
    assert is_quiet_poll(method=method, path=path, status=status) is quiet


@pytest.fixture
def spawn() -> Iterator[list[subprocess.Popen[bytes]]]:
    """Children started by a test; whatever happens, none is left running or open."""
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)
        if process.stdout is not None:
            process.stdout.close()


def _child(spawn: list[subprocess.Popen[bytes]], code: str) -> subprocess.Popen[bytes]:
    """A Python child that runs ``code`` and says "ready" once its signal handlers are set."""
    process = subprocess.Popen([sys.executable, "-c", code + "\nprint('ready', flush=True)"
                                "\nimport time\ntime.sleep(60)"], stdout=subprocess.PIPE)
    spawn.append(process)
    assert process.stdout is not None and process.stdout.readline() == b"ready\n"
    return process


def test_a_child_that_does_not_stop_in_time_is_killed_said_and_no_failure(spawn, capfd):
    stubborn = _child(spawn, "import signal; signal.signal(signal.SIGTERM, signal.SIG_IGN)")
    polite = _child(spawn, "")
    started = time.monotonic()
    killed = terminate([polite, stubborn], wait=1.0)
    assert time.monotonic() - started < 10
    assert killed == [stubborn] and stubborn.returncode == -signal.SIGKILL
    assert polite.returncode == -signal.SIGTERM
    assert failures([polite, stubborn], killed=killed) == []
    said = capfd.readouterr().err
    assert f"(pid {stubborn.pid}) did not stop within 1 s of SIGTERM; it was killed." in said
    assert f"(pid {polite.pid}) stopped." in said


def test_a_child_that_failed_on_its_own_is_still_a_failure(spawn, capfd):
    crashed = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    spawn.append(crashed)
    crashed.wait(timeout=30)
    running = _child(spawn, "")
    killed = terminate([crashed, running], wait=5.0)
    assert killed == []
    assert failures([crashed, running], killed=killed) == [3]
    assert f"(pid {crashed.pid}) had already exited (exit 3)." in capfd.readouterr().err
