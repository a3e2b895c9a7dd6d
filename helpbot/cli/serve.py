"""``helpbot serve``: the quick start - schema up to date, then gunicorn on localhost.

serve binds the port itself and hands the listening socket to gunicorn (``fd://N``), so a
busy port is one clear line and exit status 1, and the playground URL is printed only once
the port is ours. SIGTERM, SIGHUP and Ctrl-C stop gunicorn and the worker alike.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from types import FrameType

import click

from helpbot.cli.settings import cli_settings, database_errors_stop, stop
from helpbot.errors import ConfigError
from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade

# Gunicorn's logger class that leaves the web chat's successful polls out of the access log.
QUIET_LOGGER = "helpbot.cli.access_log.QuietPollingLogger"
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def bind_listener(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; a busy port stops with one line naming PORT."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listener = socket.socket(family, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((host, port))
        listener.listen(2048)
    except OSError as error:
        listener.close()
        if error.errno == errno.EADDRINUSE:
            stop(ConfigError(
                f"port {port} on {host} is already in use by another program. "
                f"Stop it, or choose another port: PORT={port + 1} make run "
                f"(or PORT={port + 1} helpbot serve)."
            ))
        stop(ConfigError(
            f"cannot listen on {host}:{port}: {error.strerror}. Set PORT to a free port."
        ))
    listener.set_inheritable(True)
    return listener


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: PORT or 8000.")
def serve(host: str, port: int | None) -> None:
    """Run helpbot locally (SQLite by default) and print the playground URL."""
    settings = cli_settings()
    port = port or settings.port
    database = Database(settings.database_url)
    try:
        with database_errors_stop():
            upgrade(database)
    finally:
        database.dispose()
    listener = bind_listener(host, port)
    bin_dir = os.path.dirname(sys.executable)
    gunicorn = shutil.which("gunicorn", path=bin_dir) or shutil.which("gunicorn")
    helpbot = shutil.which("helpbot", path=bin_dir) or shutil.which("helpbot")
    worker = [helpbot, "worker"] if helpbot else [
        sys.executable, "-c", "from helpbot.cli import main; main()", "worker"]
    if gunicorn is None:
        listener.close()
        stop(ConfigError("gunicorn is not installed beside this Python; run make install."))
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"\n  helpbot is running. Open the playground: http://{shown}:{port}/\n")
    stopping = threading.Event()

    def request_stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {signum: signal.signal(signum, request_stop) for signum in STOP_SIGNALS}
    processes: list[subprocess.Popen[bytes]] = []
    try:
        # The web process and the worker, as the Procfile runs them.
        processes.append(subprocess.Popen(
            [gunicorn, "--bind", f"fd://{listener.fileno()}", "--workers", "1",
             "--threads", "4", "--access-logfile", "-", "--logger-class", QUIET_LOGGER,
             "helpbot.app:create_app()"],
            pass_fds=(listener.fileno(),),
        ))
        listener.close()  # gunicorn holds the port now; it is freed when gunicorn stops
        processes.append(subprocess.Popen(worker))
        while not stopping.is_set() and all(p.poll() is None for p in processes):
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        listener.close()
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _stop_children(processes)
    failed = [p.returncode for p in processes if p.returncode not in (0, -signal.SIGTERM, None)]
    if failed:
        raise SystemExit(1)


def _stop_children(processes: list[subprocess.Popen[bytes]]) -> None:
    # Ignore further stop signals while the children shut down (a second Ctrl-C included).
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, *STOP_SIGNALS)}
    try:
        _terminate(processes)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def _terminate(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
