"""``helpbot serve``: the quick start - schema up to date, then gunicorn on localhost.

serve binds the port itself and hands the listening socket to gunicorn (``fd://N``), so a
busy port is one clear line and exit status 1, and the playground URL is printed only once
the port is ours. SIGTERM, SIGHUP and Ctrl-C stop gunicorn and the worker alike: each gets
SIGTERM and, together, STOP_WAIT seconds; one still running then is killed, and that is said in
one line but is no failure of serve (it was asked to stop). gunicorn's own graceful timeout is
shorter, so it stops its busy web workers itself and its master is done in time. serve exits 1
only when a child failed on its own.
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
# Seconds all children get, together, to stop after SIGTERM; gunicorn's graceful timeout for
# its web workers is shorter, so its master exits by itself well within it.
STOP_WAIT = 30.0
GRACEFUL_TIMEOUT = 10


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
             "--threads", "4", "--graceful-timeout", str(GRACEFUL_TIMEOUT),
             "--access-logfile", "-", "--logger-class", QUIET_LOGGER,
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
        killed = _stop_children(processes)
    if failures(processes, killed=killed):
        raise SystemExit(1)


def failures(
    processes: list[subprocess.Popen[bytes]], *, killed: list[subprocess.Popen[bytes]]
) -> list[int]:
    """Exit codes of children that failed on their own: a stop by SIGTERM is none, and
    neither is a child serve killed because it did not stop in time."""
    return [
        p.returncode for p in processes
        if p not in killed and p.returncode not in (0, -signal.SIGTERM, None)
    ]


def _stop_children(processes: list[subprocess.Popen[bytes]]) -> list[subprocess.Popen[bytes]]:
    # Ignore further stop signals while the children shut down (a second Ctrl-C included).
    previous = {s: signal.signal(s, signal.SIG_IGN) for s in (signal.SIGINT, *STOP_SIGNALS)}
    try:
        return terminate(processes)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def terminate(
    processes: list[subprocess.Popen[bytes]], *, wait: float = STOP_WAIT
) -> list[subprocess.Popen[bytes]]:
    """SIGTERM to every running child, then ``wait`` seconds for all of them together; kill
    those still running and return them. Each child's end is said in one line."""
    asked = [p for p in processes if p.poll() is None]
    for process in asked:
        process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + wait
    killed = []
    for process in processes:
        name = _name(process)
        try:
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            killed.append(process)
            click.echo(f"helpbot serve: {name} (pid {process.pid}) did not stop within "
                       f"{wait:.0f} s of SIGTERM; it was killed.", err=True)
            continue
        how = "stopped" if process in asked else "had already exited"
        # -15: it stopped on SIGTERM's default action (before installing its own handler, e.g.
        # while still starting), which is a stop as asked, not a failure to report as a code
        code = "" if process.returncode == -signal.SIGTERM else f" (exit {process.returncode})"
        click.echo(f"helpbot serve: {name} (pid {process.pid}) {how}{code}.", err=True)
    return killed


def _name(process: subprocess.Popen[bytes]) -> str:
    """``gunicorn helpbot.app:create_app()``, ``helpbot worker``: the program and its last
    argument."""
    args = [str(a) for a in process.args] if isinstance(process.args, list) else [
        str(process.args)]
    return " ".join(dict.fromkeys([os.path.basename(args[0]), args[-1]]))
