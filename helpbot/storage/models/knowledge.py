"""Versions of ``faq/`` and which one each running process serves."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from helpbot.storage.models.base import Base, UTCDateTime


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
