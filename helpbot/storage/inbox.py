"""Webhook events as received: stored before we answer 200, then claimed and processed."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite

from helpbot.storage.database import Database
from helpbot.storage.models import EventStatus, WebhookEvent


@dataclass(frozen=True, slots=True)
class NewEvent:
    event_id: str
    event_type: str
    payload: dict[str, Any]


def fallback_event_id(payload: dict[str, Any]) -> str:
    """A stable id for an event that carries none: the hash of its canonical JSON."""
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:48]


class Inbox:
    """Idempotent storage of platform events, keyed by (channel, event id)."""

    def __init__(self, database: Database) -> None:
        self._database = database

    def store(
        self, *, channel: str, events: Sequence[NewEvent], now: dt.datetime
    ) -> list[int]:
        """Store events not seen before; return the row ids of the new ones only."""
        if not events:
            return []
        rows = [
            {
                "channel": channel,
                "event_id": event.event_id,
                "event_type": event.event_type[:32],
                "payload": event.payload,
                "status": EventStatus.PENDING,
                "attempts": 0,
                "received_at": now,
            }
            for event in events
        ]
        dialect = postgresql if not self._database.is_sqlite else sqlite
        statement = (
            dialect.insert(WebhookEvent)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["channel", "event_id"])
            .returning(WebhookEvent.id)
        )
        with self._database.session() as session:
            return list(session.scalars(statement))

    def claim(self, row_id: int) -> WebhookEvent | None:
        """Take a pending event for processing; None if another worker has it or it is done."""
        with self._database.session() as session:
            result = session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id == row_id, WebhookEvent.status == EventStatus.PENDING)
                .values(status=EventStatus.PROCESSING, attempts=WebhookEvent.attempts + 1)
            )
            if result.rowcount != 1:  # type: ignore[attr-defined]
                return None
            return session.get(WebhookEvent, row_id)

    def finish(
        self, row_id: int, *, status: EventStatus, now: dt.datetime, error: str | None = None
    ) -> None:
        with self._database.session() as session:
            session.execute(
                update(WebhookEvent)
                .where(WebhookEvent.id == row_id)
                .values(status=status, processed_at=now, error=error)
            )

    def unfinished(self, *, channel: str, received_before: dt.datetime) -> list[int]:
        """Events still pending from before a moment: left behind by a crash or restart."""
        with self._database.session() as session:
            return list(
                session.scalars(
                    select(WebhookEvent.id)
                    .where(
                        WebhookEvent.channel == channel,
                        WebhookEvent.status == EventStatus.PENDING,
                        WebhookEvent.received_at < received_before,
                    )
                    .order_by(WebhookEvent.id)
                )
            )
