"""Webhook events as received: stored before we answer 200, then claimed and processed.

The web process only stores: concurrent requests are grouped into one transaction of
INSERT ... ON CONFLICT DO NOTHING (redeliveries insert nothing), which on PostgreSQL also sends
a NOTIFY that wakes the worker at once. The worker
claims due events in batches (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), with a lease in
``next_attempt_at`` so a crashed processor's events come back. One person's events are
claimed in order: an event waits while an earlier one of the same person is unfinished.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, exists, or_, select, update
from sqlalchemy.orm import aliased

from helpbot.errors import StorageUnavailableError, UnstorableRowError
from helpbot.storage.database import Database
from helpbot.storage.db_errors import describe_db_error, is_row_error
from helpbot.storage.event_writer import RawEventWriter
from helpbot.storage.group_commit import TIMEOUT, GroupCommitter
from helpbot.storage.models import EventStatus, WebhookEvent
from helpbot.storage.safe_json import bounded_key, clean_text

NOTIFY_CHANNEL = "helpbot_events"
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 3
# How long a web request waits for SQLite's write lock before it fails (LINE retries later).
SQLITE_LOCK_WAIT = 10.0
UNFINISHED = (EventStatus.PENDING, EventStatus.PROCESSING)


@dataclass(frozen=True, slots=True)
class NewEvent:
    event_id: str
    event_type: str
    payload: dict[str, Any]
    source: str | None = None


@dataclass(frozen=True, slots=True)
class ClaimedEvent:
    id: int
    event_id: str
    payload: dict[str, Any]
    attempts: int


def fallback_event_id(payload: dict[str, Any]) -> str:
    """A stable id for an event that carries none: the hash of its canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:48]


class Inbox:
    """Idempotent storage of platform events, keyed by (channel, event id)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._writer = RawEventWriter(
            database, notify_channel=NOTIFY_CHANNEL, sqlite_lock_wait=SQLITE_LOCK_WAIT
        )
        # Concurrent requests share one commit (see group_commit.py).
        self._committer: GroupCommitter[list[dict[str, Any]], list[int]] = GroupCommitter(
            self._write_batches, name="inbox", is_row_error=is_row_error
        )

    def store(self, *, channel: str, events: Sequence[NewEvent], now: dt.datetime) -> list[int]:
        """Store events not seen before; return the row ids of the new ones only.

        Column values are made to fit (clean text, an over-long id becomes its hash); the
        payload must already be clean (``safe_json.parse_json``). Raises UnstorableRowError
        when the database refuses these rows (the other requests of the batch are stored),
        StorageUnavailableError when it cannot be reached.
        """
        if not events:
            return []
        rows = [
            {
                "channel": channel,
                "event_id": bounded_key(event.event_id, limit=64),
                "event_type": clean_text(event.event_type)[:32],
                "payload": event.payload,
                "source": clean_text(event.source)[:128] if event.source else None,
                "status": EventStatus.PENDING,
                "attempts": 0,
                "received_at": now,
                "next_attempt_at": now,
            }
            for event in events
        ]
        try:
            return self._committer.submit(rows, timeout=TIMEOUT)
        except TimeoutError:
            raise StorageUnavailableError(
                f"the database did not store the events within {TIMEOUT:g} s"
            ) from None
        except Exception as error:  # the driver's own classes; its message may quote a row
            if is_row_error(error):
                raise UnstorableRowError(
                    f"the database refused these events: {describe_db_error(error)}"
                ) from None
            raise StorageUnavailableError(
                f"could not store the events: {describe_db_error(error)}"
            ) from None

    def forget(self, *, channel: str, received_before: dt.datetime) -> int:
        """Delete a channel's rows received before a time (records only kept for a window)."""
        with self._database.session() as session:
            result = session.execute(
                delete(WebhookEvent).where(
                    WebhookEvent.channel == channel, WebhookEvent.received_at < received_before
                )
            )
        return int(getattr(result, "rowcount", 0) or 0)

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
        earlier = aliased(WebhookEvent)
        waits_for_earlier = exists().where(
            earlier.channel == WebhookEvent.channel,
            earlier.source == WebhookEvent.source,
            earlier.status.in_(UNFINISHED),
            earlier.id < WebhookEvent.id,
            # An earlier event whose lease is running blocks; so does one not yet tried.
            or_(earlier.status == EventStatus.PENDING, earlier.next_attempt_at > now),
        )
        due = and_(
            WebhookEvent.channel == channel,
            WebhookEvent.status.in_(UNFINISHED),
            WebhookEvent.next_attempt_at <= now,
        )
        query = (
            select(WebhookEvent.id)
            .where(due, or_(WebhookEvent.source.is_(None), ~waits_for_earlier))
            .order_by(WebhookEvent.id)
            .limit(limit)
        )
        if not self._database.is_sqlite:
            query = query.with_for_update(skip_locked=True, of=WebhookEvent)
        with self._database.session() as session:
            candidates = list(session.scalars(query))
            if not candidates:
                return []
            rows = session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id.in_(candidates), due)
                .values(
                    status=EventStatus.PROCESSING,
                    attempts=WebhookEvent.attempts + 1,
                    next_attempt_at=now + LEASE,
                )
                .returning(
                    WebhookEvent.id,
                    WebhookEvent.event_id,
                    WebhookEvent.payload,
                    WebhookEvent.attempts,
                )
            ).all()
        return sorted((ClaimedEvent(*row) for row in rows), key=lambda e: e.id)

    def finish(
        self, row_id: int, *, status: EventStatus, now: dt.datetime, error: str | None = None
    ) -> None:
        with self._database.session() as session:
            session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id == row_id)
                .values(status=status, processed_at=now, error=error)
            )

    def retry_later(
        self, row_id: int, *, attempts: int, now: dt.datetime, error: str
    ) -> EventStatus:
        """An event whose processing failed: tried again later, given up after a few tries."""
        if attempts >= MAX_ATTEMPTS:
            self.finish(row_id, status=EventStatus.FAILED, now=now, error=error)
            return EventStatus.FAILED
        with self._database.session() as session:
            session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id == row_id)
                .values(
                    status=EventStatus.PENDING,
                    error=error,
                    next_attempt_at=now + dt.timedelta(seconds=30 * 2**attempts),
                )
            )
        return EventStatus.PENDING
