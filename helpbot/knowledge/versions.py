"""Versions of ``faq/``: the files' contents and hash, and where good versions are published.

A version is named by the SHA-256 of its files (names and bytes), so two machines with the
same files agree on the name. The ``VersionBoard`` (the database, in ``storage``) holds the
published version that every process serves, and remembers broken versions so staff are
told about each only once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from helpbot.knowledge.entries import Problem
from helpbot.knowledge.folder_files import knowledge_files
from helpbot.knowledge.loader import file_text

EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True, slots=True)
class FolderContents:
    """The files of one version: ``{"food.yaml": b"..."}``, their hash, their newest mtime."""

    files: Mapping[str, bytes]
    content_hash: str
    changed_at: dt.datetime
    unreadable: Mapping[str, OSError] = field(default_factory=dict)

    @classmethod
    def of(
        cls,
        files: Mapping[str, bytes],
        *,
        changed_at: dt.datetime = EPOCH,
        unreadable: Mapping[str, OSError] | None = None,
    ) -> FolderContents:
        digest = hashlib.sha256()
        for name in sorted(files):
            data = files[name]
            digest.update(f"{name}\0{len(data)}\0".encode())
            digest.update(data)
        for name in sorted(unreadable or {}):
            digest.update(f"{name}\0unreadable\0".encode())
        return cls(files=dict(files), content_hash=digest.hexdigest(), changed_at=changed_at,
                   unreadable=dict(unreadable or {}))

    def to_load(self) -> dict[str, bytes | OSError]:
        """What ``load_files`` reads: the contents, and the files that could not be read."""
        return {**self.files, **self.unreadable}

    def texts(self) -> dict[str, str]:
        """The contents as text for storing (a Shift_JIS CSV as the loader read it); a
        published version is always stored, and read back, as UTF-8."""
        return {name: file_text(name, data) for name, data in self.files.items()}

    @classmethod
    def from_texts(cls, texts: Mapping[str, str], *, changed_at: dt.datetime) -> FolderContents:
        return cls.of({name: text.encode("utf-8") for name, text in texts.items()},
                      changed_at=changed_at)


def read_folder(folder: Path) -> FolderContents:
    """Read every knowledge file of ``folder``; unreadable files are left out of the version."""
    files: dict[str, bytes] = {}
    unreadable: dict[str, OSError] = {}
    newest = folder.stat().st_mtime_ns  # a deleted file changes the folder's time
    for path in knowledge_files(folder):
        name = path.relative_to(folder).as_posix()
        try:
            files[name] = path.read_bytes()
            newest = max(newest, path.stat().st_mtime_ns)
        except FileNotFoundError:
            continue  # deleted while we listed the folder
        except OSError as error:
            unreadable[name] = error
    changed_at = dt.datetime.fromtimestamp(newest / 1e9, tz=dt.UTC)
    return FolderContents.of(files, changed_at=changed_at, unreadable=unreadable)


@dataclass(frozen=True, slots=True)
class PublishedVersion:
    """The header of the published version (its contents are fetched only when needed)."""

    content_hash: str
    files_changed_at: dt.datetime
    recorded_at: dt.datetime
    recorded_by: str


class VersionBoard(Protocol):
    """Where the good version is published and processes say what they serve.

    Methods raise a ``HelpbotError`` (``DatabaseError``) when the board cannot be reached;
    the store then keeps serving what it has.
    """

    def latest(self) -> PublishedVersion | None: ...

    def contents(self, content_hash: str) -> FolderContents | None: ...

    def publish(self, version: FolderContents, *, entries: int) -> None: ...

    def reject(self, version: FolderContents, problems: Sequence[Problem]) -> bool:
        """Record a broken version; True only for the first process that records it."""
        ...

    def heartbeat(self, served_hash: str | None) -> None: ...


def should_publish(
    files: FolderContents, published: PublishedVersion | None, *, edited_here: bool
) -> bool:
    """Should these good files replace the published version?

    Yes when nothing is published, when this process saw the files change, or when the files
    are newer than those the published version came from (a deploy). A machine with an older
    copy of ``faq/`` serves the published version instead of publishing its own.
    """
    if published is None:
        return True
    if published.content_hash == files.content_hash:
        return False
    return edited_here or files.changed_at > published.files_changed_at


@dataclass(frozen=True, slots=True)
class Readiness:
    ready: bool
    reason: str
    serving: str | None
    published: str | None


def readiness(
    *, serving: str, published: str | None, shared: bool, board_error: str | None, folder: str
) -> Readiness:
    """Ready when this process serves the published version (or there is no shared one)."""
    if not shared:
        return Readiness(True, "serving the files (no shared version)", serving, None)
    if board_error is not None:
        reason = f"cannot read the published knowledge version: {board_error}"
        return Readiness(False, reason, serving, published)
    if published is None:
        reason = (f"no knowledge version is published: {folder}/ has problems "
                  "(run `helpbot faq check`)")
        return Readiness(False, reason, serving, None)
    if serving != published:
        reason = f"serving {short(serving)} but {short(published)} is published"
        return Readiness(False, reason, serving, published)
    return Readiness(True, "serving the published version", serving, published)


def short(content_hash: str | None) -> str:
    return content_hash[:12] if content_hash else "-"


def rejected_edit_notice(
    problems: Sequence[Problem], *, folder: str, serving: str | None, limit: int = 10
) -> str:
    """What staff read in their channel about a broken edit: file, line and hint of each."""
    lines = [
        f"FAQの編集に問題があり、反映していません（{folder}、{len(problems)}件）。"
        f"ボットは前の正しい版（{short(serving)}）で答え続けています。"
        "直して保存すると自動で反映されます。`helpbot faq check` で確認できます。",
    ]
    for problem in problems[:limit]:
        hint = f"\n    → {problem.bilingual_hint()}" if problem.hint else ""
        lines.append(f"• {problem.file}:{problem.line}: {problem.bilingual_message()}{hint}")
    if len(problems) > limit:
        lines.append(f"…ほか{len(problems) - limit}件")
    return "\n".join(lines)
