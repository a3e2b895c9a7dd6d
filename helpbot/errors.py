"""helpbot's exceptions: every exception class of the product lives here.

    HelpbotError
     ├── ConfigError        a setting is missing or malformed (names the variable)
     ├── KnowledgeError     the faq/ folder cannot be read at all
     ├── InvalidTransitionError  a case action that does not apply in the case's state
     ├── CaseNotFoundError  no case with that number (or that thread)
     ├── PersonNotFoundError  no person stored as CHANNEL:USER_ID (or a malformed one)
     ├── WhenError (also ValueError)  a reminder time we cannot read, or one in the past;
     │                      the message is shown to the case worker as is
     ├── RejectedWebhook    a LINE webhook body we will not store; ``status`` is the HTTP answer
     ├── UnsupportedEvent   a LINE event helpbot does not act on (a signal, not a failure)
     │    └── MalformedEvent  signed, but not shaped as LINE documents: failed, no retries
     ├── ReplyTokenRefused  LINE said "Invalid reply token" (spent or expired): push instead
     ├── BenchFormatError (also ValueError)    a bench file line that breaks the format
     ├── SqliteWorkersError (also ValueError)  more than one bench worker asked for on SQLite
     ├── ReportError (also ValueError)  a report period we cannot read (`--since`, `--until`)
     ├── DraftError         an FAQ draft that cannot be saved or approved (says what to fix)
     ├── StaffSignInError   the staff page's sign-in failed (bad token, Slack refused)
     ├── MediaUnavailableError  what a person sent cannot be fetched (gone, too big): a note
     ├── DatabaseError      the database failed; the message names the URL (no password) and
     │    │                 the cause, never the statement's parameters
     │    ├── DatabaseUnavailableError   cannot connect (refused, unknown host, bad password)
     │    ├── SchemaNotReadyError        reachable, but not migrated: run `helpbot db upgrade`
     │    └── MissingRowError            a row the schema promises is not there (a case
     │                                   whose contact is gone): restore it from a backup
     ├── UnsafeInputError   a request body helpbot will not store (too deep, too big, NaN, ...)
     ├── StorageError       the database could not store a request's rows
     │    ├── UnstorableRowError     the database refused this request's rows (others stored)
     │    ├── StorageUnavailableError  the database is down or too slow; try again later
     │    └── LeaseLostError         another worker holds the row now: this one's work is void
     └── DeliveryError      a platform refused or failed to take an outbound message
          └── RateLimitedError   the platform said 429; ``retry_after`` seconds when it said so

Expected errors become a kind reply to the person; anything else is logged with its
traceback and answered with a short apology, never with exception text.
"""

from __future__ import annotations

from enum import Enum


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


class MissingRowError(DatabaseError):
    """A row that another row points to is missing: the database lost data."""


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


class LeaseLostError(StorageError):
    """The row's lease passed to another worker (ours ran out): roll back, do nothing more."""


class KnowledgeError(HelpbotError):
    """The knowledge folder cannot be used at all (for example, it does not exist)."""


class InvalidTransitionError(HelpbotError):
    """The action does not apply to a case in this state (e.g. claiming a resolved case)."""

    def __init__(self, state: Enum, action: Enum) -> None:
        super().__init__(f"cannot {action} a case that is {state}")
        self.state = state
        self.action = action


class CaseNotFoundError(HelpbotError):
    """No case with that number (or that thread)."""


class PersonNotFoundError(HelpbotError):
    """No person is stored under that CHANNEL:USER_ID (or the reference is malformed)."""


class WhenError(HelpbotError, ValueError):
    """The text is not a time we understand, or it is in the past.  The message is shown to
    a case worker as is."""


class RejectedWebhook(HelpbotError):  # noqa: N818 - carries the HTTP status to answer
    """A webhook body we will not store: bad signature or not LINE's JSON."""

    def __init__(self, message: str, *, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class UnsupportedEvent(HelpbotError):  # noqa: N818 - a signal, not an error
    """An event helpbot does not act on (a new type, a group message, ...)."""


class MalformedEvent(UnsupportedEvent):
    """A signed event whose members are not what the platform documents (a message that is
    not an object, a timestamp beyond the calendar, a user id that is not text): never
    answered, never tried again. Its text names the member, never its value."""


class ReplyTokenRefused(HelpbotError):  # noqa: N818 - a signal inside the LINE sender
    """LINE answered "Invalid reply token": spent, or expired."""


class BenchFormatError(HelpbotError, ValueError):
    """A bench file line that is not what the format says."""


class SqliteWorkersError(HelpbotError, ValueError):
    """More than one worker was asked for on SQLite."""


class ReportError(HelpbotError, ValueError):
    """A report period we cannot read; the message says what to write instead."""


class DraftError(HelpbotError):
    """An FAQ draft that cannot be saved or approved; the message says what to fix."""


class StaffSignInError(HelpbotError):
    """The staff page's sign-in did not succeed (a wrong token, Slack refused the code)."""


class MediaUnavailableError(HelpbotError):
    """A person's image, video, audio or file cannot be fetched: gone, too big, refused.

    The message is a short reason for the case thread (never the content)."""
class MatchingConfigError(HelpbotError, ValueError):
    """The matcher's calibration file is unreadable or from another model version."""
