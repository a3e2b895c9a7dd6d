"""Database errors described without the values that caused them.

PostgreSQL's messages quote the offending value ("invalid input syntax for type integer:
\\"...\\"", a JSON error's CONTEXT line holds the JSON text, a unique violation's DETAIL the
key), and that value may be a person's message. So logs get the error class, the SQLSTATE and
the table, column or constraint, never the message. SQLAlchemy's ``hide_parameters`` covers
the ORM; the request path's raw driver calls come through here.
"""

from __future__ import annotations

import sqlite3

_ROW_ERROR_CLASSES = frozenset({"DataError", "IntegrityError"})


def describe_db_error(error: BaseException) -> str:
    """``"DataError InvalidTextRepresentation (SQLSTATE 22P02, table webhook_events)"``."""
    original = getattr(error, "orig", None) or error
    kinds = [type(original).__name__]
    base = next(
        (c.__name__ for c in type(original).__mro__[1:] if c.__name__ in _ROW_ERROR_CLASSES),
        None,
    )
    if base is not None:
        kinds.insert(0, base)
    where = []
    diag = getattr(original, "diag", None)
    if diag is not None:
        for label in ("sqlstate", "table_name", "column_name", "constraint_name"):
            value = getattr(diag, label, None)
            if value:
                where.append(f"{label.removesuffix('_name')} {value}")
    if isinstance(original, sqlite3.Error):
        name = getattr(original, "sqlite_errorname", None)
        if name:
            where.append(name)
    detail = f" ({', '.join(where)})" if where else ""
    return " ".join(kinds) + detail


def is_row_error(error: BaseException) -> bool:
    """True when the database (or its driver) refused a value, not when it is unreachable.

    DataError and IntegrityError are DB-API names both drivers use; a ValueError is a value
    the driver could not even send (a lone surrogate cannot be encoded as UTF-8).
    """
    original = getattr(error, "orig", None) or error
    if isinstance(original, ValueError | TypeError):
        return True
    return any(c.__name__ in _ROW_ERROR_CLASSES for c in type(original).__mro__)
