"""Settings for CLI commands, with ConfigError turned into a clear message and exit code."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

import click

from helpbot.config import Settings, load_settings
from helpbot.errors import ConfigError, DatabaseError
from helpbot.storage.database import Database


def cli_settings() -> Settings:
    try:
        return load_settings()
    except ConfigError as error:
        raise click.ClickException(str(error)) from None


def stop(error: Exception) -> NoReturn:
    """One line on stderr (``helpbot: cannot reach the database ...``), exit status 1."""
    click.echo(f"helpbot: {error}", err=True)
    raise SystemExit(1)


@contextmanager
def database_errors_stop() -> Iterator[None]:
    """Inside, a DatabaseError stops the command with one line, not a traceback."""
    try:
        yield
    except DatabaseError as error:
        stop(error)


def ready_database(database: Database) -> None:
    """Stop with one line unless the database is reachable and migrated."""
    from helpbot.storage.health import check_database

    with database_errors_stop():
        check_database(database)
