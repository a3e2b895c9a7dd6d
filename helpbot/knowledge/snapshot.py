"""What the store serves and what it last read: a ``Snapshot``, the loaded files, and the
folder's fingerprint (checked before reading anything)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Generic, TypeVar

from helpbot.knowledge.entries import KnowledgeBase, Problem
from helpbot.knowledge.folder_files import knowledge_files
from helpbot.knowledge.versions import FolderContents

T = TypeVar("T")
Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[T]):
    """One loaded version of the knowledge and the index built from it."""

    kb: KnowledgeBase
    index: T
    problems: tuple[Problem, ...]
    version: int
    content_hash: str = ""


# A snapshot built in gunicorn's master before it forks its workers (helpbot/cli/gunicorn_conf.py).
# A worker whose version has the same contents serves that build instead of making its own, so
# the matcher's memory stays shared between the workers (copy-on-write pages).
_prebuilt: Snapshot[Any] | None = None


def keep_prebuilt(snapshot: Snapshot[Any] | None) -> None:
    """Offer ``snapshot`` to every store of this process (and of processes forked from it)."""
    global _prebuilt  # noqa: PLW0603 - one per process, set before gunicorn forks
    _prebuilt = snapshot


def prebuilt_for(content_hash: str) -> Snapshot[Any] | None:
    """The snapshot built before the fork, if it holds exactly these contents."""
    prebuilt = _prebuilt
    if prebuilt is not None and prebuilt.content_hash == content_hash:
        return prebuilt
    return None


@dataclass(frozen=True, slots=True)
class LoadedFiles:
    """The files as last read from the folder, and what they gave."""

    contents: FolderContents
    kb: KnowledgeBase
    problems: tuple[Problem, ...]


def read_fingerprint(folder: Path) -> Fingerprint:
    """The folder's knowledge files with their modification times and sizes: a cheap
    "did anything change?" before reading the contents."""
    parts: list[tuple[str, int, int]] = []
    for path in knowledge_files(folder):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        parts.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(parts)
