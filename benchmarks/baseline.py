"""The reference baseline: rapidfuzz WRatio(query, question) on NFKC-normalised text.

Both sides also go through rapidfuzz's ``default_process`` (lower case, punctuation to spaces),
as in the issue's reference figure (0.100 P@1 on the whole LocalgovFAQ query set).
"""

from __future__ import annotations

import unicodedata

from helpbot.knowledge.entries import KnowledgeBase
from helpbot.matching.base import Bands, Candidate


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


class WRatioMatcher:
    """Ranks entries by ``fuzz.WRatio`` between the message and each entry's question."""

    bands = Bands(answer=90.0, suggest=70.0)

    def __init__(self, kb: KnowledgeBase) -> None:
        self.entries = kb.entries
        self._questions = [_nfkc(entry.question) for entry in kb.entries]

    def rank(self, text: str, *, limit: int = 10) -> list[Candidate]:
        from rapidfuzz import fuzz, process, utils

        found = process.extract(
            _nfkc(text),
            self._questions,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit,
        )
        return [Candidate(entry=self.entries[index], score=score) for _, score, index in found]
