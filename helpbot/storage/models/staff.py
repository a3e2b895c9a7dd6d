"""Staff and accountability: the audit trail, and the ways into the staff pages."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from helpbot.storage.models.base import Base, UTCDateTime


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
        Index("ix_audit_events_at", "at"),  # read by time: the digest's redraw, reports
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime())
    actor: Mapped[str] = mapped_column(String(140))
    action: Mapped[str] = mapped_column(String(32))
    case_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    contact_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Ids and counts only (a follow-up id, "messages=3"): never text a person or worker wrote.
    detail: Mapped[str | None] = mapped_column(String(255), nullable=True)


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
