"""Cases handed to a human case worker, and the crisis signals staff mark on them."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpbot.storage.models.base import Base, UTCDateTime
from helpbot.storage.models.people import Contact


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
