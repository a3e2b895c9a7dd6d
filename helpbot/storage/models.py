"""SQLAlchemy models. Alembic migrations in ``migrations/`` must agree with these."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[dt.datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; pass an aware UTC datetime")
        return value.astimezone(dt.UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


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


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Contact(Base):
    """A person as one channel knows them (a LINE user, a playground session)."""

    __tablename__ = "contacts"
    __table_args__ = (UniqueConstraint("channel", "channel_user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    channel_user_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8), default="ja")
    reachable: Mapped[bool] = mapped_column(default=True)
    # The person asked for やさしい日本語 (「やさしい日本語で」「ひらがなで」): easy answers.
    easy_japanese: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Set when the person's data was erased: the row stays as a tombstone (no user id) so
    # counts still add up.
    erased_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)

    conversations: Mapped[list[Conversation]] = relationship(back_populates="contact")


class Conversation(Base):
    """One stretch of talk with a contact; a new one starts after a long silence."""

    __tablename__ = "conversations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    last_activity_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    # Questions in a row that the bot could not answer directly.
    misses_in_a_row: Mapped[int] = mapped_column(Integer, default=0)

    contact: Mapped[Contact] = relationship(back_populates="conversations")
    messages: Mapped[list[Message]] = relationship(
        back_populates="conversation", order_by="Message.id"
    )


class Message(Base):
    """A message in or out. Outbound rows carry their delivery state."""

    __tablename__ = "messages"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id"), index=True)
    direction: Mapped[str] = mapped_column(String(3))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    # Quick replies and other structure of an outbound message, as sent.
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    entry_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    decision: Mapped[str | None] = mapped_column(String(16), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    delivery_status: Mapped[str | None] = mapped_column(String(16), nullable=True)
    delivery_error: Mapped[str | None] = mapped_column(String(255), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())

    conversation: Mapped[Conversation] = relationship(back_populates="messages")


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


class UnansweredQuestion(Base):
    """A question the bot could not answer directly, for staff to write the next entries."""

    __tablename__ = "unanswered_questions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id"), nullable=True)
    text: Mapped[str] = mapped_column(Text)
    normalized_text: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(16))
    best_entry_id: Mapped[str | None] = mapped_column(String(128), nullable=True)
    best_score: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class Case(Base):
    """A person handed to a human case worker. The case number is the id."""

    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_contact_id_state", "contact_id", "state"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"))
    state: Mapped[str] = mapped_column(String(16))
    urgency: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(32))
    topic: Mapped[str | None] = mapped_column(String(255), nullable=True)
    crisis_category: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # Why triage fired: the rule or the nearest example sentence (staff-written, no message).
    crisis_why: Mapped[str | None] = mapped_column(String(255), nullable=True)
    opened_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    claimed_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    claimed_by_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    # Who resolved it (claimed_by stays the worker who claimed it).
    resolved_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    resolved_by_name: Mapped[str | None] = mapped_column(String(128), nullable=True)
    times_reopened: Mapped[int] = mapped_column(Integer, default=0)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)
    last_announced_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    slack_channel: Mapped[str | None] = mapped_column(String(64), nullable=True)
    slack_ts: Mapped[str | None] = mapped_column(String(32), nullable=True)
    # The person's last message while the case is active, and when we last told them it
    # arrived: the worker reassures people who wait without an answer.
    person_waiting_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    waiting_acknowledged_at: Mapped[dt.datetime | None] = mapped_column(
        UTCDateTime(), nullable=True
    )

    contact: Mapped[Contact] = relationship()


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


class SignalKind(StrEnum):
    FALSE_ALARM = "false_alarm"
    NEAR_MISS = "near_miss"


class CrisisSignal(Base):
    """For staff tuning ``crisis.yaml``: a false alarm a worker marked, or a near miss.

    The message itself stays in ``messages`` (``message_id``), so erasing or purging it there
    is enough; this row keeps only the category, the reason and the score.
    """

    __tablename__ = "crisis_signals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # a SignalKind
    category: Mapped[str | None] = mapped_column(String(64), nullable=True)
    why: Mapped[str | None] = mapped_column(String(255), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), nullable=True)
    message_id: Mapped[int | None] = mapped_column(ForeignKey("messages.id"), nullable=True)
    marked_by: Mapped[str | None] = mapped_column(String(64), nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)


class KnowledgeVersionState(StrEnum):
    PUBLISHED = "published"  # passed the check; every process serves the newest one
    REJECTED = "rejected"  # had problems; recorded so staff are told once


class KnowledgeVersion(Base):
    """One version of ``faq/``, by the hash of its files.

    Published versions keep the files' contents, so any process (even one whose own folder
    holds a broken edit) can load exactly the version everyone serves. The newest published
    row (highest id) is the current version.
    """

    __tablename__ = "knowledge_versions"
    __table_args__ = (
        UniqueConstraint("content_hash", "state"),
        Index("ix_knowledge_versions_state_id", "state", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16))
    # The file names, and for a published version {name: text}; problems of a rejected one.
    files: Mapped[list[str]] = mapped_column(JSON)
    contents: Mapped[dict[str, str] | None] = mapped_column(JSON, nullable=True)
    problems: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    entries: Mapped[int] = mapped_column(Integer, default=0)
    # The newest modification time of the files: a folder with later files is a newer edit.
    files_changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    recorded_by: Mapped[str] = mapped_column(String(128))


class KnowledgeProcess(Base):
    """Which knowledge version a running process serves, with its last heartbeat."""

    __tablename__ = "knowledge_processes"

    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    role: Mapped[str] = mapped_column(String(16))
    served_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    served_since: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    heartbeat_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class AuditEvent(Base):
    """Who did what on which case or person, when: append-only, and never any message text.

    ``actor`` is a Slack user id, ``cli:<os user>`` or ``system``; ``contact_id`` names the
    person by their row (no user id), so the trail survives erasure. No foreign keys: a
    record outlives what it is about. Written through ``storage/audit.py`` only.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index("ix_audit_events_case_id", "case_id"),
        Index("ix_audit_events_contact_id", "contact_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(140))
    action: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Ids and counts only (a follow-up id, "messages=3"): never text a person or worker wrote.
    detail: Mapped[str | None] = mapped_column(String(255), nullable=True)


class ProgramAnswers(Base):
    """What a person told the program finder: their facts, the questions asked, the stage.

    One row per contact, kept so the person can change one answer later and the case worker
    sees them in the case view; staff or the person can clear it (the row is deleted).
    """

    __tablename__ = "program_answers"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contacts.id"), primary_key=True)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    asked: Mapped[list[str]] = mapped_column(JSON)
    # "describe" (waiting for the person's words), "asking", "done"
    stage: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")  # their words, for the finder's ranking
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())


class StaffAccessKind(StrEnum):
    TOKEN = "token"  # from `helpbot staff token`: typed into the sign-in page
    SESSION = "session"  # the staff page's cookie after a sign-in


class StaffAccess(Base):
    """A way into the staff pages: a token from the CLI or a signed-in browser's session.

    Only the SHA-256 of the secret is stored; the secret itself is shown once.
    """

    __tablename__ = "staff_access"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # a StaffAccessKind
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Who: a Slack user id after Sign in with Slack, else the token's label.
    staff_id: Mapped[str] = mapped_column(String(64))
    staff_name: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), index=True)
