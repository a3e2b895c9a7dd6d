"""``helpbot serve``: the quick start - schema up to date, then gunicorn on localhost."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import click

from helpbot.cli.settings import cli_settings, database_errors_stop
from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade


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
    bin_dir = os.path.dirname(sys.executable)
    gunicorn = shutil.which("gunicorn") or os.path.join(bin_dir, "gunicorn")
    helpbot = shutil.which("helpbot") or os.path.join(bin_dir, "helpbot")
    click.echo(f"\n  helpbot is starting. Open the playground: http://{host}:{port}/\n")
    # The web process and the worker, as the Procfile runs them; Ctrl-C stops both.
    processes = [
        subprocess.Popen([helpbot, "worker"]),
        subprocess.Popen(
            [gunicorn, "--bind", f"{host}:{port}", "--workers", "1", "--threads", "4",
             "--access-logfile", "-", "helpbot.app:create_app()"]
        ),
    ]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
