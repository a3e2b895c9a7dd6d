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
import hashlib
import json
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, delete, or_, update
from sqlalchemy.orm import Session

from helpbot.errors import LeaseLostError, StorageUnavailableError, UnstorableRowError
from helpbot.storage.database import Database, run_core
from helpbot.storage.db_errors import describe_db_error, is_row_error
from helpbot.storage.event_writer import RawEventWriter
from helpbot.storage.group_commit import TIMEOUT, GroupCommitter
from helpbot.storage.leases import Backoff, Lease, LeaseQueue
from helpbot.storage.models import EventStatus, QueueState, WebhookEvent
from helpbot.storage.safe_json import bounded_key, clean_text

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


class Inbox:
    """Idempotent storage of platform events, keyed by (channel, event id)."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._writer = RawEventWriter(
            database, notify_channel=NOTIFY_CHANNEL, sqlite_lock_wait=SQLITE_LOCK_WAIT,
            statement_timeout=TIMEOUT,
        )
        # No thread holds the inbox: an inbox dropped without close() still gives back its
        # connection and lock file.
        weakref.finalize(self, self._writer.close)
        # Concurrent requests share one commit (see group_commit.py).
        self._committer: GroupCommitter[list[dict[str, Any]], list[int]] = GroupCommitter(
            self._write_batches, name="inbox", is_row_error=is_row_error
        )
        self.queue = LeaseQueue(
            database, WebhookEvent, order_by=(WebhookEvent.id,), waits_for=_waits_for_earlier
        )

    def close(self) -> None:
        """Let a batch being written finish, then close the connection (tests, shutdown)."""
        self._committer.close()
        self._writer.close()

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

    def finish(
        self,
        event: ClaimedEvent,
        *,
        now: dt.datetime,
        error: str | None = None,
        session: Session | None = None,
    ) -> bool:
        """Answered (or nothing to answer); ``session``: in that transaction."""
        return self.queue.finish(event.lease, processed_at=now, error=error, session=session)

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

    def give_up(self, event: ClaimedEvent, *, now: dt.datetime, error: str) -> bool:
        """An event that can never be answered (malformed): failed at once, no retries."""
        return self.queue.fail(event.lease, processed_at=now, error=error[:255])

    def retry_reply(self, event: ClaimedEvent, *, at: dt.datetime, error: str) -> bool:
        """The turn is recorded but its reply's fate is unknown: try the reply again at ``at``
        (with the same token, while it is good). Not a failed attempt."""
        return self.queue.retry_later(event.lease, now=at, at=at, counts=False, error=error)


_EVENTS = WebhookEvent.__table__
# A plain statement on the table, built once: no ORM bulk-update path, no rebuilding per turn.
_RECORD_TURN = (
    update(_EVENTS)
    .where(
        _EVENTS.c.id == bindparam("row_id"),
        _EVENTS.c.status == QueueState.LEASED,
        _EVENTS.c.attempts == bindparam("claim"),
        _EVENTS.c.turn.is_(None),
    )
    .values(turn=bindparam("new_turn", type_=_EVENTS.c.turn.type))
)


def record_turn(session: Session, event: ClaimedEvent, turn: dict[str, Any]) -> None:
    """Remember an event's turn, in the turn's own transaction (see ``WebhookEvent.turn``).

    Only while this worker still holds the event's lease and no turn is recorded: otherwise
    LeaseLostError rolls the whole turn back, so a person is never answered twice."""
    result = run_core(
        session, _RECORD_TURN, {"row_id": event.id, "claim": event.attempts, "new_turn": turn}
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        raise LeaseLostError(f"event {event.event_id} is held by another worker now")


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
