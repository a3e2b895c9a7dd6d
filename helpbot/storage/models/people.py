"""People and what they said: contacts, conversations, messages, unanswered questions."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from helpbot.storage.models.base import Base, UTCDateTime


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
    # When the oldest of those words were written (a search resumed later carries them on):
    # the retention purge goes by this, not by ``updated_at``.
    text_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime(), nullable=True)
