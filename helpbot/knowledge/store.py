"""Serve the current knowledge, reloading when staff edit ``faq/`` and never on a broken edit.

With a ``VersionBoard`` (the database), every process serves the same version:

    files changed ─▶ load ─▶ problems? ──yes──▶ not used; staff told once (per content)
                              │ no
                              ▼
                 newer than the published version? ──yes──▶ publish (hash + contents)
                              │
    every process: serve the newest published version: parsed from its own files when they
    match, else loaded from the contents stored with it (its own files may be broken).

The rest of what a store says to the board (heartbeats, broken edits, the board's errors) is in
``board_link.py``.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from helpbot.core.texts import use_catalogue
from helpbot.errors import HelpbotError, KnowledgeError
from helpbot.knowledge.board_link import BoardLink
from helpbot.knowledge.entries import KnowledgeBase, Problem
from helpbot.knowledge.folder_files import knowledge_files, removed_settings, unread_files
from helpbot.knowledge.loader import load_files
from helpbot.knowledge.snapshot import (
    Fingerprint,
    LoadedFiles,
    Snapshot,
    prebuilt_for,
    read_fingerprint,
)
from helpbot.knowledge.versions import (
    PublishedVersion,
    Readiness,
    VersionBoard,
    read_folder,
    readiness,
    short,
    should_publish,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")


class KnowledgeStore(Generic[T]):
    """Hand out the latest good snapshot of a ``faq/`` folder; reload it when files change.

    The first load serves whatever entries are good (problems are logged). A later reload
    that has any problem is not used: the previous snapshot stays, and a warning names each
    problem, so a broken edit never takes the bot down. With a ``board``, the version served
    is the published one (see the module docstring).
    """

    def __init__(
        self,
        faq_dir: Path,
        *,
        build_index: Callable[[KnowledgeBase], T],
        check_interval: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
        board: VersionBoard | None = None,
        heartbeat_every: float = 30.0,
    ) -> None:
        self.faq_dir = Path(faq_dir)
        self._build_index = build_index
        self._check_interval = check_interval
        self._clock = clock
        self._link = None if board is None else BoardLink(
            board, clock=clock, heartbeat_every=heartbeat_every
        )
        self._lock = threading.Lock()
        self._snapshot: Snapshot[T] | None = None
        self._fingerprint: Fingerprint | None = None
        self._next_check = 0.0
        self._files: LoadedFiles | None = None
        self._published: PublishedVersion | None = None
        self._unreported: LoadedFiles | None = None
        self._broken_edit = False  # a rejected edit not yet followed by a good one
        self.last_problems: tuple[Problem, ...] = ()
        # Called with a message for staff, once per distinct broken version (app wires Slack).
        self.on_rejected: Callable[[str], None] | None = None
        knowledge_files(self.faq_dir)  # fail at start-up, naming the folder, if it is missing

    def served(self) -> Snapshot[T]:
        """The snapshot being served, without re-checking the files or the database: for
        readers inside a transaction (masking a relayed message), where a reload's write from
        another connection could wait on that very transaction's lock."""
        return self._snapshot if self._snapshot is not None else self.snapshot()

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
            except Exception:  # a reader keeps its answer, whatever an edit or a bug does
                logger.exception("checking the FAQ folder failed; still serving version %s",
                                 self._version())
            finally:
                self._lock.release()
        return self._snapshot or current

    def reload(self) -> list[Problem]:
        """Re-read the folder now; return the problems of this load (empty when it was used)."""
        with self._lock:
            return self._refresh(force=True)

    def readiness(self) -> Readiness:
        """Whether this process serves the published version (``/readyz``)."""
        return readiness(
            serving=self.snapshot().content_hash,
            published=self._published.content_hash if self._published else None,
            shared=self._link is not None,
            board_error=self._link.error if self._link else None,
            folder=self.faq_dir.name,
        )

    def _refresh(self, *, force: bool) -> list[Problem]:
        self._next_check = self._clock() + self._check_interval
        first = self._snapshot is None
        changed = self._read_files(force=force, first=first)
        files = self._files
        problems = list(files.problems) if changed and files else []
        if problems:
            outcome = ("serving the good entries only (version %s)" if first and not self._link
                       else "the edit was NOT used; still serving version %s")
            self._log_problems(problems, outcome)
            self._unreported = files
            self._broken_edit = self._broken_edit or not first
        if self._unreported is not None:
            self._report(self._unreported)
        if self._link is None:
            if changed and files is not None and (first or not files.problems):
                self._install(files.kb, files.problems, files.contents.content_hash, first=first)
        else:
            self._follow_board(self._link, changed=changed and not first, first=first)
        if changed and files is not None and not files.problems and self._broken_edit:
            self._broken_edit = False
            self._log_fixed()
        self._heartbeat()
        return problems

    def _log_fixed(self) -> None:
        """After a rejected edit, say once that the folder is good again and what is served."""
        current = self._snapshot
        if current is None:
            return
        logger.info(
            "FAQ problems fixed: now serving the new knowledge version %s (%s, %s entries) "
            "from %s", current.version, short(current.content_hash), len(current.kb.entries),
            self.faq_dir,
        )

    def _read_files(self, *, force: bool, first: bool) -> bool:
        """Re-read the folder if it changed; True when it holds new contents."""
        try:
            fingerprint = read_fingerprint(self.faq_dir)
            if not force and fingerprint == self._fingerprint:
                return False
            self._fingerprint = fingerprint
            contents = read_folder(self.faq_dir)
        except (KnowledgeError, OSError):
            if first:
                raise
            logger.warning("cannot read the FAQ folder %s; keeping version %s", self.faq_dir,
                           self._version())
            logger.debug("reading the folder failed", exc_info=True)
            return False
        if not force and self._files and self._files.contents.content_hash == contents.content_hash:
            return False  # touched, not changed
        kb, problems = load_files(contents.to_load(), folder_name=self.faq_dir.name)
        removed = removed_settings(self._files.contents.files if self._files else (),
                                   contents.files, self.faq_dir.name)
        self._files = LoadedFiles(contents, kb, tuple(problems))
        self.last_problems = tuple(problems)
        for notice in (*kb.notices, *unread_files(self.faq_dir), *removed):  # nothing refused
            logger.warning("FAQ notice at %s:%s: %s", notice.file, notice.line, notice.message)
        return True

    def _follow_board(self, link: BoardLink, *, changed: bool, first: bool) -> None:
        """Publish a newer good edit, then serve the newest published version."""
        files, board = self._files, link.board
        try:
            published = board.latest()
            if (
                files is not None
                and not files.problems
                and should_publish(files.contents, published, edited_here=changed)
            ):
                board.publish(files.contents, entries=len(files.kb.entries))
                logger.info("published knowledge version %s (%s entries)",
                            short(files.contents.content_hash), len(files.kb.entries))
                published = board.latest()
        except HelpbotError as error:
            link.failed(error, version=self._version())
            if first and files is not None:
                self._install(files.kb, files.problems, files.contents.content_hash, first=True)
            return
        link.error = None
        self._published = published
        if published is None:  # nothing good yet anywhere: the good entries of the files
            if first and files is not None:
                self._install(files.kb, files.problems, files.contents.content_hash, first=True)
            return
        target = published.content_hash
        if self._snapshot is not None and self._snapshot.content_hash == target:
            return
        if files is not None and files.contents.content_hash == target and not files.problems:
            self._install(files.kb, (), target, first=first)
        elif not self._install_published(link, target, first=first) and first and files:
            self._install(files.kb, files.problems, files.contents.content_hash, first=True)

    def _install_published(self, link: BoardLink, content_hash: str, *, first: bool) -> bool:
        """Load the published version from the contents stored with it."""
        try:
            contents = link.board.contents(content_hash)
        except HelpbotError as error:
            link.failed(error, version=self._version())
            return False
        if contents is None:
            return False
        kb, problems = load_files(contents.to_load(), folder_name=self.faq_dir.name)
        if problems:  # a newer helpbot may check more strictly than the one that published
            self._log_problems(problems, "the published version has problems here; keeping %s")
            return False
        logger.info("serving the published knowledge version %s (this folder differs)",
                    short(content_hash))
        before = self._version()
        self._install(kb, (), content_hash, first=first)
        return self._version() != before

    def _install(
        self, kb: KnowledgeBase, problems: tuple[Problem, ...], content_hash: str, *, first: bool
    ) -> None:
        try:
            prebuilt = prebuilt_for(content_hash)
            if prebuilt is not None:
                kb, index = prebuilt.kb, prebuilt.index  # built before the fork: pages shared
                logger.info("knowledge %s: serving the build made before the fork (shared)",
                            short(content_hash))
            else:
                index = self._build_index(kb)
        except Exception:
            if first:
                raise
            logger.exception("building the index failed; still serving version %s", self._version())
            return
        version = self._version() + 1
        use_catalogue(kb.texts)  # the staff-edited buttons and system texts (faq/texts.yaml)
        self._snapshot = Snapshot(
            kb=kb, index=index, problems=problems, version=version, content_hash=content_hash
        )
        logger.info(
            "knowledge version %s (%s): %s entries from %s",
            version, short(content_hash), len(kb.entries), self.faq_dir,
        )

    def _report(self, files: LoadedFiles) -> None:
        """Tell staff about a broken version, once across every process."""
        if self._link is None or self.on_rejected is None:
            self._unreported = None
            return
        serving = self._snapshot.content_hash if self._snapshot else None
        if self._link.report(
            files, self.on_rejected, folder=self.faq_dir.name, serving=serving,
            version=self._version(),
        ):
            self._unreported = None

    def _heartbeat(self) -> None:
        if self._link is not None and self._snapshot is not None:
            self._link.heartbeat(self._snapshot.content_hash, version=self._version())

    def _version(self) -> int:
        return self._snapshot.version if self._snapshot else 0

    def _log_problems(self, problems: list[Problem] | tuple[Problem, ...], outcome: str) -> None:
        for problem in problems:
            logger.warning("FAQ problem at %s:%s: %s", problem.file, problem.line, problem.message)
        version = self._version() + (0 if self._snapshot else 1)
        logger.warning("%s problem(s) in %s; " + outcome, len(problems), self.faq_dir, version)
