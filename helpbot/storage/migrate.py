"""Run the Alembic migrations in ``migrations/`` (``helpbot db upgrade``)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import DBAPIError

from helpbot.storage.database import Database

if TYPE_CHECKING:
    from alembic.config import Config


def migrations_dir() -> Path:
    """Where the migrations are: beside the package in a checkout, inside it when installed."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package.parent / "migrations", package / "_migrations"):
        if (candidate / "env.py").is_file():
            return candidate
    raise FileNotFoundError(
        "helpbot's migrations folder is missing; reinstall helpbot (pip install -e .)"
    )


def alembic_config(database: Database) -> Config:
    from alembic.config import Config  # Alembic only when migrating (not in gunicorn's master)

    # Alembic 1.17+ logs each of its plugins at INFO on every start: noise in `make run`.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    # '%' must be doubled for configparser; URLs may carry %-escapes.
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def upgrade(database: Database, revision: str = "head") -> None:
    """Build or update the schema to the newest revision.

    Raises DatabaseUnavailableError (one line: URL without password, cause) when the
    database cannot be reached.
    """
    from alembic import command

    from helpbot.storage.health import is_connection_error, unavailable

    config = alembic_config(database)
    try:
        with database.engine.connect():
            pass  # reachable? (then a failure below is about the migrations themselves)
    except DBAPIError as error:
        if is_connection_error(error):
            raise unavailable(database.url, error) from None
        raise
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
