"""Webhook events as received: stored before we answer 200, then claimed and processed.

The web process only stores: concurrent requests are grouped into one transaction of
INSERT ... ON CONFLICT DO NOTHING (redeliveries insert nothing), which on PostgreSQL also sends
a NOTIFY that wakes the worker at once. The worker
claims due events in batches through the shared lease queue (``storage/leases.py``): a short
lease, renewed while the batch is processed, so a killed worker's events come back within
seconds, while their reply tokens are still good. One person's events are claimed in order: an
event waits while an earlier one of the same person is being processed or not yet tried (an
earlier event waiting to be retried after a failure does not hold the later ones back).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, or_, update
from sqlalchemy.orm import Session

from helpbot.storage.database import Database
from helpbot.storage.group_commit import GroupCommitter
from helpbot.storage.leases import Backoff, Lease, LeaseQueue
from helpbot.storage.models import EventStatus, QueueState, WebhookEvent

NOTIFY_CHANNEL = "helpbot_events"
MAX_ATTEMPTS = 3
# How long a web request waits for SQLite's write lock before it fails (LINE retries later).
SQLITE_LOCK_WAIT = 10.0


@dataclass(frozen=True, slots=True)
class NewEvent:
    event_id: str
    event_type: str
    payload: dict[str, Any]
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    lease: Lease
    event_id: str
    payload: dict[str, Any]
    received_at: dt.datetime
    source: str | None
    # The turn recorded by an earlier try (``WebhookEvent.turn``), or None.
    turn: dict[str, Any] | None

    @property
    def id(self) -> int:
        return self.lease.id

    @property
    def attempts(self) -> int:
        return self.lease.attempts


def fallback_event_id(payload: dict[str, Any]) -> str:
    """A stable id for an event that carries none: the hash of its canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:48]


_COLUMNS = (
    "channel",
    "event_id",
    "event_type",
    "payload",
    "status",
    "attempts",
    "received_at",
    "source",
    "next_attempt_at",
)


class _RawWriter:
    """One DBAPI connection, owned by the group-commit thread: the request path's only write.

    SQLAlchemy Core costs about ten times the INSERT itself here (0.45 ms against 0.04 ms per
    batch on SQLite, measured), so this one statement goes straight to the driver. Values are
    written exactly as the models' types write them (UTC times; JSON text).
    """

    def __init__(self, database: Database) -> None:
        self._database = database
        self._connection: Any = None
        self._lock_file: Any = None
        marker = "?" if database.is_sqlite else "%s"
        self._sql = (
            f"INSERT INTO webhook_events ({', '.join(_COLUMNS)}) "
            f"VALUES ({', '.join([marker] * len(_COLUMNS))}) "
            "ON CONFLICT (channel, event_id) DO NOTHING RETURNING id, channel, event_id"
        )

    def _value(self, column: str, value: Any) -> Any:
        if column == "payload":
            return json.dumps(value, ensure_ascii=False)
        if isinstance(value, dt.datetime) and self._database.is_sqlite:
            # SQLAlchemy's SQLite DATETIME format, in UTC (see models.UTCDateTime).
            return value.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return value

    def insert(self, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str, str]]:
        if self._database.is_sqlite:
            # SQLite makes a second writer sleep and poll for its lock (1 ms, 2 ms, ... 100 ms);
            # a file lock instead wakes the next web process the moment the first commits.
            with self._sqlite_write_lock():
                return self._insert(rows)
        return self._insert(rows)

    @contextlib.contextmanager
    def _sqlite_write_lock(self) -> Iterator[None]:
        if self._lock_file is None:
            path = self._database.url.removeprefix("sqlite:///") + ".write-lock"
            self._lock_file = open(path, "a+b")  # noqa: SIM115 - held for the process's life
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)

    def _insert(self, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str, str]]:
        if not self._database.is_sqlite:
            return self._insert_postgres(rows)
        deadline = time.monotonic() + SQLITE_LOCK_WAIT
        while True:
            try:
                return self._insert_sqlite(rows)
            except sqlite3.OperationalError as error:
                # The worker holds SQLite's write lock: try again in half a millisecond
                # rather than in SQLite's own steps of up to 100 ms.
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.0005)

    def _insert_sqlite(self, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str, str]]:
        if self._connection is None:
            self._connection = self._database.engine.raw_connection()
            self._connection.cursor().execute("PRAGMA busy_timeout=0")
        connection = self._connection
        try:
            cursor = connection.cursor()
            inserted = []
            for row in rows:
                cursor.execute(self._sql, [self._value(c, row[c]) for c in _COLUMNS])
                inserted.extend(cursor.fetchall())
            cursor.close()
            connection.commit()
        except Exception as error:
            with contextlib.suppress(Exception):
                connection.rollback()
            if "locked" not in str(error):
                # A broken connection is replaced on the next batch.
                connection.invalidate()
                self._connection = None
            raise
        return [(int(r[0]), str(r[1]), str(r[2])) for r in inserted]

    def _insert_postgres(self, rows: Sequence[dict[str, Any]]) -> list[tuple[int, str, str]]:
        """One statement, one round trip: insert, return the new ids, wake the worker."""
        if self._connection is None:
            self._connection = self._database.engine.raw_connection()
            # The statement is its own transaction: committed when it returns.
            self._connection.driver_connection.autocommit = True
        placeholders = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
        sql = (
            f"WITH inserted AS (INSERT INTO webhook_events ({', '.join(_COLUMNS)}) "
            f"VALUES {', '.join([placeholders] * len(rows))} "
            "ON CONFLICT (channel, event_id) DO NOTHING RETURNING id, channel, event_id) "
            f"SELECT id, channel, event_id, pg_notify('{NOTIFY_CHANNEL}', '') FROM inserted"
        )
        values = [self._value(c, row[c]) for row in rows for c in _COLUMNS]
        try:
            with self._connection.driver_connection.cursor() as cursor:
                cursor.execute(sql, values)
                inserted = cursor.fetchall()
        except Exception:
            with contextlib.suppress(Exception):
                self._connection.invalidate()
            self._connection = None
            raise
        return [(int(r[0]), str(r[1]), str(r[2])) for r in inserted]


