"""Serve the current knowledge, reloading when staff edit ``faq/`` and never on a broken edit."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from helpbot.knowledge.entries import KnowledgeBase, Problem
from helpbot.knowledge.loader import KnowledgeError, knowledge_files, load_dir

logger = logging.getLogger(__name__)

T = TypeVar("T")
Fingerprint = tuple[tuple[str, int, int], ...]


@dataclass(frozen=True, slots=True)
class Snapshot(Generic[T]):
    """One loaded version of the knowledge and the index built from it."""

    kb: KnowledgeBase
    index: T
    problems: tuple[Problem, ...]
    version: int


class KnowledgeStore(Generic[T]):
    """Hand out the latest good snapshot of a ``faq/`` folder; reload it when files change.

    The first load serves whatever entries are good (problems are logged). A later reload
    that has any problem is not used: the previous snapshot stays, and a warning names each
    problem, so a broken edit never takes the bot down.
    """

    def __init__(
        self,
        faq_dir: Path,
        *,
        build_index: Callable[[KnowledgeBase], T],
        check_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.faq_dir = Path(faq_dir)
        self._build_index = build_index
        self._check_interval = check_interval
        self._clock = clock
        self._lock = threading.Lock()
        self._snapshot: Snapshot[T] | None = None
        self._fingerprint: Fingerprint | None = None
        self._next_check = 0.0
        self.last_problems: tuple[Problem, ...] = ()
        knowledge_files(self.faq_dir)  # fail at start-up, naming the folder, if it is missing

    def snapshot(self) -> Snapshot[T]:
        """Return the current snapshot, re-checking the files at most every check_interval."""
        current = self._snapshot
        if current is None:
            with self._lock:
                if self._snapshot is None:
                    self._refresh(force=True)
                current = self._snapshot
            if current is None:  # only when the folder vanished between the checks
                raise KnowledgeError(f"could not load the FAQ folder {str(self.faq_dir)!r}")
            return current
        if self._clock() >= self._next_check and self._lock.acquire(blocking=False):
            # Readers never wait for a reload already running: they keep the old snapshot.
            try:
                self._refresh(force=False)
            finally:
                self._lock.release()
        return self._snapshot or current

    def reload(self) -> list[Problem]:
        """Re-read the folder now; return the problems of this load (empty when it was used)."""
        with self._lock:
            return self._refresh(force=True)

    def _refresh(self, *, force: bool) -> list[Problem]:
        self._next_check = self._clock() + self._check_interval
        first = self._snapshot is None
        try:
            fingerprint = self._read_fingerprint()
        except KnowledgeError:
            if first:
                raise
            logger.warning("cannot check the FAQ folder; keeping version %s", self._version())
            logger.debug("fingerprint failed", exc_info=True)
            return []
        if not force and fingerprint == self._fingerprint:
            return []
        self._fingerprint = fingerprint
        try:
            kb, problems = load_dir(self.faq_dir)
        except KnowledgeError:
            if first:
                raise
            logger.warning("the FAQ folder %s disappeared; keeping the old answers", self.faq_dir)
            return []
        self.last_problems = tuple(problems)
        if problems and not first:
            self._log_problems(problems, "the edit was NOT used; still serving version %s")
            return problems
        if problems:
            self._log_problems(problems, "serving the good entries only (version %s)")
        return self._install(kb, problems, first=first)

    def _install(self, kb: KnowledgeBase, problems: list[Problem], *, first: bool) -> list[Problem]:
        try:
            index = self._build_index(kb)
        except Exception:
            if first:
                raise
            logger.exception("building the index failed; still serving version %s", self._version())
            return problems
        version = self._version() + 1
        self._snapshot = Snapshot(kb=kb, index=index, problems=tuple(problems), version=version)
        logger.info(
            "knowledge version %s: %s entries from %s", version, len(kb.entries), self.faq_dir
        )
        return problems

    def _version(self) -> int:
        return self._snapshot.version if self._snapshot else 0

    def _log_problems(self, problems: list[Problem], outcome: str) -> None:
        for problem in problems:
            logger.warning("FAQ problem at %s:%s: %s", problem.file, problem.line, problem.message)
        version = self._version() + (0 if self._snapshot else 1)
        logger.warning("%s problem(s) in %s; " + outcome, len(problems), self.faq_dir, version)

    def _read_fingerprint(self) -> Fingerprint:
        parts: list[tuple[str, int, int]] = []
        for path in knowledge_files(self.faq_dir):
            try:
                stat = path.stat()
            except FileNotFoundError:
                continue
            parts.append((path.as_posix(), stat.st_mtime_ns, stat.st_size))
        return tuple(parts)
