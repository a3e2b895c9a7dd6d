"""Database errors without what people wrote in them.

``hide_parameters=True`` keeps SQLAlchemy from printing a statement's values, but PostgreSQL
itself quotes them back: ``DETAIL:  Token "NaN" is invalid. CONTEXT:  JSON data, line 1:
{"text": "…the message…``. ``redact`` cuts a database error to its first line and blanks
quoted values there, in place, so every later ``str()``, traceback and log line is clean.

It runs on every error SQLAlchemy raises (``handle_error`` on each engine) and, as a safety
net for raw DBAPI connections, on every log record that carries an exception
(``install_log_redaction``).
"""

from __future__ import annotations

import logging
import re
import sqlite3
from typing import Any

from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import DBAPIError

# Quoted names of schema objects stay; any other quoted text may be what a person wrote.
_OBJECTS = (
    "constraint|relation|column|table|index|database|role|user|type|schema|sequence"
    "|function|operator|server at"
)
_QUOTED = re.compile(
    rf"""(?P<before>\b(?:{_OBJECTS})\s+)?(?P<quote>["'])(?P<text>[^"']*)(?P=quote)""",
    re.IGNORECASE,
)
_REDACTED = "…"


def _clean_line(message: str) -> str:
    first = message.split("\n", 1)[0].strip()

    def blank(match: re.Match[str]) -> str:
        if match.group("before"):
            return match.group(0)
        quote = match.group("quote")
        return f"{quote}{_REDACTED}{quote}"

    return _QUOTED.sub(blank, first)


def _is_driver_error(error: BaseException) -> bool:
    if isinstance(error, sqlite3.Error):
        return True
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a dependency
        return False
    return isinstance(error, psycopg.Error)


def redact(error: BaseException | None) -> None:
    """Cut database errors in ``error``'s chain to one clean line each, in place."""
    seen: set[int] = set()
    current = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and current.orig is not None:
            orig = current.orig
            redact(orig)
            # SQLAlchemy wrote the driver's message into its own when it made the error.
            if current.args and isinstance(current.args[0], str):
                kind = f"{type(orig).__module__}.{type(orig).__name__}"
                current.args = (f"({kind}) {orig}", *current.args[1:])
        elif _is_driver_error(current) and current.args and isinstance(current.args[0], str):
            cleaned = _clean_line(current.args[0])
            if cleaned != current.args[0]:
                current.args = (cleaned, *current.args[1:])
        current = current.__cause__ or current.__context__


def redact_engine_error(context: ExceptionContext) -> None:
    """SQLAlchemy's ``handle_error`` hook: clean the driver's error before it is raised."""
    redact(context.original_exception)
    redact(context.sqlalchemy_exception)


def install_log_redaction() -> None:
    """Redact database errors in every log record of this process (idempotent)."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "redacts_database_errors", False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if record.exc_info and record.exc_info[1] is not None:
            redact(record.exc_info[1])
        if isinstance(record.args, tuple):
            for arg in record.args:
                if isinstance(arg, BaseException):
                    redact(arg)
        return record

    factory.redacts_database_errors = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)
