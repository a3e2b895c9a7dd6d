"""Webhook events as received: stored before we answer 200, then claimed and processed.

The web process only stores (one cached INSERT ... ON CONFLICT DO NOTHING, so redeliveries
insert nothing) and, on PostgreSQL, sends a NOTIFY that wakes the worker at once. The worker
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

from sqlalchemy import Insert, and_, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import aliased

from helpbot.storage.database import Database
from helpbot.storage.models import EventStatus, WebhookEvent

NOTIFY_CHANNEL = "helpbot_events"
LEASE = dt.timedelta(minutes=2)
MAX_ATTEMPTS = 3
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
        self._insert: Insert | None = None

    def _insert_statement(self) -> Insert:
        # Built once: SQLAlchemy caches its compiled form, and rows go in as parameters.
        if self._insert is None:
            dialect = sqlite if self._database.is_sqlite else postgresql
            self._insert = (
                dialect.insert(WebhookEvent)
                .on_conflict_do_nothing(index_elements=["channel", "event_id"])
                .returning(WebhookEvent.id)
            )
        return self._insert

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
        with self._database.engine.begin() as connection:
            statement = self._insert_statement()
            if len(rows) == 1:
                ids = list(connection.execute(statement.values(rows[0])).scalars())
            else:
                ids = list(connection.execute(statement, rows).scalars())
            if ids and not self._database.is_sqlite:
                connection.exec_driver_sql(f"NOTIFY {NOTIFY_CHANNEL}")
        return ids

    def claim_due(
        self, *, channel: str, now: dt.datetime, limit: int = 20
    ) -> list[ClaimedEvent]:
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
