"""``helpbot db upgrade``: build or update the database schema."""

from __future__ import annotations

import click

from helpbot.cli.settings import cli_settings, database_errors_stop
from helpbot.storage.database import Database
from helpbot.storage.migrate import upgrade


@click.group()
def db() -> None:
    """Manage the database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def db_upgrade(revision: str) -> None:
    """Create or update the schema (SQLite or PostgreSQL) to the newest version."""
    settings = cli_settings()
    database = Database(settings.database_url)
    try:
        with database_errors_stop():
            upgrade(database, revision)
    finally:
        database.dispose()
    click.echo(f"database is at revision {revision}")
