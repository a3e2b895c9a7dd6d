"""``helpbot serve``: the quick start - schema up to date, then gunicorn on localhost."""

from __future__ import annotations

import os
import shutil
import sys

import click

from helpbot.cli.settings import cli_settings
from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, default=None, help="Default: PORT or 8000.")
def serve(host: str, port: int | None) -> None:
    """Run helpbot locally (SQLite by default) and print the playground URL."""
    settings = cli_settings()
    port = port or settings.port
    if settings.database_url.startswith("sqlite:///"):
        from pathlib import Path

        Path(settings.database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True
        )
    database = Database(settings.database_url)
    upgrade(database)
    database.dispose()
    gunicorn = shutil.which("gunicorn") or os.path.join(os.path.dirname(sys.executable),
                                                        "gunicorn")
    click.echo(f"\n  helpbot is starting. Open the playground: http://{host}:{port}/\n")
    os.execvp(
        gunicorn,
        [gunicorn, "--bind", f"{host}:{port}", "--workers", "1", "--threads", "4",
         "--access-logfile", "-", "helpbot.app:create_app()"],
    )
