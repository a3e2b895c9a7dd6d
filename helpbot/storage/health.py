"""Is the database there and migrated? One line for an operator, never a traceback.

Used at start-up (web and worker stop with the line), by ``/readyz``, by ``helpbot db
upgrade`` and by the worker's backoff. Messages name the URL without its password and the
cause, never a statement's parameters (they may hold what a person wrote).
"""

from __future__ import annotations

import re

from sqlalchemy import inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, InterfaceError, OperationalError

from helpbot.errors import DatabaseError, DatabaseUnavailableError, SchemaNotReadyError
from helpbot.storage.database import Database

_CAUSES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), cause)
    for pattern, cause in (
        (r"connection refused", "connection refused"),
        (r"password authentication failed", "password authentication failed"),
        (r"no password supplied", "the server wants a password"),
        (r"database \"([^\"]+)\" does not exist", 'database "{0}" does not exist'),
        (r"role \"([^\"]+)\" does not exist", 'user "{0}" does not exist'),
        (
            r"could not translate host name|name or service not known|nodename nor servname"
            r"|name resolution",
            "unknown host",
        ),
        (r"timeout expired|timed out", "connection timed out"),
        (r"unable to open database file", "cannot open the database file"),
        (r"database is locked", "the database file is locked"),
        (r"server closed the connection|terminating connection|connection .*lost",
         "the server closed the connection"),
        (r"too many connections|too many clients", "too many connections"),
        (r"the database system is (starting up|shutting down)", "the server is {0}"),
    )
)


def describe_url(url: str) -> str:
    """The URL as an operator wrote it, without password, driver or options."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "(an unreadable URL)"
    bare = URL.create(
        parsed.get_backend_name(),
        username=parsed.username,
        host=parsed.host,
        port=parsed.port,
        database=parsed.database,
    )
    return bare.render_as_string(hide_password=True)


def describe_cause(error: BaseException) -> str:
    """A short cause for a connection failure; never the text of a statement or its values."""
    original = getattr(error, "orig", None) or error
    message = str(original)
    for pattern, cause in _CAUSES:
        found = pattern.search(message)
        if found:
            return cause.format(*found.groups())
    return type(original).__name__


def is_connection_error(error: BaseException) -> bool:
    """True when the database could not be reached or dropped the connection."""
    if isinstance(error, DatabaseUnavailableError):
        return True
    if isinstance(error, OperationalError | InterfaceError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)


def unavailable(database_url: str, error: BaseException) -> DatabaseUnavailableError:
    return DatabaseUnavailableError(
        f"cannot reach the database {describe_url(database_url)}: {describe_cause(error)}. "
        "Check HELPBOT_DATABASE_URL and that the server is running."
    )


def check_database(database: Database) -> None:
    """Raise a DatabaseError with one clear line unless the database is reachable and migrated."""
    from alembic.script import ScriptDirectory

    from helpbot.storage.migrate import alembic_config

    where = describe_url(database.url)
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = None
            if inspect(connection).has_table("alembic_version"):
                current = connection.execute(
                    text("SELECT version_num FROM alembic_version")
                ).scalar()
    except DBAPIError as error:
        if is_connection_error(error):
            raise unavailable(database.url, error) from None
        raise DatabaseError(
            f"the database {where} failed: {describe_cause(error)}."
        ) from None
    head = ScriptDirectory.from_config(alembic_config(database)).get_current_head()
    if current == head:
        return
    if current is None:
        raise SchemaNotReadyError(
            f"the database {where} has no helpbot tables yet: run `helpbot db upgrade`."
        )
    raise SchemaNotReadyError(
        f"the database {where} is at schema revision {current}, this helpbot needs {head}: "
        "run `helpbot db upgrade`."
    )


def ping(database: Database) -> str | None:
    """None when a trivial query works; otherwise the one-line reason."""
    try:
        with database.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as error:
        return str(unavailable(database.url, error))
    return None
