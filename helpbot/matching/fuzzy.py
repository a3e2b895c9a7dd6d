"""A plain rapidfuzz matcher over questions and alternates: the baseline and the fallback."""

from __future__ import annotations

import unicodedata

from rapidfuzz import fuzz, process

from helpbot.knowledge.entries import Entry, KnowledgeBase
from helpbot.matching.base import Bands, Candidate

FUZZY_BANDS = Bands(answer=85.0, suggest=60.0)


def nfkc_lower(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower().strip()


class FuzzyMatcher:
    """WRatio between the message and every phrasing; an entry scores its best phrasing."""

    def __init__(self, kb: KnowledgeBase, *, bands: Bands = FUZZY_BANDS) -> None:
        self.bands = bands
        self._choices: list[str] = []
        self._owners: list[Entry] = []
        for entry in kb.entries:
            for phrasing in entry.phrasings():
                self._choices.append(nfkc_lower(phrasing))
                self._owners.append(entry)

    def rank(self, text: str, *, limit: int = 10) -> list[Candidate]:
        query = nfkc_lower(text)
        if not query or not self._choices:
            return []
        hits = process.extract(query, self._choices, scorer=fuzz.WRatio, limit=max(limit * 4, 20))
        best: dict[str, Candidate] = {}
        for _choice, score, index in hits:
            entry = self._owners[index]
            if entry.id not in best or best[entry.id].score < score:
                best[entry.id] = Candidate(entry=entry, score=float(score))
        ranked = sorted(best.values(), key=lambda c: -c.score)
        return ranked[:limit]
