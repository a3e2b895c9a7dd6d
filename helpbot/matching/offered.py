"""Only what may be offered today reaches people: filtering at serving time, by date.

A knowledge snapshot is built once per version, but an entry's deadline passes on a day, not
on a reload. So the filter runs where the day is known, on every turn: the conversation asks
:func:`offered_today` with the day of its own (injected) clock, and ranks with
:func:`rank_offered`, which never returns an entry past its deadline or not ``active``.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, replace

from helpbot.knowledge.entries import KnowledgeBase
from helpbot.knowledge.freshness import withdrawn_ids
from helpbot.matching.base import Candidate, Matcher


@dataclass(frozen=True, slots=True)
class Offered:
    """One day's view of a knowledge base: the entries offered, and the ids held back."""

    kb: KnowledgeBase  # the same knowledge with only the entries offered today
    withdrawn: frozenset[str]


_last: list[tuple[KnowledgeBase, dt.date, Offered]] = []
_lock = threading.Lock()


def offered_today(kb: KnowledgeBase, today: dt.date) -> Offered:
    """The entries of ``kb`` that may be offered on ``today`` (computed once per day)."""
    with _lock:
        for known_kb, day, offered in _last:
            if known_kb is kb and day == today:
                return offered
    withdrawn = withdrawn_ids(kb, today)
    view = kb if not withdrawn else replace(
        kb, entries=tuple(e for e in kb.entries if e.id not in withdrawn))
    offered = Offered(kb=view, withdrawn=withdrawn)
    with _lock:
        _last.insert(0, (kb, today, offered))
        del _last[2:]  # the snapshot served and the one after a reload
    return offered


def rank_offered(
    matcher: Matcher, text: str, *, limit: int, withdrawn: frozenset[str]
) -> list[Candidate]:
    """The matcher's ranking without the withdrawn entries, still ``limit`` long when it can."""
    ranked = matcher.rank(text, limit=limit + len(withdrawn))
    return [c for c in ranked if c.entry.id not in withdrawn][:limit]
