"""helpbot's exceptions.

    HelpbotError
     ├── ConfigError        a setting is missing or malformed (names the variable)
     ├── KnowledgeError     the faq/ folder cannot be read at all
     ├── DatabaseError      the database failed; the message names the URL (no password) and
     │    │                 the cause, never the statement's parameters
     │    ├── DatabaseUnavailableError   cannot connect (refused, unknown host, bad password)
     │    └── SchemaNotReadyError        reachable, but not migrated: run `helpbot db upgrade`
     ├── UnsafeInputError   a request body helpbot will not store (too deep, too big, NaN, ...)
     ├── StorageError       the database could not store a request's rows
     │    ├── UnstorableRowError     the database refused this request's rows (others stored)
     │    └── StorageUnavailableError  the database is down or too slow; try again later
     └── DeliveryError      a platform refused or failed to take an outbound message
          └── RateLimitedError   the platform said 429; ``retry_after`` seconds when it said so

Expected errors become a kind reply to the person; anything else is logged with its
traceback and answered with a short apology, never with exception text.
"""

from __future__ import annotations


class HelpbotError(Exception):
    """Base class of every error helpbot raises on purpose."""


class ConfigError(HelpbotError):
    """A setting is missing or malformed."""


class DatabaseError(HelpbotError):
    """The database failed; the message is one line for an operator."""


class DatabaseUnavailableError(DatabaseError):
    """The database cannot be reached."""


class SchemaNotReadyError(DatabaseError):
    """The database answers but its schema is missing or older than this helpbot."""


class DeliveryError(HelpbotError):
    """A platform did not take an outbound message."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class RateLimitedError(DeliveryError):
    """The platform asked us to slow down."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message, status=429)
        self.retry_after = retry_after


class UnsafeInputError(HelpbotError, ValueError):
    """Input that helpbot refuses to store: the message says what is wrong, never the data."""


class StorageError(HelpbotError):
    """The database did not store a request's rows; the message carries no row values."""


class UnstorableRowError(StorageError):
    """The database refused one request's rows; the rest of its batch was stored."""


class StorageUnavailableError(StorageError):
    """The database could not be reached or did not answer in time."""
