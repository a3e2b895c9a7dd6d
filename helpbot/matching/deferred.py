"""A matcher built on first use, for processes that may never match a message.

The web process stores LINE webhooks and serves Slack and health checks; it matches only when
the web chat is on. With the web chat off, its snapshots carry a :class:`DeferredMatcher`, so
Sudachi, the sentence encoder and the entry vectors (about 200 MiB per gunicorn worker) are
never loaded there, while anything that does ask for a match still gets one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from helpbot.knowledge.entries import KnowledgeBase
from helpbot.matching.base import Bands, Candidate, Matcher

logger = logging.getLogger(__name__)


class DeferredMatcher:
    """Stands in for the matcher of ``kb``; ``build(kb)`` runs once, when first needed."""

    def __init__(self, kb: KnowledgeBase, build: Callable[[KnowledgeBase], Matcher]) -> None:
        self._kb = kb
        self._build = build
        self._lock = threading.Lock()
        self._matcher: Matcher | None = None

    @property
    def built(self) -> bool:
        return self._matcher is not None

    def matcher(self) -> Matcher:
        """The real matcher, built on the first call."""
        if self._matcher is None:
            with self._lock:
                if self._matcher is None:
                    logger.info("building the matcher on first use (%d entries)",
                                len(self._kb.entries))
                    self._matcher = self._build(self._kb)
        return self._matcher

    @property
    def bands(self) -> Bands:
        return self.matcher().bands

    def rank(self, text: str, *, limit: int = 10) -> list[Candidate]:
        return self.matcher().rank(text, limit=limit)

    def prepare(self, texts: Sequence[str]) -> None:
        self.matcher().prepare(texts)

    def sentence_space(self) -> Any:
        """The crisis detector's view of the encoder (see ``HybridMatcher.sentence_space``)."""
        space = getattr(self.matcher(), "sentence_space", None)
        return space() if callable(space) else None
