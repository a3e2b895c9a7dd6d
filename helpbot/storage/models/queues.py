"""The three queues of work: webhook events, staff posts and deliveries to people.

They share one vocabulary of states (``QueueState``); ``storage/leases.py`` moves rows
between them.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from helpbot.storage.models.base import Base, UTCDateTime


class QueueState(StrEnum):
    """The one set of words for every queue of work: events, deliveries, staff posts.

    See ``storage/leases.py`` for how a row moves between them.
    """

    PENDING = "pending"  # waiting; due at ``next_attempt_at``
    LEASED = "leased"  # a worker holds it until ``next_attempt_at``
    DONE = "done"
    FAILED = "failed"  # given up
    CANCELLED = "cancelled"


# The names each queue used before they shared one vocabulary (same words).
EventStatus = QueueState
DeliveryState = QueueState


# The weekly digest's rows in ``webhook_events``: one per week posted, with the Slack message's
# ts (to refresh it after an erasure or a purge). They hold no person's data, so retention
# leaves them whole.
DIGEST_CHANNEL = "digest"


class WebhookEvent(Base):
    """A platform event as received: stored before the 200, processed off the request path."""

    __tablename__ = "webhook_events"
    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_webhook_events_status_received_at", "status", "received_at"),
        Index("ix_webhook_events_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_webhook_events_source", "channel", "source", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=QueueState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(String(255), nullable=True)
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    processed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # Who sent it (the channel's user id), so one person's events are answered in order.
    source: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # When it may be (re)tried; while leased, the end of the processor's lease.
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    # The turn recorded for it (outbound message ids, staff posts), written in the turn's own
    # transaction: a retry resends these replies rather than answering the event again.
    turn: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class StaffPost(Base):
    """Something to show case workers (a case message, an update, a thread line).

    Stored before it is sent, so nothing is lost while Slack is down; ``status`` says
    whether it went out, and failed posts are retried. A notice for the whole channel (an
    event that could not be answered) has no case.
    """

    __tablename__ = "staff_posts"
    __table_args__ = (Index("ix_staff_posts_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # None for a notice to the whole staff channel (for example, a broken faq/ edit).
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=QueueState.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)


# The rows the unique index below covers: reminders for an entry that still wait to be sent.
WAITING_REMINDER = text(
    "kind = 'reminder' AND entry_id IS NOT NULL AND state IN ('pending', 'leased')"
)


class Delivery(Base):
    """A message to a person that must arrive: a reminder, a relayed reply, a retried answer.

    The row is the truth; the worker only wakes up to send what is due. ``next_attempt_at``
    doubles as a lease while a row is ``leased``, so a crashed sender's rows come back.
    ``deferred_until``: quiet hours moved this row to then; until then it holds back only
    rows of its own kind (a person's other messages never wait for a reminder at night).
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        Index("ix_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
        Index("ix_deliveries_contact_id_state", "contact_id", "state"),
        # A reminder a person set for an entry (「締切前に知らせて」) waits at most once per
        # time: two taps or two processes racing past the "already set" check cannot both
        # insert one (``Reminders.schedule_for_contact`` reads the loser as "already set").
        Index(
            "uq_deliveries_waiting_reminder", "contact_id", "entry_id", "due_at", unique=True,
            sqlite_where=WAITING_REMINDER, postgresql_where=WAITING_REMINDER,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True, index=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    state: Mapped[str] = mapped_column(String(16))
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    deferred_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    retry_key: Mapped[str] = mapped_column(String(64))
    last_error: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_by: Mapped[str | None] = mapped_column(String(128), nullable=True)
    keep_after_resolve: Mapped[bool] = mapped_column(default=False)
    entry_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    staff_told_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
