"""The published knowledge version and who serves what, in the database.

``KnowledgeBoard`` is the ``VersionBoard`` the knowledge store talks to: the newest published
row is the version every process serves; rejected rows make staff hear about a broken edit
once; ``knowledge_processes`` holds each process's served version and heartbeat (for
``helpbot faq status``). Database failures become ``DatabaseError`` with one clear line.
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from helpbot.errors import DatabaseError
from helpbot.knowledge.entries import Problem
from helpbot.knowledge.versions import FolderContents, PublishedVersion
from helpbot.storage.database import Database
from helpbot.storage.health import describe_cause, describe_url, is_connection_error, unavailable
from helpbot.storage.models import KnowledgeProcess, KnowledgeVersion, KnowledgeVersionState

KEEP_PUBLISHED = 20  # older published versions (and their contents) are deleted
FORGET_PROCESSES_AFTER = dt.timedelta(days=7)


def process_name(role: str) -> str:
    """``web@host:pid/ab12``: the role, where it runs, and a tag for one store in a process."""
    return f"{role}@{socket.gethostname()}:{os.getpid()}/{secrets.token_hex(2)}"[:128]


class KnowledgeBoard:
    """Publishes good versions and records broken ones; each method is one transaction."""

    def __init__(
        self, database: Database, *, name: str, role: str, clock: Callable[[], dt.datetime]
    ) -> None:
        self._database = database
        self.name = name
        self._role = role
        self._clock = clock
        self._started_at = clock()

    def latest(self) -> PublishedVersion | None:
        with self._session() as session:
            row = session.execute(
                select(
                    KnowledgeVersion.content_hash,
                    KnowledgeVersion.files_changed_at,
                    KnowledgeVersion.recorded_at,
                    KnowledgeVersion.recorded_by,
                )
                .where(KnowledgeVersion.state == KnowledgeVersionState.PUBLISHED)
                .order_by(KnowledgeVersion.id.desc())
                .limit(1)
            ).first()
        return PublishedVersion(*row) if row else None

    def contents(self, content_hash: str) -> FolderContents | None:
        with self._session() as session:
            row = session.execute(
                select(KnowledgeVersion.contents, KnowledgeVersion.files_changed_at).where(
                    KnowledgeVersion.content_hash == content_hash,
                    KnowledgeVersion.state == KnowledgeVersionState.PUBLISHED,
                )
            ).first()
        if row is None or row.contents is None:
            return None
        return FolderContents.from_texts(row.contents, changed_at=row.files_changed_at)

    def publish(self, version: FolderContents, *, entries: int) -> None:
        """Make ``version`` the newest published one (again, if it was published before)."""
        try:
            with self._session() as session:
                session.execute(
                    delete(KnowledgeVersion).where(
                        KnowledgeVersion.content_hash == version.content_hash,
                        KnowledgeVersion.state == KnowledgeVersionState.PUBLISHED,
                    )
                )
                session.add(
                    self._row(version, KnowledgeVersionState.PUBLISHED, entries=entries,
                              contents=version.texts())
                )
                session.flush()
                self._forget_old_versions(session)
        except IntegrityError:
            pass  # another process published the same files at the same moment

    def reject(self, version: FolderContents, problems: Sequence[Problem]) -> bool:
        try:
            with self._session() as session:
                session.add(
                    self._row(version, KnowledgeVersionState.REJECTED, entries=0,
                              problems=[asdict(problem) for problem in problems])
                )
        except IntegrityError:
            return False  # already recorded (and reported) by some process
        return True

    def heartbeat(self, served_hash: str | None) -> None:
        now = self._clock()
        with self._session() as session:
            row = session.get(KnowledgeProcess, self.name)
            if row is None:
                row = KnowledgeProcess(name=self.name, role=self._role, started_at=self._started_at)
                session.add(row)
            if row.served_hash != served_hash:
                row.served_hash, row.served_since = served_hash, now
            row.heartbeat_at = now
            session.execute(
                delete(KnowledgeProcess).where(
                    KnowledgeProcess.heartbeat_at < now - FORGET_PROCESSES_AFTER
                )
            )

    def _row(
        self, version: FolderContents, state: KnowledgeVersionState, *, entries: int,
        contents: dict[str, str] | None = None, problems: list[dict] | None = None,
    ) -> KnowledgeVersion:
        return KnowledgeVersion(
            content_hash=version.content_hash,
            state=state,
            files=sorted(version.files),
            contents=contents,
            problems=problems,
            entries=entries,
            files_changed_at=version.changed_at,
            recorded_at=self._clock(),
            recorded_by=self.name,
        )

    @staticmethod
    def _forget_old_versions(session: Session) -> None:
        keep = select(KnowledgeVersion.id).where(
            KnowledgeVersion.state == KnowledgeVersionState.PUBLISHED
        ).order_by(KnowledgeVersion.id.desc()).limit(KEEP_PUBLISHED)
        oldest_kept = min(session.scalars(keep), default=None)
        if oldest_kept is not None:
            session.execute(
                delete(KnowledgeVersion).where(
                    KnowledgeVersion.state == KnowledgeVersionState.PUBLISHED,
                    KnowledgeVersion.id < oldest_kept,
                )
            )

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with self._database.session() as session:
                yield session
        except IntegrityError:
            raise  # a unique constraint: someone else wrote the same row first
        except SQLAlchemyError as error:
            if is_connection_error(error):
                raise unavailable(self._database.url, error) from None
            raise DatabaseError(
                f"the database {describe_url(self._database.url)} failed: "
                f"{describe_cause(error)} (run `helpbot db upgrade` if its schema is old)"
            ) from None



RECENT = dt.timedelta(minutes=5)


def knowledge_status(database: Database, *, now: dt.datetime) -> dict[str, Any]:
    """The published version, the last rejected one, and what each process serves (JSON-ready).

    A process counts as ``recent`` when its heartbeat is under 5 minutes old; ``agree`` is
    true when every recent process serves the published version.
    """
    with database.session() as session:
        published = session.scalars(
            select(KnowledgeVersion)
            .where(KnowledgeVersion.state == KnowledgeVersionState.PUBLISHED)
            .order_by(KnowledgeVersion.id.desc())
            .limit(1)
        ).first()
        rejected = session.scalars(
            select(KnowledgeVersion)
            .where(KnowledgeVersion.state == KnowledgeVersionState.REJECTED)
            .order_by(KnowledgeVersion.id.desc())
            .limit(1)
        ).first()
        processes = list(
            session.scalars(select(KnowledgeProcess).order_by(KnowledgeProcess.name))
        )
    current = published.content_hash if published else None
    rows = [
        {
            "name": process.name,
            "role": process.role,
            "serves": process.served_hash,
            "current": current is not None and process.served_hash == current,
            "served_since": _iso(process.served_since),
            "heartbeat_at": _iso(process.heartbeat_at),
            "seconds_since_heartbeat": round((now - process.heartbeat_at).total_seconds(), 1),
            "recent": now - process.heartbeat_at <= RECENT,
        }
        for process in processes
    ]
    return {
        "published": None if published is None else {
            "hash": published.content_hash,
            "published_at": _iso(published.recorded_at),
            "published_by": published.recorded_by,
            "files": published.files,
            "entries": published.entries,
        },
        "last_rejected": None if rejected is None else {
            "hash": rejected.content_hash,
            "recorded_at": _iso(rejected.recorded_at),
            "recorded_by": rejected.recorded_by,
            "problems": rejected.problems or [],
        },
        "processes": rows,
        "agree": current is not None and all(row["current"] for row in rows if row["recent"]),
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None
