"""Start the real gunicorn on a loopback port for end-to-end tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_worker(env: dict[str, str]) -> Iterator[subprocess.Popen[str]]:
    """Run ``helpbot worker`` like the Procfile's worker line."""
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("helpbot")), "worker"],
        cwd=ROOT,
        env={**os.environ, "HELPBOT_EMBEDDING_CACHE": "", **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@contextmanager
def running_gunicorn(env: dict[str, str], *, workers: int = 1) -> Iterator[str]:
    """Run ``gunicorn 'helpbot.app:create_app()'`` like the Procfile; yield its base URL."""
    port = free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(
        [
            str(gunicorn), "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            "--threads", "4", "helpbot.app:create_app()",
        ],
        cwd=ROOT,
        env={**os.environ, "HELPBOT_EMBEDDING_CACHE": "", **env, "PORT": str(port)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{process.stdout.read()}")
            try:
                with urllib.request.urlopen(f"{base_url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        if process.stdout:
            process.stdout.close()
