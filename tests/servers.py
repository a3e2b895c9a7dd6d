"""Start the real gunicorn and worker, like the Procfile, for end-to-end tests.

The processes come from :mod:`benchmarks.harness` (its commands, process groups and
``free_port``), but run from the checkout with the given number of gunicorn workers.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from benchmarks.harness import (
    HELPBOT_APP,
    free_port,
    gunicorn_command,
    start_process,
    stop_groups,
    worker_command,
)

__all__ = ["ROOT", "free_port", "running_gunicorn", "running_worker"]

ROOT = Path(__file__).resolve().parent.parent
TEST_ENV = {"HELPBOT_EMBEDDING_CACHE": ""}  # defaults the given env may override


@contextmanager
def running_worker(env: dict[str, str]) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``helpbot worker`` like the Procfile's worker line (output discarded)."""
    process = start_process(worker_command(), {**TEST_ENV, **env}, Path(os.devnull), cwd=ROOT)
    try:
        yield process
    finally:
        stop_groups([process], grace=15)


@contextmanager
def running_gunicorn(
    env: dict[str, str], *, workers: int = 1, log_to: Path | None = None,
    config: str | None = None,
) -> Iterator[str]:
    """Run ``gunicorn 'helpbot.app:create_app()'`` like the Procfile; yield its base URL.

    With ``log_to``, gunicorn writes its output there with the Procfile's access log; with
    ``config``, gunicorn reads that config (the Procfile's ``python:helpbot.cli.gunicorn_conf``).
    """
    port = free_port()
    command = gunicorn_command(HELPBOT_APP, port, access_log=log_to is not None)
    command[command.index("--workers") + 1] = str(workers)
    if config is not None:
        command[1:1] = ["--config", config]
    with tempfile.TemporaryDirectory(prefix="helpbot-gunicorn-") as tmp:
        log_path = log_to or Path(tmp) / "gunicorn.log"
        process = start_process(command, {**TEST_ENV, **env, "PORT": str(port)}, log_path, cwd=ROOT)
        try:
            base_url = f"http://127.0.0.1:{port}"
            _wait_healthy(process, f"{base_url}/healthz", log_path, timeout=30)
            yield base_url
        finally:
            stop_groups([process])


def _wait_healthy(
    process: subprocess.Popen[bytes], url: str, log_path: Path, *, timeout: float
) -> None:
    """Return once ``url`` answers 200; raise if the process exits or ``timeout`` passes."""
    deadline = time.monotonic() + timeout
    while process.poll() is None:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    raise RuntimeError(f"gunicorn exited:\n{log_path.read_text(errors='replace')}")