class Inbox:
    """Idempotent storage of platform events, keyed by (channel, event id)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._writer = _RawWriter(database)
        # Concurrent requests share one commit (see group_commit.py).
        self._committer: GroupCommitter[list[dict[str, Any]], list[int]] = GroupCommitter(
            self._write_batches, name="inbox"
        )
        self.queue = LeaseQueue(
            database, WebhookEvent, order_by=(WebhookEvent.id,), waits_for=_waits_for_earlier
        )

    def store(self, *, channel: str, events: Sequence[NewEvent], now: dt.datetime) -> list[int]:
        """Store events not seen before; return the row ids of the new ones only."""
        if not events:
            return []
        rows = [
            {
                "channel": channel,
                "event_id": event.event_id,
                "event_type": event.event_type[:32],
                "payload": event.payload,
                "source": event.source,
                "status": EventStatus.PENDING,
                "attempts": 0,
                "received_at": now,
                "next_attempt_at": now,
            }
            for event in events
        ]
        return self._committer.submit(rows)

    def _write_batches(self, batches: Sequence[list[dict[str, Any]]]) -> list[list[int]]:
        """Insert the rows of several requests in one transaction; each request's new ids."""
        inserted = self._writer.insert([row for batch in batches for row in batch])
        # Map ids back; an event sent twice in one batch is new for the first request only.
        new_ids = {(channel, event_id): row_id for row_id, channel, event_id in inserted}
        results = []
        for batch in batches:
            ids = []
            for row in batch:
                row_id = new_ids.pop((row["channel"], row["event_id"]), None)
                if row_id is not None:
                    ids.append(row_id)
            results.append(ids)
        return results

    def claim_due(self, *, channel: str, now: dt.datetime, limit: int = 20) -> list[ClaimedEvent]:
        """Take up to ``limit`` due events for processing; nobody else gets them."""
        leases = self.queue.claim(
            now,
            limit=limit,
            where=[WebhookEvent.channel == channel],
            returning=(
                WebhookEvent.event_id,
                WebhookEvent.payload,
                WebhookEvent.received_at,
                WebhookEvent.source,
                WebhookEvent.turn,
            ),
        )
        return [ClaimedEvent(lease, *lease.values) for lease in leases]

    def keep_alive(
        self, events: Sequence[ClaimedEvent], clock: Callable[[], dt.datetime]
    ) -> contextlib.AbstractContextManager[None]:
        """Renew the events' leases while they are processed (see leases.py)."""
        return self.queue.keep_alive([event.lease for event in events], clock)

    def finish(self, event: ClaimedEvent, *, now: dt.datetime, error: str | None = None) -> bool:
        """Answered (or nothing to answer)."""
        return self.queue.finish(event.lease, processed_at=now, error=error)

    def retry_later(
        self, event: ClaimedEvent, *, now: dt.datetime, error: str, backoff: Backoff
    ) -> QueueState:
        """An event whose processing failed: tried again later, given up after a few tries."""
        if event.attempts >= MAX_ATTEMPTS:
            if self.queue.fail(event.lease, processed_at=now, error=error):
                return QueueState.FAILED
        elif self.queue.retry_later(event.lease, now=now, backoff=backoff, error=error):
            return QueueState.PENDING
        return QueueState.LEASED  # our lease ran out: another worker has it now

    def retry_reply(self, event: ClaimedEvent, *, at: dt.datetime, error: str) -> bool:
        """The turn is recorded but its reply's fate is unknown: try the reply again at ``at``
        (with the same token, while it is good). Not a failed attempt."""
        return self.queue.retry_later(event.lease, now=at, at=at, counts=False, error=error)


def record_turn(session: Session, row_id: int, turn: dict[str, Any]) -> None:
    """Remember an event's turn, in the turn's own transaction (see ``WebhookEvent.turn``)."""
    session.execute(update(WebhookEvent).where(WebhookEvent.id == row_id).values(turn=turn))


def _waits_for_earlier(earlier: Any, now: dt.datetime) -> ColumnElement[bool]:
    """A person's event waits for their earlier one while it is being processed or not yet
    tried; an earlier event in backoff after a failure does not hold the later ones back."""
    return and_(
        earlier.channel == WebhookEvent.channel,
        WebhookEvent.source.is_not(None),
        earlier.source == WebhookEvent.source,
        earlier.id < WebhookEvent.id,
        or_(
            and_(earlier.status == QueueState.LEASED, earlier.next_attempt_at > now),
            and_(earlier.status == QueueState.PENDING, earlier.attempts == 0),
        ),
    )
